"""sc-license: install, back up and read OutSystems 11 licenses through Service Center."""

from __future__ import annotations

import typer

from automation.cli import (
    change,
    getting_started,
    read,
    review,  # noqa: F401  (adds audit review, sign and keygen)
)
from automation.cli.audit import audit_app
from automation.errors import ExitCode
from automation.sandbox.cli import sandbox_app


def exit_codes() -> str:
    """The exit-code table for --help, from the one list of them."""
    lines = [f"{code.value:>3}  {code.meaning}" for code in ExitCode]
    return "Exit codes:\n\n" + "\n\n".join(lines)


app = typer.Typer(
    help=__doc__,
    epilog=exit_codes(),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(change.install)
app.command()(change.restore)
app.command()(read.backup)
app.command()(read.status)
app.command()(getting_started.setup)
app.command()(getting_started.demo)
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(audit_app, name="audit")
