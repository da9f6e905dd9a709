# One command each: `make run` (set up everything, build the casebook from the shipped PDF with
# Prefect's embedded server) and `make test` (set up everything, run the whole test suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# System packages the tests and renderers use: a real browser, LibreOffice, poppler, Japanese fonts;
# plus npm for axe-core (node-packages) when no Node.js install already provides it.
DEBS := chromium libreoffice-writer poppler-utils fonts-noto-cjk fonts-ipaexfont

.PHONY: setup system-packages python-packages node-packages run test lint bench clean

setup: system-packages python-packages node-packages

system-packages:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

python-packages: $(BIN)/python
	$(BIN)/pip install -q --upgrade pip >/dev/null
	$(BIN)/pip install -q -e ".[test]"

# axe-core, pinned by package-lock.json, into node_modules/ (tests only; the site itself loads nothing).
node-packages: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

run: setup
	$(BIN)/casebook build

test: setup
	$(BIN)/python -m pytest

lint: python-packages
	$(BIN)/ruff check .

bench: python-packages
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/build.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache test-artifacts
