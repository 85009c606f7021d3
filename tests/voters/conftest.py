import pytest


@pytest.fixture
def voter(caplog, django_capture_on_commit_callbacks):
    """rate(report, phone, **kw) and code(report, phone): a voter on their phone, SMS code included."""
    from tests.voters import helpers

    class Voter:
        def rate(self, report, phone, **kwargs):
            return helpers.rate(report, phone, caplog, django_capture_on_commit_callbacks, **kwargs)

        def code(self, report, phone):
            return helpers.send_code(report, phone, caplog, django_capture_on_commit_callbacks)

    return Voter()
