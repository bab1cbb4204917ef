# Formulary: `make run` serves the demo site, `make test` runs the whole suite.
# Both set up everything they need first (virtualenv, packages, database).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup run serve test lint migrate demo browser bench screenshots clean

help:
	@echo "make run          set up, load demo content, serve on http://$(HOST):$(PORT)"
	@echo "make test         set up, then run the whole test suite"
	@echo "make serve        production server (gunicorn); needs DEBUG=false settings"
	@echo "make lint         ruff"
	@echo "make bench        benchmarks (PostgreSQL); report in bench/results/"
	@echo "                  BENCH_ARGS=--wagtail adds the side-by-side run against Wagtail"
	@echo "make screenshots  refresh the screenshots in docs/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

.env:
	cp .env.example .env

setup: $(STAMP) .env

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py import_drug_dictionary --verbosity 0

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: setup
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

# Debian's Chromium for the browser tests, and axe-core for the accessibility check.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium (Debian package)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@test -f node_modules/axe-core/axe.min.js || npm install --no-audit --no-fund --silent

test: setup browser
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

# Benchmarks need PostgreSQL and wrk (a load generator from Debian's packages).
bench: setup
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

screenshots: demo browser
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) staticfiles node_modules
