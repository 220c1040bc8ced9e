# CivicSkills — every set-up step lives here, and CI calls the same targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PORT ?= 8000
HOST ?= 127.0.0.1
UV_VERSION := 0.13.8
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install install-dev run migrate demo test lint format bench worker beat serve collectstatic clean

help:
	@echo "make run     install, migrate, load the demo city and serve it on http://$(HOST):$(PORT)"
	@echo "make test    install test dependencies, lint, and run the whole test suite"
	@echo "make lint    ruff lint and format check"
	@echo "make bench   the 20,000-staff benchmark (see docs/benchmarks.md)"
	@echo "make worker / make beat   Celery worker and scheduler (production settings)"

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet "uv==$(UV_VERSION)"

# Runtime dependencies from the lock file, plus the design system from npm.
install: $(UV) node_modules/.package-lock.json
	$(UV) sync --frozen --inexact --no-dev --quiet

install-dev: $(UV) node_modules/.package-lock.json
	$(UV) sync --frozen --inexact --quiet

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

migrate:
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: install demo
	@echo ""
	@echo "CivicSkills is starting on http://$(HOST):$(PORT)/  (sign-ins are listed above; Ctrl+C stops it)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The whole suite. Tests that need Redis, PostgreSQL, a Celery worker or chromium skip locally
# when those are absent; CI sets CIVICSKILLS_REQUIRE_SERVICES=1 so they must run there.
PYTEST_ARGS ?=
test: lint
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install-dev
	$(PY) bench/run.py $(BENCH_ARGS)

collectstatic: install
	DJANGO_SETTINGS_MODULE=lms.settings.production $(PY) manage.py collectstatic --noinput

serve:
	DJANGO_SETTINGS_MODULE=lms.settings.production $(VENV)/bin/gunicorn lms.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile - --error-logfile -

worker:
	DJANGO_SETTINGS_MODULE=lms.settings.production $(VENV)/bin/celery -A lms worker --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2}

beat:
	DJANGO_SETTINGS_MODULE=lms.settings.production $(VENV)/bin/celery -A lms beat --loglevel=INFO --schedule=$${CELERY_BEAT_SCHEDULE_FILE:-celerybeat-schedule}

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media .pytest_cache
