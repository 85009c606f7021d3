"""Everything under tests/browser/ is a browser test; the fixtures live in tests/browser_fixtures.py."""

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
