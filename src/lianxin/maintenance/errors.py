"""The one error of backups, restores and key rotation: a translated message and the exit code it ends with."""

# Exit codes of manage.py backup / restore / rotate_field_key (docs/backup.md); 2 is argparse's usage error.
EXIT_FAILED = 1  # a tool or the database failed (pg_dump, pg_restore, disk full, …)
EXIT_ARCHIVE = 3  # the file is missing, not a Lianxin backup, or its manifest or checksums do not match
EXIT_KEY = 4  # the configured keys are not the ones the data was encrypted with
EXIT_TARGET = 5  # the target instance is not empty, or is another kind of database


class BackupError(Exception):
    def __init__(self, message: str, *, code: int = EXIT_FAILED):
        super().__init__(message)
        self.message = message
        self.code = code
