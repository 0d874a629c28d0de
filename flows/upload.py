"""Step 4: Upload New License with a file, then check the Licensing page shows what it holds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from automation.errors import ChangedMeanwhile, ServiceCenterError, VerificationFailed
from automation.evidence.files import sha256_of
from automation.licenses import InstalledLicense, LicenseFields
from automation.pages.licensing import LicensingPage
from flows import captions
from flows.backup_license import keep
from flows.visit import Visit

CHECKED_FIELDS = ("serial_number", "activation_code", "end_date")
UPLOAD_STEPS = 4  # upload_and_verify()'s
REHEARSAL_STEPS = 3  # rehearse_upload()'s
# How a dry run marks the controls it found, in its screenshot.
OUTLINE = "el => { el.style.outline = '4px solid #FF00FF'; el.style.outlineOffset = '2px'; }"


# How many more times the Licensing page is loaded when, after an upload, it still shows the
# previous license, each load waiting for the new activation code as long as a script may
# take to fill values in (licensing.SCRIPTED_VALUES_MS): a server that shows an accepted
# license a few seconds late is not reported as having ignored it.
APPLIED_LATE_READS = 2


def upload_and_verify(
    visit: Visit,
    licensing: LicensingPage,
    license_path: Path,
    expected: LicenseFields,
    *,
    before: InstalledLicense,
    backup: Path | None,
    must_be_valid: bool = True,
    rollback: bool = False,
) -> InstalledLicense:
    """Click Upload New License, choose the file, upload it, then load the Licensing page
    afresh, read it and compare (check_installed). `before` is what the Licensing page showed
    when the run reached it, `backup` the file Backup License gave then (None: none)."""
    run = visit.run
    prefix = "Roll back: " if rollback else ""
    what = "backup" if rollback else "new license"
    with run.step(f"{prefix}Click Upload New License"):
        if not rollback:
            still_as_backed_up(visit, licensing, before)
        form = visit.resuming(licensing.open_upload, licensing.reopen)
    try:
        with run.step(f"{prefix}Choose the {what} file"):
            run.change_in_progress()  # from here a stopping fleet lets it verify, or roll back
            run.watch(form.shown_on)  # the form with the file chosen, wherever it opened
            form.choose(license_path)
            run.annotate(captions.chosen(license_path))
    finally:
        run.watch(visit.page)
    with run.step(f"{prefix}Upload the {what} file"):
        try:
            form.submit_file()  # never repeated blindly: see recovery.settle()
        finally:
            run.saw_dialogs([str(seen) for seen in form.dialogs])
            if form.dialogs:
                run.annotate(captions.dialogs(form.dialogs))
    name = "the previous license is back" if rollback else "the new license is installed"
    with run.step(f"{prefix}Verify {name}"):
        # A fresh look: Licensing loaded again, not the page the upload's answer left.
        visit.resuming(licensing.reopen)
        if expected.activation_code:
            licensing.shows(expected.activation_code)  # in case a script fills it in
        after = licensing.read_license()
        for _ in range(APPLIED_LATE_READS if not rollback else 0):
            if not (expected.activation_code and values_of(after) == values_of(before)):
                break
            # Still the previous license: a server may show an accepted one a moment later.
            visit.resuming(licensing.reopen)
            licensing.shows(expected.activation_code)  # paced by this web-first wait
            after = licensing.read_license()
        visit.note_notices()
        run.annotate(captions.read(after, datetime.now(UTC), "after loading Licensing again"))
        run.saw_after(after, just_uploaded=not rollback)
        problems = check_installed(
            visit,
            licensing,
            after,
            expected,
            license_path,
            before=before,
            backup=backup,
            must_be_valid=must_be_valid,
        )
        if problems:
            raise VerificationFailed(
                "The license was uploaded, but Service Center does not show it as expected: "
                f"{'; '.join(problems).rstrip('.')}.",
                hint="Check the Licensing page in Service Center.",
            )
    return after


def still_as_backed_up(visit: Visit, licensing: LicensingPage, before: InstalledLicense) -> None:
    """Compare before the swap: the Licensing page, loaded again, still shows the license
    backed up (`before`), or nothing is uploaded. A run with another state folder takes
    another lock; this is how its change is seen."""
    run = visit.run
    now = visit.resuming(licensing.reopen).read_license()
    if differences(now, before, must_be_valid=False):
        run.annotate(captions.read(now, datetime.now(UTC), "loaded again before the upload"))
        run.saw_after(now)
        raise ChangedMeanwhile(
            f"The license of {visit.target.name} was changed by someone else meanwhile: "
            f"backed up with {shown_as(before)}, the Licensing page now shows {shown_as(now)}. "
            "Nothing was uploaded.",
            hint="Another run (one with another state folder is not locked out) or a person "
            "is changing this environment's license: find out who, check the Licensing page, "
            "then run again if the change is still needed.",
        )


def shown_as(shown: InstalledLicense) -> str:
    """A license as the Licensing page shows it, in a few words."""
    end = shown.end_date or shown.end_date_shown or "not shown"
    return (
        f"activation code {shown.activation_code or 'not shown'}, end date {end}, "
        f"status “{shown.banner}”"
    )


def check_installed(
    visit: Visit,
    licensing: LicensingPage,
    shown: InstalledLicense,
    expected: LicenseFields,
    uploaded: Path,
    *,
    before: InstalledLicense,
    backup: Path | None,
    must_be_valid: bool = True,
) -> list[str]:
    """What differs between the Licensing page and the license expected: the page decides.
    When the file's activation code and end date cannot be read, a valid license for the
    serial whose values changed from before the upload is the new one. The license Service
    Center then holds is downloaded as supporting evidence: it may be a
    re-encoding of the file, so it decides only when the page shows what it showed before.
    `before` and `backup` as upload_and_verify() takes them."""
    problems = differences(shown, expected, must_be_valid)
    page_can_tell = bool(expected.activation_code or expected.end_date)
    if problems or page_can_tell:
        return problems
    run = visit.run
    changed = page_can_tell or values_of(shown) != values_of(before)
    held = keep(run, licensing.backup_license(run.folder, "installed"), "installed license")
    says = what_the_copy_says(
        changed,
        (run.folder / held.file).read_bytes() if held is not None else None,
        uploaded.read_bytes(),
        backup.read_bytes() if backup is not None else None,
    )
    if says.confirmed:
        run.checked("installed file", True, says.confirmed)
    if says.warning:
        run.warn(says.warning)
    return [says.problem] if says.problem else []


def values_of(shown: InstalledLicense) -> tuple[str | None, str | None]:
    """What tells one license of a serial from another on the Licensing page."""
    return shown.activation_code, shown.end_date


class CopySays(NamedTuple):
    """What the license Service Center holds adds to the Licensing page: a problem (the new
    license is not shown installed), a warning, or a confirmation."""

    problem: str | None = None
    warning: str | None = None
    confirmed: str | None = None


def what_the_copy_says(
    changed: bool, held: bytes | None, uploaded: bytes, backup: bytes | None
) -> CopySays:
    """The page decides when its values changed from before the upload; the copy Service
    Center holds (None: it could not be downloaded) decides only when they did not: the
    uploaded bytes mean the new license, the backup's the previous one, others cannot tell."""
    if held == uploaded:
        return CopySays(
            confirmed="Backup License now gives the uploaded file, byte for byte (SHA-256 "
            f"{sha256_of(uploaded)})"
        )
    if changed:
        if held is None:
            return CopySays(
                warning="The license Service Center now holds could not be downloaded to "
                "compare with the file; the Licensing page shows the new license's values."
            )
        if held == backup:
            return CopySays(
                warning="The Licensing page shows the new license's values, yet Backup "
                "License still gives the backup's bytes: check the Licensing page in Service "
                "Center."
            )
        return CopySays(
            warning="Service Center holds a re-encoded copy of the uploaded file: Backup "
            f"License now gives other bytes (SHA-256 {sha256_of(held)}) than were uploaded "
            f"(SHA-256 {sha256_of(uploaded)}). The Licensing page shows the new license's "
            "values, which decide."
        )
    if held is not None and held == backup:
        return CopySays(
            problem="the Licensing page shows the same values as before the upload, and "
            "Backup License gives the backup's bytes: the previous license is still installed"
        )
    copy = (
        "the license Service Center now holds could not be downloaded"
        if held is None
        else "Backup License gives neither the backup's nor the uploaded bytes"
    )
    return CopySays(
        problem="the Licensing page shows the same activation code and end date as before "
        f"the upload, and {copy}: the page cannot tell whether the new license is installed"
    )


def differences(shown: InstalledLicense, expected: LicenseFields, must_be_valid: bool) -> list[str]:
    """What the Licensing page shows that it should not, in words."""
    problems = [] if shown.valid or not must_be_valid else [f"the banner says: {shown.banner}"]
    for field in CHECKED_FIELDS:
        want = getattr(expected, field)
        if field == "end_date" and want and shown.may_end(want):
            continue  # the same date, or an ambiguous one that may be it: the file says which
        if want is not None and getattr(shown, field) != want:
            label = field.replace("_", " ")
            problems.append(f"{label} shows {getattr(shown, field) or 'nothing'}, expected {want}")
    return problems


def rehearse_upload(visit: Visit, licensing: LicensingPage, before: InstalledLicense) -> None:
    """Step 4 without the upload: open the form, find its file input and submit control,
    close it, and check the Licensing page still shows the same license."""
    run = visit.run
    with run.step("Rehearse: click Upload New License"):
        form = visit.resuming(licensing.open_upload, licensing.reopen)
    with run.step("Rehearse: find the file input and the submit control"):
        for control in (form.file_input, form.submit):
            control.evaluate(OUTLINE)
        run.watch(form.shown_on)  # the screenshot shows the form, wherever it opened
    run.watch(visit.page)
    with run.step("Rehearse: close the form without uploading"):
        form.close()
        still = licensing.read_license()
        changed = differences(still, before, before.valid)
        if changed:
            raise ServiceCenterError(
                "The dry run uploaded nothing, yet the Licensing page now shows another "
                f"license: {'; '.join(changed)}.",
                hint="Someone else may be changing this environment's license: check the "
                "Licensing page and Service Center's audit before going on.",
            )
