"""Ctrl-C everywhere, Ctrl-Break on Windows and a service manager's SIGTERM on POSIX stop a
run alike; a platform without one of them is not asked for it. Windows' signal module is
played by a stand-in here, as Windows cannot run."""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from automation.cli.running import Interrupts
from automation.cli.stop_signals import stop_signals


class FakeSignals(SimpleNamespace):
    """A signal module with only the signals given, recording the handlers installed."""

    def __init__(self, **numbers: int) -> None:
        super().__init__(**numbers)
        self.handlers: dict[int, Callable[..., Any]] = {}

    def signal(self, number: int, handler: Callable[..., Any]) -> None:
        self.handlers[number] = handler


WINDOWS = {"SIGINT": 2, "SIGTERM": 15, "SIGBREAK": 21}
POSIX = {"SIGINT": 2, "SIGTERM": 15}


def test_ctrl_break_stops_a_run_on_windows_as_ctrl_c_does() -> None:
    windows = FakeSignals(**WINDOWS)

    Interrupts().install(windows)

    for number in (2, 21):
        with pytest.raises(KeyboardInterrupt):
            windows.handlers[number](number, None)


def test_a_platform_without_sigterm_or_sigbreak_still_has_ctrl_c() -> None:
    bare = FakeSignals(SIGINT=2)

    Interrupts().install(bare)

    assert list(bare.handlers) == [2]


def test_on_this_machine_the_stop_signals_are_the_ones_it_has() -> None:
    expected = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGBREAK"):
        expected.append(signal.SIGBREAK)
    assert stop_signals() == expected
    assert stop_signals(FakeSignals(**POSIX)) == [2, 15]


def test_during_the_change_two_interrupts_wait_for_it_and_a_third_stops_at_once() -> None:
    posix = FakeSignals(**POSIX)
    interrupts = Interrupts().install(posix)
    interrupts.changing.set()  # the upload has begun

    posix.handlers[2](2, None)  # Ctrl-C: the change is seen through first
    posix.handlers[15](15, None)  # and again, half a second later: still seen through

    assert interrupts.stopping.is_set()
    with pytest.raises(KeyboardInterrupt):
        posix.handlers[2](2, None)
