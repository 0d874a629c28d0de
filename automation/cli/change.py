"""`install` and `restore`: the commands that change an environment's license."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from automation.cli.options import (
    ENVIRONMENT,
    AllowEarlierEnd,
    ChangeTicket,
    Confirm,
    DryRun,
    ExpectSerial,
    HowItRuns,
    Reason,
    WhichEnvironments,
    Yes,
)
from automation.option_groups import with_option_groups

# What a run needs (the models, the browser driver, the flows) is imported in the commands'
# bodies, as they run: `install --help` reads only the options.

LicenseOption = Annotated[
    Path | None,
    typer.Option(metavar="FILE", help="The .lic file to install.", rich_help_panel=ENVIRONMENT),
]
LicensesOption = Annotated[
    Path | None,
    typer.Option(
        metavar="DIR",
        help="With --env/--group/--all: a folder of .lic files, matched by serial.",
        rich_help_panel=ENVIRONMENT,
    ),
]
FromOption = Annotated[
    Path | None,
    typer.Option(
        "--from",
        metavar="PATH",
        help="A backup .lic file, a run folder with a backup, or a fleet's run.",
        rich_help_panel=ENVIRONMENT,
    ),
]


@with_option_groups
def install(
    license: LicenseOption = None,
    licenses: LicensesOption = None,
    dry_run: DryRun = False,
    expect_serial: ExpectSerial = None,
    allow_earlier_end: AllowEarlierEnd = False,
    confirm: Confirm = False,
    yes: Yes = False,
    reason: Reason = None,
    change: ChangeTicket = None,
    *,
    which: WhichEnvironments,
    how: HowItRuns,
) -> None:
    """Back up the installed license, check the new one, upload it and verify it.

    If Service Center then does not show the new license as valid, the backup is
    uploaded again and verified.
    """
    from automation.cli.display import expected_errors
    from automation.cli.running import run_selected
    from automation.cli.settings import settings
    from automation.cli.targets import approval
    from automation.errors import BadInput
    from automation.license_files import LicenseFolder, readable
    from automation.procedure import Procedure
    from flows.install_license import install_license, install_matching

    with expected_errors(how.debug):
        chosen = settings(how, which, reason=reason, change=change)
        where = which.where()
        approve, asks = approval(confirm, yes, how.headed, chosen.run.attribution.actor)
        if licenses is not None and license is not None:
            raise BadInput(
                "Give either --license (one file) or --licenses (a folder matched by serial).",
                hint="Not both: --licenses installs, on each environment, the file issued for "
                "its serial.",
            )
        if licenses is not None:
            if not where.selection.given:
                raise BadInput("--licenses works with --env, --group or --all.", hint="Add one.")
            folder = LicenseFolder.read(licenses)
            from automation.fleet import shown_serials  # a fleet's: one environment needs none

            flow = partial(
                install_matching,
                folder=folder,
                dry_run=dry_run,
                approve=approve,
                allow_earlier_end=allow_earlier_end,
            )
            run_selected(
                Procedure("install", flow, changes=not dry_run),
                where,
                chosen,
                interactive=asks,
                after=lambda entries: folder.left_over(shown_serials(entries)),
            )
        if license is None:
            raise BadInput("Which license file?", hint="Give --license FILE (or --licenses DIR).")
        where.check()
        readable(license)  # a mistyped path leaves no run folder
        flow = partial(
            install_license,
            license_path=license,
            dry_run=dry_run,
            expect_serial=expect_serial,
            approve=approve,
            allow_earlier_end=allow_earlier_end,
        )
        procedure = Procedure("install", flow, changes=not dry_run)
        run_selected(procedure, where, chosen, interactive=asks)


@with_option_groups
def restore(
    from_: FromOption = None,
    dry_run: DryRun = False,
    confirm: Confirm = False,
    yes: Yes = False,
    reason: Reason = None,
    change: ChangeTicket = None,
    *,
    which: WhichEnvironments,
    how: HowItRuns,
) -> None:
    """Upload a backup again through the same checked and verified flow as install."""
    from automation.cli.display import expected_errors
    from automation.cli.running import run_selected
    from automation.cli.settings import settings
    from automation.cli.targets import approval
    from automation.errors import BadInput
    from automation.evidence.runs import fleet_folders
    from automation.license_files import readable
    from automation.procedure import Procedure
    from flows.install_license import restore_license

    with expected_errors(how.debug):
        chosen = settings(how, which, reason=reason, change=change)
        where = which.where()
        approve, asks = approval(confirm, yes, how.headed, chosen.run.attribution.actor)
        if from_ is None:
            raise BadInput("Restore from what?", hint="Give --from with a backup or run folder.")
        if not where.check().selection.given and not from_.is_dir():
            readable(from_, "The backup")  # a mistyped path leaves no run folder
        flow = partial(
            restore_license,
            source=from_,
            by_environment=fleet_folders(from_) if where.selection.given else None,
            dry_run=dry_run,
            approve=approve,
        )
        procedure = Procedure("restore", flow, changes=not dry_run)
        run_selected(procedure, where, chosen, interactive=asks)
