# REE — the commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: run test lint bench eval browser clean

$(BIN)/ree: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(BIN)/ree
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

## run: install, build demo data on first start, serve API + web page on http://127.0.0.1:$(PORT)
run: $(BIN)/ree
	$(BIN)/ree serve --host 127.0.0.1 --port $(PORT)

## test: install dev dependencies, start what the tests need, run the whole suite
test: $(VENV)/.dev browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

## browser: Debian's Chromium for the web page test (skipped with a reason when unavailable)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed: browser tests will skip"; }

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

eval: $(BIN)/ree
	$(BIN)/ree eval understand

clean:
	rm -rf $(VENV) .ree .pytest_cache .mypy_cache .ruff_cache
