"""Reading a page's words: one normalisation, captions with any decoration, dates in their
written forms, labels an operator teaches. Tables, no browser."""

from __future__ import annotations

import pytest

from automation.licenses import parse_licensing_text, read_date
from automation.text import caption, normalise

SERIAL = "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"


@pytest.mark.parametrize(
    ("shown", "read"),
    [
        ("Serial\xa0Number:", "Serial Number:"),
        ("Serial\u200bNumber", "SerialNumber"),
        ("  Upload\u00adNew \t License\n", "UploadNew License"),
        ("\ufeffEnd Date", "End Date"),
        ("\uff2c\uff49\uff43\uff45\uff4e\uff53\uff49\uff4e\uff47", "Licensing"),  # full-width
    ],
)
def test_every_text_read_is_normalised_one_way(shown: str, read: str) -> None:
    assert normalise(shown) == read


@pytest.mark.parametrize(
    ("shown", "matches"),
    [
        ("Administration", True),
        ("administration", True),
        ("Administration ▾", True),  # a caret beside the tab's name
        ("\ue5cf Administration", True),  # an icon font's glyph
        ("Administration:", True),
        ("» Administration «", True),
        ("Licensing (3)", True),  # a counter in brackets
        ("Licensing [new]", True),
        ("Upload\xa0New License", True),
        ("Upload\u200b New\u00a0License →", True),
        ("Backup License", False),
        ("Licensing Portal", False),
        ("My Administration", False),
        ("Administrations", False),
    ],
)
def test_a_control_is_known_by_its_words_whatever_decorates_them(shown: str, matches: bool) -> None:
    pattern = caption(("Administration", "Licensing", "Upload New License"))
    assert bool(pattern.search(shown)) is matches


@pytest.mark.parametrize(
    ("shown", "date_format", "iso", "candidates"),
    [
        ("2027-12-31", None, "2027-12-31", ()),
        ("Never", None, "Never", ()),
        ("31/12/2027", None, "2027-12-31", ()),
        ("12/31/2027", None, "2027-12-31", ()),  # unambiguous: 31 is no month
        ("31.12.2027", None, "2027-12-31", ()),
        ("31 Dec 2027", None, "2027-12-31", ()),
        ("December 31, 2027", None, "2027-12-31", ()),
        ("Friday, 31 December 2027", None, "2027-12-31", ()),
        ("06/06/2027", None, "2027-06-06", ()),  # both readings are one date
        ("05/06/2027", None, None, ("2027-05-06", "2027-06-05")),  # reported, never guessed
        ("05/06/2027", "%d/%m/%Y", "2027-06-05", ()),  # a profile says which
        ("30/02/2027", None, None, ()),
        ("soon", None, None, ()),
    ],
)
def test_end_dates_are_read_in_their_written_forms_and_ambiguity_is_kept(
    shown: str, date_format: str | None, iso: str | None, candidates: tuple[str, ...]
) -> None:
    assert read_date(shown, date_format) == (iso, candidates)


def test_labels_with_non_breaking_spaces_and_colons_are_read() -> None:
    text = f"Serial\xa0Number:\n{SERIAL}\nEnd\xa0Date:\n2027-12-31\nLicense\xa0Type:\nProduction\n"
    values = parse_licensing_text(text)
    assert values["serial_number"] == SERIAL
    assert values["end_date"] == "2027-12-31"
    assert values["license_type"] == "Production"


def test_labels_a_profile_teaches_are_read_with_the_documented_ones() -> None:
    text = f"Serial\n{SERIAL}\nExpiration Date\n05/06/2027\n"
    untaught = parse_licensing_text(text)
    assert untaught["serial_number"] is None and untaught["end_date"] is None
    taught = parse_licensing_text(
        text, {"serial_number": ("Serial",), "end_date": ("Expiration Date",)}, "%d/%m/%Y"
    )
    assert taught["serial_number"] == SERIAL
    assert taught["end_date"] == "2027-06-05"
    assert taught["end_date_shown"] == "05/06/2027"


def test_an_ambiguous_end_date_is_kept_with_the_dates_it_may_be() -> None:
    values = parse_licensing_text(f"Serial Number\n{SERIAL}\nEnd Date\n05/06/2027\n")
    assert values["end_date"] == ""  # not guessed
    assert values["end_date_candidates"] == ("2027-05-06", "2027-06-05")
