"""sc-license: install, back up and read OutSystems 11 licenses through Service Center."""

from __future__ import annotations

from typing import Annotated, ClassVar

import typer

from automation.cli.help import CONTEXT, FLAG, show_version
from automation.cli.lazy import Lazy, LazyGroup
from automation.errors import ExitCode


def exit_codes() -> str:
    """The exit-code table for --help, from the one list of them."""
    lines = [f"{code.value:>3}  {code.meaning}" for code in ExitCode]
    return "Exit codes:\n\n" + "\n\n".join(lines)


class Commands(LazyGroup):
    """sc-license's commands, each loaded only when it runs. A summary is the first paragraph
    of the command's docstring (tests/cli/test_startup.py holds them to it)."""

    lazy: ClassVar[dict[str, Lazy]] = {
        "install": Lazy(
            "Back up the installed license, check the new one, upload it and verify it.",
            "automation.cli.change:install",
        ),
        "restore": Lazy(
            "Upload a backup again through the same checked and verified flow as install.",
            "automation.cli.change:restore",
        ),
        "backup": Lazy(
            "Download the installed license with Backup License into a new run folder.",
            "automation.cli.read:backup",
        ),
        "status": Lazy(
            "Show the license installed on an environment, as its Licensing page shows it.",
            "automation.cli.read:status",
        ),
        "probe": Lazy(
            "Check what the tool recognises of a Service Center, read-only; propose a profile.",
            "automation.cli.probe:probe",
        ),
        "setup": Lazy(
            "Find the browsers to drive (a headless shell for headless runs, Chromium for headed "
            "ones; installing what is missing) and ffmpeg for video.",
            "automation.cli.getting_started:setup",
        ),
        "demo": Lazy(
            "Install a fresh license on a local sandbox Service Center, exactly as on a real one.",
            "automation.cli.getting_started:demo",
        ),
        "init": Lazy(
            "Write an example environments.toml (the inventory) to describe your environments in.",
            "automation.cli.init:init",
        ),
        "sandbox": Lazy(
            "A local Service Center for rehearsal, demos and tests.",
            "automation.sandbox.cli:sandbox_app",
        ),
        # Through review, which adds review, sign and keygen to audit's commands.
        "audit": Lazy(
            "Review evidence: list runs, build reports, verify, scan, review, sign the head.",
            "automation.cli.review:audit_app",
        ),
    }


app = typer.Typer(
    cls=Commands,
    help=__doc__,
    epilog=exit_codes(),
    no_args_is_help=True,
    add_completion=True,
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
