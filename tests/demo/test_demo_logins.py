"""The printed demo logins keep working: a second `seed_demo` resets their password and clears a pending change."""

import pytest

from lianxin.accounts.models import User
from lianxin.demo.district import reset_passwords

pytestmark = pytest.mark.django_db


def test_reset_passwords_clears_a_pending_change(client):
    user = User.objects.create_user("station", password="Old-Pass-2026!", must_change_password=True)
    reset_passwords("Lianxin@2026")
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Lianxin@2026")
    client.post("/login/", {"username": "station", "password": "Lianxin@2026"})
    assert client.get("/account/").status_code == 200
