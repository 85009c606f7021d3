"""Photo files of an intake are written once, before its transaction; an intake not stored leaves none."""

import os

import pytest

from lianxin.cases.intake import Submission, case_register
from lianxin.cases.models import CasePhoto
from lianxin.cases.photos import prepare_photo
from lianxin.errors import InvalidInput
from tests.factories import jpeg_bytes

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[str]:
    return sorted(os.path.join(d, f) for d, _dirs, files in os.walk(settings.MEDIA_ROOT) for f in files)


def submission(**fields) -> Submission:
    values = {
        "title": "路灯坏了",
        "details": "春晖小区门口路灯不亮。",
        "station_code": "donghu",
        "contact_phone": "13812341234",
        "consent": True,
    }
    return Submission(**{**values, **fields})


def test_a_replayed_intake_keeps_one_file_per_photo(district, settings):
    photo = jpeg_bytes()
    first, created = case_register(submission=submission(), photos=[prepare_photo(photo)], idempotency_key="k1")
    again, created_again = case_register(submission=submission(), photos=[prepare_photo(photo)], idempotency_key="k1")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert CasePhoto.objects.count() == 1
    assert stored_files(settings) == [os.path.join(settings.MEDIA_ROOT, CasePhoto.objects.get().image.name)]


def test_an_intake_refused_at_the_insert_leaves_no_file(district, settings):
    case_register(submission=submission(), idempotency_key="k2")
    files_before = stored_files(settings)
    with pytest.raises(InvalidInput):
        # The same key with other content: the insert fails on the key's unique constraint.
        case_register(submission=submission(title="别的事"), photos=[prepare_photo(jpeg_bytes())], idempotency_key="k2")
    assert stored_files(settings) == files_before
    assert CasePhoto.objects.count() == 0


def test_an_intake_whose_transaction_fails_after_the_photos_leaves_no_file(district, settings, monkeypatch):
    """A failure late in the transaction (here the notification rows) rolls the rows back; the files go too."""

    def broken(events):
        raise RuntimeError("the notification insert failed")

    monkeypatch.setattr("lianxin.cases.intake.send_prepared", broken)
    with pytest.raises(RuntimeError):
        case_register(submission=submission(), photos=[prepare_photo(jpeg_bytes())], idempotency_key="k3")
    assert CasePhoto.objects.count() == 0
    assert stored_files(settings) == []
