"""--hold: a headed run's browser stays open at its end, for the operator to look at the
final state, until Enter is pressed or its seconds have passed."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress

from automation.cli.consoles import errors
from automation.config import RunOptions


def hold_for(options: RunOptions) -> Callable[[], None] | None:
    """What the run does before its browser closes: hold it open, or nothing."""
    if not (options.hold and options.launch.headed):
        return None
    return lambda: hold_browser(options.hold_seconds)


def hold_browser(seconds: float | None) -> None:
    """Wait for Enter on a terminal, or `seconds` (None: Enter only; refused without a
    terminal, see run_options()). Ctrl-C ends the wait, not the run."""
    on_terminal = sys.stdin.isatty()
    if seconds is None and not on_terminal:
        return  # nothing waits where no one can end the wait
    until = "press Enter to close it" if on_terminal else ""
    if seconds is not None:
        until = f"it closes in {seconds:g} s" + (", or press Enter" if on_terminal else "")
    errors.print(f"[bold]The browser stays open:[/] {until}.")
    pressed = threading.Event()

    def wait_for_enter() -> None:
        sys.stdin.readline()
        pressed.set()

    if on_terminal:  # a daemon thread: when the seconds are up the process goes on without it
        threading.Thread(target=wait_for_enter, daemon=True).start()
    # The run's own handler would take Ctrl-C after an upload for an interrupt of the change.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with suppress(KeyboardInterrupt):
            pressed.wait(seconds)
    finally:
        signal.signal(signal.SIGINT, previous)
