#!/bin/sh
# Install Lianxin from an offline bundle (make bundle; docs/offline-install.md), with no network:
# Python packages only from ./wheelhouse (pip --no-index), front-end packages as bundled in ./node_modules
# (npm is not run). Run it inside the unpacked bundle: ./install-offline.sh   (PYTHON=/path/to/python3.11)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || { echo "Python 3.11 is needed ($PYTHON not found; set PYTHON=...)"; exit 1; }

# The wheels are for one Python minor version and platform (BUNDLE.json): stop early on another one.
"$PYTHON" - <<'PY'
import json, sys, sysconfig
bundle = json.load(open("BUNDLE.json"))
here = f"{sys.version_info[0]}.{sys.version_info[1]}"
if (here, sysconfig.get_platform()) != (bundle["python"], bundle["platform"]):
    sys.exit(f"This bundle is for Python {bundle['python']} on {bundle['platform']}; this is Python {here} on "
             f"{sysconfig.get_platform()}. Build the bundle on a machine like this one.")
PY

export PIP_NO_INDEX=1 PIP_FIND_LINKS="$HERE/wheelhouse" PIP_DISABLE_PIP_VERSION_CHECK=1
test -x .venv/bin/python || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip "setuptools>=77"
.venv/bin/python -m pip install --quiet -r requirements.lock
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
# the category classifier, from the data in the bundle (docs/triage.md; tens of seconds, no network)
.venv/bin/python manage.py triage_train --if-missing
# make's own install steps are done: `make demo`, `make run`, `make worker` … will not try the network.
touch .venv/.installed node_modules/.installed
echo "Lianxin $(.venv/bin/python -c 'import json; print(json.load(open("BUNDLE.json"))["version"])') installed in $HERE"
echo "Next: set the environment (docs/configuration.md, docs/deploy.md), then: .venv/bin/python manage.py migrate"
