"""`make bundle` builds one archive that installs Lianxin with no network: pip only from the bundled wheelhouse
(PIP_NO_INDEX, no configured index or find-links), npm offline and never run (issue 13, item 2). The installed
copy imports lianxin and passes `manage.py check`. It takes a minute or two: every wheel is fetched from the
configured index into the bundle and installed again."""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def offline_environment(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "npm_", "LIANXIN_", "DJANGO"))
    }
    env.pop("PYTHONPATH", None)
    env.update(
        {
            "PIP_NO_INDEX": "1",
            "PIP_CONFIG_FILE": os.devnull,  # no index or find-links from /etc/pip.conf and friends
            "npm_config_offline": "true",
            "PIP_NO_CACHE_DIR": "1",
            "PYTHON": sys.executable,
            "HOME": str(tmp_path / "home"),
            "LIANXIN_VAR_DIR": str(tmp_path / "var"),
        }
    )
    return env


def test_a_bundle_installs_without_network(tmp_path):
    built = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bundle.py"),
            "--output-dir",
            str(tmp_path / "dist"),
            "--compresslevel",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    [bundle] = (tmp_path / "dist").glob("lianxin-bundle-*.tar.gz")
    with tarfile.open(bundle) as tar:
        names = tar.getnames()
    top = names[0].split("/")[0]
    for needed in (
        "install-offline.sh",
        "BUNDLE.json",
        "manage.py",
        "requirements.lock",
        "wheelhouse",
        "node_modules/bootstrap/dist/css/bootstrap.min.css",
        "src/lianxin/locale/en/LC_MESSAGES/django.mo",
    ):
        assert f"{top}/{needed}" in names, needed
    assert not any(name.endswith((".tar.gz", ".zip")) for name in names if "/wheelhouse/" in name)  # wheels only

    target = tmp_path / "target"
    target.mkdir()
    with tarfile.open(bundle) as tar:
        tar.extractall(target, filter="tar")
    home = target / top
    env = offline_environment(tmp_path)
    installed = subprocess.run(
        ["/bin/sh", str(home / "install-offline.sh")], cwd=home, env=env, capture_output=True, text=True, timeout=600
    )
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-3000:]

    python = str(home / ".venv" / "bin" / "python")
    where = subprocess.run(
        [python, "-c", "import lianxin, django; print(lianxin.__file__, django.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert where.returncode == 0, where.stderr
    assert str(home / "src" / "lianxin") in where.stdout  # the bundled source, not this checkout
    assert str(home / ".venv") in where.stdout
    checked = subprocess.run(
        [python, "manage.py", "check"], cwd=home, env=env, capture_output=True, text=True, timeout=300
    )
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "no issues" in checked.stdout
    manifest = json.loads((home / "BUNDLE.json").read_text())
    assert manifest["python"] == f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert any(name.startswith("Django-") or name.startswith("django-") for name in manifest["wheels"])
