"""sc-license run in this process (typer's CliRunner): the same commands, browser and files as
a subprocess, without starting Python and importing everything again for each run. A
traceback shows up as the exception it would have been.

What a process would have had of its own is given to each run and taken back after it: the
environment, the working folder, the signal handlers and the consoles' width. The runs share
one Playwright driver (tests/support/shared_driver.py) where that changes nothing they do."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import expect
from typer.testing import CliRunner

from automation.browser import pdf, session
from automation.cli import consoles
from automation.cli.app import app
from automation.sandbox import cli as sandbox_cli
from tests.support.cli import CliResult, environment_for
from tests.support.shared_driver import DRIVER

SIGNALS = (signal.SIGINT, signal.SIGTERM)
# Playwright's own default for expect(); a run raises it for the process (see session.py).
EXPECT_TIMEOUT_MS = 5_000


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
    tests_loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    DRIVER.start()  # before the run's environment, which may hold a password
    asyncio._set_running_loop(None)  # start() leaves the driver's loop marked; a run marks it
    starters = {module: module.sync_playwright for module in (session, pdf)}
    for module in starters:
        module.sync_playwright = DRIVER.for_run  # type: ignore[assignment]
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(cwd)
    fit_consoles(int(environment.get("COLUMNS", "80")))
    try:
        yield
    finally:
        for module, starter in starters.items():
            module.sync_playwright = starter  # type: ignore[assignment]
        asyncio._set_running_loop(tests_loop)
        os.chdir(saved_folder)
        os.environ.clear()
        os.environ.update(saved_environment)
        for number, handler in saved_handlers.items():
            signal.signal(number, handler)
        forget_expect_timeout()


def fit_consoles(columns: int) -> None:
    """The CLI's consoles, made once for the process, as wide as this run's COLUMNS."""
    for console in (consoles.console, consoles.errors, sandbox_cli.errors):
        console.width = columns


def forget_expect_timeout() -> None:
    """A run raises expect()'s timeout for its whole process (see _expect_timeout in
    automation/browser/session.py); the next run starts from Playwright's default, as a new
    process would."""
    assert hasattr(session, "_longest_expect_ms"), "session.py keeps it elsewhere now"
    session._longest_expect_ms = 0
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
