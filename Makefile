# Ethical Tech Map. `make run` serves the map on SQLite; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Tests run with production settings (DEBUG off), which need a secret (this one is for tests
# only); the test servers speak plain HTTP, so no redirect to HTTPS.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-tests-only-not-a-secret} SECURE_SSL_REDIRECT=0

.PHONY: run serve test lint format lock audit clean help bench

help:
	@echo "make run    - set up and serve the map with its starter data on http://127.0.0.1:$(PORT)"
	@echo "make test   - set up and run the whole test suite (DATABASE_URL or SQLite)"
	@echo "make lint   - ruff lint and format check, and migrations up to date"
	@echo "make serve  - the production configuration locally: DEBUG off, collectstatic, gunicorn"
	@echo "make lock   - re-pin requirements/*.txt from pyproject.toml"
	@echo "make audit  - pip-audit the pinned dependencies (needs internet access)"
	@echo "make bench  - benchmark against Datasette on the same data (PostgreSQL and wrk needed)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

# PORT goes into the environment too: when SITE_URL is unset, the settings build absolute links
# from it, so they point at the server that serves them.
RUN_ENV := DEBUG=1 PORT=$(PORT)

run: $(VENV)/.base-installed
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py load_starter_data
	$(RUN_ENV) $(BIN)/python manage.py ensure_local_admin
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production settings on plain HTTP at 127.0.0.1: an operator puts TLS in front (see README).
SERVE_ENV := SECRET_KEY=$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	PORT=$(PORT) DEBUG=0 SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} SECURE_COOKIES=$${SECURE_COOKIES:-0} \
	SECURE_HSTS_SECONDS=$${SECURE_HSTS_SECONDS:-0}

serve: $(VENV)/.base-installed
	$(SERVE_ENV) $(BIN)/python manage.py migrate --no-input
	$(SERVE_ENV) $(BIN)/python manage.py load_starter_data
	$(SERVE_ENV) $(BIN)/python manage.py keep_derived
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	$(SERVE_ENV) exec $(BIN)/gunicorn ethicalmap.wsgi:application -c gunicorn.conf.py

audit: $(VENV)/.dev-installed
	$(BIN)/pip-audit --strict --disable-pip --no-deps -r requirements/base.txt

# The suite runs in TEST_JOBS processes at once (pytest-xdist; tests/workers.py keeps them apart),
# then the few tests marked `serial`, which restart a server the others use, on their own.
# TEST_SKIP leaves out the tests of some marks (`TEST_SKIP=browser`: CI runs the browser tests,
# which do not depend on the database or the cache, in its PostgreSQL pass only).
TEST_JOBS ?= 2
TEST_SKIP ?=
SKIP_MARKS := $(foreach mark,$(TEST_SKIP), and not $(mark))

test: $(VENV)/.dev-installed
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest --numprocesses $(TEST_JOBS) -m "not serial$(SKIP_MARKS)" $(PYTEST_ARGS)
	$(TEST_ENV) $(BIN)/pytest -m "serial$(SKIP_MARKS)" $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 pyproject.toml -o requirements/base.txt
	$(BIN)/uv pip compile --quiet --python-version 3.11 --extra dev pyproject.toml -o requirements/dev.txt

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Us against Datasette on the same rows (benchmarks/README.md). Needs PostgreSQL and wrk.
# Knobs: SIZES="1000 10000 100000" DURATION=5 CONNS=20 BENCH_PG=postgres://postgres@127.0.0.1:5432
benchmarks/.venv/.installed: benchmarks/requirements.txt
	$(PYTHON) -m venv benchmarks/.venv
	benchmarks/.venv/bin/pip install --quiet -r benchmarks/requirements.txt
	touch $@

bench: $(VENV)/.base-installed benchmarks/.venv/.installed
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install wrk (or brew install wrk)"; exit 1; }
	benchmarks/run.sh
