"""A local debugging browser (for --browser-endpoint rehearsals, tests and benchmarks) stops
whole when its block ends, even started through a launcher script that does not exec."""

from __future__ import annotations

import sys
import time

import psutil
import pytest

from automation.browser.debugging import local_browser
from automation.config import LaunchOptions


def _debugging_browsers() -> set[int]:
    found = set()
    for process in psutil.process_iter(["pid", "cmdline"]):
        line = " ".join(process.info["cmdline"] or [])
        if "--user-data-dir=" in line and "sc-license-browser-" in line:
            found.add(process.info["pid"])
    return found


@pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")
def test_a_local_debugging_browser_leaves_no_process_behind() -> None:
    before = _debugging_browsers()
    with local_browser(LaunchOptions()) as endpoint:
        assert endpoint.startswith("ws://127.0.0.1:")
        started = _debugging_browsers() - before
        assert started, "the browser runs while the block lasts"
    deadline = time.monotonic() + 10
    while started & _debugging_browsers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not started & _debugging_browsers(), "a browser process outlived its block"
