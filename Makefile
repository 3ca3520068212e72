# Two commands set everything up from a fresh clone:
#   make site   creates .venv, installs the pinned set, builds site/ with the examples executed
#   make test   creates .venv if needed, installs Debian's chromium when missing, runs the whole suite
#   make test-fast  the unit and golden tests only (no examples, no builds, no browser): under a minute

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv site test test-fast chromium serve check lint bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

site: $(STAMP)
	$(BIN)/glossary build

# Playwright drives Debian's chromium (its own browser download is not used).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo"; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	fi

test: $(STAMP) chromium
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

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
