"""Case photos and attachments are streamed only to people who may see the case; no public media URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.cases import services
from lianxin.cases.intake import Submission, case_register
from lianxin.cases.photos import prepare_photos
from tests.factories import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_files(district):
    sub = Submission(
        title="井盖缺失", details="建设路口井盖丢了", channel="qr_station", station_code="donghu", consent=True
    )
    case, _ = case_register(submission=sub, photos=prepare_photos([jpeg_bytes()]))
    services.case_acknowledge(actor=district.station_staff, case_id=case.pk, message="收到")
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    services.case_claim(actor=district.unit_user, case_id=case.pk)
    pdf = SimpleUploadedFile("答复.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.case_reply(actor=district.unit_user, case_id=case.pk, message="已补装", attachments=[pdf])
    return case


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("station_staff", 200),
        ("office", 200),
        ("unit_user", 200),
        ("deputy_user", 200),
        ("outsider", 404),
        ("other_unit_user", 404),
        ("auditor", 404),
    ],
)
def test_photo_and_attachment_only_for_those_who_see_the_case(client, district, case_with_files, persona, expected):
    client.force_login(district.persona(persona))
    photo = case_with_files.photos.get()
    attachment = case_with_files.attachments.get()
    response = client.get(f"/work/cases/{case_with_files.pk}/photos/{photo.pk}")
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    response = client.get(f"/work/cases/{case_with_files.pk}/attachments/{attachment.pk}")
    assert response.status_code == expected
    if expected == 200:
        assert "attachment" in response["Content-Disposition"]


def test_anonymous_is_sent_to_login_and_media_is_not_served(client, case_with_files):
    photo = case_with_files.photos.get()
    response = client.get(f"/work/cases/{case_with_files.pk}/photos/{photo.pk}")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(f"/media/{photo.image.name}").status_code == 404


def test_photo_of_another_case_is_404(client, district, case_with_files):
    from tests.factories import submit_case

    other = submit_case()
    client.force_login(district.station_staff)
    photo = case_with_files.photos.get()
    assert client.get(f"/work/cases/{other.pk}/photos/{photo.pk}").status_code == 404


def test_deputy_photo_public_only_with_consent(client, district):
    from django.core.files.base import ContentFile

    deputy = district.deputy
    deputy.photo.save("wang.jpg", ContentFile(jpeg_bytes()), save=True)
    url = deputy.photo.url
    assert client.get(url).status_code == 200
    deputy.public = False
    deputy.save(update_fields=["public"])
    assert client.get(url).status_code == 404


def test_api_photo_needs_a_token_and_scope(client, district, case_with_files):
    from lianxin.accounts.services import api_token_issue

    photo = case_with_files.photos.get()
    url = f"/api/v1/cases/{case_with_files.pk}/photos/{photo.pk}"
    assert client.get(url).status_code == 401
    token, _ = api_token_issue(user=district.unit_user)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    token, _ = api_token_issue(user=district.outsider)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
