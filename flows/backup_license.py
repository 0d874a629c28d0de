"""Back up the installed license: the first half of the documented procedure."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from automation.config import Target
from automation.errors import Refused
from automation.evidence.records import Artifact, FlowResult
from automation.evidence.run import Run
from automation.license_files import incompleteness, is_web_page
from automation.licenses import SERIAL_PATTERN, InstalledLicense, LicenseFile
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
    licensing = open_licensing(visit)
    backup = take_backup(licensing, visit)
    if backup is None:
        return FlowResult(
            outcome="no-license", message=f"{target.name} has no license installed to back up."
        )
    return FlowResult(
        outcome="backed-up",
        message=f"Backed up the license of {target.name} to {run.folder / backup.file}.",
    )


def take_backup(
    licensing: LicensingPage, visit: Visit, new: LicenseFile | None = None
) -> Artifact | None:
    """Step 3: Backup License, kept in the run folder and checked before anything else
    (against the new license too, when one is to be installed)."""
    run = visit.run
    installed = run.record.license_before
    if installed is None or installed.banner.startswith(NO_LICENSE):
        return None
    with run.step("Back up the installed license"):
        path = visit.resuming(lambda: licensing.backup_license(run.folder), licensing.reopen)
        backup = run.kept_backup(path)  # kept even if it fails the checks
        run.annotate(captions.downloaded(backup))
        data = path.read_bytes()
        check_backup(data, installed)
        if new is not None:
            check_backup_size(run, backup, new)
        if not serials_in(data):
            run.warn(
                "The backup holds no readable serial number (an encoded license file): it is "
                "kept as downloaded. A rollback would be verified by the Licensing page's values "
                "and by the SHA-256 of the license Service Center then holds."
            )
    return backup


# A backup whose format says nothing of its completeness, and this much smaller than the new
# license, is taken for cut short: two licenses of one product are about the same size.
SMALLEST_BACKUP_RATIO = 0.6


def check_backup_size(run: Run, backup: Artifact, new: LicenseFile) -> None:
    """An encoded backup cannot show it is whole; one far smaller than the new license is
    not trusted with a rollback."""
    data = (run.folder / backup.file).read_bytes()
    if serials_in(data) or backup.size >= SMALLEST_BACKUP_RATIO * new.size:
        return
    run.checked("backup size", False, f"{backup.size} bytes against {new.size}")
    raise Refused(
        f"Backup License downloaded {backup.size} bytes, far less than the new license's "
        f"{new.size}, in a format that cannot show it is whole: it may be cut short. Nothing "
        "was changed.",
        hint="The file is kept in the run folder for inspection. Take a backup again (run "
        "again, or Backup License by hand) and compare; do not change the license without a "
        "good backup.",
    )


def check_backup(data: bytes, installed: InstalledLicense) -> None:
    """A backup is only worth keeping if it is a whole license file for this environment."""
    problem = backup_problem(data, installed)
    if problem:
        raise Refused(
            f"Backup License {problem}; nothing was changed.",
            hint="The file is kept in the run folder for inspection. Check Service Center's "
            "health, then run again; do not change the license without a good backup.",
        )


def backup_problem(data: bytes, installed: InstalledLicense) -> str | None:
    """What is wrong with a downloaded backup, in words; None when it can be trusted."""
    if not data:
        return "downloaded an empty file"
    if is_web_page(data):
        return "returned a web page (an error page?) instead of a license file"
    incomplete = incompleteness(data)
    if incomplete:
        return f"downloaded an incomplete file ({incomplete})"
    serial = installed.serial_number
    found = serials_in(data)
    if serial and found and serial not in found:
        return (
            f"downloaded a file for serial {', '.join(sorted(found))}, not this environment's "
            f"serial {serial}"
        )
    return None


def serials_in(data: bytes) -> set[str]:
    """The serial numbers readable in a file; none in an encoded or encrypted one."""
    text = data.decode("utf-8", errors="replace")
    return set(re.findall(rf"(?<![A-Z0-9]){SERIAL_PATTERN}(?![A-Z0-9])", text))
