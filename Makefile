# Lianxin task runner. `make demo` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONPATH := src


.PHONY: frontend echarts makemessages install bundle install-offline demo serve upgrade serve-check test test-fast lint format migrations-check schema schema-check configuration messages bench-intake bench-flood bench-lookup bench-cockpit bench-triage bench-topics triage-model cluster-check test-cluster run worker clean phone-css

$(VENV)/.installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The front-end files Lianxin builds from the npm packages at install, never committed (node_modules/.lianxin-build/,
# served as static/vendor/build/ by lianxin/web/finders.py): the cockpit's ECharts with only the charts it draws
# (esbuild, scripts/echarts-cockpit.js) and the citizen's phone pages' stylesheet, Bootstrap with only the rules
# those pages use (PurgeCSS, purgecss.phone.config.cjs). Rebuilt when the packages or the pages change.
BUILD_DIR := node_modules/.lianxin-build
PHONE_CONTENT := $(wildcard src/lianxin/web/templates/*.html src/lianxin/web/templates/web/*.html \
  src/lianxin/throttle/templates/throttle/*.html src/lianxin/cases/templates/cases/public/*.html \
  src/lianxin/topics/templates/topics/_*.html src/lianxin/triage/templates/triage/_*.html \
  src/lianxin/cases/static/cases/*.js src/lianxin/web/static/lianxin/*.js src/lianxin/triage/static/triage/*.js)

$(BUILD_DIR)/.built: node_modules/.installed scripts/echarts-cockpit.js purgecss.phone.config.cjs $(PHONE_CONTENT)
	mkdir -p $(BUILD_DIR)
	node_modules/.bin/esbuild scripts/echarts-cockpit.js --bundle --minify --format=iife --target=es2018 \
	  --legal-comments=none --log-level=warning --outfile=$(BUILD_DIR)/echarts.cockpit.min.js \
	  --banner:js="/*! ECharts $$(node -p "require('./node_modules/echarts/package.json').version") (Apache-2.0), the cockpit's build: scripts/echarts-cockpit.js */"
	rm -rf $(BUILD_DIR)/purged
	node node_modules/purgecss/bin/purgecss.js -c purgecss.phone.config.cjs --output $(BUILD_DIR)/purged
	mv $(BUILD_DIR)/purged/bootstrap.min.css $(BUILD_DIR)/phone.css && rm -rf $(BUILD_DIR)/purged
	touch $@

frontend echarts phone-css: $(BUILD_DIR)/.built

install: $(VENV)/.installed node_modules/.installed $(BUILD_DIR)/.built
	$(MAKE) --no-print-directory messages
	$(MAKE) --no-print-directory triage-model

# The category classifier (docs/triage.md): built from the repository's data into var/triage/, rebuilt only
# when the data or the model's format changed (tens of seconds).
triage-model:
	$(PY) manage.py triage_train --if-missing

messages:
	@if ! command -v msgfmt >/dev/null && ls src/lianxin/locale/*/LC_MESSAGES/*.mo >/dev/null 2>&1; then \
	  echo "msgfmt (gettext) not found: keeping the compiled catalogues"; \
	elif ls src/lianxin/locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
	  $(PY) manage.py compilemessages --verbosity 0 --ignore=.venv --ignore=node_modules; fi

# Offline install (docs/offline-install.md): one archive with the source, the compiled catalogues, every wheel
# for this Python and platform, node_modules and install-offline.sh; installed with pip --no-index, no npm.
bundle: install
	$(PY) scripts/bundle.py --output-dir dist

DEST ?= lianxin
install-offline:
	@test -n "$(BUNDLE)" || { echo "usage: make install-offline BUNDLE=dist/lianxin-bundle-<version>.tar.gz [DEST=dir]"; exit 2; }
	mkdir -p "$(DEST)"
	tar -xzf "$(BUNDLE)" -C "$(DEST)" --strip-components=1
	cd "$(DEST)" && ./install-offline.sh

makemessages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete
	$(PY) manage.py makemessages -l en -d djangojs --ignore=.venv --ignore=node_modules --ignore=var \
	  --ignore=staticfiles --ignore='*.min.js' --no-obsolete

# QR codes and posters carry LIANXIN_SITE_URL: locally it follows PORT unless it is set.
demo run: export LIANXIN_SITE_URL ?= http://127.0.0.1:$(PORT)

demo: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo "Lianxin on http://127.0.0.1:$(PORT)  (QR codes and posters point at $$LIANXIN_SITE_URL; task worker started in the background)"
	$(PY) manage.py qcluster > var/worker.log 2>&1 & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  LIANXIN_DEBUG=$${LIANXIN_DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

# The production server: refuses to start without LIANXIN_SECRET_KEY, LIANXIN_FIELD_KEY and LIANXIN_SITE_URL,
# migrates, collects the static files, then runs gunicorn and the task worker side by side (scripts/serve.py).
serve: install
	PORT=$(PORT) $(PY) scripts/serve.py

serve-check: install
	$(PY) manage.py serve_check

# After new code is in place (git pull, or an unpacked release): install, compile messages, check, migrate,
# collect static files, restart the systemd units if present (scripts/upgrade.sh; docs/deploy.md, "Upgrades").
upgrade:
	bash scripts/upgrade.sh

run: install
	LIANXIN_DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(PY) manage.py qcluster

test: install
	LIANXIN_TESTING=true $(PY) -m pytest -n 2 -q -m "not cluster" $(PYTEST_ARGS)

test-fast: install
	LIANXIN_TESTING=true $(PY) -m pytest -q -m "not browser and not cluster" $(PYTEST_ARGS)

# Several nodes, workers and nginx on this machine (PostgreSQL, Redis and nginx needed; minutes each).
test-cluster: install
	LIANXIN_TESTING=true $(PY) -m pytest -q -m cluster $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format src tests

migrations-check: install
	LIANXIN_TESTING=true $(PY) manage.py makemigrations --check --dry-run

schema: install
	LIANXIN_TESTING=true $(PY) manage.py export_openapi > docs/openapi.json

schema-check: install
	LIANXIN_TESTING=true $(PY) manage.py export_openapi | diff -u docs/openapi.json - \
	  || { echo "docs/openapi.json is out of date: run 'make schema' and commit it"; exit 1; }

configuration: install
	$(PY) -m lianxin.configdoc > docs/configuration.md

cluster-check: install
	$(PY) bench/cluster.py $(BENCH_ARGS)

bench-intake: install
	$(PY) bench/intake.py

bench-flood: install
	$(PY) bench/flood.py $(BENCH_ARGS)

bench-cockpit: install
	$(PY) bench/cockpit.py $(BENCH_ARGS)

# Topics on the Teddy Cup 2020 data (/work/shared/data/teddy2020): duplicate pairs and precision on the judged
# sample, reply-quality precision/recall, then the top hot issues of attachment 3 (docs/triage.md).
bench-topics: install
	$(PY) manage.py topics_bench $(BENCH_ARGS)
	$(PY) manage.py hot_issues --csv /work/shared/data/teddy2020/attachment3_messages_with_votes.csv --top 5

bench-lookup: install
	$(PY) bench/lookup.py

bench-triage: install
	$(PY) bench/triage.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var

# The citizen's phone pages' light stylesheet (purgecss.phone.config.cjs): Bootstrap with only the rules they use.
# Needs purgecss (a dev dependency in package.json); run after a phone page uses a new Bootstrap class.
