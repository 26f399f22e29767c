# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export LEDGER_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: demo test test-deep mutation bytecode lint typecheck unit bench bench-large clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# Write our modules' bytecode up front: with PYTHONDONTWRITEBYTECODE set (or a read-only
# tree) Python would otherwise compile them on every run, ~30 ms of each short command.
bytecode:
	$(BIN)/python -m compileall -q src cli

demo: $(STAMP)
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/kuntaledger demo --store sqlite:///demo.db

lint: $(STAMP)
	$(BIN)/ruff check src cli tests bench

typecheck: $(STAMP)
	$(BIN)/mypy src

unit: $(STAMP)
	HYPOTHESIS_PROFILE=ci $(BIN)/pytest -q

test: lint typecheck unit

test-deep: $(STAMP)
	HYPOTHESIS_PROFILE=deep $(BIN)/pytest -q tests/property tests/stateful

# Each deliberate break of an identity must fail its property tests (docs/testing.md).
mutation: $(STAMP)
	$(BIN)/python tests/mutation/run.py

bench: $(STAMP)
	$(BIN)/python bench/run.py --lines 1000000

bench-large: $(STAMP)
	$(BIN)/python bench/run.py --lines 10000000

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm
