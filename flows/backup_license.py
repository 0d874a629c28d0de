"""Back up the installed license: the first half of the documented procedure."""

from __future__ import annotations

from playwright.sync_api import Page

from automation.config import Target
from automation.errors import Refused
from automation.evidence import Artifact, Run
from automation.licenses import InstalledLicense
from automation.pages.licensing import LicensingPage
from flows.common import FlowResult, open_licensing

NO_LICENSE = "No license was found for this server"


def backup_license(page: Page, run: Run, target: Target) -> FlowResult:
    """Sign in, open Administration > Licensing and download the installed license."""
    licensing = open_licensing(page, run, target)
    backup = take_backup(licensing, run)
    if backup is None:
        return FlowResult(outcome="backed-up", message=f"{target.name} has no license to back up.")
    return FlowResult(
        outcome="backed-up",
        message=f"Backed up the license of {target.name} to {run.folder / backup.file}.",
    )


def take_backup(licensing: LicensingPage, run: Run) -> Artifact | None:
    """Step 3: Backup License, kept in the run folder and checked before anything else."""
    installed = run.record.license_before
    if installed is None or installed.banner.startswith(NO_LICENSE):
        return None
    with run.step("Back up the installed license"):
        path = licensing.backup_license(run.folder)
        check_backup(path.read_bytes(), installed)
        run.record.backup = run.add_file(path, "backup")
    return run.record.backup


def check_backup(data: bytes, installed: InstalledLicense) -> None:
    """A backup is only worth keeping if it is a file for this environment."""
    if not data:
        raise Refused(
            "Backup License downloaded an empty file; nothing was changed.",
            hint="Try again; if it persists, check Service Center's health before any upload.",
        )
    serial = installed.serial_number
    if serial and serial.encode() not in data:
        raise Refused(
            f"The downloaded backup does not carry this environment's serial number {serial}; "
            "nothing was changed.",
            hint="Open the backup file to see what Service Center sent instead of a license.",
        )
