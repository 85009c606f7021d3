"""`make bundle`: one archive that installs Lianxin on a machine without internet access (issue 13, item 2).

dist/lianxin-bundle-<version>.tar.gz holds, under lianxin-<version>/:
  - the source (the files git tracks or would track, as they are in the working tree),
  - the compiled message catalogues (*.mo; `make messages` first),
  - wheelhouse/: a wheel of every package in requirements.lock for this machine's Python and platform (`pip
    download`; packages published only as source are built into wheels here with `pip wheel`), plus pip and
    setuptools,
  - node_modules/ as `npm ci` installed it (the front-end files Django serves),
  - install-offline.sh, which installs from all of that with `pip --no-index` and no npm at all,
  - BUNDLE.json: version, commit, Python version and platform the wheels are for, and every wheel's sha256.

Build it on the same OS, architecture and Python minor version as the target (Debian 12 x86_64 with Python
3.11 here): binary wheels are platform-specific. Only the standard library is used, so any python3.11 runs it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_TOOLS = ["pip", "setuptools>=77"]  # the editable install of lianxin itself needs setuptools >= 77 offline


def run(command: list[str], **kwargs) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)  # noqa: S603


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def source_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    files = [ROOT / name.decode() for name in listed if name]
    files = [path for path in files if path.is_file() and not path.is_symlink()]
    catalogues = sorted((ROOT / "src").rglob("*.mo"))
    if not catalogues:
        sys.exit("No compiled catalogues (*.mo): run `make messages` first.")
    return sorted(set(files) | set(catalogues))


def wheelhouse(target: Path, python: str) -> None:
    target.mkdir(parents=True)
    pip = [python, "-m", "pip"]
    run([*pip, "download", "--quiet", "--dest", str(target), "-r", str(ROOT / "requirements.lock"), *BUILD_TOOLS])
    for sdist in sorted([*target.glob("*.tar.gz"), *target.glob("*.zip")]):
        run([*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", str(target), str(sdist)])
        sdist.unlink()


def copy_node_modules(target: Path) -> None:
    source = (ROOT / "node_modules").resolve()
    if not (source / "bootstrap").is_dir():
        sys.exit("node_modules is not installed: run `make install` (npm ci) first.")
    shutil.copytree(source, target, symlinks=True)
    (target / ".installed").touch()  # make sees npm ci done and never runs it on the target


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def git_commit() -> str:
    result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S607
    return result.stdout.strip()


def build(output_dir: Path, python: str, compresslevel: int) -> Path:
    version = project_version()
    name = f"lianxin-{version}"
    output_dir.mkdir(parents=True, exist_ok=True)
    staging_root = output_dir / f".build-{name}"
    shutil.rmtree(staging_root, ignore_errors=True)
    staging = staging_root / name
    started = time.monotonic()
    for path in source_files():
        target = staging / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    wheelhouse(staging / "wheelhouse", python)
    copy_node_modules(staging / "node_modules")
    shutil.copy2(ROOT / "scripts" / "install-offline.sh", staging / "install-offline.sh")
    (staging / "install-offline.sh").chmod(0o755)
    tag = subprocess.run(  # noqa: S603 — the Python given on the command line
        [
            python,
            "-c",
            "import sys, sysconfig; print(sys.version_info[0], sys.version_info[1], sysconfig.get_platform())",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    manifest = {
        "version": version,
        "commit": git_commit(),
        "python": f"{tag[0]}.{tag[1]}",
        "platform": tag[2],
        "built_on": f"{platform.system()} {platform.release()} {platform.machine()}",
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "wheels": {path.name: sha256(path) for path in sorted((staging / "wheelhouse").iterdir())},
    }
    (staging / "BUNDLE.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    archive = output_dir / f"lianxin-bundle-{version}.tar.gz"
    partial = archive.with_name(archive.name + ".partial")
    with tarfile.open(partial, "w:gz", compresslevel=compresslevel) as tar:
        tar.add(staging, arcname=name)
    os.replace(partial, archive)
    (archive.with_name(archive.name + ".sha256")).write_text(f"{sha256(archive)}  {archive.name}\n")
    shutil.rmtree(staging_root)
    size = archive.stat().st_size / 1e6
    print(f"{archive}: {size:.0f} MB, {len(manifest['wheels'])} wheels, {time.monotonic() - started:.0f} s", flush=True)
    return archive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default=str(ROOT / "dist"))
    parser.add_argument("--python", default=sys.executable, help="the Python whose version and platform to bundle for")
    parser.add_argument("--compresslevel", type=int, default=6, choices=range(1, 10))
    args = parser.parse_args()
    build(Path(args.output_dir), args.python, args.compresslevel)


if __name__ == "__main__":
    main()
