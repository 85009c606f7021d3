import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The district's personas are created with passwords; a fast hasher keeps these page tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
