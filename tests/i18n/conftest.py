import pytest


@pytest.fixture(scope="session", autouse=True)
def _english_catalogue_compiled():
    """The page tests need django.mo; `make install` builds it, this covers a plain pytest run after a .po edit."""
    from django.utils.translation import trans_real

    from tests.i18n.catalogue import compile_if_stale

    compile_if_stale()
    # Forget catalogues loaded before the .mo was (re)built.
    trans_real._translations = {}
    trans_real._default = None
    yield


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """LocaleMiddleware leaves the request's language active in the thread: later tests expect Chinese."""
    from django.utils import translation

    yield
    translation.deactivate()
