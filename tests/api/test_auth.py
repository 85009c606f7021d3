"""Tokens: issued for a username and password (with the login lockout), only their hash stored, expiring."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from lianxin.accounts.models import ApiToken
from lianxin.audit.models import AuditEntry
from tests.api.helpers import BASE, assert_error, bearer, post_json
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password=PASSWORD):
    return post_json(client, f"{BASE}/auth/token", {"username": username, "password": password})


def test_token_is_issued_and_only_its_hash_is_stored(client, district, settings):
    response = _login(client, "office")
    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(body) == ["expires_at", "token"]
    key = body["token"]
    assert len(key) >= 43  # 32 random bytes, urlsafe base64
    token = ApiToken.objects.get()
    assert token.user == district.office
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in token.key_hash
    days = (token.expires_at - timezone.now()).total_seconds() / 86400
    assert settings.API_TOKEN_DAYS - 1 < days <= settings.API_TOKEN_DAYS
    assert AuditEntry.objects.filter(action="account.token_issued", actor=district.office).count() == 1

    me = client.get(f"{BASE}/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200
    assert me.json()["username"] == "office"


@pytest.mark.parametrize(("username", "password"), [("office", "wrong-password"), ("nobody", PASSWORD), ("", "")])
def test_wrong_credentials_are_401(client, district, username, password):
    assert_error(_login(client, username, password), 401, "invalid_credentials")
    assert ApiToken.objects.count() == 0


def test_inactive_user_gets_no_token(client, district):
    district.office.is_active = False
    district.office.save()
    assert_error(_login(client, "office"), 401, "invalid_credentials")


BAD_LOGINS = [
    ("empty body", b"", 422, "invalid_input"),
    ("malformed json", b'{"username": "office"', 400, "malformed_json"),
    ("username is a number", b'{"username": 5, "password": "x"}', 422, "invalid_input"),
    ("missing password", b'{"username": "office"}', 422, "invalid_input"),
    ("huge password", ('{"username": "office", "password": "' + "x" * 5000 + '"}').encode(), 422, "invalid_input"),
]


@pytest.mark.parametrize(("name", "body", "status", "code"), BAD_LOGINS, ids=[b[0] for b in BAD_LOGINS])
def test_bad_login_input(client, district, name, body, status, code):
    response = client.post(f"{BASE}/auth/token", body, content_type="application/json")
    assert_error(response, status, code)
    assert ApiToken.objects.count() == 0


def test_form_encoded_login_is_a_wrong_content_type(client, district):
    response = client.post(f"{BASE}/auth/token", {"username": "office", "password": PASSWORD})
    assert_error(response, 415, "unsupported_media_type")
    assert ApiToken.objects.count() == 0


def test_five_failures_lock_the_account_even_for_the_right_password(client, district, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [_login(client, "station", "wrong-password").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    locked = _login(client, "station")
    error = assert_error(locked, 429, "locked")
    assert "锁定" in error["message"]
    assert ApiToken.objects.count() == 0
    # Another account is not affected.
    assert _login(client, "office").status_code == 200


def test_expired_token_is_401(client, district):
    headers = bearer(district.office)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(client.get(f"{BASE}/me", **headers), 401, "unauthorized")


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer not-a-real-token", "Token abc", "Bearer " + "x" * 500, "Basic b2ZmaWNlOng="],
)
def test_missing_or_unknown_token_is_401(client, district, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    assert_error(client.get(f"{BASE}/me", **extra), 401, "unauthorized")


def test_token_of_a_disabled_user_stops_working(client, district):
    headers = bearer(district.unit_user)
    assert client.get(f"{BASE}/me", **headers).status_code == 200
    district.unit_user.is_active = False
    district.unit_user.save()
    assert_error(client.get(f"{BASE}/me", **headers), 401, "unauthorized")


def test_me_lists_roles_with_their_scopes(client, district):
    body = client.get(f"{BASE}/me", **bearer(district.station_staff)).json()
    assert body == {
        "id": district.station_staff.pk,
        "username": "station",
        "display_name": "station",
        "roles": [
            {
                "role": "station",
                "role_label": "联络站工作人员",
                "station_id": district.station.pk,
                "division_id": None,
                "unit_id": None,
            }
        ],
        "deputy_id": None,
    }


def test_me_shows_the_deputy_id_of_a_deputy(client, district):
    body = client.get(f"{BASE}/me", **bearer(district.deputy_user)).json()
    assert body["deputy_id"] == district.deputy.pk
    assert body["roles"] == [
        {"role": "deputy", "role_label": "代表", "station_id": None, "division_id": None, "unit_id": None}
    ]


def test_me_query_count_is_fixed(client, district, django_assert_max_num_queries):
    headers = bearer(district.office)
    client.get(f"{BASE}/me", **headers)  # first use records last_used_at
    with django_assert_max_num_queries(3):  # token + user, memberships, deputy link
        assert client.get(f"{BASE}/me", **headers).status_code == 200
