#!/usr/bin/env bash
# `make upgrade`: after new code is in place (git pull, or an unpacked release) on a server set up as in
# docs/deploy.md. Installs the locked dependencies and compiles the messages (make install), refuses to go on
# without the production settings (manage.py serve_check), migrates, collects the static files, then restarts the
# systemd units if they are installed. Run it as root or as the checkout's owner; as root the build steps run as
# the owner (the service user), so nothing in the checkout or the var directory becomes root's.
set -euo pipefail
cd "$(dirname "$0")/.."

env_file="${LIANXIN_ENV_FILE:-/etc/lianxin/lianxin.env}"
if [ -r "$env_file" ]; then
  echo "upgrade: settings from $env_file"
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi
export LIANXIN_STATIC_MANIFEST=true PYTHONPATH=src
# the database and the keys in the var directory: not for other users (the systemd units use the same UMask)
umask 027

owner="$(stat -c %U .)"
as_owner=()
if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
  as_owner=(runuser -u "$owner" --)
fi

step() { printf 'upgrade: %s\n' "$*"; }
step "install (locked dependencies, front-end packages, compiled messages)"
"${as_owner[@]}" make --no-print-directory install
step "check the production settings"
"${as_owner[@]}" .venv/bin/python manage.py serve_check
step "migrate"
"${as_owner[@]}" .venv/bin/python manage.py migrate --no-input
step "collect static files (hashed, gzip and brotli)"
# readable by nginx, which serves them (docs/deploy.md)
(umask 022 && "${as_owner[@]}" .venv/bin/python manage.py collectstatic --no-input --verbosity 0)

units=(lianxin-web.service lianxin-worker.service)
if command -v systemctl >/dev/null && systemctl cat "${units[@]}" >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    step "restart ${units[*]}"
    systemctl restart "${units[@]}"
  elif sudo -n true 2>/dev/null; then
    step "restart ${units[*]}"
    sudo -n systemctl restart "${units[@]}"
  else
    step "restart the services as root: systemctl restart ${units[*]}"
    exit 0
  fi
  systemctl --no-pager --lines=0 status "${units[@]}" || true
else
  step "no systemd units installed: restart the server yourself (make serve)"
fi
step "done"
