"""sc-license: install, back up and read OutSystems 11 licenses through Service Center."""

from __future__ import annotations

from typing import Annotated

import typer

from automation.cli import (
    change,
    getting_started,
    read,
    review,  # noqa: F401  (adds audit review, sign and keygen)
)
from automation.cli.audit import audit_app
from automation.cli.help import CONTEXT, FLAG, Group, show_version
from automation.errors import ExitCode
from automation.sandbox.cli import sandbox_app


def exit_codes() -> str:
    """The exit-code table for --help, from the one list of them."""
    lines = [f"{code.value:>3}  {code.meaning}" for code in ExitCode]
    return "Exit codes:\n\n" + "\n\n".join(lines)


app = typer.Typer(
    cls=Group,
    help=__doc__,
    epilog=exit_codes(),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT,
)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            metavar=FLAG,
            is_eager=True,
            callback=show_version,
            help="Print the version (sc-license X.Y.Z) and exit.",
        ),
    ] = False,
) -> None:
    """sc-license: install, back up and read OutSystems 11 licenses through Service Center."""


for command in (
    change.install,
    change.restore,
    read.backup,
    read.status,
    getting_started.setup,
    getting_started.demo,
):
    app.command()(command)
app.add_typer(sandbox_app, name="sandbox", cls=Group)
app.add_typer(audit_app, name="audit", cls=Group)
