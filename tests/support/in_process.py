"""sc-license run in this process (typer's CliRunner): the same commands, browser and files as
a subprocess, without starting Python and importing everything again for each run. A
traceback shows up as the exception it would have been.

What a process would have had of its own is given to each run and taken back after it: the
environment, the working folder, the signal handlers and the consoles' width. The runs share
one Playwright driver (tests/support/shared_driver.py), lent to them, where that changes nothing
they do."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from automation.browser.playwright_adapter import loop_marked_running
from automation.browser.session import lending
from automation.cli import consoles
from automation.cli.app import app
from automation.sandbox import cli as sandbox_cli
from tests.support.cli import CliResult, environment_for
from tests.support.shared_driver import DRIVER

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class Said:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        """Everything printed, its line breaks undone (rich wraps long lines)."""
        return " ".join((self.stdout + self.stderr).split())


def invoke(args: list[str]) -> Said:
    """`sc-license ARGS` in-process; an exception other than a clean exit fails the test."""
    fit_consoles(200)
    done = CliRunner().invoke(app, args, env={"COLUMNS": "200"}, prog_name="sc-license")
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception
    return Said(done.exit_code, done.stdout, done.stderr)


def run_in_process(
    args: list[str],
    *,
    cwd: Path,
    password: str | None = None,
    env: dict[str, str] | None = None,
) -> CliResult:
    """`sc-license ARGS` as tests.support.cli.run_cli runs it (in `cwd`, the same environment,
    no terminal), in this process."""
    with own_process(cwd, environment_for(password, env)):
        done = CliRunner().invoke(app, args, prog_name="sc-license")
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception
    return CliResult(done.exit_code, done.stdout, done.stderr)


@contextmanager
def own_process(cwd: Path, environment: dict[str, str]) -> Iterator[None]:
    """What a run changes of its process, set as a new process would have it, then put back."""
    saved_environment = dict(os.environ)
    saved_folder = Path.cwd()
    saved_handlers = {number: signal.getsignal(number) for number in SIGNALS}
    # pytest-playwright's Playwright (the `page` fixture's) leaves its asyncio loop marked as
    # running in this thread between calls; the run's own sync_playwright() would refuse to
    # start beside it ("using Playwright Sync API inside the asyncio loop").
    with loop_marked_running(None), lending(DRIVER.for_run):
        DRIVER.start()  # before the run's environment, which may hold a password
        os.environ.clear()
        os.environ.update(environment)
        os.chdir(cwd)
        fit_consoles(int(environment.get("COLUMNS", "80")))
        try:
            yield
        finally:
            os.chdir(saved_folder)
            os.environ.clear()
            os.environ.update(saved_environment)
            for number, handler in saved_handlers.items():
                signal.signal(number, handler)


def fit_consoles(columns: int) -> None:
    """The CLI's consoles, made once for the process, as wide as this run's COLUMNS."""
    for console in (consoles.console, consoles.errors, sandbox_cli.errors):
        console.width = columns
