"""One Playwright driver for the in-process runs of a test worker.

`sync_playwright()` starts Playwright's driver, a Node.js process, and stops it after: about
half a second and as much CPU for each run, paid by every CLI test. An operator's run pays it
once, as a process does; the runs of one test worker share one driver instead, started once in
the worker's main thread and lent to its runs (automation/browser/session.py's `lending`).
Each run still launches and closes its own browser.

A run gets a driver of its own, as before, where sharing could change what it does: in
another thread (a fleet's browsers), or when its environment differs from the shared driver's
in a variable the driver or the browsers it launches read (browser paths, display, proxies,
temporary and home folders)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress

from playwright.sync_api import Playwright, sync_playwright

from automation.browser.playwright_adapter import connected, loop_marked_running, loop_of

# What the driver, and the browsers it starts, take from their environment.
DRIVER_READS = ("PLAYWRIGHT", "PW_", "DEBUG", "DISPLAY", "WAYLAND", "XDG_", "HOME", "TMP", "TEMP")


def driver_environment(environment: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """The part of an environment a driver's behaviour depends on."""
    return {
        name: value
        for name, value in environment.items()
        if name.upper().startswith(DRIVER_READS) or "PROXY" in name.upper()
    }


class SharedDriver:
    """A Playwright started on first use in the main thread, kept until stop()."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._environment: dict[str, str] = {}

    def start(self) -> None:
        """Start the driver now, in this process's own environment (no run's password is in
        it), unless one is running."""
        if self._alive() or threading.current_thread() is not threading.main_thread():
            return
        with suppress(Exception):  # one whose connection died (its driver killed): let it go
            self.stop()
        # Started, Playwright marks its loop as running in this thread; a run marks it while
        # it uses the driver (_lend), and the tests' own Playwright needs the thread as it was.
        with loop_marked_running(None):
            self._playwright = sync_playwright().start()
        self._environment = driver_environment(os.environ)

    def for_run(self) -> AbstractContextManager[Playwright]:
        """What `sync_playwright()` gives a run: the shared driver where it fits, else a
        driver of the run's own."""
        if (
            self._playwright is None
            or not self._alive()
            or threading.current_thread() is not threading.main_thread()
            or driver_environment(os.environ) != self._environment
        ):
            return sync_playwright()
        return self._lend(self._playwright)

    @contextmanager
    def _lend(self, playwright: Playwright) -> Iterator[Playwright]:
        # A sync call resumes the driver's loop where it stopped: the thread must show that
        # loop as running, as Playwright leaves it after each call of its own.
        with loop_marked_running(loop_of(playwright)):
            yield playwright  # not stopped: the next run uses it too

    def stop(self) -> None:
        if self._playwright is None:
            return
        playwright, self._playwright = self._playwright, None
        with loop_marked_running(loop_of(playwright)):  # as after its last call
            playwright.stop()

    def _alive(self) -> bool:
        return self._playwright is not None and connected(self._playwright)


DRIVER = SharedDriver()
