"""A local debugging browser (for --browser-endpoint rehearsals, tests and benchmarks) stops
whole when its block ends, even started through a launcher script that does not exec."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from automation.browser.debugging import local_browser
from automation.config import LaunchOptions


def _debugging_browsers(folder: Path) -> set[int]:
    """The processes of debugging browsers whose profile is in `folder`."""
    found = set()
    for process in psutil.process_iter(["pid", "cmdline"]):
        line = " ".join(process.info["cmdline"] or [])
        if f"--user-data-dir={folder}" in line and "sc-license-browser-" in line:
            found.add(process.info["pid"])
    return found


@pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")
def test_a_local_debugging_browser_leaves_no_process_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its profile in this test's folder: other tests' debugging browsers are not its own.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = _debugging_browsers(tmp_path)
    with local_browser(LaunchOptions()) as endpoint:
        assert endpoint.startswith("ws://127.0.0.1:")
        started = _debugging_browsers(tmp_path) - before
        assert started, "the browser runs while the block lasts"
    deadline = time.monotonic() + 10
    while started & _debugging_browsers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not started & _debugging_browsers(tmp_path), "a browser process outlived its block"
