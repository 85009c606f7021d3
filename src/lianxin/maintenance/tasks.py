"""The nightly backup (schedule `maintenance.scheduled_backup`, migration 0001): an archive into
LIANXIN_BACKUP_DIR, then all but the newest LIANXIN_BACKUP_KEEP archives there are deleted. Off while the
directory setting is blank."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings

from lianxin.maintenance.archive import backup_file_name, create_backup

logger = logging.getLogger("lianxin.maintenance")
PATTERN = "lianxin-backup-*.tar.gz"


def scheduled_backup() -> str:
    if not settings.BACKUP_DIR:
        return "off (LIANXIN_BACKUP_DIR is blank)"
    directory = Path(settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    outcome = create_backup(directory / backup_file_name())
    removed = prune(directory, keep=settings.BACKUP_KEEP)
    logger.info("backup written: %s (%d bytes); %d older archives removed", outcome.path, outcome.size, len(removed))
    return f"{outcome.path.name} {outcome.size} bytes; removed {len(removed)}"


def prune(directory: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` scheduled archives (their names sort by time); returns what was deleted."""
    archives = sorted(directory.glob(PATTERN))
    removed = archives[:-keep] if keep > 0 else archives
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
