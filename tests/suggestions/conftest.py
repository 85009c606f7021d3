import pytest


@pytest.fixture(autouse=True)
def _window_always_open(settings):
    """Most tests submit at once: every day is a window day. Window tests set their own windows."""
    settings.SUGGESTION_WINDOW_MONTHDAYS = list(range(1, 32))
    settings.SUGGESTION_SESSION_WINDOWS = []


@pytest.fixture
def world(district):
    from tests.suggestions.factories import make_world

    return make_world(district)
