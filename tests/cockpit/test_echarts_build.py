"""The cockpit loads its own ECharts build (scripts/echarts-cockpit.js, `make echarts`): only the charts it draws,
about 0.67 MB instead of the full build's 1.1 MB. The committed build must be of the version package.json installs."""

import json
import re
from pathlib import Path

from django.conf import settings

BUILD = Path(settings.BASE_DIR) / "src/lianxin/cockpit/static/cockpit/echarts.cockpit.min.js"


def test_the_build_is_of_the_echarts_version_package_json_names():
    wanted = json.loads((Path(settings.BASE_DIR) / "package.json").read_text())["dependencies"]["echarts"]
    banner = re.match(r"/\*! ECharts (\S+) \(Apache-2.0\)", BUILD.read_text(encoding="utf-8")[:200])
    assert banner, "the build has no banner: run make echarts"
    assert banner.group(1) == wanted, "echarts was upgraded: run make echarts"


def test_the_build_is_smaller_than_the_full_one():
    assert BUILD.stat().st_size < 750_000
