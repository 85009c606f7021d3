"""Backups that restore (issue 13, item 5): one tar.gz archive with a consistent database snapshot, the media
files and a manifest; restoring checks all of it before anything is loaded, and only into an empty instance.

The archive holds `database.sqlite3` (SQLite) or `database.pgdump` (PostgreSQL, pg_dump's custom format),
`media/…` (every file of the media storage's directory) and `manifest.json`: the format, the app version,
the migration heads,
the row count of every table, the size and sha256 of every other member, the check values of the field keys
(never the keys) and an HMAC of all of that made with the hash key. The keys themselves are never in a backup:
they are kept apart (docs/backup.md), and a restore refuses to load data its configured keys cannot open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import privacy
from lianxin.maintenance import databases
from lianxin.maintenance.errors import EXIT_ARCHIVE, EXIT_FAILED, EXIT_KEY, EXIT_TARGET, BackupError

FORMAT = "lianxin-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024


def app_version() -> str:
    try:
        return version("lianxin")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def migration_heads() -> list[list[str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted([app, name] for app, name in loader.graph.leaf_nodes())


def known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _signing_key() -> bytes:
    return hashlib.sha256(("lianxin-backup-manifest:" + settings.FIELD_HASH_KEY).encode()).digest()


def _canonical(manifest: dict) -> bytes:
    body = {key: value for key, value in manifest.items() if key != "signature"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(manifest: dict) -> str:
    return hmac.new(_signing_key(), _canonical(manifest), hashlib.sha256).hexdigest()


def current_key_check() -> dict[str, str]:
    return {"encryption": privacy.encryption_key_check(), "hash": privacy.hash_key_check()}


def media_root() -> Path:
    if not isinstance(default_storage, FileSystemStorage):
        raise BackupError(
            _("文件存储不是本机目录（%(storage)s）：请用存储服务自己的备份。")
            % {"storage": type(default_storage).__name__},
            code=EXIT_FAILED,
        )
    return Path(default_storage.location)


class _Hashing:
    """A file read by tarfile while its sha256 is computed: each file is read once."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str, members: dict[str, dict]) -> None:
    with path.open("rb") as handle:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(handle.fileno()).st_size
        info.mtime = int(path.stat().st_mtime)
        info.mode = 0o600
        reader = _Hashing(handle)
        tar.addfile(info, reader)
    members[name] = {"size": info.size, "sha256": reader.digest.hexdigest()}


def _media_files(root: Path) -> list[tuple[Path, str]]:
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((path, f"{MEDIA}/{path.relative_to(root).as_posix()}"))
    return found


@dataclass
class BackupOutcome:
    path: Path
    size: int
    manifest: dict


def create_backup(output: Path) -> BackupOutcome:
    """Write the backup archive to `output` (a new file; the directory must exist)."""
    output = Path(output)
    if output.exists():
        raise BackupError(_("%(path)s 已存在：备份不会覆盖已有文件。") % {"path": output}, code=EXIT_FAILED)
    if not output.parent.is_dir():
        raise BackupError(_("目录 %(path)s 不存在。") % {"path": output.parent}, code=EXIT_FAILED)
    root = media_root()
    partial = output.with_name(output.name + ".partial")
    workdir = Path(tempfile.mkdtemp(prefix=".lianxin-backup-", dir=output.parent))
    try:
        try:
            snap = databases.snapshot(workdir)
        except DatabaseError as exc:
            raise BackupError(_("读取数据库失败：%(error)s") % {"error": exc}, code=EXIT_FAILED) from exc
        members: dict[str, dict] = {}
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            _add_file(tar, snap.path, snap.path.name, members)
            for path, name in _media_files(root):
                _add_file(tar, path, name, members)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": app_version(),
                "created_at": timezone.now().isoformat(),
                "engine": databases.engine(),
                "database": snap.path.name,
                "migration_heads": migration_heads(),
                "tables": snap.tables,
                "members": members,
                # The data's keys are those of the stored check row (the process's own keys matched it at start).
                "key_check": snap.key_check or current_key_check(),
            }
            manifest["signature"] = sign(manifest)
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            info.mode = 0o600
            tar.addfile(info, _Bytes(data))
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.chmod(0o600)  # names and phones are encrypted, but the rest of the data is not public either
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return BackupOutcome(output, output.stat().st_size, manifest)


class _Bytes:
    def __init__(self, data: bytes):
        self.data, self.position = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.position + size
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return chunk


# --- reading an archive back ----------------------------------------------------------------------


@dataclass
class Verified:
    manifest: dict
    database: Path  # the extracted snapshot
    media: dict[str, Path]  # member name -> extracted file


def _refuse(message: str, code: int = EXIT_ARCHIVE) -> BackupError:
    return BackupError(message, code=code)


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and "\\" not in name
        and all(part not in {"", ".", ".."} for part in name.split("/"))
    )


def _allowed(name: str) -> bool:
    if name in {MANIFEST, databases.SQLITE_MEMBER, databases.POSTGRES_MEMBER}:
        return True
    return name.startswith(MEDIA + "/") and _safe_name(name)


def _check_manifest(manifest) -> None:
    expected = {
        "format": str,
        "format_version": int,
        "app_version": str,
        "engine": str,
        "database": str,
        "migration_heads": list,
        "tables": dict,
        "members": dict,
        "key_check": dict,
        "signature": str,
    }
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(_("清单（manifest.json）不是 Lianxin 备份的清单。"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _refuse(
            _("备份格式版本 %(found)s 不受支持（本版本读 %(expected)s）。")
            % {"found": manifest.get("format_version"), "expected": FORMAT_VERSION}
        )
    wrong = [key for key, kind in expected.items() if not isinstance(manifest.get(key), kind)]
    if wrong:
        raise _refuse(_("清单（manifest.json）不完整或有误：%(keys)s。") % {"keys": _("、").join(wrong)})


def verify_archive(path: Path, workdir: Path) -> Verified:
    """Read the archive once, extracting each member into `workdir` while its checksum is computed, then check
    the manifest: its form, the keys' check values, its signature, every member's size and sha256, and that
    this code knows its migrations. Raises BackupError; nothing outside `workdir` is written."""
    path = Path(path)
    if not path.is_file():
        raise _refuse(_("备份文件 %(path)s 不存在。") % {"path": path})
    extracted: dict[str, tuple[Path, int, str]] = {}
    manifest_bytes = None
    try:
        with tarfile.open(path, "r|gz") as tar:
            for index, member in enumerate(tar):
                name = member.name
                if not member.isreg() or not _allowed(name):
                    raise _refuse(_("归档中有不属于备份的条目：%(name)s。") % {"name": name[:200]})
                if name in extracted or (name == MANIFEST and manifest_bytes is not None):
                    raise _refuse(_("归档中有重复的条目：%(name)s。") % {"name": name[:200]})
                source = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise _refuse(_("清单（manifest.json）过大。"))
                    manifest_bytes = source.read()
                    continue
                target = workdir / f"{index:08d}"
                digest = hashlib.sha256()
                size = 0
                with target.open("wb") as handle:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        handle.write(chunk)
                extracted[name] = (target, size, digest.hexdigest())
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise _refuse(_("%(path)s 不是 Lianxin 备份：不是完整的 tar.gz 归档。") % {"path": path.name}) from exc
    except OSError as exc:
        if exc.errno is not None:  # the disk, not the archive (gzip's BadGzipFile has no errno)
            raise BackupError(_("读写文件失败：%(error)s") % {"error": exc}, code=EXIT_FAILED) from exc
        raise _refuse(_("%(path)s 不是 Lianxin 备份：不是完整的 tar.gz 归档。") % {"path": path.name}) from exc
    if manifest_bytes is None:
        raise _refuse(_("归档中没有清单（manifest.json）：不是 Lianxin 备份。"))
    try:
        manifest = json.loads(manifest_bytes)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _refuse(_("清单（manifest.json）不是有效的 JSON。")) from exc
    _check_manifest(manifest)
    if manifest["key_check"] != current_key_check():
        raise _refuse(
            _(
                "配置的密钥不是这份备份的数据所用的密钥：恢复后姓名、电话将无法解密。请把备份所属实例的 "
                "LIANXIN_FIELD_KEY（和 LIANXIN_FIELD_HASH_KEY，若设过）设好再恢复（见 docs/backup.md）。"
            ),
            code=EXIT_KEY,
        )
    if not hmac.compare_digest(str(manifest["signature"]), sign(manifest)):
        raise _refuse(_("清单（manifest.json）被改动过（签名不符）：拒绝恢复。"))
    listed = manifest["members"]
    if set(listed) != set(extracted):
        missing = sorted(set(listed) - set(extracted))
        extra = sorted(set(extracted) - set(listed))
        raise _refuse(
            _("归档的文件与清单不符（缺少 %(missing)s 个，多出 %(extra)s 个），例如 %(example)s。")
            % {"missing": len(missing), "extra": len(extra), "example": (missing + extra)[0][:200]}
        )
    for name, (_target, size, digest) in extracted.items():
        entry = listed[name]
        if not isinstance(entry, dict) or entry.get("size") != size or entry.get("sha256") != digest:
            raise _refuse(_("%(name)s 的校验和与清单不符：归档已损坏或被改动，拒绝恢复。") % {"name": name[:200]})
    database = manifest["database"]
    if database not in extracted or database not in {databases.SQLITE_MEMBER, databases.POSTGRES_MEMBER}:
        raise _refuse(_("归档中没有数据库快照。"))
    known = known_migrations()
    unknown = [
        f"{app}.{name}"
        for app, name in (tuple(head) for head in manifest["migration_heads"])
        if (app, name) not in known
    ]
    if unknown:
        raise _refuse(
            _("这份备份来自更新的版本（%(version)s；本版本不认识迁移 %(migrations)s）：请先安装那个版本再恢复。")
            % {"version": manifest["app_version"], "migrations": _("、").join(unknown[:5])}
        )
    media = {name: target for name, (target, _size, _digest) in extracted.items() if name.startswith(MEDIA + "/")}
    return Verified(manifest, extracted[database][0], media)


def inspect_archive(path: Path) -> dict:
    """Verify an archive without restoring it (manage.py restore --check)."""
    with tempfile.TemporaryDirectory(prefix=".lianxin-verify-", dir=_scratch_dir()) as workdir:
        return verify_archive(path, Path(workdir)).manifest


def _scratch_dir() -> Path:
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    return settings.VAR_DIR


@dataclass
class RestoreOutcome:
    manifest: dict
    tables: int
    rows: int
    media_files: int
    newer_code: bool


def restore_archive(path: Path) -> RestoreOutcome:
    """Restore into this instance, which must be empty: no table in its database, no file in the media storage's
    directory."""
    root = media_root()
    with tempfile.TemporaryDirectory(prefix=".lianxin-restore-", dir=_scratch_dir()) as scratch:
        verified = verify_archive(path, Path(scratch))
        manifest = verified.manifest
        if manifest["engine"] != databases.engine():
            raise BackupError(
                _("这份备份来自 %(source)s 数据库，本实例配置的是 %(target)s（DATABASE_URL）。")
                % {"source": manifest["engine"], "target": databases.engine()},
                code=EXIT_TARGET,
            )
        try:
            tables = databases.current_tables()
        except DatabaseError as exc:
            raise BackupError(
                _("连不上目标数据库（DATABASE_URL）：%(error)s") % {"error": exc}, code=EXIT_TARGET
            ) from exc
        if tables:
            raise BackupError(
                _("目标数据库不是空的（已有 %(count)s 张表）：只能恢复到新建的空数据库，不会覆盖现有数据。")
                % {"count": len(tables)},
                code=EXIT_TARGET,
            )
        if root.exists() and any(root.iterdir()):
            raise BackupError(_("文件目录 %(path)s 不是空的：只能恢复到空目录。") % {"path": root}, code=EXIT_TARGET)
        expected = {name: int(count) for name, count in manifest["tables"].items()}
        databases.load(verified.database, expected)
        staged = root.with_name(root.name + ".restoring")
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir(parents=True)
        for name, extracted in verified.media.items():
            target = staged / PurePosixPath(name).relative_to(MEDIA)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(extracted, target)
        if root.exists():
            root.rmdir()
        os.replace(staged, root)
    counts = databases.current_counts()
    if counts != expected:
        differ = sorted(name for name in set(counts) | set(expected) if counts.get(name) != expected.get(name))
        raise BackupError(
            _("恢复后的行数与清单不符：%(tables)s。") % {"tables": _("、").join(differ[:10])}, code=EXIT_FAILED
        )
    heads = {tuple(head) for head in manifest["migration_heads"]}
    newer_code = any(tuple(head) not in heads for head in migration_heads())
    return RestoreOutcome(manifest, len(counts), sum(counts.values()), len(verified.media), newer_code)


def backup_file_name(now: dt.datetime | None = None) -> str:
    moment = timezone.localtime(now or timezone.now())
    return f"lianxin-backup-{moment:%Y%m%d-%H%M%S}.tar.gz"
