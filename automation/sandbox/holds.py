"""A page held back until a test lets it through: a server slow for exactly as long as the test
needs, with no guess of how long that is."""

from __future__ import annotations

import asyncio
import threading
import time

# How often a held request looks whether it was let through.
CHECK_S = 0.01
# What SandboxFaults.hold() takes besides a page name: the processing of a posted license
# file (the upload form's page itself comes at once).
UPLOAD_PROCESSING = "processing an upload"


class Hold:
    """Requests for one page wait here until release(); `held` counts those waiting now."""

    def __init__(self) -> None:
        self._released = threading.Event()
        self._lock = threading.Lock()
        self.held = 0

    async def wait(self) -> None:
        """Wait (in the sandbox's event loop) until the hold is released."""
        with self._lock:
            self.held += 1
        try:
            while not self._released.is_set():
                await asyncio.sleep(CHECK_S)
        finally:
            with self._lock:
                self.held -= 1

    def release(self) -> None:
        """Let every request through, those waiting and those to come."""
        self._released.set()


def wait_until_held(holds: list[Hold], count: int, timeout_s: float = 60) -> None:
    """Return once `count` requests wait in `holds` together; AssertionError after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while sum(hold.held for hold in holds) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"no {count} requests were held within {timeout_s:g} s")
        time.sleep(CHECK_S)
