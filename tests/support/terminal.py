"""The CLI's two consoles as a person's terminal of a given width shows them, without a
process of its own: for what a display function prints, at 80 columns."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from automation.cli import consoles


@dataclass
class Printed:
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        """Every line printed, stdout's then stderr's, trailing spaces cut."""
        return [line.rstrip() for line in (self.stdout + self.stderr).splitlines()]


@contextmanager
def terminal(capsys: pytest.CaptureFixture[str], columns: int = 80) -> Iterator[Printed]:
    """What the consoles print inside the block, at `columns`; read it after the block."""
    widths = [(console, console.width) for console in (consoles.console, consoles.errors)]
    for console, _ in widths:
        console.width = columns
    capsys.readouterr()
    printed = Printed("", "")
    try:
        yield printed
    finally:
        for console, width in widths:
            console.width = width
        said = capsys.readouterr()
        printed.stdout, printed.stderr = said.out, said.err
