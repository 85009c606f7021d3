"""Who may open which work screen: a permission matrix as data (persona × view × expected status).

A foreign case is a 404 (never a 403 that would confirm it exists); anonymous users go to the login page.
"""

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditEntry
from tests.work.helpers import audit_count, case_at

pytestmark = pytest.mark.django_db

LOGIN = "login"
PERSONAS = [
    "office",
    "station_staff",
    "deputy_user",
    "unit_user",
    "leader",
    "auditor",
    "outsider",
    "other_unit_user",
    None,
]

# view -> (method, expected status per persona in PERSONAS order)
MATRIX = {
    "queue": ("get", [200, 200, 200, 200, 200, 404, 200, 200, LOGIN]),
    "detail": ("get", [200, 200, 200, 200, 200, 404, 404, 404, LOGIN]),
    "act_note": ("post", [302, 302, 302, 302, 422, 404, 404, 404, LOGIN]),
    # the unit holding the case may reveal with a reason (LIANXIN_UNIT_CONTACT_REVEAL, on by default)
    "reveal": ("post", [200, 200, 200, 200, 403, 404, 404, 404, LOGIN]),
    "walk_in": ("get", [200, 200, 404, 404, 404, 404, 200, 404, LOGIN]),
    "visit": ("get", [404, 404, 200, 404, 404, 404, 404, 404, LOGIN]),
}
CASES = [
    (view, persona, expected)
    for view, (_method, row) in MATRIX.items()
    for persona, expected in zip(PERSONAS, row, strict=True)
]


def _url(view, case):
    if view == "act_note":
        return reverse("cases:act", args=[case.pk, "note"])
    if view in ("detail", "reveal"):
        return reverse(f"cases:{view}", args=[case.pk])
    return reverse(f"cases:{view}")


@pytest.mark.parametrize(("view", "persona", "expected"), CASES)
def test_permission_matrix(client, district, view, persona, expected):
    case = case_at(district, "dispatched")  # at the district's unit: the other unit must not see it
    if persona:
        client.force_login(district.persona(persona))
    method = MATRIX[view][0]
    before = audit_count(case)
    data = {"message": "请尽快处理。", "reason": "电话回访"} if method == "post" else None
    response = getattr(client, method)(_url(view, case), data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))
    else:
        assert response.status_code == expected
    if method == "post" and expected not in (200, 302):
        # a refused request changes nothing; a refused reveal is itself audited (result "denied", issue 12)
        assert audit_count(case) == before + (1 if view == "reveal" and expected == 403 else 0)


def test_reveal_is_audited_and_shows_the_full_phone(client, district):
    case = case_at(district, "registered")
    client.force_login(district.station_staff)
    detail = client.get(reverse("cases:detail", args=[case.pk]))
    assert "13812341234" not in detail.content.decode()
    assert "138****1234" in detail.content.decode()
    response = client.post(reverse("cases:reveal", args=[case.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "13812341234" in response.content.decode()
    entry = AuditEntry.objects.get(action="case.contact_revealed", subject_id=case.pk)
    assert (entry.actor, entry.public) == (district.station_staff, False)
    assert "13812341234" not in str(entry.data)


def test_reveal_needs_post(client, district):
    case = case_at(district, "registered")
    client.force_login(district.station_staff)
    assert client.get(reverse("cases:reveal", args=[case.pk])).status_code == 405
    assert not AuditEntry.objects.filter(action="case.contact_revealed").exists()


def test_unit_sees_the_reveal_button_only_with_the_setting(client, district, settings):
    case = case_at(district, "dispatched")
    client.force_login(district.unit_user)
    assert "显示完整号码" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    settings.UNIT_CONTACT_REVEAL = False
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "显示完整号码" not in body
    client.force_login(district.deputy_user)
    assert "显示完整号码" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
