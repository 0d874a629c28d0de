"""Checks made before anything is uploaded; each one is recorded for the reviewer."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple, NoReturn

from automation.errors import BadInput, Refused
from automation.evidence.records import Artifact
from automation.evidence.run import Run
from automation.license_files import read_license_file
from automation.licenses import (
    SERIAL_PATTERN,
    Checked,
    InstalledLicense,
    LicenseFile,
    end_date_of,
)

EXPIRY_WARNING_DAYS = 30
OPERATOR = "operator (--expect-serial)"
# Why an earlier end passes, in the record's words: a flag the operator gave, or a restore.
ALLOWED_BY_OPERATOR = "allowed by the operator (--allow-earlier-end)"
EXPECTED_OF_A_RESTORE = (
    "as expected of a restore (a restore puts back a backup; an earlier end is expected)"
)
PORTAL_HINT = (
    "Request the license for serial {serial} in the Licensing Portal: compare the Serial "
    "Number shown in Service Center (Administration > Licensing) with the Portal's."
)


class Preflight(NamedTuple):
    """What the checks found, each as recorded, and whether the file is installed already."""

    checks: list[Checked]
    already_installed: bool


def preflight(
    run: Run,
    name: str,
    installed: InstalledLicense,
    new: LicenseFile,
    backup: Artifact | None,
    *,
    expect_serial: str | None,
    today: date,
    earlier_end: str | None = None,
) -> Preflight:
    """Refuse a file that cannot work on the environment `name`; say whether it is already
    installed (the same values, or the same bytes as the `backup`). `earlier_end`: why a
    file ending before the installed license passes (None: refused)."""
    checks = [
        check_serial(run, name, installed, new, expect_serial),
        check_end_date(run, new, today),
        check_earlier_end(run, installed, new, earlier_end, _end_of_backup(run, installed, backup)),
    ]
    same, found = already_installed(run, installed, new, backup)
    return Preflight([*checks, found], same)


def _end_of_backup(run: Run, installed: InstalledLicense, backup: Artifact | None) -> date | None:
    """The End Date the backup file itself gives, when it can be read and is this license's
    (its serial, where it shows one); None otherwise (an encoded file, say)."""
    if backup is None:
        return None
    try:
        kept = read_license_file(run.folder / backup.file)
    except (BadInput, OSError):
        return None
    if kept.serial_number and kept.serial_number != installed.serial_number:
        return None
    return end_date_of(kept)


def check_serial(
    run: Run, name: str, installed: InstalledLicense, new: LicenseFile, expect_serial: str | None
) -> Checked:
    here = installed.serial_number
    if expect_serial is not None:
        expect_serial = expect_serial.strip().upper()
        if not re.fullmatch(SERIAL_PATTERN, expect_serial):
            raise BadInput(
                f"--expect-serial {expect_serial} is not a serial number.",
                hint="Serial numbers look like XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT.",
            )
    if not here:
        _refuse(
            run,
            "serial",
            f"{name} shows no Serial Number on its Licensing page.",
            "Open the Licensing page by hand and check what it shows.",
        )
    if expect_serial is not None and expect_serial != here:
        _refuse(
            run,
            "serial",
            f"You expected serial {expect_serial}, but {name} has serial {here}. "
            "Nothing was uploaded.",
            "Check which environment this is, and which serial the license is for.",
        )
    if new.serial_number is None:
        if expect_serial is None:
            _refuse(
                run,
                "serial",
                f"No serial number could be read in the content or the name of {new.name}, "
                f"so it cannot be checked against {name}'s serial {here}. Nothing was uploaded.",
                "Check the file's serial in the Licensing Portal and pass it with "
                "--expect-serial to go on (or keep the Portal's file name, <serial>.lic).",
            )
        run.serial_vouched_by(OPERATOR)
        return _pass(
            run,
            "serial",
            f"no serial in the file's content or name; the operator vouched for {expect_serial} "
            f"(--expect-serial), and {name} has {here}",
        )
    if new.serial_number != here:
        _refuse(
            run,
            "serial",
            f"{new.name} is issued for serial {new.serial_number}, but {name} has serial "
            f"{here}. Nothing was uploaded.",
            PORTAL_HINT.format(serial=here),
        )
    source = new.serial_source or "file content"
    run.serial_vouched_by(source)
    return _pass(run, "serial", f"file ({source}) and {name} both have serial {here}")


def check_end_date(run: Run, new: LicenseFile, today: date) -> Checked:
    end = end_date_of(new)
    if new.end_date == "Never":
        return _pass(run, "end date", "the license never ends")
    if end is None:
        run.warn(f"No end date could be read in {new.name}.")
        return _pass(run, "end date", "not recognised in the file")
    if end < today:
        _refuse(
            run,
            "end date",
            f"{new.name} ended on {end} (today is {today}). Nothing was uploaded.",
            "Request a current license in the Licensing Portal.",
        )
    if end - today < timedelta(days=EXPIRY_WARNING_DAYS):
        run.warn(f"{new.name} ends on {end}, in {(end - today).days} days: plan its renewal now.")
    return _pass(run, "end date", f"ends {end}")


def check_earlier_end(
    run: Run,
    installed: InstalledLicense,
    new: LicenseFile,
    allowed: str | None,
    backup_end: date | None = None,
) -> Checked:
    """A license that ends before the one it replaces shortens the environment's life: a
    mistake (an old file) unless the operator says it is meant, or a restore puts a backup
    back; `allowed` says which, as recorded (None: refused). A page date that reads two ways
    (05/06/2027) is settled where both readings compare alike, else by the backup file's own
    End Date (`backup_end`) if it is one of them; one that stays unsettled is refused, since
    it may hide a license ending months earlier."""
    new_end, installed_end = end_date_of(new), end_date_of(installed)
    readings = [date.fromisoformat(when) for when in installed.end_date_candidates]
    settled_by = None  # how a date the page did not give plainly was settled
    if (
        installed_end is None
        and backup_end is not None
        and backup_end in (readings or [backup_end])
    ):
        installed_end, settled_by = backup_end, "as the backup says"
    elif new_end is not None and readings and len({when > new_end for when in readings}) == 1:
        installed_end, settled_by = readings[0], "either reading"  # both compare alike
    shown = installed.end_date or installed.end_date_shown
    if settled_by is not None:
        shown = f"{shown} ({installed_end}, {settled_by})"
    both = f"the new file {ends(new.end_date)}, the installed license {ends(shown)}"
    unsettled = new_end is not None and installed_end is None and len(set(readings)) > 1
    earlier = new_end is not None and (
        installed.end_date == "Never" or (installed_end is not None and new_end < installed_end)
    )
    if not (earlier or unsettled):
        known = new_end is not None or new.end_date == "Never"
        comparable = known and (installed_end is not None or installed.end_date == "Never")
        return _pass(run, "earlier end", both if comparable else f"{both}: not compared")
    if allowed:
        return _pass(
            run, "earlier end", f"{both}: {'maybe ' if unsettled else ''}earlier, {allowed}"
        )
    if unsettled:
        _refuse(
            run,
            "earlier end",
            f"{new.name} ends on {new_end}; the installed license {ends(shown)}, which reads "
            f"as {' or '.join(str(when) for when in readings)}: earlier or later than the new "
            "file, and the backup does not say which. Nothing was uploaded.",
            "Teach the Licensing page's date format in a site profile (date_format; "
            "`sc-license probe` proposes one), or, if an earlier end is meant, run again with "
            "--allow-earlier-end.",
        )
    _refuse(
        run,
        "earlier end",
        f"{new.name} ends on {new_end}, earlier than the installed license, which "
        f"{ends(shown)}. Nothing was uploaded.",
        "Check it is the newest license from the Licensing Portal; if the earlier end is "
        "meant, run again with --allow-earlier-end.",
    )


def ends(end_date: str | None) -> str:
    """When a license ends, in words: a date as read (or as shown, when it reads two ways)."""
    if end_date == "Never":
        return "never ends"
    return f"ends {end_date}" if end_date else "ends on a date not read"


def already_installed(
    run: Run, installed: InstalledLicense, new: LicenseFile, backup: Artifact | None
) -> tuple[bool, Checked]:
    """The same license, and Service Center shows it as valid: nothing to upload. The same
    license shown as invalid is uploaded again (that is what a restore is for)."""
    fields = ("serial_number", "activation_code", "end_date")
    same_values = all(
        getattr(new, f) is not None and getattr(new, f) == getattr(installed, f) for f in fields
    )
    same_bytes = backup is not None and backup.sha256 == new.sha256
    same = same_values or same_bytes
    detail = (
        "differs from the installed license"
        if not same
        else "same bytes as the backup"
        if same_bytes
        else "same serial, activation code and end date"
    )
    if same and not installed.valid:
        detail += f", but shown as invalid (“{installed.banner}”): uploading it again"
    found = _pass(run, "already installed", detail)
    return same and installed.valid, found


def _pass(run: Run, name: str, detail: str) -> Checked:
    run.checked(name, True, detail)
    return name, True, detail


def _refuse(run: Run, name: str, message: str, hint: str) -> NoReturn:
    run.checked(name, False, message)
    raise Refused(message, hint=hint)
