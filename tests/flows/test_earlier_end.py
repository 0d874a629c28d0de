"""The earlier-end check as a table: which end dates are refused, which pass, and what the
record says of both."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from automation.config import EvidenceOptions
from automation.errors import Refused
from automation.evidence.run import Run
from automation.licenses import InstalledLicense, LicenseFile
from automation.sandbox.licenses import issue_license, render_license
from flows.preflight import (
    ALLOWED_BY_OPERATOR,
    EXPECTED_OF_A_RESTORE,
    check_earlier_end,
    ends,
    preflight,
)
from flows.upload import differences

SERIAL = "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"
# An installed license whose end date the page writes 05/06/2027: 6 May or 5 June.
READS_TWO_WAYS = InstalledLicense(
    banner="valid",
    valid=True,
    serial_number=SERIAL,
    end_date="",
    end_date_shown="05/06/2027",
    end_date_candidates=("2027-05-06", "2027-06-05"),
)

# installed end, new end, why an earlier end passes (None: it does not) -> passed
CASES = {
    "later": ("2027-01-31", "2028-01-31", None, True),
    "same-day": ("2027-01-31", "2027-01-31", None, True),
    "earlier": ("2027-01-31", "2026-12-31", None, False),
    "earlier-allowed": ("2027-01-31", "2026-12-31", ALLOWED_BY_OPERATOR, True),
    "earlier-restored": ("2027-01-31", "2026-12-31", EXPECTED_OF_A_RESTORE, True),
    "installed-never-ends": ("Never", "2030-01-31", None, False),
    "new-never-ends": ("2027-01-31", "Never", None, True),
    "new-end-unreadable": ("2027-01-31", None, None, True),
}


@pytest.mark.parametrize(
    ("installed_end", "new_end", "allowed", "passes"), CASES.values(), ids=CASES
)
def test_earlier_end_is_refused_unless_allowed_and_both_dates_are_recorded(
    installed_end: str, new_end: str | None, allowed: str | None, passes: bool, tmp_path: Path
) -> None:
    run = Run.create(
        EvidenceOptions(out=tmp_path), flow="install", environment="e", url="http://x", user="u"
    )
    installed = InstalledLicense(
        banner="valid", valid=True, serial_number=SERIAL, end_date=installed_end
    )
    new = LicenseFile(name="new.lic", size=1, sha256="0", serial_number=SERIAL, end_date=new_end)
    if passes:
        check_earlier_end(run, installed, new, allowed)
    else:
        with pytest.raises(Refused, match="--allow-earlier-end"):
            check_earlier_end(run, installed, new, allowed)
    check = run.record.checks[-1]
    assert (check.name, check.passed) == ("earlier end", passes)
    for end in (installed_end, new_end or "not read"):
        assert end.lower() in check.detail
    # Only the reason that let it pass is recorded: a restore gives no --allow-earlier-end.
    assert ("--allow-earlier-end" in check.detail) is (passes and allowed == ALLOWED_BY_OPERATOR)


# The page writes 05/06/2027: 6 May or 5 June. Where the two readings disagree, the backup
# file's own End Date settles it; where nothing does, the change is refused: an unsettled
# date could hide a license that ends months earlier.
AMBIGUOUS = {
    "both-readings-later": ("2027-04-30", None, False, "05/06/2027"),
    "both-readings-earlier": ("2027-07-01", None, True, "passed"),
    "readings-disagree": ("2027-05-20", None, False, "05/06/2027"),
    "the-backup-says-5-june": ("2027-05-20", date(2027, 6, 5), False, "2027-06-05"),
    "the-backup-says-6-may": ("2027-05-20", date(2027, 5, 6), True, "2027-05-06"),
    "the-backup-says-neither": ("2027-05-20", date(2027, 1, 1), False, "05/06/2027"),
}


@pytest.mark.parametrize(
    ("new_end", "backup_end", "passes", "said"), AMBIGUOUS.values(), ids=AMBIGUOUS
)
def test_an_ambiguous_installed_end_date_is_settled_by_both_readings_or_the_backup(
    new_end: str, backup_end: date | None, passes: bool, said: str, tmp_path: Path
) -> None:
    run = Run.create(
        EvidenceOptions(out=tmp_path), flow="install", environment="e", url="http://x", user="u"
    )
    installed = READS_TWO_WAYS
    new = LicenseFile(name="new.lic", size=1, sha256="0", serial_number=SERIAL, end_date=new_end)
    if passes:
        check_earlier_end(run, installed, new, None, backup_end)
        assert "not compared" not in run.record.checks[-1].detail
    else:
        with pytest.raises(Refused, match="--allow-earlier-end") as refused:
            check_earlier_end(run, installed, new, None, backup_end)
        assert said in refused.value.message


@pytest.mark.parametrize(("file_end", "verifies"), [("2027-06-05", True), ("2027-07-01", False)])
def test_an_ambiguous_page_date_is_verified_against_the_files_own_date(
    file_end: str, verifies: bool
) -> None:
    shown = READS_TWO_WAYS
    new = LicenseFile(name="new.lic", size=1, sha256="0", serial_number=SERIAL, end_date=file_end)
    assert (differences(shown, new, must_be_valid=True) == []) is verifies


def test_the_backup_file_kept_in_the_run_settles_an_ambiguous_page_date(tmp_path: Path) -> None:
    # The page writes 05/06/2027; the backup Service Center gave says it ends on 5 June.
    run = Run.create(
        EvidenceOptions(out=tmp_path), flow="install", environment="e", url="http://x", user="u"
    )
    downloaded = run.folder / "backup.lic"  # where Backup License saves it
    downloaded.write_bytes(render_license(issue_license(SERIAL, end_date=date(2027, 6, 5))))
    backup = run.kept_backup(downloaded)
    installed = READS_TWO_WAYS
    new = LicenseFile(
        name="new.lic", size=1, sha256="0", serial_number=SERIAL, end_date="2027-05-20"
    )

    with pytest.raises(Refused, match="--allow-earlier-end") as refused:
        preflight(run, "e", installed, new, backup, expect_serial=None, today=date(2026, 12, 8))

    assert "2027-06-05, as the backup says" in refused.value.message


@pytest.mark.parametrize(
    ("end_date", "said"),
    [
        ("2027-06-05", "ends 2027-06-05"),
        ("05/06/2027", "ends 05/06/2027"),
        ("Never", "never ends"),
        (None, "ends on a date not read"),
        ("", "ends on a date not read"),
    ],
)
def test_when_a_license_ends_is_said_in_words_never_as_an_empty_date(
    end_date: str | None, said: str
) -> None:
    assert ends(end_date) == said
