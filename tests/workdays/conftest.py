import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The personas' passwords need not cost a million PBKDF2 rounds each in these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
