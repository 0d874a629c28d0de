"""The private parts of Playwright (and of asyncio) that sc-license relies on, named here and
nowhere else, and the Playwright versions they were read from.

Lanes (lanes.py) wait on Playwright's event loop the way its own sync calls do; the tests'
shared driver marks that loop as running between runs, as Playwright does between calls.
Neither has a public API. Each function here checks the installed Playwright first: outside
the range below, a part may have moved or changed its meaning, and the run stops with what to
do rather than misbehave."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from functools import cache
from importlib.metadata import version
from typing import Any

from playwright.sync_api import Playwright

from automation.errors import ScLicenseError

# As in pyproject.toml (playwright>=1.64,<2): the versions whose private parts were read.
LOWEST = (1, 64)
BELOW = (2, 0)
WRITTEN_FOR = ">=1.64,<2"


class UnsupportedPlaywright(ScLicenseError):
    """The installed Playwright is outside the versions this module was written for."""


def check_version(installed: str) -> None:
    """Refuse a Playwright outside WRITTEN_FOR, saying what to install instead."""
    found = re.match(r"(\d+)\.(\d+)", installed)
    numbers = (int(found[1]), int(found[2])) if found else (0, 0)
    if not LOWEST <= numbers < BELOW:
        raise UnsupportedPlaywright(
            f"Playwright {installed} is installed; sc-license is written for Playwright "
            f"{WRITTEN_FOR} and relies on how those versions work inside.",
            hint=f"Install a Playwright {WRITTEN_FOR} (`pip install 'playwright{WRITTEN_FOR}'`, "
            "or `uv sync` in a checkout of sc-license), then run again.",
        )


@cache  # once it has passed: the installed version does not change while we run
def _checked() -> None:
    check_version(version("playwright"))


def loop_of(playwright: Playwright) -> asyncio.AbstractEventLoop:
    """The asyncio loop `playwright`'s connection runs on; its sync calls run their tasks
    there, from the thread that started it."""
    _checked()
    return playwright._loop


def wait_as_sync_call(playwright: Playwright, awaitable: Coroutine[Any, Any, None]) -> None:
    """Wait for `awaitable` as one of Playwright's sync calls waits: this greenlet hands
    control to the loop, which runs other greenlets' work meanwhile."""
    _checked()
    playwright._sync(awaitable)


def connected(playwright: Playwright) -> bool:
    """Whether `playwright`'s connection to its driver still runs (its dispatcher greenlet,
    which runs the loop, has not ended)."""
    _checked()
    return not playwright._dispatcher_fiber.dead


@contextmanager
def loop_marked_running(loop: asyncio.AbstractEventLoop | None) -> Iterator[None]:
    """Mark `loop` (None: none) as this thread's running loop meanwhile, as Playwright's sync
    API marks its own between calls; the mark found before is put back after."""
    _checked()
    marked = asyncio._get_running_loop()
    asyncio._set_running_loop(loop)
    try:
        yield
    finally:
        asyncio._set_running_loop(marked)
