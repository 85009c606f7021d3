"""The import rules of docs/architecture.md ("Import direction"), enforced: import-linter's contracts in
pyproject.toml (models never import services or views, apps below never import apps above, no circle inside an app)
and the ast measure of scripts/import_map.py (no circle anywhere, inline imports counted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = _run(str(lint), "--no-cache", "--config", "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_import_circle_even_through_inline_imports():
    result = _run(sys.executable, "scripts/import_map.py")
    assert result.returncode == 0, result.stderr
    assert "\ncircles: 0\n" in result.stdout, result.stdout
    assert "\ncircles with inline imports: 0\n" in result.stdout, result.stdout
