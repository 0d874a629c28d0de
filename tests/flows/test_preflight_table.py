"""The checks before an upload as tables, without a browser: which serials, end dates and
files are refused, which pass, and what the record says (flows/preflight.py)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from automation.config import EvidenceOptions
from automation.errors import BadInput, Refused
from automation.evidence.records import Artifact
from automation.evidence.run import Run
from automation.license_files import read_license_file
from automation.licenses import InstalledLicense, LicenseFile
from flows.preflight import OPERATOR, already_installed, check_end_date, check_serial, preflight

HERE = "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"
OTHER = "AAA-BBB-CCC-DDD-EEE-FFF-GGG-HHH"
CODE = "AB1.CD2.EF3.GH4.IJ5.KL6.MN7.OP8"
TODAY = date(2026, 6, 1)


def new_run(tmp_path: Path) -> Run:
    return Run.create(
        EvidenceOptions(out=tmp_path), flow="install", environment="prod", url="http://x", user="u"
    )


def installed(
    serial: str | None = HERE,
    *,
    valid: bool = True,
    activation_code: str | None = None,
    end_date: str | None = None,
) -> InstalledLicense:
    banner = "Your license is valid" if valid else "Your license is not valid"
    return InstalledLicense(
        banner=banner,
        valid=valid,
        serial_number=serial,
        activation_code=activation_code,
        end_date=end_date,
    )


def license_file(
    serial: str | None = HERE,
    *,
    activation_code: str | None = None,
    end_date: str | None = None,
    sha256: str = "0" * 64,
) -> LicenseFile:
    return LicenseFile(
        name="new.lic",
        size=1,
        sha256=sha256,
        serial_number=serial,
        serial_source="file content" if serial else None,
        activation_code=activation_code,
        end_date=end_date,
    )


# installed serial, file serial, --expect-serial -> refused with these words (None: passes),
# and who vouched for the serial when it passed
SERIALS: dict[str, tuple[str | None, str | None, str | None, str | None, str | None]] = {
    "same-serial": (HERE, HERE, None, None, "file content"),
    "same-serial-and-expected": (HERE, HERE, HERE.lower(), None, "file content"),
    "another-serial": (
        HERE,
        OTHER,
        None,
        f"new.lic is issued for serial {OTHER}, but prod has serial {HERE}. Nothing was uploaded.",
        None,
    ),
    "no-serial-in-the-file": (HERE, None, None, "No serial number could be read", None),
    "no-serial-in-the-file-vouched-for": (HERE, None, HERE, None, OPERATOR),
    "expected-another-serial": (
        HERE,
        HERE,
        OTHER,
        f"You expected serial {OTHER}, but prod has serial {HERE}",
        None,
    ),
    "no-serial-in-the-file-expected-another": (HERE, None, OTHER, "You expected serial", None),
    "no-serial-on-the-page": (None, HERE, None, "prod shows no Serial Number", None),
}


@pytest.mark.parametrize(
    ("here", "theirs", "expect", "refused", "vouched"), SERIALS.values(), ids=SERIALS
)
def test_a_file_for_another_serial_is_refused_and_the_serial_check_is_recorded(
    here: str | None,
    theirs: str | None,
    expect: str | None,
    refused: str | None,
    vouched: str | None,
    tmp_path: Path,
) -> None:
    run = new_run(tmp_path)
    if refused is None:
        check_serial(run, "prod", installed(here), license_file(theirs), expect)
    else:
        with pytest.raises(Refused, match=refused) as raised:
            check_serial(run, "prod", installed(here), license_file(theirs), expect)
        if theirs == OTHER:  # the operator is told where to get the right one
            assert "Licensing Portal" in str(raised.value.hint)
    check = run.record.checks[-1]
    assert (check.name, check.passed) == ("serial", refused is None)
    if refused:
        assert refused in check.detail
    assert run.record.serial_vouched_by == vouched


def test_an_expected_serial_that_is_no_serial_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="--expect-serial XBI-NMO is not a serial number"):
        check_serial(new_run(tmp_path), "prod", installed(), license_file(), "XBI-NMO")


# new file's end date -> refused with these words (None: passes), a warning, the detail
END_DATES: dict[str, tuple[str | None, str | None, str | None, str]] = {
    "ends-next-year": (str(TODAY + timedelta(days=365)), None, None, "ends 2027-06-01"),
    "ends-in-10-days": (str(TODAY + timedelta(days=10)), None, "in 10 days", "ends 2026-06-11"),
    "ends-today": (str(TODAY), None, "in 0 days", "ends 2026-06-01"),
    "ended-yesterday": (str(TODAY - timedelta(days=1)), "ended on 2026-05-31", None, "ended on"),
    "never-ends": ("Never", None, None, "the license never ends"),
    "end-date-unreadable": (None, None, "No end date could be read", "not recognised"),
}


@pytest.mark.parametrize(("end", "refused", "warning", "detail"), END_DATES.values(), ids=END_DATES)
def test_an_expired_file_is_refused_and_one_ending_within_30_days_warns(
    end: str | None, refused: str | None, warning: str | None, detail: str, tmp_path: Path
) -> None:
    run = new_run(tmp_path)
    if refused is None:
        check_end_date(run, license_file(end_date=end), TODAY)
    else:
        with pytest.raises(Refused, match=refused):
            check_end_date(run, license_file(end_date=end), TODAY)
    check = run.record.checks[-1]
    assert (check.name, check.passed) == ("end date", refused is None)
    assert detail in check.detail
    if warning is None:
        assert run.record.warnings == []
    else:
        assert any(warning in w for w in run.record.warnings), run.record.warnings


END = "2027-01-31"
# installed, new file, backup's hash -> already installed (nothing to upload), detail
ALREADY: dict[str, tuple[InstalledLicense, LicenseFile, str | None, bool, str]] = {
    "same-values": (
        installed(activation_code=CODE, end_date=END),
        license_file(activation_code=CODE, end_date=END),
        None,
        True,
        "same serial, activation",
    ),
    "same-bytes-as-the-backup": (
        installed(activation_code=CODE, end_date=END),
        license_file(activation_code=None, sha256="1" * 64),
        "1" * 64,
        True,
        "same bytes as the backup",
    ),
    "another-activation-code": (
        installed(activation_code=CODE, end_date=END),
        license_file(activation_code="ZZ9.CD2.EF3.GH4.IJ5.KL6.MN7.OP8", end_date=END),
        "2" * 64,
        False,
        "differs from the installed license",
    ),
    "same-values-shown-invalid": (
        installed(valid=False, activation_code=CODE, end_date=END),
        license_file(activation_code=CODE, end_date=END),
        None,
        False,
        "but shown as invalid (“Your license is not valid”): uploading it again",
    ),
}


@pytest.mark.parametrize(
    ("shown", "new", "backup_sha256", "same", "detail"), ALREADY.values(), ids=ALREADY
)
def test_the_installed_license_again_is_nothing_to_upload_unless_shown_invalid(
    shown: InstalledLicense,
    new: LicenseFile,
    backup_sha256: str | None,
    same: bool,
    detail: str,
    tmp_path: Path,
) -> None:
    run = new_run(tmp_path)
    backup = None
    if backup_sha256:
        backup = Artifact(file="backup.lic", role="backup", size=1, sha256=backup_sha256)
    assert already_installed(run, shown, new, backup)[0] is same
    check = run.record.checks[-1]
    assert (check.name, check.passed) == ("already installed", True)
    assert detail in check.detail


def test_preflight_makes_every_check_in_order_and_records_each(tmp_path: Path) -> None:
    run = new_run(tmp_path)
    found = preflight(
        run,
        "prod",
        installed(activation_code=CODE, end_date=END),
        license_file(activation_code=CODE, end_date="2028-01-31"),
        None,
        expect_serial=None,
        today=TODAY,
    )
    names = ["serial", "end date", "earlier end", "already installed"]
    assert [name for name, _, _ in found.checks] == names
    assert [(c.name, c.passed) for c in run.record.checks] == [(n, True) for n in names]
    assert found.already_installed is False


# What the file holds -> no serial is read from it, so the operator must vouch (--expect-serial)
NO_SERIAL = {
    "binary-without-a-serial-in-its-name": ("blob.lic", b"\x00\x01" + bytes(range(256))),
    "text-in-no-known-format": ("odd.lic", b"a license in a format nobody documented"),
}


@pytest.mark.parametrize(("name", "data"), NO_SERIAL.values(), ids=NO_SERIAL)
def test_a_file_without_a_readable_serial_is_refused_unless_the_operator_vouches(
    name: str, data: bytes, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    new = read_license_file(path)
    assert new.serial_number is None
    with pytest.raises(Refused, match="No serial number could be read"):
        check_serial(new_run(tmp_path), "prod", installed(), new, None)
