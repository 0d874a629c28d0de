"""The sandbox license file: readable, signed, and refused when changed."""

from __future__ import annotations

import datetime
import re

import pytest

from automation.sandbox.licenses import (
    ACTIVATION_RE,
    SERIAL_RE,
    InvalidLicenseFile,
    issue_license,
    parse_license,
    random_activation_code,
    random_serial,
    render_license,
)


def test_random_serials_and_activation_codes_have_the_documented_shape() -> None:
    assert re.fullmatch(SERIAL_RE, random_serial())
    assert re.fullmatch(ACTIVATION_RE, random_activation_code())
    assert random_serial() != random_serial()


def test_a_rendered_license_reads_back_identically() -> None:
    lic = issue_license(random_serial(), end_date=None, edition_name="")
    assert parse_license(render_license(lic)) == lic
    dated = issue_license(random_serial(), end_date=datetime.date(2016, 7, 12))
    assert parse_license(render_license(dated)) == dated


def test_the_file_is_human_readable_with_the_documented_labels() -> None:
    lic = issue_license("XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT", end_date=None)
    text = render_license(lic).decode()
    assert text.startswith("-----BEGIN OUTSYSTEMS LICENSE-----\nOrganization Name: ")
    assert "\nSerial Number: XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT\n" in text
    assert f"\nActivation Code: {lic.activation_code}\n" in text
    assert "\nEnd Date: Never\n" in text
    assert "\nFeature: Application Objects = 150\n" in text
    assert re.search(r"\nSignature: [0-9a-f]{64}\n-----END OUTSYSTEMS LICENSE-----\n$", text)


def test_issued_licenses_default_to_one_year() -> None:
    lic = issue_license(random_serial())
    assert lic.end_date == datetime.date.today() + datetime.timedelta(days=365)


def test_changing_any_single_byte_makes_the_file_invalid() -> None:
    data = render_license(issue_license(random_serial()))
    for position in range(len(data)):
        tampered = bytearray(data)
        tampered[position] = ord("Z") if data[position] != ord("Z") else ord("Y")
        with pytest.raises(InvalidLicenseFile):
            parse_license(bytes(tampered))


@pytest.mark.parametrize(
    "data",
    [b"", b"garbage", b"\xff\xfe\x00", b"-----BEGIN OUTSYSTEMS LICENSE-----\nSerial Number: X\n"],
)
def test_garbage_is_not_a_license(data: bytes) -> None:
    with pytest.raises(InvalidLicenseFile):
        parse_license(data)


def test_a_file_without_its_signature_is_refused() -> None:
    text = render_license(issue_license(random_serial())).decode()
    unsigned = re.sub(r"Signature: .*\n", "", text)
    with pytest.raises(InvalidLicenseFile):
        parse_license(unsigned.encode())
