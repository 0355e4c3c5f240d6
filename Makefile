# Saima — the two commands are `make demo` and `make test`; the rest are their parts.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/saima
DEMO_CHECK_URL ?= postgres://postgres@127.0.0.1:5432/saima_demo_check
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo demo-check test test-sqlite test-postgres lint format bench serve setup messages migrate system-deps clean

demo: setup migrate  ## everything, then serve the demo province on http://127.0.0.1:8000
	$(PY) manage.py demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(PY) -m saima.config.serve -b $(HOST) -p $(PORT) saima.config.asgi:application

serve: setup migrate  ## serve whatever is in the database
	$(PY) -m saima.config.serve -b $(HOST) -p $(PORT) saima.config.asgi:application

setup: $(VENV)/.installed node_modules/.installed messages

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=24"
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:  ## Debian packages: gettext, CJK fonts, Chromium for the browser tests, wrk for benchmarks.portal, poppler-utils (pdftotext) for the bulletin tests
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: setup
	$(PY) manage.py migrate --no-input -v 0

test: setup system-deps test-sqlite test-postgres  ## the whole suite on SQLite, then on PostgreSQL

test-sqlite:
	SAIMA_VAR_DIR=$(CURDIR)/var/test DATABASE_URL=sqlite:///var/test/saima.sqlite3 $(BIN)/pytest -q -p no:cacheprovider

test-postgres:
	SAIMA_VAR_DIR=$(CURDIR)/var/test DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider

lint: setup  ## ruff, mypy over saima/ with django-stubs (strict on the engine), migrations up to date, deploy checks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(PY) manage.py makemigrations --check --dry-run -v 1
	SAIMA_MODE=production SECRET_KEY=lint-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=saima.example.org DATABASE_URL=sqlite:///var/lint.sqlite3 \
	  $(PY) manage.py check --deploy --fail-level WARNING

demo-check: setup  ## the demo on a fresh PostgreSQL database, then `saima audit verify` and `saima verify`
	$(PY) .ci/fresh_pg_database.py $(DEMO_CHECK_URL)
	SAIMA_VAR_DIR=$(CURDIR)/var/demo-check DATABASE_URL=$(DEMO_CHECK_URL) $(PY) manage.py migrate --no-input -v 0
	SAIMA_VAR_DIR=$(CURDIR)/var/demo-check DATABASE_URL=$(DEMO_CHECK_URL) $(PY) manage.py demo >/dev/null
	SAIMA_VAR_DIR=$(CURDIR)/var/demo-check DATABASE_URL=$(DEMO_CHECK_URL) $(PY) -m saima.cli audit verify
	SAIMA_VAR_DIR=$(CURDIR)/var/demo-check DATABASE_URL=$(DEMO_CHECK_URL) $(PY) -m saima.cli verify

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup system-deps  ## benchmarks, side by side with their peers
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,bench]'
	$(PY) -m benchmarks.engine
	DATABASE_URL=$(PG_URL) $(PY) -m benchmarks.races
	$(PY) -m benchmarks.progress
	$(PY) -m benchmarks.judging
	DATABASE_URL=$(PG_URL) $(PY) -m benchmarks.projects
	$(PY) -m benchmarks.arena
	PG_URL=$(PG_URL) $(PY) -m benchmarks.portal
	PG_URL=$(PG_URL) $(PY) -m benchmarks.conduct

clean:
	rm -rf $(VENV) node_modules var
