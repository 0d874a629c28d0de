"""The earlier-end check as a table: which end dates are refused, which pass, and what the
record says of both."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.config import EvidenceOptions
from automation.errors import Refused
from automation.evidence.run import Run
from automation.licenses import InstalledLicense, LicenseFile
from flows.preflight import ALLOWED_BY_OPERATOR, EXPECTED_OF_A_RESTORE, check_earlier_end
from flows.upload import differences

SERIAL = "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"

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


# The page writes 05/06/2027: 6 May or 5 June. Either reading may settle the comparison.
AMBIGUOUS = {
    "both-readings-later": ("2027-04-30", False, "passed"),
    "both-readings-earlier": ("2027-07-01", True, "passed"),
    "readings-disagree": ("2027-05-20", True, "not compared"),
}


@pytest.mark.parametrize(("new_end", "passes", "said"), AMBIGUOUS.values(), ids=AMBIGUOUS)
def test_an_ambiguous_installed_end_date_is_compared_only_where_both_readings_agree(
    new_end: str, passes: bool, said: str, tmp_path: Path
) -> None:
    run = Run.create(
        EvidenceOptions(out=tmp_path), flow="install", environment="e", url="http://x", user="u"
    )
    installed = InstalledLicense(
        banner="valid",
        valid=True,
        serial_number=SERIAL,
        end_date="",
        end_date_shown="05/06/2027",
        end_date_candidates=("2027-05-06", "2027-06-05"),
    )
    new = LicenseFile(name="new.lic", size=1, sha256="0", serial_number=SERIAL, end_date=new_end)
    if passes:
        check_earlier_end(run, installed, new, None)
        assert ("not compared" in run.record.checks[-1].detail) is (said == "not compared")
    else:
        with pytest.raises(Refused, match="05/06/2027"):
            check_earlier_end(run, installed, new, None)


@pytest.mark.parametrize(("file_end", "verifies"), [("2027-06-05", True), ("2027-07-01", False)])
def test_an_ambiguous_page_date_is_verified_against_the_files_own_date(
    file_end: str, verifies: bool
) -> None:
    shown = InstalledLicense(
        banner="valid",
        valid=True,
        serial_number=SERIAL,
        end_date="",
        end_date_shown="05/06/2027",
        end_date_candidates=("2027-05-06", "2027-06-05"),
    )
    new = LicenseFile(name="new.lic", size=1, sha256="0", serial_number=SERIAL, end_date=file_end)
    assert (differences(shown, new, must_be_valid=True) == []) is verifies
