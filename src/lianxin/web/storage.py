"""Static files as `collectstatic` leaves them for the production server (LIANXIN_STATIC_MANIFEST): WhiteNoise's
manifest storage (hashed names, cached for a year) with gzip and brotli copies, made again only for files that
changed since the last run (brotli at its best level is most of collectstatic's time; every start of
`make serve` runs it)."""

from __future__ import annotations

import os

from whitenoise.storage import CompressedManifestStaticFilesStorage

SUFFIXES = (".gz", ".br")


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):
    def compress_files(self, paths):
        yield from super().compress_files([path for path in paths if not self._compressed_copies_current(path)])

    def _compressed_copies_current(self, path: str) -> bool:
        source = self.path(path)
        try:
            changed = os.stat(source).st_mtime
            return all(os.stat(source + suffix).st_mtime >= changed for suffix in SUFFIXES)
        except OSError:
            return False
