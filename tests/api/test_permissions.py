"""Who may call which authenticated endpoint, as data: (persona, method, url, expected status).

The case belongs to the 东湖 station and is dispatched to 区住建局 (the unit persona). The outsider is
staff of another station, other_unit_user works for another unit: for them our case does not exist.
"""

import json

import pytest

from lianxin.accounts.models import Membership
from lianxin.cases import services
from tests.api.helpers import BASE, assert_error, bearer
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

PERSONAS = [
    "office",
    "station_staff",
    "deputy_user",
    "unit_user",
    "leader",
    "auditor",
    "outsider",
    "other_unit_user",
    "anonymous",
]
NOTE = {"action": "note", "message": "权限矩阵测试备注"}


def me(case):
    return f"{BASE}/me"


def units(case):
    return f"{BASE}/units"


def case_list(case):
    return f"{BASE}/cases"


def case_detail(case):
    return f"{BASE}/cases/{case.pk}"


def transitions(case):
    return f"{BASE}/cases/{case.pk}/transitions"


EXPECTED = {
    # endpoint:  office station deputy unit leader auditor outsider other_unit anonymous
    ("GET", me): (200, 200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", units): (200, 200, 403, 403, 403, 403, 200, 403, 401),
    ("GET", case_list): (200, 200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", case_detail): (200, 200, 200, 200, 200, 404, 404, 404, 401),
    ("POST", transitions): (200, 200, 200, 200, 409, 404, 404, 404, 401),
}
MATRIX = [
    (persona, method, url, statuses[index])
    for (method, url), statuses in EXPECTED.items()
    for index, persona in enumerate(PERSONAS)
]

# How many cases each persona sees in GET /cases (one case exists).
LIST_TOTALS = {
    "office": 1,
    "station_staff": 1,
    "deputy_user": 1,
    "unit_user": 1,
    "leader": 1,
    "auditor": 0,
    "outsider": 0,
    "other_unit_user": 0,
}


@pytest.fixture
def dispatched_case(district):
    case = submit_case()
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到")
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    return case


def _call(client, district, persona, method, url):
    headers = {} if persona == "anonymous" else bearer(district.persona(persona))
    if method == "GET":
        return client.get(url, **headers)
    return client.post(url, json.dumps(NOTE), content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("persona", "method", "url", "expected"),
    MATRIX,
    ids=[f"{persona}-{method}-{url.__name__}" for persona, method, url, _ in MATRIX],
)
def test_permission_matrix(client, district, dispatched_case, persona, method, url, expected):
    response = _call(client, district, persona, method, url(dispatched_case))
    if expected >= 400:
        assert_error(response, expected)
    else:
        assert response.status_code == expected, response.content.decode()


@pytest.mark.parametrize(("persona", "total"), LIST_TOTALS.items())
def test_list_scope_per_persona(client, district, dispatched_case, persona, total):
    body = client.get(f"{BASE}/cases", **bearer(district.persona(persona))).json()
    assert body["total"] == total
    assert [item["id"] for item in body["items"]] == [dispatched_case.pk] * total


def test_a_revoked_role_loses_access(client, district, dispatched_case):
    headers = bearer(district.station_staff)
    assert client.get(case_detail(dispatched_case), **headers).status_code == 200
    Membership.objects.filter(user=district.station_staff).update(active=False)
    # The token was issued under that membership: it stops working altogether (issue 12, item 6).
    assert_error(client.get(case_detail(dispatched_case), **headers), 401, "unauthorized")
    assert_error(client.get(units(dispatched_case), **headers), 401, "unauthorized")
    # A new token (no active membership now) sees nothing of the station's.
    fresh = bearer(district.station_staff)
    assert_error(client.get(case_detail(dispatched_case), **fresh), 404, "not_found")
    assert_error(client.get(units(dispatched_case), **fresh), 403, "forbidden")
    assert client.get(case_list(dispatched_case), **fresh).json()["total"] == 0
