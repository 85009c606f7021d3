"""The office's people screen: accounts of station staff, units and deputies inside its divisions, and the one-time
activation link (set the password once; expired, reused, replaced, tampered or deactivated links refused)."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianxin.accounts.enums import Role
from lianxin.accounts.models import ApiToken, Membership, User
from lianxin.accounts.people_services import (
    ACTIVATION_SALT,
    AccountInput,
    account_create,
    account_deactivate,
    activation_issue,
)
from lianxin.audit.models import AuditEntry
from lianxin.errors import NotFound
from lianxin.notifications.models import Notification
from lianxin.organisation.models import Station
from tests.api.helpers import BASE, post_json
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-Pass-2026!"


def _login(client, username="office", password=PASSWORD):
    assert client.post("/login/", {"username": username, "password": password}).status_code == 302
    return client


def _create(client, **fields):
    data = {"username": "zhang", "display_name": "张三", "role": "station", "delivery": "print", **fields}
    return client.post("/work/people/new/", data)


def _token_from(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def _pending_account(district, username="li", **extra):
    data = AccountInput(
        username=username, display_name="李四", email="", phone="", role="station", station=district.station, **extra
    )
    return account_create(actor=district.office, data=data)


# --- the screen and its scope ------------------------------------------------------------------------------


def test_office_creates_an_account_within_its_division(client, district):
    _login(client)
    response = _create(client, station=district.station.pk)
    user = User.objects.get(username="zhang")
    assert response.status_code == 302 and response["Location"] == f"/work/people/{user.pk}/"
    assert not user.has_usable_password() and user.is_active
    assert Membership.objects.filter(user=user, role=Role.STATION, station=district.station, active=True).exists()
    entry = AuditEntry.objects.get(action="account.created", subject_id=user.pk)
    assert entry.actor_id == district.office.pk and entry.data["role"] == "station"
    page = client.get(f"/work/people/{user.pk}/").content.decode()
    assert "待激活" in page and "打印激活单" in page
    # the new account is in the list, filtered by state and role
    listing = client.get("/work/people/", {"state": "pending", "role": "station"}).content.decode()
    assert 'data-person="zhang"' in listing
    assert 'data-person="zhang"' not in client.get("/work/people/", {"state": "active"}).content.decode()
    assert 'data-person="zhang"' not in client.get("/work/people/", {"role": "unit"}).content.decode()
    assert 'data-person="zhang"' in client.get("/work/people/", {"q": "张"}, HTTP_HX_REQUEST="true").content.decode()


def test_a_unit_and_a_deputy_account(client, district):
    _login(client)
    _create(client, username="u2", role="unit", unit=district.other_unit.pk)
    assert Membership.objects.filter(user__username="u2", unit=district.other_unit).exists()
    _create(client, username="d2", role="deputy", deputy=district.other_deputy.pk)
    district.other_deputy.refresh_from_db()
    assert district.other_deputy.user.username == "d2"
    listing = client.get("/work/people/", {"role": "deputy"}).content.decode()
    assert 'data-person="d2"' in listing and 'data-person="u2"' not in listing
    # a deputy who already has an account cannot get a second one
    response = _create(client, username="d3", role="deputy", deputy=district.deputy.pk)
    assert response.status_code == 422 and not User.objects.filter(username="d3").exists()


def test_bad_input_is_refused_with_a_message_and_stores_nothing(client, district):
    _login(client)
    response = _create(client, username="station", station=district.station.pk)  # taken
    assert response.status_code == 422 and "已被使用" in response.content.decode()
    response = _create(client, username="new one", station=district.station.pk)
    assert response.status_code == 422 and "不能有空格" in response.content.decode()
    response = _create(client, username="x1", delivery="send", station=district.station.pk)
    assert response.status_code == 422 and "须填写电子邮箱或手机号" in response.content.decode()
    response = _create(client, username="x2", phone="123", station=district.station.pk)
    assert response.status_code == 422
    assert not User.objects.filter(username__in=["new one", "x1", "x2"]).exists()


def test_a_station_outside_the_division_cannot_be_given(client, district):
    from lianxin.organisation.enums import DivisionKind
    from lianxin.organisation.services import division_create

    elsewhere = division_create(name="别区", kind=DivisionKind.DISTRICT, code="330200")
    foreign = Station.objects.create(code="far", name="外区联络站", division=elsewhere)
    _login(client)
    assert _create(client, username="far1", station=foreign.pk).status_code == 422
    assert not User.objects.filter(username="far1").exists()


def test_a_street_office_manages_only_its_street(client, district):
    make_user("street-office", Role.OFFICE, division=district.street)
    _login(client, "street-office")
    listing = client.get("/work/people/").content.decode()
    assert 'data-person="station"' in listing  # staff of the street's station
    assert 'data-person="outsider"' not in listing  # staff of the other street's station
    assert 'data-person="unit"' not in listing  # the unit's jurisdiction is the district
    assert client.get(f"/work/people/{district.outsider.pk}/").status_code == 404
    for action in ("deactivate", "reset", "reactivate", "send"):
        assert client.post(f"/work/people/{district.outsider.pk}/{action}/").status_code == 404
    district.outsider.refresh_from_db()
    assert district.outsider.is_active and district.outsider.has_usable_password()
    with pytest.raises(NotFound):
        account_deactivate(actor=User.objects.get(username="street-office"), user_id=district.outsider.pk)


def test_privileged_accounts_are_not_managed_here(client, district):
    _login(client)
    for user in (district.leader, district.auditor, district.office):
        assert client.get(f"/work/people/{user.pk}/").status_code == 404
    superuser = make_user("root")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    Membership.objects.create(user=superuser, role=Role.STATION, station=district.station)
    assert client.get(f"/work/people/{superuser.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["station_staff", "unit_user", "deputy_user", "leader", "auditor"])
def test_other_roles_do_not_reach_the_screen(client, district, persona):
    user = district.persona(persona)
    _login(client, user.username)
    assert client.get("/work/people/").status_code == 404
    assert client.get(f"/work/people/{district.station_staff.pk}/").status_code == 404
    assert _create(client, username="sneaky", station=district.station.pk).status_code == 404
    assert client.post(f"/work/people/{district.outsider.pk}/deactivate/").status_code == 404
    assert not User.objects.filter(username="sneaky").exists()
    assert "账号管理" not in client.get("/account/").content.decode()


def test_anonymous_is_sent_to_login(client, district):
    assert client.get("/work/people/")["Location"].startswith("/login/")


def test_deactivate_and_reactivate(client, district):
    _login(client)
    _, token = activation_issue(actor=district.office, user_id=_pending_account(district).pk, via="print")
    key = post_json(client, f"{BASE}/auth/token", {"username": "station", "password": PASSWORD}).json()["token"]
    assert client.post(f"/work/people/{district.station_staff.pk}/deactivate/").status_code == 302
    staff = User.objects.get(pk=district.station_staff.pk)
    assert not staff.is_active
    assert AuditEntry.objects.filter(action="account.deactivated", subject_id=staff.pk).exists()
    # its API token stops, it cannot log in
    assert client.get(f"{BASE}/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    other = client_class_login(district, "station")
    assert other is None
    # a deactivated pending account's activation link stops too
    li = User.objects.get(username="li")
    client.post(f"/work/people/{li.pk}/deactivate/")
    page = client.get("/activate/", {"token": token})
    assert page.status_code == 410 and "已停用" in page.content.decode()
    assert client.post(f"/work/people/{staff.pk}/reactivate/").status_code == 302
    staff.refresh_from_db()
    assert staff.is_active
    assert AuditEntry.objects.filter(action="account.reactivated", subject_id=staff.pk).exists()


def client_class_login(district, username, password=PASSWORD):
    from django.test import Client

    fresh = Client()
    response = fresh.post("/login/", {"username": username, "password": password})
    return fresh if response.status_code == 302 else None


def test_reset_ends_password_second_factor_and_tokens(client, district):
    TOTPDevice.objects.create(user=district.station_staff, name="totp", confirmed=True)
    key = post_json(client, f"{BASE}/auth/token", {"username": "unit", "password": PASSWORD}).json()["token"]
    _login(client)
    assert client.post(f"/work/people/{district.station_staff.pk}/reset/").status_code == 302
    client.post(f"/work/people/{district.unit_user.pk}/reset/")
    staff = User.objects.get(pk=district.station_staff.pk)
    assert not staff.has_usable_password() and not TOTPDevice.objects.filter(user=staff).exists()
    assert client_class_login(district, "station") is None
    assert client.get(f"{BASE}/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert ApiToken.objects.filter(user=district.unit_user).exists()
    assert AuditEntry.objects.filter(action="account.reset", subject_id=staff.pk).exists()


def test_memberships_are_added_and_ended_within_scope(client, district):
    _login(client)
    user = _pending_account(district)
    response = client.post(f"/work/people/{user.pk}/memberships/", {"role": "unit", "unit": district.unit.pk})
    assert response.status_code == 302
    membership = Membership.objects.get(user=user, role=Role.UNIT, unit=district.unit)
    assert AuditEntry.objects.filter(action="account.membership_added", subject_id=user.pk).exists()
    client.post(f"/work/people/{user.pk}/memberships/{membership.pk}/end/")
    membership.refresh_from_db()
    assert not membership.active
    assert AuditEntry.objects.filter(action="account.membership_ended", subject_id=user.pk).exists()
    # a foreign account's membership is a 404
    foreign = Membership.objects.get(user=district.outsider)
    street_office = make_user("street-office", Role.OFFICE, division=district.street)
    _login(client, street_office.username)
    assert client.post(f"/work/people/{district.outsider.pk}/memberships/{foreign.pk}/end/").status_code == 404


# --- the activation link ---------------------------------------------------------------------------------------


def test_send_the_link_through_the_outbox(client, district):
    _login(client)
    response = _create(
        client,
        username="wang5",
        email="wang5@example.cn",
        phone="13800138000",
        delivery="send",
        station=district.station.pk,
    )
    assert response.status_code == 302
    user = User.objects.get(username="wang5")
    rows = Notification.objects.filter(event="account.activation", recipient_user=user)
    assert {row.channel for row in rows} == {"email", "console"}
    assert all("/activate/?token=" in row.body for row in rows)
    assert AuditEntry.objects.get(action="account.activation_issued", subject_id=user.pk).data["via"] == "send"
    # the phone is stored encrypted and shown masked
    assert "13800138000" not in user.phone_enc
    assert "138****8000" in client.get(f"/work/people/{user.pk}/").content.decode()


def test_print_sheet_issues_fresh_links_with_qr_codes(client, district):
    _login(client)
    first, second = _pending_account(district, "p1"), _pending_account(district, "p2")
    _, old = activation_issue(actor=district.office, user_id=first.pk, via="print")
    page = client.post("/work/people/print/", {"user_ids": [first.pk, second.pk]})
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<svg") == 2 and "p1" in html and "p2" in html
    urls = re.findall(r"http://[^<\s\"]+/activate/\?token=[^<\s\"]+", html)
    assert len(urls) == 2
    # the earlier link was replaced
    assert client.get("/activate/", {"token": old}).status_code == 410
    assert AuditEntry.objects.filter(action="account.activation_issued", data__via="print").count() == 3
    # an activated account gets no link (reset it first); a foreign one is a 404
    assert client.post("/work/people/print/", {"user_ids": [district.station_staff.pk]}).status_code == 302
    assert client.post("/work/people/print/", {"user_ids": [district.leader.pk]}).status_code == 404


def test_the_link_sets_the_password_once(client, district):
    user = _pending_account(district)
    assert client_class_login(district, "li") is None  # not activated: cannot log in
    assert post_json(client, f"{BASE}/auth/token", {"username": "li", "password": ""}).status_code in (400, 401, 422)
    _, token = activation_issue(actor=district.office, user_id=user.pk, via="print")
    page = client.get("/activate/", {"token": token})
    assert page.status_code == 200 and "li" in page.content.decode()
    weak = client.post("/activate/", {"token": token, "new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 422
    user.refresh_from_db()
    assert not user.has_usable_password()
    done = client.post("/activate/", {"token": token, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and user.activation_nonce == ""
    assert AuditEntry.objects.filter(action="account.activated", subject_id=user.pk, actor=user).exists()
    assert client.get("/work/cases/").status_code == 200  # signed in
    client.post("/logout/")
    again = client.post(
        "/activate/", {"token": token, "new_password1": "Other-Pass-2026!", "new_password2": "Other-Pass-2026!"}
    )
    assert again.status_code == 410 and "已经使用过" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client_class_login(district, "li", NEW_PASSWORD) is not None


def test_expired_and_tampered_links_are_refused(client, district, settings):
    settings.ACCOUNT_ACTIVATION_DAYS = 3
    user = _pending_account(district)
    activation_issue(actor=district.office, user_id=user.pk, via="print")
    user.refresh_from_db()

    class ThreeDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 3 * 86400 - 60)

    old = ThreeDaysAgo(salt=ACTIVATION_SALT).sign_object({"u": user.pk, "n": user.activation_nonce})
    page = client.get("/activate/", {"token": old})
    assert page.status_code == 410 and "已过期" in page.content.decode() and "3 天" in page.content.decode()
    _, token = activation_issue(actor=district.office, user_id=user.pk, via="print")
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "nonsense", "", "令牌", "x" * 5000):
        page = client.get("/activate/", {"token": bad})
        assert page.status_code == 410 and "无效" in page.content.decode()
    # a link signed for another purpose with the same key does not work either
    forged = signing.dumps({"u": user.pk, "n": user.activation_nonce}, salt="something-else")
    assert client.get("/activate/", {"token": forged}).status_code == 410
    assert signing.loads(token, salt=ACTIVATION_SALT)["u"] == user.pk


def test_activation_enrols_the_second_factor_where_the_role_requires_it(client, district, settings):
    settings.OTP_REQUIRED_ROLES = ["station"]
    user = _pending_account(district)
    _, token = activation_issue(actor=district.office, user_id=user.pk, via="print")
    client.post("/activate/", {"token": token, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.get("/work/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/account/otp/verify/")
    assert client.get("/account/otp/verify/")["Location"] == "/account/otp/enrol/"


def test_the_list_costs_the_same_queries_for_few_and_many_accounts(client, district, django_assert_max_num_queries):
    _login(client)
    client.get("/work/people/")
    with CaptureQueriesContext(connection) as few:
        client.get("/work/people/")
    for n in range(15):
        make_user(f"extra{n}", Role.STATION, station=district.station)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/work/people/")
    assert response.content.decode().count("data-person=") >= 18
