"""A deputy's visit record (走访) on a phone: photos as on the citizen's report, and acknowledged by recording it."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.intake import Submission, case_register
from lianxin.cases.models import Case, CasePhoto
from lianxin.errors import NotAllowed
from tests.factories import jpeg_upload

pytestmark = pytest.mark.django_db
VISIT = reverse("cases:visit")


def _form(district, **overrides):
    data = {
        "grid": district.grid.pk,
        "title": "村口排水沟堵塞",
        "details": "走访时村民反映村口排水沟堵塞，下雨积水。",
        "request_type": "help",
        "contact_name": "李四",
        "contact_phone": "13900001111",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _files(settings) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, files in os.walk(settings.MEDIA_ROOT) for f in files]


def test_a_visit_record_carries_photos_without_their_location(client, district):
    client.force_login(district.deputy_user)
    photos = [jpeg_upload("a.jpg", exif_gps=True), jpeg_upload("b.jpg")]
    response = client.post(VISIT, {**_form(district), "photos": photos})
    assert response.status_code == 302
    case = Case.objects.get()
    stored = list(CasePhoto.objects.filter(case=case).order_by("id"))
    assert len(stored) == 2
    with stored[0].image.open("rb") as handle:
        image = Image.open(handle)
        assert image.format == "JPEG"
        assert not image.getexif().get_ifd(0x8825)  # no GPS
    entry = AuditEntry.objects.get(action="case.registered", subject_id=case.pk)
    assert entry.data["photos"] == 2


def test_the_deputys_own_visit_record_is_acknowledged_on_recording(client, district):
    client.force_login(district.deputy_user)
    client.post(VISIT, _form(district))
    case = Case.objects.get()
    assert case.status == "acknowledged"
    assert case.acknowledged_at is not None and case.acknowledged_at <= case.ack_due_at
    assert list(
        AuditEntry.objects.filter(subject_type="case", subject_id=case.pk)
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "case.registered",
        "case.acknowledged",
    ]
    ack = AuditEntry.objects.get(action="case.acknowledged", subject_id=case.pk)
    assert (ack.actor, ack.public, ack.data["on_record"]) == (district.deputy_user, True, True)
    # Nothing is left for the deputy to acknowledge: the action is gone from the case.
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="action-acknowledge"' not in page


def test_a_fake_image_is_refused_and_nothing_is_stored(client, district, settings):
    client.force_login(district.deputy_user)
    fake = SimpleUploadedFile("photo.jpg", b"GIF89a not really an image", content_type="image/jpeg")
    response = client.post(VISIT, {**_form(district), "photos": [fake]})
    assert response.status_code == 422
    assert "照片" in response.content.decode()
    assert not Case.objects.exists()
    assert _files(settings) == []


def test_too_many_photos_are_refused(client, district, settings):
    settings.PHOTO_MAX_COUNT = 1
    client.force_login(district.deputy_user)
    response = client.post(VISIT, {**_form(district), "photos": [jpeg_upload("a.jpg"), jpeg_upload("b.jpg")]})
    assert response.status_code == 422
    assert "最多上传 1 张照片" in response.content.decode()
    assert not Case.objects.exists()


def test_a_bad_form_with_a_good_photo_stores_nothing(client, district, settings):
    client.force_login(district.deputy_user)
    response = client.post(VISIT, {**_form(district, title=""), "photos": [jpeg_upload()]})
    assert response.status_code == 422
    assert not Case.objects.exists()
    assert _files(settings) == []


def test_only_the_deputys_own_visit_is_acknowledged_on_record(district):
    walk_in, _ = case_register(
        submission=Submission(
            channel="walk_in", station_code="donghu", title="楼道堆物", details="5 栋楼道堆物。", consent=True
        ),
        actor=district.station_staff,
    )
    with pytest.raises(NotAllowed):
        services.case_acknowledge_own_visit(actor=district.deputy_user, case_id=walk_in.pk)
    visit, _ = case_register(
        submission=Submission(
            channel="visit",
            deputy_code=district.deputy.code,
            division_id=district.grid.pk,
            title="排水沟",
            details="村口排水沟堵塞。",
            consent=True,
        ),
        actor=district.office,
    )
    with pytest.raises(NotAllowed):  # recorded by someone else: the deputy still answers it
        services.case_acknowledge_own_visit(actor=district.deputy_user, case_id=visit.pk)
    assert Case.objects.get(pk=visit.pk).status == "registered"
    assert not AuditEntry.objects.filter(action="case.acknowledged").exists()
