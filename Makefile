# Mirror Pong: `make play` to play, `make test` to test. Everything is installed into this
# folder: .venv/ (Python), node_modules/ (the Pyodide npm package), .cache/ (the numpy wheel),
# build/ (the compiled runtime, reused while its inputs are unchanged).

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
SITE := site

.PHONY: play serve site test unit e2e lint format race bench bench-boot bench-trace soak browser clean

play: site
	$(PY) scripts/serve.py $(SITE) --port $(PORT)

serve:
	$(PY) scripts/serve.py $(SITE) --port $(PORT)

# The virtual environment, with the dev tools pyproject.toml lists.
$(VENV)/.stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

site: $(VENV)/.stamp node_modules/.stamp
	$(PY) scripts/build_site.py $(SITE)

lint: $(VENV)/.stamp
	$(PY) -m ruff check pymodel tests scripts
	$(PY) -m ruff format --check pymodel tests scripts

format: $(VENV)/.stamp
	$(PY) -m ruff format pymodel tests scripts
	$(PY) -m ruff check --fix pymodel tests scripts

# A Chromium for the end-to-end tests: found, or fetched (Playwright, or apt-get as root).
browser: $(VENV)/.stamp
	$(PY) scripts/ensure_browser.py

test: lint site browser
	$(PY) -m pytest -ra

unit: $(VENV)/.stamp
	$(PY) -m pytest -ra -m "not e2e"

e2e: site browser
	$(PY) -m pytest -ra -m e2e

race: $(VENV)/.stamp
	$(PY) -m pymodel race

bench: site browser
	$(PY) scripts/bench

# Boot figures only: the stock runtime (before) and this build (after), side by side.
bench-boot: site browser
	$(PY) scripts/bench --boot-only

# Where a phone's main thread spends its time: a Chromium trace at 4x CPU throttling, by job.
bench-trace: site browser
	$(PY) scripts/bench --trace

# 30 minutes of real-time play in headless Chromium; memory, frames, learning, saves per minute.
SOAK_MINUTES ?= 30
soak: site browser
	$(PY) scripts/soak.py --minutes $(SOAK_MINUTES) --json soak.json --chart soak.svg

clean:
	rm -rf $(SITE) build .pytest_cache
