"""Uploaded and generated files go through Django's default storage (STORAGES), never a path on disk: the same code
runs on the filesystem (the default, in a temp dir here) and on an object store shared by several web nodes (a
storage without `.path`, as S3 is). The answers to suggestions, the cockpit's reports and the posters are checked
beside their own tests (`object_storage` in tests/suggestions, tests/cockpit, tests/finder)."""

import ast
import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from lianxin.cases.models import Case
from tests.api.helpers import BASE, bearer
from tests.factories import jpeg_bytes

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "lianxin"


def _intake_with_photo(client) -> Case:
    response = client.post(
        f"{BASE}/cases",
        {
            "title": "井盖缺失",
            "details": "建设路口井盖丢了",
            "station_code": "donghu",
            "contact_phone": "13812341234",
            "consent": "true",
            "photos": [SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")],
        },
    )
    assert response.status_code == 201, response.content.decode()
    return Case.objects.get(tracking_code=response.json()["tracking_code"])


def _read_everywhere(client, district, case) -> list[bytes]:
    """The photo through the staff API, the work screen and the citizen's tracking page; the reply's attachment."""
    photo = case.photos.get()
    bodies = [
        client.get(f"{BASE}/cases/{case.pk}/photos/{photo.pk}", **bearer(district.station_staff)),
        client.get(f"/track/{case.tracking_code}/photos/{photo.pk}", {"token": follow_up_token(case.tracking_code)}),
    ]
    client.force_login(district.station_staff)
    bodies.append(client.get(f"/work/cases/{case.pk}/photos/{photo.pk}"))
    attachment = case.attachments.get()
    bodies.append(client.get(f"/work/cases/{case.pk}/attachments/{attachment.pk}"))
    assert [r.status_code for r in bodies] == [200, 200, 200, 200]
    return [b"".join(r.streaming_content) for r in bodies]


def _reply_with_attachment(district, case) -> None:
    services.case_acknowledge(actor=district.station_staff, case_id=case.pk, message="收到")
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    services.case_claim(actor=district.unit_user, case_id=case.pk)
    pdf = SimpleUploadedFile("答复.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.case_reply(actor=district.unit_user, case_id=case.pk, message="已补装", attachments=[pdf])


def test_files_go_to_media_root_with_the_filesystem_storage(client, district, settings, tmp_path):
    assert django_settings.STORAGES["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    settings.MEDIA_ROOT = tmp_path / "shared-media"
    case = _intake_with_photo(client)
    _reply_with_attachment(district, case)
    photo, _api, _work, attachment = _read_everywhere(client, district, case)
    on_disk = sorted(
        os.path.relpath(os.path.join(d, f), settings.MEDIA_ROOT)
        for d, _dirs, files in os.walk(settings.MEDIA_ROOT)
        for f in files
    )
    assert on_disk == sorted([case.photos.get().image.name, case.attachments.get().file.name])
    assert (settings.MEDIA_ROOT / case.photos.get().image.name).read_bytes() == photo
    assert attachment == b"%PDF-1.4 test"


def test_case_files_are_written_and_read_through_a_storage_without_paths(client, district, object_storage):
    case = _intake_with_photo(client)
    _reply_with_attachment(district, case)
    photo, api, work, attachment = _read_everywhere(client, district, case)
    assert photo == api == work and photo[:3] == b"\xff\xd8\xff"
    assert attachment == b"%PDF-1.4 test"
    names = object_storage.names()
    assert names == sorted([case.photos.get().image.name, case.attachments.get().file.name])
    assert names[0].startswith("attachments/") and names[1].startswith("cases/")


def test_a_deputy_photo_is_served_by_the_site_from_a_storage_without_paths(client, district, object_storage):
    deputy = district.deputy
    deputy.photo.save("wang.jpg", ContentFile(jpeg_bytes()), save=True)
    # the site's own view, not the storage's URL (an object store's would skip the public-profile check)
    assert deputy.photo_url == f"/media/{deputy.photo.name}"
    response = client.get(deputy.photo_url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert object_storage.names() == [deputy.photo.name]


def test_a_file_missing_from_the_storage_is_a_404(client, district, object_storage):
    case = _intake_with_photo(client)
    photo = case.photos.get()
    default_storage.delete(photo.image.name)
    client.force_login(district.station_staff)
    assert client.get(f"/work/cases/{case.pk}/photos/{photo.pk}").status_code == 404
    token = follow_up_token(case.tracking_code)
    assert client.get(f"/track/{case.tracking_code}/photos/{photo.pk}", {"token": token}).status_code == 404


def test_no_module_reaches_media_by_a_path_on_disk():
    """MEDIA_ROOT is read by settings.py only; nothing calls a storage's or a file field's `.path`."""
    found = []
    for file in SRC.rglob("*.py"):
        if "migrations" in file.parts or file.name == "settings.py":
            continue
        text = file.read_text()
        if "MEDIA_ROOT" in text:
            found.append(f"{file.name}: MEDIA_ROOT")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Attribute) and node.attr in {"path", "url"} and _is_file_like(node.value):
                found.append(f"{file.name}:{node.lineno}: .{node.attr}")
    assert found == []


def _is_file_like(node: ast.AST) -> bool:
    """`<x>.photo.path`, `<x>.image.path`, `default_storage.path`, `<x>.file.url`, … (not request.path or a
    division's materialised path)."""
    names = {"photo", "image", "file", "document", "pdf", "xlsx", "default_storage", "storage"}
    return (isinstance(node, ast.Attribute) and node.attr in names) or (isinstance(node, ast.Name) and node.id in names)


def _settings_in_a_process(**env) -> subprocess.CompletedProcess:
    code = "import json, lianxin.settings as s; print(json.dumps(s.STORAGES['default']))"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LIANXIN_S3") and k != "LIANXIN_MEDIA_STORAGE"}
    return subprocess.run(
        [sys.executable, "-c", code], env={**environ, **env}, capture_output=True, text=True, check=False
    )


def test_s3_storage_is_configured_from_the_environment_or_refused_clearly():
    has_storages = all(find_spec(m) for m in ("storages", "boto3"))
    result = _settings_in_a_process(LIANXIN_MEDIA_STORAGE="s3")
    assert result.returncode != 0
    expected = "needs LIANXIN_S3_BUCKET" if has_storages else "needs django-storages and boto3"
    assert expected in result.stderr
    result = _settings_in_a_process(
        LIANXIN_MEDIA_STORAGE="s3",
        LIANXIN_S3_BUCKET="lianxin",
        LIANXIN_S3_ENDPOINT_URL="http://minio.intranet:9000",
        LIANXIN_S3_PREFIX="/media/",
    )
    if not has_storages:
        assert "pip install -e '.[s3]'" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["location"]) == (
        "lianxin",
        "http://minio.intranet:9000",
        "media",
    )
    from storages.backends.s3 import S3Storage

    storage = S3Storage(**options)  # every option is one django-storages knows
    assert (storage.file_overwrite, storage.default_acl) == (False, "private")
