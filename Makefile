# The two commands a newcomer runs: `make demo` and `make test`. Each sets up what it needs:
# uv (into .bootstrap/ when not on PATH), the locked virtual environment, and a Chromium.
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .bootstrap/bin/uv)
RUN := $(UV) run --locked
ARGS ?=

.PHONY: demo test setup lint bench clean

demo: setup
	$(RUN) sc-license demo $(ARGS)

test: setup
	$(RUN) ruff check .
	$(RUN) mypy
	$(RUN) lint-imports
	$(RUN) pytest $(ARGS)

# Bytecode is compiled ahead: where PYTHONDONTWRITEBYTECODE is set (CI images often set it),
# every run would otherwise compile every module it imports, about half a second each time.
setup: .venv/.synced
	$(RUN) python -m compileall -q automation flows
	$(RUN) sc-license setup

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --compile-bytecode
	touch $@

.bootstrap/bin/uv:
	$(PYTHON) -m venv .bootstrap
	.bootstrap/bin/python -m pip install --quiet uv

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(RUN) lint-imports

clean:
	rm -rf .venv .bootstrap .pytest_cache .mypy_cache .ruff_cache test-results

bench: setup
	$(RUN) python benchmarks/bench.py $(ARGS)
