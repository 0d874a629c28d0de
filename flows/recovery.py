"""After a failed or uncertain upload: find out what is installed, then finish the change,
leave it (nothing changed, or someone else's license: never undone), or put the backup back
and verify it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from automation.errors import (
    ChangedByOthers,
    RollbackFailed,
    RolledBack,
    ScLicenseError,
    ServiceCenterError,
    SignedOut,
)
from automation.evidence.commands import restore_command, status_command
from automation.evidence.endings import describe
from automation.licenses import InstalledLicense, LicenseFields
from automation.pages.licensing import LicensingPage
from flows import captions
from flows.upload import check_installed, differences, shown_as, upload_and_verify
from flows.visit import Visit


def settle(
    visit: Visit,
    licensing: LicensingPage,
    failure: Exception,
    license_path: Path,
    new: LicenseFields,
    before: InstalledLicense,
    backup_path: Path,
) -> InstalledLicense:
    """Read what is installed before doing anything else: the new license (done after all),
    the previous one (nothing changed; an upload cut short by a sign-out is made again, once),
    a third license (someone else's: not rolled back over), or the new one shown as invalid,
    or nothing readable (the backup goes back). Returns the new license as shown installed;
    every other ending raises. `before` is what the Licensing page showed when the run
    reached it, `backup_path` the backup taken of it."""
    run = visit.run
    reason = describe(failure)
    shown, new_is_shown = read_now(visit, licensing, new, license_path, before, backup_path)
    if shown is not None and new_is_shown:
        run.warn(f"{reason} Yet the Licensing page shows the new license.")
        return shown
    if shown is not None and not differences(shown, before, before.valid):
        if isinstance(failure, SignedOut) and not visit.resumed_upload:
            visit.resumed_upload = True
            try:
                return upload_and_verify(
                    visit, licensing, license_path, new, before=before, backup=backup_path
                )
            except Exception as second:
                return settle(visit, licensing, second, license_path, new, before, backup_path)
        # A file whose values cannot be read may be installed and look just like the old one.
        same = (
            "The Licensing page, loaded again, still shows the previous license: nothing "
            "changed, as far as Service Center shows."
            if new.activation_code or new.end_date
            else "The Licensing page shows the same values as before the upload."
        )
        raise with_note(failure, same)
    if not run.changing.is_set():
        # The file was never chosen: nothing of this run's to undo, whatever the page shows
        # (or if it cannot be read: a browser that went away).
        raise with_note(failure, "The run stopped before choosing the file: nothing was uploaded.")
    if shown is not None and differences(shown, new, must_be_valid=False):
        # Neither the new license, valid or not, nor the backup: a third license.
        raise changed_by_others(visit, shown, reason, backup_path)
    roll_back(visit, licensing, backup_path, before, reason)


def read_now(
    visit: Visit,
    licensing: LicensingPage,
    new: LicenseFields,
    license_path: Path,
    before: InstalledLicense,
    backup_path: Path,
) -> tuple[InstalledLicense | None, bool]:
    """What the Licensing page shows now (None: it could not be read), and whether it is the
    new license.

    The read may fail as any step may: Licensing does not load, the session ends again, the
    browser went, the page shows what the tool does not recognise, or the license Service
    Center holds cannot be downloaded to compare. The step records that failure, with its
    screenshot; the recovery still goes on, from what was read, because the environment may
    hold a license that must not stay (the backup goes back when nothing could be read)."""
    run = visit.run
    shown = None
    try:
        with run.step("Read what is installed now"):
            shown = visit.resuming(licensing.reopen).read_license()
            run.annotate(captions.read(shown, datetime.now(UTC), "after loading Licensing again"))
            run.saw_after(shown)
            problems = check_installed(
                visit, licensing, shown, new, license_path, before=before, backup=backup_path
            )
            return shown, not problems
    except Exception:  # on record as the step's failure: see above
        return shown, False


def changed_by_others(
    visit: Visit, shown: InstalledLicense, reason: str, backup_path: Path
) -> ChangedByOthers:
    """Someone else installed a license meanwhile: a rollback would undo their change, so
    there is none, and the operator is told what is installed and how to act."""
    run = visit.run
    return ChangedByOthers(
        f"{reason} The Licensing page now shows {shown_as(shown)}: neither the new license nor "
        "the backup. Someone else changed the license meanwhile; it was not rolled back over "
        "their change.",
        hint="Find out who changed it and whether it should stay. If it should not, or is not "
        "valid, restore the backup.",
        commands=[
            ("Check what is installed now", status_command(run.recall)),
            ("Restore the backup", restore_command(run.recall, backup_path)),
        ],
    )


def roll_back(
    visit: Visit, licensing: LicensingPage, backup_path: Path, before: InstalledLicense, reason: str
) -> NoReturn:
    """Put the backup back, verified, when the environment is left in another state."""
    run = visit.run
    run.warn(f"Rolling back: {reason}")
    # The backup's values are what the Licensing page showed before the change: the page
    # decides whether they are back, however the backup's bytes are written.
    try:
        upload_and_verify(
            visit,
            licensing,
            backup_path,
            before,  # expected back
            before=before,
            backup=backup_path,
            must_be_valid=before.valid,
            rollback=True,
        )
    except Exception as rollback_error:
        again = describe(rollback_error)
        how = "the same way." if again == reason else f"too: {again}"
        raise RollbackFailed(
            f"{reason} Putting the previous license back failed {how}",
            hint="Check what is installed now. If it is not a valid license, restore the "
            "backup, or by hand in Service Center: Administration > Licensing > Upload New "
            "License.",
            commands=[
                ("Check what is installed now", status_command(run.recall)),
                ("Restore the backup", restore_command(run.recall, backup_path)),
            ],
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
