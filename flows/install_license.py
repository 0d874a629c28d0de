"""Install a license file: the documented procedure, backup first, verified at the end."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from automation.config import Target
from automation.errors import VerificationFailed
from automation.evidence import Run
from automation.licenses import InstalledLicense, LicenseFile
from flows.backup_license import take_backup
from flows.common import FlowResult, open_licensing

CHECKED_FIELDS = ("serial_number", "activation_code", "end_date")


def install_license(
    page: Page, run: Run, target: Target, license_path: Path, license_file: LicenseFile
) -> FlowResult:
    """1. Open Service Center  2. Administration > Licensing  3. Backup License
    4. Upload New License, then check the Licensing page shows the new license."""
    run.record.license_file = license_file
    run.write_file(f"new-{license_file.name}", license_path.read_bytes(), "uploaded license")
    licensing = open_licensing(page, run, target)
    take_backup(licensing, run)
    with run.step("Click Upload New License"):
        form = licensing.open_upload()
    with run.step("Upload the new license file"):
        form.upload(license_path)
    with run.step("Verify the new license is installed"):
        after = licensing.wait_until_shown().read_license()
        run.record.license_after = after
        verify(after, license_file, run)
    return FlowResult(
        outcome="installed",
        message=f"Installed {license_file.name} on {target.name}: "
        f"activation code {after.activation_code}, ends {after.end_date}.",
    )


def verify(after: InstalledLicense, expected: LicenseFile, run: Run) -> None:
    """The page must show a valid license with the file's serial, activation code, end date."""
    differences = [
        f"{field.replace('_', ' ')} shows {getattr(after, field) or 'nothing'}, "
        f"the file has {getattr(expected, field)}"
        for field in CHECKED_FIELDS
        if getattr(expected, field) is not None
        and getattr(after, field) != getattr(expected, field)
    ]
    if after.valid and not differences:
        return
    problems = "; ".join(
        ([] if after.valid else [f"the banner says: {after.banner}"]) + differences
    )
    backup = run.record.backup
    raise VerificationFailed(
        f"The license was uploaded, but Service Center does not show it as installed: {problems}.",
        hint=(
            f"The previous license is kept at {run.folder / backup.file}; to go back, upload it "
            "with Upload New License (sc-license install --license ...)."
            if backup
            else "Check the Licensing page in Service Center."
        ),
    )
