"""The second factor (TOTP + recovery codes), forced and voluntary password changes, recent logins."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianxin.accounts.models import ApiToken, User
from lianxin.audit.models import AuditEntry
from tests.api.helpers import BASE, assert_error, post_json
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-Pass-2026!"


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _unthrottle():
    """django-otp makes a device wait 1, 2, 4 … seconds after each wrong code; the tests do not wait."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)


def _login(client, username="station", password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def _enrol(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/account/otp/enrol/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code, drawn here (segno), no outside service
    device = TOTPDevice.objects.get(confirmed=False)
    wrong = client.post("/account/otp/enrol/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode()
    _unthrottle()
    done = client.post("/account/otp/enrol/", {"token": _code(device)})
    codes = re.findall(r"<li>([0-9a-f]{10})</li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def test_enrolment_then_each_login_needs_the_second_factor(client, district):
    _login(client)
    device, codes = _enrol(client)
    assert AuditEntry.objects.filter(action="account.otp_enrolled", subject_id=district.station_staff.pk).exists()
    client.post("/logout/")
    _login(client)
    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/account/otp/verify/")
    assert client.post("/account/otp/verify/", {"token": "12345"}).status_code == 200  # wrong: the form again
    assert client.get("/account/").status_code == 302
    _unthrottle()
    # a recovery code works once
    assert client.post("/account/otp/verify/", {"token": codes[0], "next": "/account/"}).status_code == 302
    assert client.get("/account/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.post("/logout/")
    _login(client)
    assert client.post("/account/otp/verify/", {"token": codes[0]}).status_code == 200  # used up
    _unthrottle()
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert client.post("/account/otp/verify/", {"token": _code(device)}).status_code == 302
    assert client.get("/account/").status_code == 200


def test_the_office_can_require_the_second_factor_for_a_role(client, district, settings):
    settings.OTP_REQUIRED_ROLES = ["station"]
    _login(client)
    response = client.get("/account/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 302  # verify → enrol (no device yet)
    assert client.get("/account/otp/enrol/").status_code == 200
    # other roles are not asked
    client.post("/logout/")
    _login(client, "office")
    assert client.get("/account/").status_code == 200


def test_api_token_needs_the_second_factor_once_enrolled(client, district):
    _login(client)
    _device, codes = _enrol(client)
    body = {"username": "station", "password": PASSWORD}
    assert_error(post_json(client, f"{BASE}/auth/token", body), 401, "otp_required")
    assert_error(post_json(client, f"{BASE}/auth/token", {**body, "otp": "000001"}), 401, "invalid_otp")
    _unthrottle()
    assert ApiToken.objects.count() == 0
    assert post_json(client, f"{BASE}/auth/token", {**body, "otp": codes[1]}).status_code == 200


def test_must_change_password_redirects_until_changed(client, district):
    user = district.station_staff
    user.must_change_password = True
    user.save()
    _login(client)
    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/account/password/")
    page = client.get(response["Location"])
    assert "首次登录或密码被重置" in page.content.decode()
    weak = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 200
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(PASSWORD)
    done = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW_PASSWORD) and user.password_changed_at
    assert client.get("/account/").status_code == 200  # still signed in
    entry = AuditEntry.objects.get(action="account.password_changed")
    assert entry.actor == user and entry.data == {"reset_by_office": False}


def test_expired_password_must_be_changed(client, district, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 30
    User.objects.filter(pk=district.station_staff.pk).update(date_joined="2020-01-01T00:00:00Z")
    _login(client)
    assert client.get("/account/")["Location"].startswith("/account/password/")
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert client.get("/account/").status_code == 200


def test_reset_by_the_office_in_the_admin_forces_a_change(client, district, settings):
    superuser = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(superuser)
    url = f"/admin/accounts/user/{district.station_staff.pk}/password/"
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(pk=district.station_staff.pk)
    assert user.must_change_password and user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="account.password_changed")
    assert entry.actor == superuser and entry.data == {"reset_by_office": True}


def test_recent_logins_show_time_address_and_result(client, district):
    _login(client, password="wrong-password")
    _login(client)
    page = client.get("/account/").content.decode()
    section = page[page.index('id="recent-logins"') :]
    assert section.count("127.0.0.1") == 2
    assert "登录失败" in section and "成功" in section and "失败" in section
    actions = list(
        AuditEntry.objects.filter(subject_id=district.station_staff.pk, subject_type="user")
        .order_by("id")
        .values_list("action", "result")
    )
    assert actions == [("account.login_failed", "failed"), ("account.login", "ok")]
    # another user's logins are not shown
    client.post("/logout/")
    _login(client, "office")
    assert client.get("/account/").content.decode().count("127.0.0.1") == 1


def test_lockout_and_unlock_are_audited(client, district, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, password="wrong-password")
    locked = AuditEntry.objects.get(action="account.locked")
    assert locked.subject_id == district.station_staff.pk and locked.result == "refused"
    AccessAttempt.objects.all().delete()  # what the admin's delete and `axes_reset` do
    assert AuditEntry.objects.get(action="account.unlocked").subject_id == district.station_staff.pk
    assert AuditEntry.objects.filter(action="account.logout").count() == 0
    _login(client)
    client.post("/logout/")
    assert AuditEntry.objects.filter(action="account.logout", subject_id=district.station_staff.pk).count() == 1
