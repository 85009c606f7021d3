"""API tokens follow the account rules: lockout, deactivation, the membership they were issued under, the password,
the idle and absolute lifetime, revocation (by the owner and by the office)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from lianxin.accounts.models import ApiToken, Membership
from lianxin.accounts.security import password_set
from lianxin.accounts.services import api_token_issue
from lianxin.audit.models import AuditEntry
from tests.api.helpers import BASE, assert_error, post_json
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _me(client, key):
    return client.get(f"{BASE}/me", HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def key(district):
    key, _token = api_token_issue(user=district.station_staff)
    return key


def test_a_fresh_token_works(client, key):
    assert _me(client, key).status_code == 200


def test_token_stops_when_the_account_is_locked_and_works_after_the_lock(client, district, key, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_json(client, f"{BASE}/auth/token", {"username": "station", "password": "wrong-password"})
    assert_error(_me(client, key), 401, "unauthorized")
    # the cool-off passes: the same token works again
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1))
    assert _me(client, key).status_code == 200


def test_a_few_failures_below_the_limit_do_not_stop_the_token(client, district, key, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        post_json(client, f"{BASE}/auth/token", {"username": "station", "password": "wrong-password"})
    assert _me(client, key).status_code == 200


def test_token_stops_when_the_account_is_deactivated(client, district, key):
    district.station_staff.is_active = False
    district.station_staff.save()
    assert_error(_me(client, key), 401, "unauthorized")


def test_token_stops_when_its_membership_ends(client, district, key):
    token = ApiToken.objects.get()
    assert token.membership.role == "station"
    Membership.objects.filter(pk=token.membership_id).update(active=False)
    assert_error(_me(client, key), 401, "unauthorized")


def test_token_stops_when_its_membership_is_deleted_even_if_another_is_granted(client, district, key):
    Membership.objects.filter(user=district.station_staff).delete()
    Membership.objects.create(user=district.station_staff, role="station", station=district.other_station)
    assert_error(_me(client, key), 401, "unauthorized")


def test_token_stops_when_the_password_changes(client, district, key):
    password_set(actor=district.station_staff, user=district.station_staff, password="Another-Pass-2026!")
    assert_error(_me(client, key), 401, "unauthorized")


def test_token_of_a_user_who_must_change_the_password_is_refused(client, district, key):
    district.station_staff.must_change_password = True
    district.station_staff.save()
    assert_error(_me(client, key), 401, "unauthorized")
    response = post_json(client, f"{BASE}/auth/token", {"username": "station", "password": PASSWORD})
    assert_error(response, 403, "password_change_required")


def test_expired_password_refuses_tokens(client, district, key, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    assert _me(client, key).status_code == 200
    type(district.station_staff).objects.filter(pk=district.station_staff.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    assert_error(_me(client, key), 401, "unauthorized")


def test_idle_token_stops(client, district, key, settings):
    settings.API_TOKEN_IDLE_HOURS = 2
    assert _me(client, key).status_code == 200
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(hours=2, minutes=1))
    assert_error(_me(client, key), 401, "unauthorized")


def test_never_used_token_is_idle_from_its_issue(client, district, key, settings):
    settings.API_TOKEN_IDLE_HOURS = 2
    ApiToken.objects.update(created_at=timezone.now() - timedelta(hours=3))
    assert_error(_me(client, key), 401, "unauthorized")


def test_owner_lists_and_revokes_their_token(client, district, key):
    listed = client.get(f"{BASE}/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert listed.status_code == 200
    rows = listed.json()
    assert [r["username"] for r in rows] == ["station"]
    other_key, other = api_token_issue(user=district.station_staff)
    response = client.delete(f"{BASE}/auth/tokens/{other.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["revoked_at"]
    assert_error(_me(client, other_key), 401, "unauthorized")
    assert _me(client, key).status_code == 200
    entry = AuditEntry.objects.get(action="account.token_revoked")
    assert entry.actor == district.station_staff and entry.data == {"token_id": other.pk}


def test_office_lists_and_revokes_tokens_of_its_accounts(client, district, key):
    office_key, _ = api_token_issue(user=district.office)
    office = {"HTTP_AUTHORIZATION": f"Bearer {office_key}"}
    token = ApiToken.objects.get(user=district.station_staff)
    listed = client.get(f"{BASE}/auth/tokens?user_id={district.station_staff.pk}", **office)
    assert [r["id"] for r in listed.json()] == [token.pk]
    assert client.delete(f"{BASE}/auth/tokens/{token.pk}", **office).status_code == 200
    assert_error(_me(client, key), 401, "unauthorized")
    assert AuditEntry.objects.get(action="account.token_revoked").actor == district.office


def test_others_cannot_list_or_revoke_a_token(client, district, key):
    token = ApiToken.objects.get(user=district.station_staff)
    outsider_key, _ = api_token_issue(user=district.outsider)
    outsider = {"HTTP_AUTHORIZATION": f"Bearer {outsider_key}"}
    assert_error(client.get(f"{BASE}/auth/tokens?user_id={district.station_staff.pk}", **outsider), 404)
    assert_error(client.delete(f"{BASE}/auth/tokens/{token.pk}", **outsider), 404)
    assert _me(client, key).status_code == 200


def test_owner_and_office_revoke_on_the_web(client, district, key):
    token = ApiToken.objects.get(user=district.station_staff)
    client.force_login(district.outsider)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(district.office)
    page = client.get("/account/tokens/")
    assert page.status_code == 200 and f"/account/tokens/{token.pk}/revoke/" in page.content.decode()
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert_error(_me(client, key), 401, "unauthorized")
    client.force_login(district.station_staff)
    mine = client.get("/account/").content.decode()
    assert "已撤销" in mine


def test_station_staff_have_no_token_admin_page(client, district):
    client.force_login(district.station_staff)
    assert client.get("/account/tokens/").status_code == 404
