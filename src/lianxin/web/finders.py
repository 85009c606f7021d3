"""The front-end libraries' files that the pages use, found in node_modules under `vendor/<library>/`.

Only these are served (WhiteNoise's finders in development) and collected (`collectstatic`): the rest of the
libraries' `dist/` folders is 60 MB of other builds and source maps, which collectstatic would hash and compress
with brotli for minutes at every install. A page that needs another file adds it here; development and production
then see the same set. Each CSS or JS file that names a source map or an image keeps it beside it (the manifest
storage refuses a reference to a missing file).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join

# prefix under STATIC_URL, folder in node_modules, glob patterns inside it
VENDOR_FILES = [
    ("vendor/bootstrap", "bootstrap/dist", ["css/bootstrap.min.css", "css/bootstrap.min.css.map"]),
    ("vendor/htmx", "htmx.org/dist", ["htmx.min.js"]),
    ("vendor/leaflet", "leaflet/dist", ["leaflet.js", "leaflet.js.map", "leaflet.css", "images/*.png"]),
    ("vendor/altcha", "altcha/dist", ["main/altcha.i18n.min.js"]),
    # built by `make install` from the npm packages (Makefile, BUILD_DIR): the cockpit's ECharts, the phone pages' CSS
    ("vendor/build", ".lianxin-build", ["echarts.cockpit.min.js", "phone.css"]),
]


class VendorFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storages: list[tuple[FileSystemStorage, list[str]]] = []
        for prefix, folder, patterns in VENDOR_FILES:
            root = Path(settings.NODE_MODULES) / folder
            if not root.is_dir():
                continue  # npm ci has not run: the pages lose their styles, nothing fails here
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix
            names = sorted({path.relative_to(root).as_posix() for p in patterns for path in root.glob(p)})
            self.storages.append((storage, names))

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if kwargs:  # the old `all=` keyword (deprecated until Django 6.1)
            find_all = self._check_deprecated_find_param(find_all=find_all, **kwargs)
        found = []
        for storage, names in self.storages:
            prefix = storage.prefix + "/"
            if path.startswith(prefix) and path[len(prefix) :] in names:
                match = safe_join(storage.location, path[len(prefix) :])  # static files, never media
                if not find_all:
                    return match
                found.append(match)
        return found

    def list(self, ignore_patterns):
        for storage, names in self.storages:
            for name in names:
                yield name, storage
