import pytest


@pytest.fixture(scope="session")
def _built_model():
    """The repository's model, as `make install` builds it (var/triage/, kept between runs; rebuilt only when the
    training data or the model's format changed)."""
    from django.core.management import call_command

    call_command("triage_train", "--if-missing")


@pytest.fixture
def triage_model(_built_model, settings):
    from lianxin.triage import current

    current.forget()
    yield current.classifier()
    current.forget()


@pytest.fixture
def no_triage_model(settings, tmp_path):
    from lianxin.triage import current

    settings.TRIAGE_MODEL_PATH = tmp_path / "missing.joblib"
    current.forget()
    yield
    current.forget()
