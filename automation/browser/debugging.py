"""A local Chromium with remote debugging on loopback: a browser to point --browser-endpoint at
(the tests, a rehearsal), and the Chromium the benchmarks give their bare scripts."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

from playwright.sync_api import sync_playwright

from automation.browser.discovery import CLOSED_NETWORK_ARGS, find_browser
from automation.browser.hints import no_browser_hint
from automation.config import LaunchOptions
from automation.errors import NoBrowser

DEVTOOLS = re.compile(r"DevTools listening on (ws://\S+)")


def chromium_executable(explicit: Path | None, headless: bool = True) -> Path:
    """The Chromium to start ourselves, as a run would find it (a headless shell for a
    headless browser)."""
    # Asked in a thread of its own: Playwright's sync API will not start in a thread that
    # already runs it (a test session, a caller's own Playwright).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_find, explicit, headless).result()


def _find(explicit: Path | None, headless: bool) -> Path:
    with sync_playwright() as playwright:
        choice = find_browser(playwright, explicit, headless=headless)
        if choice is None:
            raise NoBrowser("No Chromium or Chrome was found.", hint=no_browser_hint())
        return choice.executable or Path(playwright.chromium.executable_path)


@contextmanager
def local_browser(options: LaunchOptions) -> Iterator[str]:
    """Start Chromium with remote debugging on loopback; yield its endpoint; stop it after."""
    profile = tempfile.mkdtemp(prefix="sc-license-browser-")
    command = [
        str(chromium_executable(options.executable, headless=not options.headed)),
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        "--no-sandbox",
        *CLOSED_NETWORK_ARGS,
        *([] if options.headed else ["--headless=new"]),
        "about:blank",
    ]
    # A group of its own: a distribution's launcher may be a script that starts Chromium as
    # its child without exec (Debian's chromium-headless-shell), and both must stop.
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, start_new_session=os.name == "posix"
    )
    try:
        endpoint = _endpoint(process)
        yield endpoint
    finally:
        _stop(process, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _stop(process, getattr(signal, "SIGKILL", signal.SIGTERM))
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)


def _stop(process: subprocess.Popen[str], number: int) -> None:
    """Signal the browser's whole process group where there are groups; else the process."""
    if os.name == "posix":
        with suppress(ProcessLookupError):
            os.killpg(process.pid, number)
    else:
        process.terminate()


def _endpoint(process: subprocess.Popen[str]) -> str:
    """Read Chromium's announced endpoint, then keep draining its output so it never blocks."""
    assert process.stderr is not None
    for line in process.stderr:
        match = DEVTOOLS.search(line)
        if match:
            sink = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the browser
            threading.Thread(
                target=shutil.copyfileobj, args=(process.stderr, sink), daemon=True
            ).start()
            return match.group(1)
    raise NoBrowser(
        "Chromium stopped before it was ready for remote control.", hint=no_browser_hint()
    )
