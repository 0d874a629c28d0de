"""A backup is refused for what it plainly is (empty, a web page, another environment's),
never for a guess at its format: whether it is whole is for its transfer to tell. The same in
whatever encoding Service Center gave it: UTF-8 with or without a byte-order mark, or UTF-16."""

from __future__ import annotations

import codecs

import pytest

from automation.licenses import InstalledLicense
from flows.backup_license import backup_problem

SERIAL = "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"
INSTALLED = InstalledLicense(banner="valid", valid=True, serial_number=SERIAL)
# What the format rules of old refused: no format is published, so none is a reason.
LOOKS_CUT = {
    "header-and-base64-no-multiple-of-4": "OSLIC2\n" + "QUJDRA" * 20 + "\n",
    "base64-no-multiple-of-4": "QUJDRA" * 20,
    "xml-that-does-not-close": '<?xml version="1.0"?><license><serial>X',
    "json-that-does-not-close": '{"serial": "X',
    "armored-block-without-its-end": "-----BEGIN OUTSYSTEMS LICENSE-----\nSerial Number: X",
}
REFUSED = {
    "empty": ("", "downloaded an empty file"),
    "a-web-page": ("<!DOCTYPE html><html><h1>Server Error</h1>", "returned a web page"),
    "another-environment-s": (
        "Serial Number: AAA-BBB-CCC-DDD-EEE-FFF-GGG-HHH",
        "a file for serial AAA-BBB-CCC-DDD-EEE-FFF-GGG-HHH, not this environment's",
    ),
}
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-with-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16": lambda text: text.encode("utf-16"),  # with its byte-order mark
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("form", LOOKS_CUT)
def test_a_backup_is_not_refused_by_a_guess_at_its_format(form: str, encoding: str) -> None:
    assert backup_problem(ENCODINGS[encoding](LOOKS_CUT[form]), INSTALLED) is None


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("case", REFUSED)
def test_a_backup_that_plainly_is_no_license_of_this_environment_is_refused(
    case: str, encoding: str
) -> None:
    text, said = REFUSED[case]

    problem = backup_problem(ENCODINGS[encoding](text) if text else b"", INSTALLED)

    assert problem is not None and said in problem
