# Two commands on a fresh machine with python3: `make test` and `make demo`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= demo-data

.PHONY: test lint demo bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

demo: $(STAMP)
	$(BIN)/timebank kiosk --demo --demo-dir $(DEMO_DIR)

bench: $(STAMP)
	$(BIN)/python bench/store.py
	$(BIN)/python bench/lookup.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) demo-screens .pytest_cache .mypy_cache .ruff_cache
