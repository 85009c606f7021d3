import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The personas' passwords are hashed eight times per test; PBKDF2 at full strength costs ~2 s of that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
