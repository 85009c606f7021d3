import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The personas' passwords are hashed many times per test run; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
