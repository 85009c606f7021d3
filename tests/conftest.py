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


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request or an override in an earlier test of the same worker
    must not leave English (or anything else) active for the next one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def object_storage(settings):
    """The default storage switched to one that is not the filesystem (tests/storages.py); MEDIA_ROOT stays
    empty. A test that uses it proves the code under test reads and writes files only through the storage."""
    import os

    from django.core.files.storage import default_storage

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.storages.ObjectStore"}}
    yield default_storage
    assert not os.path.exists(settings.MEDIA_ROOT) or not any(os.scandir(settings.MEDIA_ROOT))


@pytest.fixture
def district(db):
    from tests.factories import make_district

    return make_district()


class _LiveApps:
    """The live app registry as a data migration's `apps`: the models the performance app's migrations seeded now
    belong to the points and appraisal apps (same tables; performance 0004_split), so `("performance", name)` is
    looked up there."""

    def get_model(self, app_label, model_name=None):
        from django.apps import apps

        if model_name is None:
            app_label, model_name = app_label.split(".")
        if app_label == "performance":
            for label in ("points", "appraisal"):
                try:
                    return apps.get_model(label, model_name)
                except LookupError:
                    continue
        return apps.get_model(app_label, model_name)

    def get_models(self, *args, **kwargs):
        from django.apps import apps

        return apps.get_models(*args, **kwargs)


def _rerun_data_migrations() -> None:
    """Run our data migrations' code again (categories, the holiday calendar, schedules, points rules)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(connection)
    plan = []
    for leaf in loader.graph.leaf_nodes():
        plan.extend(node for node in loader.graph.forwards_plan(leaf) if node not in plan)
    for app_label, name in plan:
        migration = loader.graph.nodes[(app_label, name)]
        if not type(migration).__module__.startswith("lianxin."):
            continue
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(_LiveApps(), None)


@pytest.fixture(autouse=True)
def _seeded_rows_after_a_flush(request):
    """A transactional test (browser tests against the live server) ends with a flush of every table, which
    also wipes the rows our data migrations seed; the next transactional test in the worker gets them back.
    (Django's serialized rollback would do this, but under pytest-xdist it restored an empty snapshot.)"""
    marker = request.node.get_closest_marker("django_db")
    names = set(getattr(request, "fixturenames", ()))
    if (marker is not None and marker.kwargs.get("transaction")) or names & {"live_server", "transactional_db"}:
        request.getfixturevalue("transactional_db")
        from lianxin.organisation.models import Category

        if not Category.objects.exists():
            _rerun_data_migrations()
        # The shared cache's table is no model, so the flush leaves it: start with no rate-limit counters.
        from django.core.cache import cache

        cache.clear()
    yield
