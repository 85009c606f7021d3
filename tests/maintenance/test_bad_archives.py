"""A restore checks the whole archive before it loads anything: a missing file, something that is not a backup,
a wrong or altered manifest, a changed member, an extra or unsafe entry are each refused with a clear message and
exit code 3; another key with 4; a target that is not empty with 5 (issue 13, item 5)."""

import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from lianxin.cases.models import Case
from lianxin.maintenance.archive import MANIFEST, create_backup, inspect_archive, sign
from lianxin.maintenance.errors import EXIT_ARCHIVE, EXIT_KEY, EXIT_TARGET
from lianxin.organisation.models import Category
from tests.factories import jpeg_bytes, submit_case

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """One good archive of the test database (as migrated) with one media file, made outside any transaction."""
    root = tmp_path_factory.mktemp("archives")
    photo = root / "media" / "cases" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(jpeg_bytes())
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=root / "media"):
        create_backup(root / "good.tar.gz")
    return root / "good.tar.gz"


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {member.name: tar.extractfile(member).read() for member in tar}


def write(path: Path, contents: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def restore(path) -> CommandError:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), stdout=io.StringIO())
    return refused.value


def test_a_good_archive_verifies(archive):
    manifest = inspect_archive(archive)
    assert manifest["tables"]["organisation_category"] == Category.objects.count() > 0
    assert "media/cases/photo.jpg" in manifest["members"]
    out = io.StringIO()
    call_command("restore", str(archive), "--check", stdout=out)
    assert "备份完好" in out.getvalue()


def test_a_missing_file(tmp_path):
    error = restore(tmp_path / "nowhere.tar.gz")
    assert error.returncode == EXIT_ARCHIVE
    assert "不存在" in str(error)


@pytest.mark.parametrize(
    "content",
    # mtime=0: the same bytes in every pytest-xdist worker (the ids must match)
    [b"just some text\n", gzip.compress(b"not a tar inside", mtime=0), b"PK\x03\x04 a zip is not a backup"],
    ids=["text", "gzip-not-tar", "zip"],
)
def test_not_an_archive(tmp_path, content):
    path = tmp_path / "wrong.tar.gz"
    path.write_bytes(content)
    error = restore(path)
    assert error.returncode == EXIT_ARCHIVE
    assert "不是 Lianxin 备份" in str(error)


def test_a_truncated_archive(archive, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    error = restore(cut)
    assert error.returncode == EXIT_ARCHIVE
    assert "不是完整的 tar.gz" in str(error)


def test_an_archive_without_a_manifest(archive, tmp_path):
    contents = members(archive)
    del contents[MANIFEST]
    error = restore(write(tmp_path / "bare.tar.gz", contents))
    assert error.returncode == EXIT_ARCHIVE
    assert "没有清单" in str(error)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (b"{not json", "不是有效的 JSON"),
        (b'{"format": "something-else"}', "不是 Lianxin 备份的清单"),
        (b'{"format": "lianxin-backup", "format_version": 99}', "格式版本 99 不受支持"),
        (b'{"format": "lianxin-backup", "format_version": 1, "tables": []}', "不完整或有误"),
    ],
)
def test_a_wrong_manifest(archive, tmp_path, manifest, message):
    contents = members(archive)
    contents[MANIFEST] = manifest
    error = restore(write(tmp_path / "wrong-manifest.tar.gz", contents))
    assert error.returncode == EXIT_ARCHIVE
    assert message in str(error)


def test_a_changed_member_is_refused(archive, tmp_path):
    contents = members(archive)
    photo = bytearray(contents["media/cases/photo.jpg"])
    photo[-3] ^= 0xFF
    contents["media/cases/photo.jpg"] = bytes(photo)
    error = restore(write(tmp_path / "tampered.tar.gz", contents))
    assert error.returncode == EXIT_ARCHIVE
    assert "media/cases/photo.jpg 的校验和与清单不符" in str(error)


def test_an_altered_manifest_is_refused(archive, tmp_path):
    contents = members(archive)
    manifest = json.loads(contents[MANIFEST])
    manifest["tables"]["cases_case"] = 2
    contents[MANIFEST] = json.dumps(manifest).encode()
    error = restore(write(tmp_path / "altered.tar.gz", contents))
    assert error.returncode == EXIT_ARCHIVE
    assert "签名不符" in str(error)


def test_a_member_added_with_a_re_signed_manifest_is_still_refused(archive, tmp_path):
    # Whoever holds the hash key can sign; the members must then still match the manifest.
    contents = members(archive)
    contents["media/extra.txt"] = b"added"
    manifest = json.loads(contents[MANIFEST])
    manifest["signature"] = sign(manifest)
    contents[MANIFEST] = json.dumps(manifest).encode()
    error = restore(write(tmp_path / "extra.tar.gz", contents))
    assert error.returncode == EXIT_ARCHIVE
    assert "与清单不符" in str(error)


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/evil", "media/../../up.txt", "notes.txt"])
def test_entries_outside_a_backup_are_refused(archive, tmp_path, name):
    contents = members(archive)
    contents[name] = b"x"
    error = restore(write(tmp_path / "unsafe.tar.gz", contents))
    assert error.returncode == EXIT_ARCHIVE
    assert "不属于备份" in str(error)
    assert not (tmp_path.parent / "outside.txt").exists()


def test_a_link_entry_is_refused(archive, tmp_path):
    path = tmp_path / "link.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("media/link")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    error = restore(path)
    assert error.returncode == EXIT_ARCHIVE


def test_another_key_is_refused_before_anything_is_loaded(archive):
    with override_settings(FIELD_ENCRYPTION_KEY="another-instance-key-" + "q" * 30):
        error = restore(archive)
    assert error.returncode == EXIT_KEY
    assert "LIANXIN_FIELD_KEY" in str(error)


def test_a_target_that_is_not_empty_is_left_alone(district, archive, settings):
    submit_case()
    before = list(Case.objects.values_list("pk", "title"))
    error = restore(archive)
    assert error.returncode == EXIT_TARGET
    assert "不是空的" in str(error)
    assert list(Case.objects.values_list("pk", "title")) == before
    assert not Path(settings.MEDIA_ROOT).exists()


def test_a_backup_inside_a_transaction_is_refused(tmp_path):
    with pytest.raises(CommandError, match="事务"):
        call_command("backup", output=str(tmp_path / "x.tar.gz"), stdout=io.StringIO())
    assert not list(tmp_path.iterdir())


def test_a_backup_never_overwrites_a_file(archive):
    with pytest.raises(CommandError, match="已存在") as refused:
        call_command("backup", output=str(archive), stdout=io.StringIO())
    assert refused.value.returncode == 1


def test_an_unreachable_target_database_is_named(archive, tmp_path, settings):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "LIANXIN_FIELD_KEY": settings.FIELD_ENCRYPTION_KEY,
        "LIANXIN_FIELD_HASH_KEY": settings.FIELD_HASH_KEY,
        "LIANXIN_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": (
            "postgres://nobody@127.0.0.1:1/nothing"
            if connection.vendor == "postgresql"
            else f"sqlite:///{tmp_path / 'no-such-directory' / 'lianxin.sqlite3'}"
        ),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == EXIT_TARGET, result.stderr
    assert "连不上目标数据库" in result.stderr
