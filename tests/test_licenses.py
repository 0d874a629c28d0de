"""Reading license files: what is recognised, and what is refused before anything runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from automation.errors import BadInput
from automation.license_files import read_license_file
from automation.licenses import parse_licensing_text
from automation.sandbox.licenses import random_serial


def test_sandbox_license_fields_are_recognised(write_license: Callable[..., Path]) -> None:
    serial = random_serial()
    path = write_license(
        serial,
        activation_code="AB1.CD2.EF3.GH4.IJ5.KL6.MN7.OP8",
        end_date=date(2030, 1, 31),
        organization_name="ACME Corp",
    )
    found = read_license_file(path)
    assert found.serial_number == serial
    assert found.activation_code == "AB1.CD2.EF3.GH4.IJ5.KL6.MN7.OP8"
    assert found.end_date == "2030-01-31"
    assert found.organization_name == "ACME Corp"
    assert len(found.sha256) == 64


def test_serial_is_found_by_its_pattern_in_any_format(tmp_path: Path) -> None:
    path = tmp_path / "other.lic"
    path.write_text("<license><sn>XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT</sn></license>")
    found = read_license_file(path)
    assert found.serial_number == "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"
    assert found.activation_code is None


def test_a_binary_file_is_a_license_whose_serial_comes_from_its_name(tmp_path: Path) -> None:
    path = tmp_path / "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT.lic"
    path.write_bytes(b"OSLIC\x00\x01" + bytes(range(256)))
    found = read_license_file(path)
    assert found.serial_number == "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"
    assert found.serial_source == "file name"


def test_a_serial_in_the_content_wins_over_the_name(tmp_path: Path) -> None:
    path = tmp_path / "AAA-AAA-AAA-AAA-AAA-AAA-AAA-AAA.lic"
    path.write_text("Serial Number: XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT\n")
    found = read_license_file(path)
    assert found.serial_number == "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"
    assert found.serial_source == "file content"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p, "does not exist"),
        (lambda p: (p.mkdir(), p)[1], "is not a file"),
        (lambda p: (p.write_bytes(b""), p)[1], "is empty"),
        (lambda p: (p.write_bytes(b"<!DOCTYPE html><html>Sign in</html>"), p)[1], "web page"),
        (lambda p: (p.write_bytes(b"A" * (2 * 1024 * 1024)), p)[1], "at most 1 MiB"),
    ],
    ids=["missing", "directory", "empty", "web-page", "too-big"],
)
def test_unusable_files_are_refused_with_a_reason(
    tmp_path: Path, make: Callable[[Path], Path], words: str
) -> None:
    with pytest.raises(BadInput, match=words):
        read_license_file(make(tmp_path / "x.lic"))


def test_licensing_text_reads_values_beside_or_under_labels() -> None:
    new_skin = (
        "Organization Name\nACME\nEdition Name\nLicense Type\nProduction\n"
        "Activation Code\nAB1.CD2.EF3.GH4.IJ5.KL6.MN7.OP8\nSerial Number\n"
        "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT\nEnd Date\nNever\n"
    )
    old_skin = (
        "Organization Name: ACME\tActivation Code: AB1.CD2.EF3.GH4.IJ5.KL6.MN7.OP8\n"
        "Edition Name:\tSerial Number: XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT\n"
        "License Type: Production\tEnd Date: Never\n"
    )
    for text in (new_skin, old_skin):
        values = parse_licensing_text(text)
        assert values == {
            "organization_name": "ACME",
            "edition_name": "",
            "license_type": "Production",
            "activation_code": "AB1.CD2.EF3.GH4.IJ5.KL6.MN7.OP8",
            "serial_number": "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT",
            "end_date": "Never",
        }


def test_a_name_with_two_serials_vouches_for_neither(tmp_path: Path) -> None:
    path = tmp_path / "AAA-AAA-AAA-AAA-AAA-AAA-AAA-AAA-replaces-XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT.lic"
    path.write_bytes(b"\x00opaque\x01")
    found = read_license_file(path)
    assert found.serial_number is None and found.serial_source is None


def test_a_lowercase_serial_and_activation_code_are_read_in_upper_case(tmp_path: Path) -> None:
    path = tmp_path / "renewal.lic"
    path.write_text(
        "Serial Number: xbi-nmo-il5-oyi-9so-lcu-4sq-qut\n"
        "<code>ab1.cd2.ef3.gh4.ij5.kl6.mn7.op8</code>\n"
    )
    found = read_license_file(path)
    assert found.serial_number == "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"
    assert found.serial_source == "file content"
    assert found.activation_code == "AB1.CD2.EF3.GH4.IJ5.KL6.MN7.OP8"


TEXT_FORMS: dict[str, tuple[Callable[[bytes], bytes], str | None]] = {
    "utf-8-with-lf": (lambda data: data, None),
    "windows-line-endings": (
        lambda data: data.replace(b"\n", b"\r\n"),
        "Windows line endings (CRLF)",
    ),
    "a-byte-order-mark": (lambda data: b"\xef\xbb\xbf" + data, "a byte-order mark"),
    "old-mac-line-endings": (
        lambda data: data.replace(b"\n", b"\r"),
        "carriage returns for line endings (CR)",
    ),
    "utf-16-from-notepad": (lambda data: data.decode().encode("utf-16"), "UTF-16 text"),
}


@pytest.mark.parametrize(("change", "named"), TEXT_FORMS.values(), ids=TEXT_FORMS.keys())
def test_a_files_text_form_is_read_through_and_named(
    change: Callable[[bytes], bytes], named: str | None, write_license: Callable[..., Path]
) -> None:
    path = write_license(random_serial(), end_date=date(2030, 1, 31), organization_name="ACME")
    plain = read_license_file(path)
    path.write_bytes(change(path.read_bytes()))
    found = read_license_file(path)
    fields = ["serial_number", "activation_code", "end_date", "organization_name", "license_type"]
    assert {f: getattr(found, f) for f in fields} == {f: getattr(plain, f) for f in fields}
    assert found.text_form == named
