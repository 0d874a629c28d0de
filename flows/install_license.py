"""Install a license file: the documented procedure, made safe.

    1. Open Service Center, and sign in
    2. Click the Administration tab, then its Licensing submenu
    3. Back up the installed license (Backup License), then check the new file against it
    4. Click Upload New License (once Licensing, loaded again, still shows the license backed
       up), choose the new license file, upload it, verify the new license is installed (on
       the Licensing page loaded afresh)
       (a dry run opens the form, finds its controls and closes it instead)

The file checked and uploaded is a private copy (see take_file). If Service Center then does
not show the new license, recovery.settle() finds out what is installed and, when it is the
new license shown as invalid (or cannot be read), uploads the backup again and verifies it;
a third license, someone else's, is left as it is.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from playwright.sync_api import Page

from automation.config import Target
from automation.errors import Aborted, BadInput, ChangedMeanwhile, Refused
from automation.evidence.files import sha256_of
from automation.evidence.records import FlowResult
from automation.evidence.run import Run
from automation.evidence.runs import find_backup
from automation.license_files import LicenseFolder, read_license_file
from automation.licenses import Approve, InstalledLicense, LicenseFile, Proposal
from automation.pages.licensing import LicensingPage
from flows import common
from flows.backup_license import BACKUP_STEPS, take_backup
from flows.common import open_licensing
from flows.preflight import ALLOWED_BY_OPERATOR, EXPECTED_OF_A_RESTORE, ends, preflight
from flows.recovery import settle
from flows.upload import REHEARSAL_STEPS, UPLOAD_STEPS, rehearse_upload, upload_and_verify
from flows.visit import Visit


def install_license(
    page: Page,
    run: Run,
    target: Target,
    license_path: Path,
    *,
    dry_run: bool = False,
    expect_serial: str | None = None,
    approve: Approve | None = None,
    allow_earlier_end: bool = False,
) -> FlowResult:
    """Install the license file at `license_path` (steps 1 to 4)."""
    return install_file(
        page,
        run,
        target,
        license_path,
        dry_run=dry_run,
        expect_serial=expect_serial,
        approve=approve,
        earlier_end=ALLOWED_BY_OPERATOR if allow_earlier_end else None,
    )


def install_file(
    page: Page,
    run: Run,
    target: Target,
    license_path: Path,
    *,
    dry_run: bool = False,
    expect_serial: str | None = None,
    approve: Approve | None = None,
    earlier_end: str | None = None,
) -> FlowResult:
    """install_license(), told why a file that ends earlier passes (None: it is refused)."""
    with private_folder() as private:
        # A refusal leaves evidence.
        license_path, license_file = take_file(run, license_path, private)
        run.plan(planned_steps(dry_run))
        visit = Visit(page, run, target)
        licensing, before = open_licensing(visit)
        return change_license(
            visit,
            licensing,
            before,
            license_path,
            license_file,
            dry_run,
            expect_serial,
            approve,
            earlier_end=earlier_end,
        )


def install_matching(
    page: Page,
    run: Run,
    target: Target,
    folder: LicenseFolder,
    *,
    dry_run: bool = False,
    approve: Approve | None = None,
    allow_earlier_end: bool = False,
) -> FlowResult:
    """Install, from a folder of license files, the one issued for this environment's serial."""
    run.plan(planned_steps(dry_run))
    visit = Visit(page, run, target)
    licensing, before = open_licensing(visit)
    with private_folder() as private:
        license_path, license_file = take_file(
            run, folder.for_serial(before.serial_number, target.name), private
        )
        return change_license(
            visit,
            licensing,
            before,
            license_path,
            license_file,
            dry_run,
            None,
            approve,
            earlier_end=ALLOWED_BY_OPERATOR if allow_earlier_end else None,
        )


def restore_license(
    page: Page,
    run: Run,
    target: Target,
    source: Path,
    *,
    by_environment: dict[str, Path] | None = None,
    dry_run: bool = False,
    approve: Approve | None = None,
) -> FlowResult:
    """Install a backup again: a .lic file, the backup a run folder recorded, or, for a fleet,
    the backup of this environment's own run folder."""
    source = (by_environment or {}).get(target.name, source)
    # A backup put back may end earlier than the license it replaces: that is no flag given.
    return install_file(
        page,
        run,
        target,
        find_backup(source),
        dry_run=dry_run,
        approve=approve,
        earlier_end=EXPECTED_OF_A_RESTORE,
    )


def planned_steps(dry_run: bool) -> int:
    """Steps 1 to 4 as a headed run counts them; a recovery adds its own."""
    return common.STEPS + BACKUP_STEPS + (REHEARSAL_STEPS if dry_run else UPLOAD_STEPS)


@contextmanager
def private_folder() -> Iterator[Path]:
    """A temporary folder only this account can open (mkdtemp makes it 0700), outside the
    recordings folder, removed when the flow ends."""
    folder = Path(tempfile.mkdtemp(prefix="sc-license-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def take_file(run: Run, license_path: Path, private: Path) -> tuple[Path, LicenseFile]:
    """Read the file to install and copy the bytes read, once, into `private`: that copy is
    what is checked and uploaded, and its SHA-256 is what run.json records, whoever changes
    the original or writes into the recordings folder. The copy kept with the evidence is
    written afterwards and compared with it."""
    license_file = read_license_file(license_path)
    data = license_path.read_bytes()
    if sha256_of(data) != license_file.sha256:
        raise BadInput(f"{license_path} changed while it was being read.", hint="Run again.")
    checked = private / license_path.name  # the name Service Center is sent, as given
    checked.write_bytes(data)
    kept = run.took_license_file(license_file, data)
    if kept.sha256 != license_file.sha256:
        raise Refused(
            f"The copy of {license_file.name} kept in {run.folder} changed as it was written "
            f"(SHA-256 {kept.sha256}, not {license_file.sha256}): something else writes into "
            "the recordings folder. Nothing was uploaded.",
            hint="Find out what writes into the recordings folder, then run again.",
        )
    return checked, license_file


def change_license(
    visit: Visit,
    licensing: LicensingPage,
    before: InstalledLicense,
    license_path: Path,
    license_file: LicenseFile,
    dry_run: bool,
    expect_serial: str | None,
    approve: Approve | None,
    *,
    earlier_end: str | None = None,
) -> FlowResult:
    """Steps 3 and 4, with the checks, the approval, the verification and the recovery;
    `before`, the license the Licensing page showed when the run reached it."""
    run, target = visit.run, visit.target
    backup = take_backup(licensing, visit, before)
    kept = backup.artifact if backup is not None else None
    verdict = preflight(
        run,
        target.name,
        before,
        license_file,
        kept,
        expect_serial=expect_serial,
        today=date.today(),
        earlier_end=earlier_end,
    )
    if verdict.already_installed:
        return FlowResult(
            outcome="unchanged",
            message=f"{license_file.name} is already installed on {target.name}; "
            "nothing was uploaded.",
        )
    if dry_run:
        rehearse_upload(visit, licensing, before)
        return FlowResult(
            outcome="dry-run",
            message=f"Dry run: {license_file.name} passed every check for {target.name}, and "
            "every control of the upload was found; nothing was uploaded.",
        )
    if approve is not None:
        checks = [backup.check, *verdict.checks] if backup is not None else verdict.checks
        approval = approve(
            Proposal(
                environment=target.name,
                url=target.url,
                installed=before,
                new=license_file,
                checks=checks,
            )
        )
        run.approved(approval)
        if not approval.approved:
            raise Aborted(
                f"The change on {target.name} was not approved; nothing was uploaded.",
                hint="Run again and type the serial number's last group to approve.",
            )
    # Where the file's own values cannot be read, the serial the operator vouched for stands in.
    vouched = license_file.serial_number or (expect_serial or "").upper() or None
    expected = license_file.model_copy(update={"serial_number": vouched})
    backup_path = run.folder / kept.file if kept is not None else None
    try:
        after = upload_and_verify(
            visit, licensing, license_path, expected, before=before, backup=backup_path
        )
    except ChangedMeanwhile:
        raise  # seen before the upload: nothing was uploaded, nothing to settle
    except Exception as failure:
        if backup_path is None:
            raise
        after = settle(visit, licensing, failure, license_path, expected, before, backup_path)
    return FlowResult(
        outcome="installed",
        message=f"Installed {license_file.name} on {target.name}: "
        f"activation code {after.activation_code}, {ends(after.end_date or after.end_date_shown)}.",
    )
