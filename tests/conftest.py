import os

import pytest

pytest_plugins = ["tests.browser_fixtures"]

os.environ.setdefault("LIANXIN_TESTING", "true")


@pytest.fixture(autouse=True)
def _media_and_calendar(settings, tmp_path):
    from lianxin.workdays.services import calendar_clear_cache

    settings.MEDIA_ROOT = tmp_path / "media"
    # The personas are created with passwords; a fast hasher keeps tests quick (production uses PBKDF2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    calendar_clear_cache()
    yield
    calendar_clear_cache()


@pytest.fixture
def district(db):
    from tests.factories import make_district

    return make_district()
