"""The nightly backup writes into LIANXIN_BACKUP_DIR and keeps the newest LIANXIN_BACKUP_KEEP archives."""

import pytest
from django_q.models import Schedule

from lianxin.maintenance.archive import inspect_archive
from lianxin.maintenance.tasks import scheduled_backup

pytestmark = pytest.mark.django_db


def test_the_schedule_exists():
    schedule = Schedule.objects.get(name="maintenance.scheduled_backup")
    assert schedule.func == "lianxin.maintenance.tasks.scheduled_backup"
    assert schedule.schedule_type == Schedule.DAILY


def test_off_without_a_directory(settings, tmp_path):
    settings.BACKUP_DIR = ""
    assert scheduled_backup().startswith("off")


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_written_and_old_ones_removed(district, settings, tmp_path):
    directory = tmp_path / "backups"
    directory.mkdir()
    for day in ("20240101", "20240102", "20240103"):
        (directory / f"lianxin-backup-{day}-023000.tar.gz").write_bytes(b"old")
    (directory / "keep-me.txt").write_text("not a scheduled backup")
    settings.BACKUP_DIR = str(directory)
    settings.BACKUP_KEEP = 2

    scheduled_backup()

    archives = sorted(path.name for path in directory.glob("lianxin-backup-*.tar.gz"))
    assert len(archives) == 2
    assert archives[0] == "lianxin-backup-20240103-023000.tar.gz"
    assert inspect_archive(directory / archives[1])["tables"]["organisation_station"] > 0
    assert (directory / "keep-me.txt").exists()
    assert (directory / archives[1]).stat().st_mode & 0o777 == 0o600
