# PRIMI: the demo, the tests and the benchmarks (GNU make).
#
#   make demo    create .venv, install everything, load the standard and the demo data, serve
#                the site on http://127.0.0.1:$(PORT)
#   make test    lint, then the whole suite on SQLite and on a throwaway PostgreSQL 15, side by side
#
# Every install step runs only when its inputs changed (stamp files), so both are quick the
# second time.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON_SYSTEM ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PRIMI_HOME ?= var
PORT ?= 8000
PYTEST_ARGS ?=
LINT_PATHS := $(wildcard src tests benchmarks fuzz)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PO_FILES := $(wildcard src/primi/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: help demo test lint format bench install chromium libreoffice messages clean distclean

help:
	@echo "make demo       install everything and serve the demo on http://127.0.0.1:$(PORT)"
	@echo "make test       lint, then the whole suite on SQLite and on PostgreSQL 15"
	@echo "make lint       ruff check and ruff format --check"
	@echo "make format     ruff format and ruff check --fix"
	@echo "make bench      run benchmarks/*.py on SQLite and on PostgreSQL 15"
	@echo "make messages   compile the gettext catalogues"
	@echo "make clean      remove caches, compiled catalogues and test results"
	@echo "make distclean  also remove .venv, node_modules and $(PRIMI_HOME)"

# --- installs ---------------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON_SYSTEM) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Babel's pure-Python compiler, so GNU gettext is not needed.
%.mo: %.po | $(PY_STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

messages: $(MO_FILES)

install: $(PY_STAMP) $(NODE_STAMP) $(MO_FILES)

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; \
	fi

# A real spreadsheet application for the tests that open templates and annotated copies.
libreoffice:
	@if ! command -v libreoffice >/dev/null; then \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends libreoffice-calc-nogui; \
	fi

# --- the demo ---------------------------------------------------------------------------------

# Generated once and kept, so sessions survive a restart of the demo.
$(PRIMI_HOME)/secret_key: | $(PY_STAMP)
	mkdir -p $(PRIMI_HOME)
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

demo: install $(PRIMI_HOME)/secret_key
	SECRET_KEY="$$(cat $(PRIMI_HOME)/secret_key)" PRIMI_HOME=$(PRIMI_HOME) \
	  $(BIN)/primi demo --port $(PORT)

# --- checks -----------------------------------------------------------------------------------

lint: $(PY_STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

format: $(PY_STAMP)
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

# Everything runs even when an early step fails, so one run shows all failures; the exit
# status is non-zero if any step failed (pytest's 5, "no tests collected", counts as failure).
# The two databases' suites run side by side (much of each is waiting on a browser, a server or
# a release time, so two cores finish both in about the time of the longer one); each line is
# prefixed with its database, and each has its own PRIMI_HOME in a temporary directory (the
# user's var/ is never touched) and its own screenshot folder, test-results/<database>/.
test: install chromium libreoffice
	@status=0; tmp=$$(mktemp -d /tmp/primi-test.XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir -p "$$tmp/sqlite/static" "$$tmp/postgres/static"; \
	echo "== lint"; \
	$(MAKE) --no-print-directory lint || status=1; \
	echo "== pytest on SQLite [sqlite] and on PostgreSQL 15 [postgres], side by side"; \
	( PRIMI_HOME="$$tmp/postgres" scripts/with-postgres $(BIN)/pytest --durations=20 --output test-results/postgres \
	    $(PYTEST_ARGS) 2>&1 | sed -u 's/^/[postgres] /' ) & postgres=$$!; \
	( env -u DATABASE_URL PRIMI_HOME="$$tmp/sqlite" $(BIN)/pytest --durations=20 --output test-results/sqlite \
	    $(PYTEST_ARGS) 2>&1 | sed -u 's/^/[sqlite] /' ) \
	  || { echo "== pytest on SQLite failed" >&2; status=1; }; \
	wait $$postgres || { echo "== pytest on PostgreSQL 15 failed" >&2; status=1; }; \
	if [ $$status = 0 ]; then echo "== make test: all passed"; else echo "== make test: FAILED" >&2; fi; \
	exit $$status

bench: install
	@shopt -s nullglob; files=(benchmarks/[!_]*.py); \
	if [ $${#files[@]} = 0 ]; then echo "no benchmarks/*.py yet" >&2; exit 1; fi; \
	status=0; tmp=$$(mktemp -d /tmp/primi-bench.XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir -p "$$tmp/sqlite/static" "$$tmp/postgres/static"; \
	export SECRET_KEY=benchmark-only-secret-key-not-for-production; \
	for f in "$${files[@]}"; do \
	  echo "== $$f on SQLite"; \
	  env -u DATABASE_URL PRIMI_HOME="$$tmp/sqlite" $(BIN)/python "$$f" || status=1; \
	  echo "== $$f on PostgreSQL 15"; \
	  PRIMI_HOME="$$tmp/postgres" scripts/with-postgres $(BIN)/python "$$f" || status=1; \
	done; \
	exit $$status

# --- cleaning ---------------------------------------------------------------------------------

clean:
	rm -rf test-results .pytest_cache .ruff_cache .hypothesis $(MO_FILES)
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules $(PRIMI_HOME)
