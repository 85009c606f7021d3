"""`manage.py restore FILE`: check a backup archive (checksums, manifest, keys) and load it into this instance,
which must be empty (a new database, an empty media directory). `--check` only verifies the archive."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.maintenance.archive import inspect_archive, restore_archive
from lianxin.maintenance.errors import BackupError


class Command(BaseCommand):
    help = "Restore a backup archive into an empty instance (checks checksums, manifest and keys first)."
    # The key check must not stop a restore: it compares the archive's check values with the keys itself.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by manage.py backup")
        parser.add_argument("--check", action="store_true", help="only verify the archive; restore nothing")

    def handle(self, *args, archive: str, check: bool, **options):
        started = time.monotonic()
        try:
            if check:
                manifest = inspect_archive(Path(archive))
                self.stdout.write(
                    _("备份完好：%(created)s，版本 %(version)s，%(tables)s 张表共 %(rows)s 行，%(files)s 个文件。")
                    % {
                        "created": manifest["created_at"],
                        "version": manifest["app_version"],
                        "tables": len(manifest["tables"]),
                        "rows": sum(manifest["tables"].values()),
                        "files": len(manifest["members"]) - 1,
                    }
                )
                return
            outcome = restore_archive(Path(archive))
        except BackupError as exc:
            raise CommandError(exc.message, returncode=exc.code) from exc
        self.stdout.write(
            _(
                "已恢复 %(created)s 的备份：%(tables)s 张表共 %(rows)s 行（与清单一致），"
                "%(files)s 个文件，用时 %(seconds).1f 秒。"
            )
            % {
                "created": outcome.manifest["created_at"],
                "tables": outcome.tables,
                "rows": outcome.rows,
                "files": outcome.media_files,
                "seconds": time.monotonic() - started,
            }
        )
        if outcome.newer_code:
            self.stdout.write(_("本版本有备份之后的迁移：请运行 manage.py migrate，再启动。"))
