# The two commands of the README: `make serve` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: serve build test browser bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

serve: $(VENV)/.runtime
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

build: $(VENV)/.runtime
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

browser:
	bash scripts/ensure-chromium.sh

test: $(VENV)/.test browser
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmark (not part of `make test`; about 20 minutes): builds 100, 1,000 and 3,000 synthetic notes and a plain
# Material build of the same pages, prints a table and writes bench/results.json. Stdlib only beyond the
# runtime requirements. Quick run: make bench BENCH_ARGS="--sizes 50,200 --repeat 1".
bench: $(VENV)/.runtime
	NO_MKDOCS_2_WARNING=1 $(BIN)/python bench/run.py $(BENCH_ARGS)
