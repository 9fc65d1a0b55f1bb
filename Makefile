# REE — the commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# llama.cpp must not be built for the build machine's CPU: the AMX kernels crash on these VMs.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: run test lint bench eval system-deps clean

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
## (PostgreSQL/Redis: REE_TEST_*_URL, else 127.0.0.1, else throwaway servers the fixtures start)
test: $(VENV)/.dev system-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider

## system-deps: Debian's Chromium (page test) and HAProxy (failover test); tests skip with a
## reason when they cannot be installed
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing="$$missing haproxy"; \
	if [ -n "$$missing" ]; then \
	  (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null) \
	  || echo "could not install$$missing: their tests will skip"; \
	fi

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
