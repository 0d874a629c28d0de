"""Marks for tests that only a POSIX system can run, each saying why."""

from __future__ import annotations

import sys

import pytest

POSIX_SIGNALS = pytest.mark.skipif(
    sys.platform == "win32",
    reason="signals a process group as a terminal does (os.killpg, SIGTERM, SIGKILL); "
    "Windows has neither; its Ctrl-Break is covered by test_stop_signals",
)
POSIX_SHELL = pytest.mark.skipif(
    sys.platform == "win32", reason="plays a broken browser with a #!/bin/sh script"
)
