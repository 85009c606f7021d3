"""The cockpit loads its own ECharts build (scripts/echarts-cockpit.js, built by `make install` into node_modules'
.lianxin-build, never committed): only the charts it draws, about 0.67 MB instead of the full build's 1.1 MB, of
the version package.json installs, and served under static/vendor/build/."""

import json
import re
from pathlib import Path

from django.conf import settings

BUILD = Path(settings.NODE_MODULES) / ".lianxin-build/echarts.cockpit.min.js"


def test_the_build_is_of_the_echarts_version_package_json_names():
    wanted = json.loads((Path(settings.BASE_DIR) / "package.json").read_text())["dependencies"]["echarts"]
    banner = re.match(r"/\*! ECharts (\S+) \(Apache-2.0\)", BUILD.read_text(encoding="utf-8")[:200])
    assert banner, "the build has no banner: run make install"
    assert banner.group(1) == wanted, "echarts was upgraded: run make install"


def test_the_build_is_smaller_than_the_full_one():
    assert BUILD.stat().st_size < 750_000


def test_the_built_files_are_served_and_not_committed(client):
    from django.contrib.staticfiles import finders

    for name in ("vendor/build/echarts.cockpit.min.js", "vendor/build/phone.css"):
        found = finders.find(name)
        assert found and Path(found).is_relative_to(Path(settings.NODE_MODULES)), name
    committed = [
        p.name
        for p in (Path(settings.BASE_DIR) / "src").rglob("*")
        if p.name in {"echarts.cockpit.min.js", "phone.css"}
    ]
    assert committed == []
