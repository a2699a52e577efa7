# Two commands on a fresh machine: `make run` and `make test`. Each installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
LLM_STAMP := $(VENV)/.llm-installed
PORT ?= 8501

.PHONY: run test test-fast test-llm lint system-deps db-fresh db-reset db-status db-seed bench screenshots clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@

# llama-cpp-python has no wheel for this platform: pip builds it from source once (C++ toolchain and cmake needed,
# 20-45 min on a busy 2-core machine) and keeps the wheel in its cache, so later venvs install it in seconds. The build is
# portable (AVX2, no -march=native: its AMX kernels die with SIGILL on these VMs) and text-only (no llava/mtmd).
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF
$(LLM_STAMP): requirements-llm.txt $(DEV_STAMP)
	@bash scripts/install-llm-build-deps.sh
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$${CMAKE_BUILD_PARALLEL_LEVEL:-2} \
		$(PY) -m pip install --quiet -r requirements-llm.txt
	touch $@

system-deps:
	@bash scripts/install-system-deps.sh

# The dashboard and the worker (delivery, backups, …) together; Ctrl+C stops both.
run: $(RUNTIME_STAMP)
	$(PY) -m echo_core db fresh
	exec $(PY) -m echo_core serve --port $(PORT)

test: $(DEV_STAMP) system-deps lint
	$(PY) -m pytest -q

# Issue 17: the openai provider against a real model server (llama-cpp-python + a 270M GGUF from PyPI).
test-llm: $(LLM_STAMP)
	$(PY) -m pytest -q -m llm -s tests/integration/test_llm_server.py

test-fast: $(DEV_STAMP)
	$(PY) -m pytest -q -x tests/unit tests/integration

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy echo_core
	$(VENV)/bin/mypy --strict ui pages app.py

db-fresh: $(RUNTIME_STAMP)
	$(PY) -m echo_core db fresh

db-reset: $(RUNTIME_STAMP)
	$(PY) -m echo_core db reset $(if $(YES),--yes,)

db-status: $(RUNTIME_STAMP)
	$(PY) -m echo_core db status

db-seed: $(RUNTIME_STAMP)
	$(PY) -m echo_core db seed

screenshots: $(DEV_STAMP) system-deps
	$(PY) scripts/screenshots.py

bench: $(DEV_STAMP)
	$(PY) -m echo_core bench run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
