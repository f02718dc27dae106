# The developer's interface. A fresh machine needs only Python 3.11+ and make: uv and .venv are bootstrapped.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
CORPUS ?= ../shared/camt-corpus

# Every source is configured in recon.toml (RECON_CONFIG, ./recon.toml or .recon/recon.toml; `make demo`
# writes the last); variables override it (.env.example). Runs land in this instance, which the UI shows.
export DAGSTER_HOME ?= $(CURDIR)/.recon/dagster
DAGSTER_PORT ?= 3000

.PHONY: setup demo test test-slow golden dev bench lint conformance stop clean

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

# The cases too long for every test run (a 200 MB bank file, every source-fault case); CI runs them too.
test-slow: setup
	$(VENV)/bin/pytest -q -m slow
	RECON_FAULTS=all $(VENV)/bin/pytest -q tests/faults/test_source_faults.py

# Writes tests/golden/demo_outputs.json.gz again from the demo week: only when a change of outputs is meant.
golden: setup
	RECON_GOLDEN_UPDATE=1 $(VENV)/bin/pytest -q -p no:cacheprovider tests/pipelines/test_demo_world.py

# The tier 1 listener runs beside the UI (its log: .recon/listen.log) and stops with it.
dev: setup
	@mkdir -p $(DAGSTER_HOME)
	$(VENV)/bin/recon services start
	$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p $(DAGSTER_PORT)

# The bench group adds what only the benchmarks compare against (fastrecon); the product never imports it.
bench: setup
	$(UV) sync --frozen --group bench
	$(VENV)/bin/python -m bench $(BENCH_ARGS)

# Every package of the product is type-checked.
LINT_PACKAGES := recon embedded settings clients stores resources services assets pipelines
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy $(addprefix -p ,$(LINT_PACKAGES))

conformance: setup
	$(VENV)/bin/python tests/conformance/run_conformance.py $(CORPUS)

stop: setup
	$(VENV)/bin/recon nats stop
	$(VENV)/bin/recon services stop
	$(VENV)/bin/recon db stop

clean: stop
	rm -rf $(VENV) .tools
