"""Ctrl-C everywhere, Ctrl-Break on Windows and a service manager's SIGTERM on POSIX stop a
run alike; a platform without one of them is not asked for it. Windows' signal module is
played by a stand-in here, as Windows cannot run."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rich.console import Console

from automation.cli import running
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


def test_during_the_change_two_interrupts_wait_for_it_and_a_third_stops_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said = io.StringIO()
    monkeypatch.setattr(running, "errors", Console(file=said, width=200))
    posix = FakeSignals(**POSIX)
    interrupts = Interrupts().install(posix)
    interrupts.changing.set()  # the upload has begun

    posix.handlers[2](2, None)  # Ctrl-C: the change is seen through first
    posix.handlers[15](15, None)  # and again, half a second later: still seen through

    assert interrupts.stopping.wait(5)
    deadline = time.monotonic() + 5  # said by a thread of its own, a moment later
    while "Still finishing the change" not in said.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "Interrupted during the change: it is finished first" in said.getvalue()
    assert "Still finishing the change. Interrupt once more to stop at once" in said.getvalue()
    with pytest.raises(KeyboardInterrupt):
        posix.handlers[2](2, None)


ROOT = Path(__file__).parents[2]


# A fresh interpreter, as a run's: Interrupts installed, the change begun, then the handler is
# called as the interpreter calls it, between any two bytecodes of the main thread: here while
# nothing more may be imported (a second signal lands while the first one's handler is in the
# middle of a lazy import) and while the main thread holds the lock of `stopping` itself (inside
# Event.set or wait). A handler that prints, imports or takes a lock fails or hangs there.
BETWEEN_ANY_TWO_BYTECODES = """
import sys
import time
from types import SimpleNamespace
from rich.console import Console

from automation.cli import running
from automation.cli.running import Interrupts

class Signals(SimpleNamespace):
    def signal(self, number, handler):
        self.handler = handler

signals = Signals(SIGINT=2, SIGTERM=15)
interrupts = Interrupts().install(signals)
interrupts.changing.set()

class NoImports:
    def find_spec(self, name, path=None, target=None):
        raise ImportError(f"imported in a signal handler: {name}")

with interrupts.stopping._cond:
    sys.meta_path.insert(0, NoImports())
    for name in [n for n in sys.modules if n.startswith("rich.") and "emoji" in n]:
        del sys.modules[name]
    signals.handler(15, None)
    signals.handler(15, None)
    sys.meta_path.pop(0)
    print("seen at once" if interrupts.stopping.is_set() else "not seen yet")
assert interrupts.stopping.wait(5)
try:
    signals.handler(2, None)
except KeyboardInterrupt:
    print("third stops at once")
time.sleep(1)  # what the deferred ones say is said by a thread of their own
"""


def test_an_interrupt_during_the_change_only_takes_note_whatever_the_main_thread_was_doing() -> (
    None
):
    ended = subprocess.run(
        [sys.executable, "-c", BETWEEN_ANY_TWO_BYTECODES],
        capture_output=True,
        text=True,
        timeout=10,  # a handler that takes the held lock never returns
        cwd=ROOT,
    )

    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.split("\n")[:2] == ["seen at once", "third stops at once"]
    said = " ".join(ended.stderr.split())
    assert "Interrupted during the change: it is finished first" in said
    assert "Still finishing the change. Interrupt once more to stop at once" in said
