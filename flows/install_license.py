"""Install a license file: the documented procedure made safe.

Backup first, pre-flight checks, optional approval, upload, verify, and on a failed
verification the backup goes back up and is verified in turn.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date
from pathlib import Path

from playwright.sync_api import Page

from automation.backups import find_backup
from automation.config import Target
from automation.errors import (
    Aborted,
    BadInput,
    RollbackFailed,
    RolledBack,
    ScLicenseError,
    ServiceCenterError,
    SignedOut,
    VerificationFailed,
)
from automation.evidence import Run, describe
from automation.license_folder import LicenseFolder
from automation.licenses import (
    InstalledLicense,
    LicenseFields,
    LicenseFile,
    read_license_file,
    sha256_of,
)
from automation.pages.licensing import LicensingPage
from flows.backup_license import take_backup
from flows.common import FlowResult, open_licensing
from flows.preflight import preflight
from flows.visit import Visit

CHECKED_FIELDS = ("serial_number", "activation_code", "end_date")

# Asked before the upload with the installed license and the new file; True means go on.
Approve = Callable[[InstalledLicense, LicenseFile], bool]


def install_license(
    page: Page,
    run: Run,
    target: Target,
    license_path: Path,
    *,
    dry_run: bool = False,
    expect_serial: str | None = None,
    approve: Approve | None = None,
) -> FlowResult:
    """1. Open Service Center  2. Administration > Licensing  3. Backup License
    4. Upload New License, then check the Licensing page shows the new license."""
    license_path, license_file = take_file(run, license_path)  # a refusal leaves evidence
    visit = Visit(page, run, target)
    licensing = open_licensing(visit)
    return change_license(
        visit,
        licensing,
        license_path,
        license_file,
        dry_run=dry_run,
        expect_serial=expect_serial,
        approve=approve,
    )


def install_matching(
    page: Page,
    run: Run,
    target: Target,
    folder: LicenseFolder,
    *,
    dry_run: bool = False,
    approve: Approve | None = None,
) -> FlowResult:
    """Install, from a folder of license files, the one issued for this environment's serial."""
    visit = Visit(page, run, target)
    licensing = open_licensing(visit)
    before = run.record.license_before
    assert before is not None
    license_path = folder.for_serial(before.serial_number, target.name)
    license_path, license_file = take_file(run, license_path)
    return change_license(
        visit, licensing, license_path, license_file, dry_run=dry_run, approve=approve
    )


def take_file(run: Run, license_path: Path) -> tuple[Path, LicenseFile]:
    """Read the file to install and keep a copy with the evidence: the copy is what is
    uploaded, so the file checked is the file installed even if the original changes."""
    license_file = read_license_file(license_path)
    data = license_path.read_bytes()
    if sha256_of(data) != license_file.sha256:
        raise BadInput(f"{license_path} changed while it was being read.", hint="Run again.")
    run.record.license_file = license_file
    run.write_file(f"new-{license_file.name}", data, "uploaded license")
    return run.folder / f"new-{license_file.name}", license_file


def change_license(
    visit: Visit,
    licensing: LicensingPage,
    license_path: Path,
    license_file: LicenseFile,
    *,
    dry_run: bool = False,
    expect_serial: str | None = None,
    approve: Approve | None = None,
) -> FlowResult:
    """Steps 3 and 4, with the checks, the approval, the verification and the rollback."""
    run, target = visit.run, visit.target
    backup = take_backup(licensing, visit)
    before = run.record.license_before
    assert before is not None
    if preflight(run, before, license_file, expect_serial=expect_serial, today=date.today()):
        return FlowResult(
            outcome="unchanged",
            message=f"{license_file.name} is already installed on {target.name}; "
            "nothing was uploaded.",
        )
    if dry_run:
        return FlowResult(
            outcome="dry-run",
            message=f"Dry run: {license_file.name} passed every check for {target.name}; "
            "nothing was uploaded.",
        )
    if approve is not None and not approve(before, license_file):
        raise Aborted(
            f"The change on {target.name} was not approved; nothing was uploaded.",
            hint="Run again and type the serial number's last group to approve.",
        )
    # Where the file's own values cannot be read, the serial the operator vouched for stands in.
    expected = license_file.model_copy(
        update={
            "serial_number": license_file.serial_number or (expect_serial or "").upper() or None
        }
    )
    try:
        upload_and_verify(visit, licensing, license_path, expected)
    except Exception as failure:
        if backup is None:
            raise
        settle(visit, licensing, failure, license_path, expected, run.folder / backup.file)
    after = run.record.license_after
    assert after is not None
    return FlowResult(
        outcome="installed",
        message=f"Installed {license_file.name} on {target.name}: "
        f"activation code {after.activation_code}, ends {after.end_date}.",
    )


def upload_and_verify(
    visit: Visit,
    licensing: LicensingPage,
    license_path: Path,
    expected: LicenseFields,
    must_be_valid: bool = True,
    rollback: bool = False,
) -> InstalledLicense:
    """Upload New License with a file, then read the Licensing page and compare."""
    run = visit.run
    prefix = "Roll back: " if rollback else ""
    with run.step(f"{prefix}Click Upload New License"):
        form = visit.resuming(licensing.open_upload, licensing.reopen)
    with run.step(f"{prefix}Upload the {'backup' if rollback else 'new license'} file"):
        run.must_finish = True  # from here a stopping fleet lets it verify, or roll back
        form.upload(license_path)  # never repeated blindly: see settle()
    name = "the previous license is back" if rollback else "the new license is installed"
    with run.step(f"{prefix}Verify {name}"):
        licensing.wait_until_shown()
        if expected.activation_code:
            licensing.shows(expected.activation_code)  # the page may still be refreshing
        after = licensing.read_license()
        run.record.license_after = after
        problems = check_installed(visit, licensing, after, expected, license_path, must_be_valid)
        if problems:
            raise VerificationFailed(
                "The license was uploaded, but Service Center does not show it as expected: "
                f"{'; '.join(problems)}.",
                hint="Check the Licensing page in Service Center.",
            )
    return after


def check_installed(
    visit: Visit,
    licensing: LicensingPage,
    shown: InstalledLicense,
    expected: LicenseFields,
    uploaded: Path,
    must_be_valid: bool = True,
) -> list[str]:
    """What differs between the Licensing page and the license expected. When the file's
    activation code and end date cannot be read, the page cannot tell: then the license
    Service Center now holds is downloaded and compared with the uploaded file."""
    problems = differences(shown, expected, must_be_valid)
    if problems or expected.activation_code or expected.end_date:
        return problems
    run = visit.run
    held = run.add_file(licensing.backup_license(run.folder, "installed"), "installed license")
    if held.sha256 != sha256_of(uploaded.read_bytes()):
        problems.append("the license Service Center now holds is not the uploaded file")
    return problems


def settle(
    visit: Visit,
    licensing: LicensingPage,
    failure: Exception,
    license_path: Path,
    new: LicenseFields,
    backup_path: Path,
) -> None:
    """After a failed or uncertain upload, read what is installed before doing anything else:
    the new license (done after all), the previous one (nothing changed; an upload cut short
    by a sign-out is made again, once), or something else (the backup goes back)."""
    run = visit.run
    before = run.record.license_before
    assert before is not None
    reason = describe(failure)
    shown = None
    new_is_shown = False
    with suppress(Exception), run.step("Read what is installed now"):
        shown = visit.resuming(licensing.reopen).read_license()
        run.record.license_after = shown
        new_is_shown = not check_installed(visit, licensing, shown, new, license_path)
    if new_is_shown:
        run.record.warnings.append(f"{reason} Yet the Licensing page shows the new license.")
        return
    if shown is not None and not differences(shown, before, before.valid):
        if isinstance(failure, SignedOut) and not visit.resumed_upload:
            visit.resumed_upload = True
            try:
                upload_and_verify(visit, licensing, license_path, new)
            except Exception as second:
                settle(visit, licensing, second, license_path, new, backup_path)
            return
        raise with_note(
            failure, "The Licensing page still shows the previous license: nothing changed."
        )
    roll_back(visit, licensing, backup_path, before, reason)


def roll_back(
    visit: Visit, licensing: LicensingPage, backup_path: Path, before: InstalledLicense, reason: str
) -> None:
    """Put the backup back, verified, when the environment is left in another state."""
    run = visit.run
    run.record.warnings.append(f"Rolling back: {reason}")
    restore_command = (
        f"sc-license restore --url {run.record.url} --user {run.record.user} --from {backup_path}"
    )
    try:
        upload_and_verify(visit, licensing, backup_path, before, before.valid, rollback=True)
    except Exception as rollback_error:
        raise RollbackFailed(
            f"{reason} Putting the previous license back failed too: {describe(rollback_error)}",
            hint=f"Restore the backup {backup_path} now: `{restore_command}`, or by hand in "
            "Service Center: Administration > Licensing > Upload New License.",
        ) from None
    raise RolledBack(
        f"{reason} The previous license was uploaded again and is shown as before.",
        hint=f"The backup is kept at {backup_path}. Investigate before trying again.",
    )


def with_note(failure: Exception, note: str) -> ScLicenseError:
    """The failure as an expected one, saying the license is as it was."""
    if isinstance(failure, ScLicenseError):
        failure.hint = f"{note} {failure.hint}".strip()
        return failure
    # Not Service Center's answer to an upload (a form that never came, a page too slow).
    return ServiceCenterError(describe(failure), hint=note)


def differences(shown: InstalledLicense, expected: LicenseFields, must_be_valid: bool) -> list[str]:
    """What the Licensing page shows that it should not, in words."""
    problems = [] if shown.valid or not must_be_valid else [f"the banner says: {shown.banner}"]
    for field in CHECKED_FIELDS:
        want = getattr(expected, field)
        if want is not None and getattr(shown, field) != want:
            label = field.replace("_", " ")
            problems.append(f"{label} shows {getattr(shown, field) or 'nothing'}, expected {want}")
    return problems


def restore_license(
    page: Page,
    run: Run,
    target: Target,
    source: Path,
    *,
    dry_run: bool = False,
    approve: Approve | None = None,
) -> FlowResult:
    """Install a backup again (a .lic file, or the backup a run folder recorded)."""
    return install_license(page, run, target, find_backup(source), dry_run=dry_run, approve=approve)
