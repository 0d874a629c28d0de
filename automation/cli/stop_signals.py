"""The signals that ask a run to stop, on the platform it runs on: Ctrl-C everywhere, a
service manager's SIGTERM, and Ctrl-Break on Windows (SIGBREAK). A platform is asked only
for the ones it has."""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType, ModuleType
from typing import Any

Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None
STOPS = ("SIGINT", "SIGTERM", "SIGBREAK")


def stop_signals(signals: ModuleType | Any = signal) -> list[int]:
    """The stop signals `signals` (the signal module, or a stand-in for another platform's)
    has, Ctrl-C's first."""
    return [getattr(signals, name) for name in STOPS if hasattr(signals, name)]


def on_stop(handler: Handler, signals: ModuleType | Any = signal, *, ctrl_c: bool = True) -> None:
    """Install `handler` for every stop signal there is; with ctrl_c false, for all but
    Ctrl-C's."""
    for number in stop_signals(signals):
        if ctrl_c or number != signals.SIGINT:
            signals.signal(number, handler)
