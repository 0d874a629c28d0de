"""sc-license run in this process (typer's CliRunner), for what needs no browser: fast, and
a traceback shows up as the exception it would have been."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from automation.cli.app import app


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
    done = CliRunner().invoke(app, args, env={"COLUMNS": "200"}, prog_name="sc-license")
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception
    return Said(done.exit_code, done.stdout, done.stderr)
