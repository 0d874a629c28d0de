"""`backup` and `status`: the commands that only read an environment's license."""

from __future__ import annotations

from typing import Annotated

import typer

from automation.cli.options import HowItRuns, WhichEnvironments
from automation.errors import ExitCode
from automation.option_groups import with_option_groups

# What a run needs (the browser driver, the flows) is imported in the commands' bodies, as
# they run: `status --help` reads only the options.

WarnDays = Annotated[
    int | None,
    typer.Option(
        "--warn-days",
        min=0,
        metavar="N",
        help=f"Exit {ExitCode.LICENSE_NEEDS_ATTENTION.value} when a license ends within N "
        "days too (one shown invalid always does).",
    ),
]


@with_option_groups
def backup(which: WhichEnvironments, how: HowItRuns) -> None:
    """Download the installed license with Backup License into a new run folder."""
    from automation.cli.display import expected_errors
    from automation.cli.running import run_selected
    from automation.cli.settings import settings
    from automation.procedure import Procedure
    from flows.backup_license import backup_license

    with expected_errors(how.debug):
        procedure = Procedure("backup", backup_license, changes=False)
        run_selected(procedure, which.where(), settings(how, which))


@with_option_groups
def status(warn_days: WarnDays = None, *, which: WhichEnvironments, how: HowItRuns) -> None:
    """Show the license installed on an environment, as its Licensing page shows it.

    A license the page shows not valid ends the run as "attention" (exit 8)."""
    from automation.cli.display import expected_errors
    from automation.cli.running import run_selected
    from automation.cli.settings import settings
    from automation.procedure import Procedure
    from flows.license_status import watching

    with expected_errors(how.debug):
        procedure = Procedure("status", watching(warn_days), changes=False)
        run_selected(procedure, which.where(), settings(how, which), warn_days=warn_days)
