"""The suite's tiers. A test that starts a browser, a sandbox server or sc-license itself is
marked `browser` here, by the fixtures and helpers it uses, so no test has to remember to;
a test that takes long however it is run is marked `slow` by hand. `make check` runs the rest,
and two browser smoke tests, in well under a minute; `make test` runs everything."""

from __future__ import annotations

import pytest

# pytest-playwright's fixtures, and ours that start a sandbox, run the CLI or hold runs made
# by it (tests/evidence/conftest.py's `runs`).
BROWSER_FIXTURES = frozenset(
    {
        *("playwright", "browser_type", "launch_browser", "browser", "context", "page"),
        *("sandbox", "start_sandbox", "run_cli", "runs"),
    }
)
# What a test module imports to start a browser or a process of its own.
STARTERS = frozenset(
    {
        *("run_cli", "start_cli", "start_install", "run_on_terminal", "run_in_process"),
        *("SC_LICENSE", "sync_playwright", "subprocess"),
    }
)
# The browser tests `make check` runs too: the main job end to end, through the CLI, and the
# page objects on a Service Center shaped unlike the sandbox's default.
SMOKE = frozenset(
    {
        "tests/cli/test_commands.py::test_install_succeeds_and_reports_json",
        "tests/pages/test_any_service_center.py::"
        "test_a_form_two_frames_deep_behind_browse_asking_to_confirm_installs_the_license[chromium]",
    }
)
# Modules whose tests take long however they are run: many installs interrupted side by side.
SLOW = frozenset({"tests/cli/test_interrupt_points.py", "tests/cli/test_fleet_interrupts.py"})
MARKERS = {
    "browser": "starts a browser, a sandbox server or sc-license (set automatically)",
    "slow": "takes long however it is run (many processes, long histories)",
    "smoke": "the browser tests `make check` runs too",
}


def register(config: pytest.Config) -> None:
    for name, meaning in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


def mark(items: list[pytest.Item]) -> None:
    for item in items:
        if needs_a_browser(item):
            item.add_marker(pytest.mark.browser)
        if item.nodeid.split("::")[0] in SLOW:
            item.add_marker(pytest.mark.slow)
        if item.nodeid in SMOKE:
            item.add_marker(pytest.mark.smoke)


def needs_a_browser(item: pytest.Item) -> bool:
    if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    module = getattr(item, "module", None)
    return module is not None and bool(STARTERS & set(vars(module)))
