"""The office edits which roles must use a second factor; the environment's list is only the initial default.
The account gate enforces the stored policy, also for sessions that began before the change."""

import pytest
from django.test import Client

from lianxin.accounts.enums import Role
from lianxin.accounts.models import OtpRolePolicy
from lianxin.accounts.security import otp_policy_set, otp_required, otp_required_roles
from lianxin.audit.models import AuditEntry
from lianxin.errors import NotFound
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

URL = "/work/security/otp/"


def _login(username: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_the_environment_setting_is_the_default_until_the_office_sets_the_policy(district, settings):
    settings.OTP_REQUIRED_ROLES = ["station"]
    assert otp_required_roles() == {"station"}
    assert otp_required(district.station_staff) and not otp_required(district.deputy_user)
    otp_policy_set(actor=district.office, required_roles=["deputy"])
    assert otp_required_roles() == {"deputy"}  # the stored policy wins, for every role
    assert not otp_required(district.station_staff) and otp_required(district.deputy_user)


def test_office_requires_it_for_deputies_and_a_signed_in_deputy_without_device_is_sent_to_enrol(district, settings):
    settings.OTP_REQUIRED_ROLES = []
    deputy = _login("deputy")
    assert deputy.get("/account/").status_code == 200  # no second factor needed yet
    office = _login("office")
    page = office.get(URL)
    assert page.status_code == 200
    assert 'id="otp-deputy"' in page.content.decode()
    saved = office.post(URL, {"roles": ["deputy", "office"]})
    assert saved.status_code == 302
    assert set(OtpRolePolicy.objects.filter(required=True).values_list("role", flat=True)) == {"deputy", "office"}
    # the deputy's session began before the change: its next request goes to the second factor, and without a
    # device the verify page sends it on to enrolment
    response = deputy.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/account/otp/verify/")
    assert deputy.get("/account/otp/verify/")["Location"] == "/account/otp/enrol/"
    # and so is a fresh login
    again = _login("deputy")
    assert again.get("/account/")["Location"].startswith("/account/otp/verify/")
    # a role left out is not asked
    station = _login("station")
    assert station.get("/account/").status_code == 200
    entry = AuditEntry.objects.get(action="account.otp_policy_changed", result="ok")
    assert entry.actor == district.office
    assert entry.data == {"before": [], "after": ["deputy", "office"]}


def test_dropping_a_requirement_frees_the_members_on_their_next_request(district, settings):
    settings.OTP_REQUIRED_ROLES = ["station"]
    station = _login("station")
    assert station.get("/account/").status_code == 302
    otp_policy_set(actor=district.office, required_roles=[])
    assert station.get("/account/").status_code == 200


@pytest.mark.parametrize("persona", ["station_staff", "deputy_user", "unit_user", "leader", "auditor", "outsider"])
def test_no_one_but_the_office_sees_or_changes_the_policy(client, district, persona, settings):
    settings.OTP_REQUIRED_ROLES = []
    user = district.persona(persona)
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"roles": ["auditor"]}).status_code == 404
    assert not OtpRolePolicy.objects.exists()
    denied = AuditEntry.objects.get(action="account.otp_policy_changed")
    assert (denied.actor, denied.result) == (user, "denied")


def test_a_street_office_cannot_change_the_platform_policy(district):
    street_office = make_user("street_office", Role.OFFICE, division=district.street)
    with pytest.raises(NotFound):
        otp_policy_set(actor=street_office, required_roles=["deputy"])
    assert not OtpRolePolicy.objects.exists()


def test_an_unknown_role_is_refused_and_nothing_is_stored(district):
    from lianxin.errors import InvalidInput

    with pytest.raises(InvalidInput):
        otp_policy_set(actor=district.office, required_roles=["deputy", "admin"])
    assert not OtpRolePolicy.objects.exists()
