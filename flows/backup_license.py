"""Back up the installed license: the first half of the documented procedure."""

from __future__ import annotations

import re
from typing import NamedTuple

from playwright.sync_api import Page

from automation.config import Target
from automation.errors import Refused
from automation.evidence.records import Artifact, FlowResult
from automation.evidence.run import Run
from automation.license_files import is_web_page, license_text
from automation.licenses import SERIAL_PATTERN, Checked, InstalledLicense
from automation.pages.download import Downloaded
from automation.pages.licensing import LicensingPage
from flows import captions, common
from flows.common import open_licensing
from flows.visit import Visit

NO_LICENSE = "No license was found for this server"
BACKUP_STEPS = 1  # take_backup()'s


def backup_license(page: Page, run: Run, target: Target) -> FlowResult:
    """Sign in, open Administration > Licensing and download the installed license."""
    run.plan(common.STEPS + BACKUP_STEPS)
    visit = Visit(page, run, target)
    licensing, installed = open_licensing(visit)
    backup = take_backup(licensing, visit, installed)
    if backup is None:
        return FlowResult(
            outcome="no-license", message=f"{target.name} has no license installed to back up."
        )
    return FlowResult(
        outcome="backed-up",
        message=f"Backed up the license of {target.name} to {run.folder / backup.artifact.file}.",
    )


class Backup(NamedTuple):
    """The installed license as Backup License gave it, kept in the run folder, and the
    check it passed."""

    artifact: Artifact
    check: Checked


def take_backup(
    licensing: LicensingPage, visit: Visit, installed: InstalledLicense
) -> Backup | None:
    """Step 3: Backup License, kept in the run folder and checked before anything else:
    whole by what its transfer said, and a license file for this environment. None when
    Service Center shows no license to back up."""
    run = visit.run
    if installed.banner.startswith(NO_LICENSE):
        return None
    with run.step("Back up the installed license"):
        download = visit.resuming(lambda: licensing.backup_license(run.folder), licensing.reopen)
        backup = keep(run, download, "backup")  # kept even if it fails the checks
        saved = [captions.downloaded(backup)] if backup is not None else []
        run.annotate("\n".join([*saved, download.evidence]))
        data = (run.folder / backup.file).read_bytes() if backup is not None else b""
        problem = download.problem or backup_problem(data, installed)
        check = ("backup", problem is None, problem or download.evidence)
        run.checked(*check)
        if problem is not None or backup is None:  # no file kept reads as an empty one
            raise Refused(
                f"{problem}; nothing was changed.",
                hint="What was downloaded is kept in the run folder for inspection. Check "
                "Service Center's health, then run again; do not change the license without "
                "a good backup.",
            )
        if not serials_in(data):
            run.warn(
                "The backup holds no readable serial number (an encoded license file): it is "
                "kept as downloaded. A rollback would be verified by the Licensing page's values."
            )
    return Backup(backup, check)


def keep(run: Run, download: Downloaded, role: str) -> Artifact | None:
    """Record the files a download saved: the first as `role` (the run's backup when it is
    one), a second download beside it; None when the transfer failed and saved nothing."""
    kept = None
    if download.path is not None and role == "backup":
        kept = run.kept_backup(download.path)
    elif download.path is not None:
        kept = run.add_file(download.path, role)
    if download.second is not None:
        run.add_file(download.second, f"{role}, second download to compare")
    return kept


def backup_problem(data: bytes, installed: InstalledLicense) -> str | None:
    """What a downloaded backup plainly is instead of this environment's license, in words;
    None when nothing says so. Whether it is whole is for its transfer to tell, not its format."""
    if not data:
        return "Backup License downloaded an empty file"
    if is_web_page(data):
        return "Backup License returned a web page (an error page?) instead of a license file"
    serial = installed.serial_number
    found = serials_in(data)
    if serial and found and serial not in found:
        return (
            f"Backup License downloaded a file for serial {', '.join(sorted(found))}, not this "
            f"environment's serial {serial}"
        )
    return None


def serials_in(data: bytes) -> set[str]:
    """The serial numbers readable in a file; none in an encoded or encrypted one."""
    text = license_text(data)
    return set(re.findall(rf"(?<![A-Z0-9]){SERIAL_PATTERN}(?![A-Z0-9])", text))
