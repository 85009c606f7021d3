"""Bodies and files over their caps are a 413 in the caller's language, and nothing is stored."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case, CasePhoto
from lianxin.uploads import REFUSED_ATTRIBUTE, BodyTooLarge, CappedUploadHandler
from tests.factories import jpeg_upload, submit_case

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
FORM = {
    "title": "小区路灯不亮",
    "details": "春晖小区3栋门口路灯坏了两周。",
    "contact_phone": "13812341234",
    "consent": "on",
    "idempotency_key": "key-1",
}
API_FORM = {**FORM, "consent": "true"}


def counts():
    return (Case.objects.count(), CasePhoto.objects.count(), AuditEntry.objects.count())


def stored_files(settings) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, files in os.walk(settings.MEDIA_ROOT) for f in files]


@pytest.fixture
def upload_tmp(settings, tmp_path):
    """Uploads spool to their own folder, so a test can see that nothing is left there."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # anything bigger goes to a temporary file
    return folder


def big_file(size: int, name="big.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff" * size, content_type="image/jpeg")


def test_web_form_over_the_total_cap_is_413_from_content_length(client, district, settings):
    settings.REQUEST_MAX_BYTES = 1 * MB
    before = counts()
    response = client.post("/report/", {**FORM, "photos": [big_file(2 * MB)]})
    assert response.status_code == 413
    body = response.content.decode()
    assert "请求内容过大（上限 1 MB）" in body
    assert "本次提交没有保存" in body
    assert counts() == before
    assert stored_files(settings) == []


def test_the_413_page_is_in_english_for_an_english_reader(client, district, settings):
    settings.REQUEST_MAX_BYTES = 1 * MB
    response = client.post("/report/", {**FORM, "photos": [big_file(2 * MB)]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert "The request is too large (limit 1 MB)" in response.content.decode()


def test_a_file_over_the_per_file_cap_is_stopped_while_streamed(client, district, settings, upload_tmp):
    """Total under the cap, one file over its own cap: the parse stops, the temporary file is gone."""
    settings.UPLOAD_MAX_FILE_BYTES = 1 * MB
    before = counts()
    response = client.post("/report/", {**FORM, "photos": [jpeg_upload(), big_file(3 * MB)]})
    assert response.status_code == 413
    assert "上传的单个文件不能超过 1 MB" in response.content.decode()
    assert counts() == before
    assert stored_files(settings) == []
    assert list(upload_tmp.iterdir()) == []


def test_the_handler_counts_the_whole_body_across_files(settings, rf):
    """Files under their own cap that add up past the total cap stop the parse as well."""
    settings.UPLOAD_MAX_FILE_BYTES = 2 * MB
    settings.REQUEST_MAX_BYTES = 3 * MB - 1
    request = rf.post("/report/")
    handler = CappedUploadHandler(request)
    chunk = b"x" * (MB // 2)
    for start in range(0, 2 * MB, len(chunk)):  # the first file: 2 MB, at its cap
        assert handler.receive_data_chunk(chunk, start) is chunk
    handler.receive_data_chunk(chunk, 0)  # the second file: 2.5 MB in all
    with pytest.raises(BodyTooLarge) as caught:
        handler.receive_data_chunk(chunk, len(chunk))  # 3 MB: over the total
    assert caught.value.per_file is False
    assert getattr(request, REFUSED_ATTRIBUTE) is caught.value


def test_api_over_the_total_cap_is_413_in_the_error_shape(client, district, settings):
    settings.REQUEST_MAX_BYTES = 1 * MB
    before = counts()
    response = client.post("/api/v1/cases", {**API_FORM, "photos": [big_file(2 * MB)]})
    assert response.status_code == 413
    assert response.json() == {
        "error": {
            "code": "too_large",
            "message": "请求内容过大（上限 1 MB），请减少或压缩照片、附件后重试。",
            "fields": {},
        }
    }
    assert counts() == before


def test_api_file_over_the_per_file_cap_is_413(client, district, settings, upload_tmp):
    settings.UPLOAD_MAX_FILE_BYTES = 1 * MB
    before = counts()
    response = client.post("/api/v1/cases", {**API_FORM, "photos": [big_file(2 * MB)]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert error["message"] == "A single uploaded file may not exceed 1 MB."
    assert counts() == before
    assert list(upload_tmp.iterdir()) == []


def test_a_staff_upload_is_capped_the_same_way(client, district, settings, upload_tmp):
    """The cap is for every form, not only the citizen's: a reply attachment over it is a 413."""
    settings.UPLOAD_MAX_FILE_BYTES = 1 * MB
    case = submit_case()
    client.force_login(district.office)
    response = client.post(
        f"/work/cases/{case.pk}/action/reply", {"message": "x", "attachments": [big_file(2 * MB, "a.pdf")]}
    )
    assert response.status_code == 413
    assert list(upload_tmp.iterdir()) == []


def test_photos_under_the_caps_still_go_through(client, district, settings):
    response = client.post("/report/", {**FORM, "photos": [jpeg_upload(), jpeg_upload("b.jpg")]})
    assert response.status_code == 302
    assert CasePhoto.objects.count() == 2
