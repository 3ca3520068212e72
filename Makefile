# Two commands set everything up from a fresh clone:
#   make site   creates .venv, installs the pinned set, builds site/ with the examples executed
#   make test   creates .venv if needed and runs the whole suite (browser included)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv site test serve check lint bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

site: $(STAMP)
	$(BIN)/glossary build

test: $(STAMP)
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/glossary serve

check: $(STAMP)
	$(BIN)/glossary check --strict

lint: $(STAMP)
	$(BIN)/ruff check glossary_tools tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/check_scale.py

clean:
	rm -rf site .cache
