# The two commands of the README: `make serve` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: serve build test browser bench runtime-venv test-venv

# Python 3.11 or newer; another one with `make PYTHON=python3.12 serve`. A .venv made by another Python is made anew.
runtime-venv:
	@bash scripts/ensure-venv.sh "$(PYTHON)" "$(VENV)" requirements.txt "$(VENV)/.runtime"

test-venv:
	@bash scripts/ensure-venv.sh "$(PYTHON)" "$(VENV)" requirements-test.txt "$(VENV)/.test"

# --dirty: a saved note rebuilds only the pages it changes (macros/incremental.py); the first build is full.
serve: runtime-venv
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dirty

build: runtime-venv
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

browser:
	bash scripts/ensure-chromium.sh

test: test-venv browser
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmark (not part of `make test`; about 20 minutes): builds 100, 1,000 and 3,000 synthetic notes and a plain
# Material build of the same pages, prints a table and writes bench/results.json. Stdlib only beyond the
# runtime requirements. Quick run: make bench BENCH_ARGS="--sizes 50,200 --repeat 1".
bench: runtime-venv
	NO_MKDOCS_2_WARNING=1 $(BIN)/python bench/run.py $(BENCH_ARGS)
