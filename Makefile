# The developer's interface. A fresh machine needs only Python 3.11+ and make: uv and .venv are bootstrapped.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
CORPUS ?= ../shared/camt-corpus

# "embedded" runs PostgreSQL from the pgserver package under .recon/; set a postgresql:// URL for a real server.
export RECON_DATABASE_URL ?= embedded
export DAGSTER_HOME ?= $(CURDIR)/.recon/dagster
# The resources bind these through EnvVar, so each must be set; empty means "not configured".
export RECON_WEBHOOK_URL ?=
export RECON_STATEMENTS_DIR ?=
export RECON_CHAIN_CONFIG ?=
export RECON_LEDGER_KIND ?= files
export RECON_LEDGER_URL ?=
export RECON_LEDGER_DIR ?=
export RECON_RESERVES_CONFIG ?=
export RECON_CREDIT_CONFIG ?=

.PHONY: setup demo test test-slow dev bench lint conformance stop clean

setup: $(VENV)/.synced

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

demo: setup
	$(VENV)/bin/recon demo

test: setup
	$(VENV)/bin/pytest -q -m "not slow"

# The few cases too long for every test run (a 200 MB bank file); CI runs them too.
test-slow: setup
	$(VENV)/bin/pytest -q -m slow

dev: setup
	@mkdir -p $(DAGSTER_HOME)
	$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

bench: setup
	$(VENV)/bin/python -m bench $(BENCH_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

conformance: setup
	$(VENV)/bin/python tests/conformance/run_conformance.py $(CORPUS)

stop: setup
	$(VENV)/bin/recon db stop

clean: stop
	rm -rf $(VENV) .tools
