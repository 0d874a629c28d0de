# The two commands a newcomer runs: `make demo` and `make test`. Each sets up what it needs:
# uv (into .bootstrap/ when not on PATH), the locked virtual environment, and a Chromium.
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .bootstrap/bin/uv)
RUN := $(UV) run --locked
ARGS ?=

.PHONY: demo test check setup lint bench clean lowest install-size

demo: setup
	$(RUN) sc-license demo $(ARGS)

# The suite runs in TEST_WORKERS processes (pytest-xdist), more than the cores: its tests wait on
# browsers and servers about half the time. `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 4

test: setup
	$(RUN) ruff check .
	$(RUN) mypy
	$(RUN) lint-imports
	$(RUN) pytest -n $(TEST_WORKERS) --dist worksteal $(ARGS)
ifneq ($(CI),)
	$(MAKE) lowest
endif

# The quick tier, while working: lint, types, import contracts, every test that needs no
# browser, server or process of its own, and two browser smoke tests (tests/support/tiers.py).
check: setup
	$(RUN) ruff check .
	$(RUN) mypy
	$(RUN) lint-imports
	$(RUN) pytest -n 2 -m "(not browser and not slow) or smoke" $(ARGS)

# Bytecode is compiled ahead: where PYTHONDONTWRITEBYTECODE is set (CI images often set it),
# every run would otherwise compile every module it imports, about half a second each time.
setup: .venv/.synced
	$(RUN) python -m compileall -q automation flows sc_license
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

# The lower bounds in pyproject.toml, proven: every direct dependency at the lowest version it
# allows, in a venv of its own (uv.lock and .venv untouched), runs the demo and a few CLI tests.
# CI runs it after `make test`. The demo runs before the dev group is added, as the dev tools
# may raise a shared dependency (import-linter needs a newer rich). The fleet test holds the
# lowest Playwright to what automation/browser/lanes.py relies on (its dispatcher greenlet).
LOWEST := .venv-lowest
LOWEST_SMOKE := tests/cli/test_help.py \
	tests/cli/test_commands.py::test_install_succeeds_and_reports_json \
	tests/cli/test_fleet_lanes.py::test_environments_sharing_one_browser_are_under_way_at_the_same_time \
	"tests/cli/test_faults.py::test_an_interrupted_run_keeps_its_backup_and_says_where_it_stopped[ctrl-c]"
lowest: | $(UV)
	rm -rf $(LOWEST) $(LOWEST)-demo
	$(UV) venv --quiet $(LOWEST)
	$(UV) pip install --quiet --python $(LOWEST) --resolution lowest-direct ".[video,signing]"
	mkdir $(LOWEST)-demo
	cd $(LOWEST)-demo && ../$(LOWEST)/bin/sc-license --version
	cd $(LOWEST)-demo && SC_LICENSE_STATE_DIR=state ../$(LOWEST)/bin/sc-license demo
	$(UV) pip install --quiet --python $(LOWEST) --resolution lowest-direct --group dev ".[video,signing]"
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(LOWEST_SMOKE)
	rm -rf $(LOWEST)-demo

clean:
	rm -rf .venv .venv-lowest .bootstrap .pytest_cache .mypy_cache .ruff_cache test-results

bench: setup
	$(RUN) python benchmarks/bench.py $(ARGS)

# The wheel installed as an operator installs it, measured, and its demo run.
install-size: | $(UV)
	$(PYTHON) benchmarks/install_size.py --uv $(UV)
