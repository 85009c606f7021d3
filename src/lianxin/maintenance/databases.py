"""The database part of a backup: a consistent snapshot and its row counts, and loading it into an empty database.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live database page by page into a new
file while writers go on; the copy is one consistent state. PostgreSQL: a REPEATABLE READ transaction exports
its snapshot (`pg_export_snapshot()`); the row counts are read in it and `pg_dump --format=custom --snapshot=…`
dumps exactly that state. Loading: the SQLite file is checked and then renamed into place; `pg_restore
--single-transaction` loads all or nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections
from django.utils.translation import gettext as _

from lianxin.maintenance.errors import EXIT_FAILED, EXIT_TARGET, BackupError

SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
KEY_CHECK_TABLE = "maintenance_fieldkeycheck"


def engine() -> str:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupError(_("不支持的数据库：%(vendor)s。") % {"vendor": connection.vendor}, code=EXIT_FAILED)
    return connection.vendor


def member_name() -> str:
    return SQLITE_MEMBER if engine() == "sqlite" else POSTGRES_MEMBER


class Snapshot:
    """What snapshot() made: the file, the row count of every table and the stored key check values."""

    def __init__(self, path: Path, tables: dict[str, int], key_check: dict[str, str] | None):
        self.path = path
        self.tables = tables
        self.key_check = key_check


def snapshot(workdir: Path) -> Snapshot:
    if connection.in_atomic_block:
        # SQLite's backup API would wait for this connection's own write lock forever; on PostgreSQL the snapshot
        # would leave out what the transaction wrote. Either way a backup runs on its own.
        raise BackupError(_("备份不能在数据库事务中进行。"), code=EXIT_FAILED)
    return _sqlite_snapshot(workdir) if engine() == "sqlite" else _postgres_snapshot(workdir)


# --- SQLite ---------------------------------------------------------------------------------------


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608


def _sqlite_key_check(db: sqlite3.Connection) -> dict[str, str] | None:
    try:
        row = db.execute(f"SELECT encryption_check, hash_check FROM {KEY_CHECK_TABLE} WHERE id = 1").fetchone()  # noqa: S608
    except sqlite3.OperationalError:
        return None
    return {"encryption": row[0], "hash": row[1]} if row else None


def _sqlite_snapshot(workdir: Path) -> Snapshot:
    path = workdir / SQLITE_MEMBER
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)  # the online backup API: one consistent state, writers go on
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        tables = _sqlite_counts(target)
        key_check = _sqlite_key_check(target)
    finally:
        target.close()
    return Snapshot(path, tables, key_check)


def sqlite_file_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _sqlite_counts(db)
    finally:
        db.close()


# --- PostgreSQL -----------------------------------------------------------------------------------


def postgres_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's variables for pg_dump/pg_restore: the password never appears on a command line."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    for variable, value in (
        ("PGHOST", settings_dict.get("HOST")),
        ("PGPORT", settings_dict.get("PORT")),
        ("PGUSER", settings_dict.get("USER")),
        ("PGPASSWORD", settings_dict.get("PASSWORD")),
        ("PGDATABASE", settings_dict.get("NAME")),
        ("PGSSLMODE", options.get("sslmode")),
        ("PGSSLROOTCERT", options.get("sslrootcert")),
        ("PGSSLCERT", options.get("sslcert")),
        ("PGSSLKEY", options.get("sslkey")),
    ):
        if value:
            env[variable] = str(value)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("找不到 %(tool)s：请安装与数据库服务器同一主版本的 PostgreSQL 客户端（postgresql-client）。")
            % {"tool": name},
            code=EXIT_FAILED,
        )
    return path


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s 失败（退出码 %(code)s）：%(error)s")
            % {"what": what, "code": result.returncode, "error": result.stderr.strip()[-2000:]},
            code=EXIT_FAILED,
        )


def _postgres_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _postgres_counts(cursor) -> dict[str, int]:
    counts = {}
    for name in _postgres_tables(cursor):
        cursor.execute(f'SELECT COUNT(*) FROM "{name}"')  # noqa: S608 — a table name read from pg_tables
        counts[name] = cursor.fetchone()[0]
    return counts


def _postgres_snapshot(workdir: Path) -> Snapshot:
    path = workdir / POSTGRES_MEMBER
    pg_dump = _tool("pg_dump")
    reader = connections.create_connection("default")  # its own session: the snapshot's transaction
    try:
        reader.set_autocommit(False)
        with reader.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            tables = _postgres_counts(cursor)
            key_check = None
            if KEY_CHECK_TABLE in tables:
                cursor.execute(f"SELECT encryption_check, hash_check FROM {KEY_CHECK_TABLE} WHERE id = 1")  # noqa: S608
                row = cursor.fetchone()
                key_check = {"encryption": row[0], "hash": row[1]} if row else None
            # pg_dump sees exactly this transaction's state while it stays open.
            command = [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}"]
            _run([*command, f"--file={path}"], postgres_environment(reader.settings_dict), "pg_dump")
        reader.rollback()
    finally:
        reader.close()
    return Snapshot(path, tables, key_check)


# --- the target: empty? load, count ---------------------------------------------------------------


def current_tables() -> list[str]:
    """The tables of the configured database (for PostgreSQL: in its current schema)."""
    if engine() == "sqlite":
        return sorted(name for name in connection.introspection.table_names() if not name.startswith("sqlite_"))
    with connection.cursor() as cursor:
        return _postgres_tables(cursor)


def current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        if engine() == "postgresql":
            return _postgres_counts(cursor)
        return {
            name: cursor.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in current_tables()
        }


def sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError(_("内存中的 SQLite 数据库不能恢复：请在 DATABASE_URL 中指定数据库文件。"), code=EXIT_TARGET)
    return Path(name)


def load(path: Path, expected: dict[str, int]) -> None:
    """Load the snapshot at `path` into the configured (empty) database. SQLite: the file is counted before it
    replaces the empty database, so a bad file never lands; PostgreSQL: one transaction, all or nothing."""
    if engine() == "sqlite":
        target = sqlite_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(target.name + ".restoring")
        shutil.copyfile(path, staged)
        counts = sqlite_file_counts(staged)
        if counts != expected:
            staged.unlink()
            raise BackupError(_("数据库快照的行数与清单不符，未恢复。"), code=EXIT_FAILED)
        connection.close()
        for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            leftover.unlink(missing_ok=True)
        os.replace(staged, target)
        return
    pg_restore = _tool("pg_restore")
    env = postgres_environment(connection.settings_dict)
    connection.close()
    command = [pg_restore, "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"]
    _run([*command, f"--dbname={connection.settings_dict['NAME']}", str(path)], env, "pg_restore")
