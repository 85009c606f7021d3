"""`manage.py backup --output FILE`: one tar.gz archive with a consistent database snapshot, the media files and
a signed manifest (lianxin/maintenance/archive.py; docs/backup.md)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.maintenance.archive import backup_file_name, create_backup
from lianxin.maintenance.errors import BackupError


class Command(BaseCommand):
    help = "Write a backup archive: database snapshot, media files, manifest (never the keys)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, help="the archive to write (.tar.gz), or a directory to write a dated one into"
        )

    def handle(self, *args, output: str, **options):
        path = Path(output)
        if path.is_dir():
            path = path / backup_file_name()
        started = time.monotonic()
        try:
            outcome = create_backup(path)
        except BackupError as exc:
            raise CommandError(exc.message, returncode=exc.code) from exc
        manifest = outcome.manifest
        self.stdout.write(
            _(
                "备份已写入 %(path)s：%(size).1f MB，%(tables)s 张表共 %(rows)s 行，"
                "%(files)s 个文件，用时 %(seconds).1f 秒。"
            )
            % {
                "path": outcome.path,
                "size": outcome.size / 1e6,
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "files": len(manifest["members"]) - 1,
                "seconds": time.monotonic() - started,
            }
        )
        self.stdout.write(_("密钥不在备份中：恢复时须配置同一个 LIANXIN_FIELD_KEY（见 docs/backup.md）。"))
