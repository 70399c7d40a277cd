# The two commands a new user needs: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)  ## compare the shipped strategies against the seed's order and write the report
	$(BIN)/sellersim compare scenarios/strategies/*.yaml --baseline solo_then_hire

test: $(STAMP)  ## run the test suite
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check sim tests benchmarks
	$(BIN)/ruff format --check sim tests benchmarks
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_run.py
	$(BIN)/python benchmarks/bench_compare.py
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_reports.py

clean:
	rm -rf $(VENV) results/*/
