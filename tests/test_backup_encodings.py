"""A backup cut short is seen as incomplete in whatever encoding Service Center gave it:
UTF-8 with or without a byte-order mark, or UTF-16."""

from __future__ import annotations

import codecs

import pytest

from automation.license_files import incompleteness

CUT = {
    "xml": ('<?xml version="1.0"?><license><serial>X', "its XML is not complete"),
    "json": ('{"serial": "X', "its JSON is not complete"),
}
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-with-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16": lambda text: text.encode("utf-16"),  # with its byte-order mark
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("form", CUT)
def test_a_backup_cut_short_is_incomplete_in_any_encoding(form: str, encoding: str) -> None:
    text, said = CUT[form]

    assert incompleteness(ENCODINGS[encoding](text)) == said


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_whole_backup_is_complete_in_any_encoding(encoding: str) -> None:
    whole = '<?xml version="1.0"?><license><serial>X</serial></license>'

    assert incompleteness(ENCODINGS[encoding](whole)) is None
