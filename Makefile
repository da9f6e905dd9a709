# One command each: `make run` (set up everything, build the casebook from the shipped PDF with a
# temporary Prefect server) and `make test` (set up everything, run the whole test suite).
# Every step says what it installs as it goes; a step with nothing to do says so and takes no time
# (the Python packages are reinstalled only when pyproject.toml changed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# System packages the tests and renderers use: a real browser, LibreOffice (Writer; Calc opens
# validation.xlsx in a test), poppler, Japanese fonts,
# PostgreSQL for the shared team server (README, "A team setup"; tests marked postgres), and npm
# for axe-core (node-packages) when no Node.js install already provides it.
DEBS := chromium libreoffice-writer libreoffice-calc poppler-utils fonts-noto-cjk fonts-ipaexfont fonts-ipamj-mincho postgresql python3-uno
STAMP := $(VENV)/.installed

.PHONY: setup system-packages python-packages node-packages run test lint bench screenshots clean

setup: system-packages python-packages node-packages

system-packages:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then echo "==> system packages: all present"; exit 0; fi; \
	echo "==> system packages: installing$$missing (apt-get; a few minutes on a fresh machine)"; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	$$SUDO apt-get update -q | { grep --line-buffered -E '^(Get|Hit)' || true; } | sed -u 's/^/    /' && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing \
	  | { grep --line-buffered -E '^(Need to get|Unpacking|Setting up) ' || true; } | sed -u 's/^/    /'

$(BIN)/python:
	@echo "==> virtual environment: creating $(VENV)"
	$(PYTHON) -m venv $(VENV)

python-packages: $(STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "==> Python packages: installing into $(VENV) (pip; about a minute the first time)"
	@$(BIN)/pip install -q --upgrade pip >/dev/null
	@$(BIN)/pip install --progress-bar off -e ".[test]" 2>&1 \
	  | { grep --line-buffered -E '^(Collecting|Installing collected|Successfully installed|ERROR)' || true; } \
	  | sed -u -e 's/^Successfully installed .*/done/' -e 's/^/    /'
	@touch $(STAMP)

# axe-core, pinned by package-lock.json, into node_modules/ (tests only; the site itself loads nothing).
node-packages: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@echo "==> Node packages: axe-core (npm ci, for the accessibility test)"
	@npm ci --no-audit --no-fund --silent
	@touch $@

run: setup
	@echo "==> casebook build"
	$(BIN)/casebook build

test: setup
	$(BIN)/python -m pytest

# The README's pictures (docs/*.png): PDF pages and the site at desktop and phone widths, from a
# fresh build of the shipped report.
screenshots: setup
	@echo "==> casebook build, then docs/*.png"
	$(BIN)/casebook build
	$(BIN)/python scripts/screenshots.py output/latest docs

lint: python-packages
	$(BIN)/ruff check .

bench: python-packages
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/fuzz_extract.py --per-kind 20
	$(BIN)/python bench/citations.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/build.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache test-artifacts
