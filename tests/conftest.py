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


def pytest_collection_modifyitems(config, items):
    """Transactional tests (browser tests against the live server) end with a flush that would also wipe
    the rows our data migrations seed (categories, the holiday calendar, schedules, points rules); with a
    serialized rollback Django puts them back, so the next test in the same worker sees a normal database."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or "live_server" in names
        if transactional:
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
