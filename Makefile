# IKD Progress: `make run` for the demo, `make test` for the whole suite.
# Any Python from 3.11 to 3.13 (`make PYTHON=python3.12 run` picks another one by hand).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages screenshots bench clean system plotly lock shipped

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null || { \
		echo "IKD Progress perlu Python 3.11, 3.12 atau 3.13; '$(PYTHON)' adalah: $$($(PYTHON) --version 2>&1)."; \
		echo "Pasang salah satunya, lalu jalankan mis. 'make PYTHON=python3.12 run'."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
		echo "Gagal membuat .venv: pasang modul venv (Debian/Ubuntu: apt-get install python3-venv)."; exit 1; }
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## system: Chromium, which prints the monthly report to PDF (installed when apt is at hand)
system:
	@command -v chromium >/dev/null || { \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get install -y -qq chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null); \
		else echo "Catatan: pasang chromium (apt-get install chromium) agar laporan PDF dapat dibuat."; fi; }

## run: install, migrate, load the Sukoharjo demo, print demo logins, serve on 127.0.0.1:8000
run: $(BIN)/.installed system
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Membuka http://$(HOST):$(PORT)/ (Ctrl+C untuk berhenti)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint, migrations in step with models, and every test (PostgreSQL/Redis when set in env)
test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

## lock: recompile requirements.txt and requirements-dev.txt (every package pinned) after editing
## requirements.in or requirements-dev.in; `make lock LOCK_ARGS=--upgrade` moves every pin
LOCK_ARGS ?=
PIP_COMPILE = $(BIN)/pip-compile --quiet --strip-extras --allow-unsafe \
	--no-emit-find-links --no-emit-index-url --no-emit-trusted-host $(LOCK_ARGS)
lock: $(BIN)/.installed
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

## shipped: the install the image makes (requirements.txt alone, in a new .venv-shipped), then
## gunicorn, a Celery worker and beat on PostgreSQL and Redis, and one upload through them
## (docs/operations.md, "The shipped install in CI"); needs DATABASE_URL and CELERY_BROKER_URL
shipped:
	$(PYTHON) -m venv --clear .venv-shipped
	.venv-shipped/bin/pip install --quiet --disable-pip-version-check --no-deps \
		-r requirements.txt
	.venv-shipped/bin/pip check
	.venv-shipped/bin/python scripts/shipped_stack_check.py

## messages: refresh the translation catalogues after changing UI text
messages: $(BIN)/.installed
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=.venv-shipped --ignore=staticfiles \
		--ignore=tests --ignore=scripts --ignore=bench
	$(BIN)/python scripts/compile_messages.py

## plotly: rebuild static/vendor/plotly.min.js (only what the pages draw) from pinned npm packages
PLOTLY_BUNDLE := scripts/plotly-bundle
plotly:
	cd $(PLOTLY_BUNDLE) && npm ci --no-audit --no-fund --ignore-scripts
	cd $(PLOTLY_BUNDLE) && node build.js  # esbuild, less what the pages never reach (build.js says what, and checks it)
	cd $(PLOTLY_BUNDLE) && { \
		echo "/*! plotly.js v$$(node -p "require('plotly.js/package.json').version"), partial bundle for IKD Progress (scatter, bar). MIT License, (c) Plotly, Inc.: plotly.LICENSE.txt */"; \
		npx terser node_modules/.bundle/plotly.js --compress passes=2 --mangle; \
	} > ../../static/vendor/plotly.min.js
	$(PYTHON) $(PLOTLY_BUNDLE)/offline.py static/vendor/plotly.min.js  # no outside address left in it
	cp $(PLOTLY_BUNDLE)/node_modules/plotly.js/LICENSE static/vendor/plotly.LICENSE.txt
	cp $(PLOTLY_BUNDLE)/node_modules/.bundle/THIRD-PARTY.txt static/vendor/plotly.THIRD-PARTY.txt  # the bundled packages' notices (build.js)

clean:
	rm -rf $(VENV) .venv-shipped staticfiles test-artifacts .pytest_cache db.sqlite3
