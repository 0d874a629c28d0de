"""Site profiles on their own, without a browser: which files are accepted, and how a refused
one names its key and line. The CLI's wiring of them is tested in tests/cli (test_refusals.py,
test_commands.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from automation.errors import BadInput
from automation.profile import load_profile

EXAMPLE = """\
[words]
administration = ["Admin"]
[licensing]
valid_status = ["This license is valid."]
invalid_status = ["This license is not valid"]
date_format = "%d/%m/%Y"
[licensing.labels]
end_date = ["Expiration Date"]
serial_number = ["Serial"]
"""

# What a profile holds, and what its refusal must say; None: it is accepted.
PROFILES = {
    "the-example": (EXAMPLE, None),
    "an-empty-file": ("", None),
    "an-unknown-key-at-the-top": (
        'colour = "red"\n',
        "unknown key 'colour' (line 1)",
    ),
    "an-unknown-section": (
        '[wordz]\nadministration = ["Admin"]\n',
        "unknown key 'wordz' (line 1)",
    ),
    "a-misspelt-key-in-words": (
        '[words]\nadministration = ["Admin"]\nadminstration = ["Admin."]\n',
        "unknown key 'words.adminstration' (line 3)",
    ),
    "an-unknown-label": (
        '[licensing]\nvalid_status = ["OK"]\n[licensing.labels]\nend_date = ["Ends"]\n'
        'expiry = ["Expiry"]\n',
        "unknown key 'licensing.labels.expiry' (line 5)",
    ),
    "a-date-format-without-the-year": (
        '[licensing]\ndate_format = "%d/%m"\n',
        "bad value 'licensing.date_format' (line 2): Value error, '%d/%m' does not give day, "
        "month and year",
    ),
    "a-date-format-that-is-none": (
        '[licensing]\ndate_format = "%Q"\n',
        "bad value 'licensing.date_format' (line 2): Value error, '%Q' is not a date format",
    ),
    "a-word-that-is-no-list": (
        '[words]\nadministration = "Admin"\n',
        "bad value 'words.administration' (line 2)",
    ),
    "a-key-the-tool-fills-in": ('sha256 = "0"\n', "unknown key 'sha256' (line 1)"),
    "not-toml": ("[words\n", "is not valid TOML: Expected ']'"),
}


@pytest.mark.parametrize(("text", "says"), PROFILES.values(), ids=PROFILES.keys())
def test_a_profile_is_accepted_or_refused_naming_its_key_and_line(
    tmp_path: Path, text: str, says: str | None
) -> None:
    path = tmp_path / "site-profile.toml"
    path.write_text(text)

    if says is None:
        assert load_profile(path).path == str(path)
        return
    with pytest.raises(BadInput) as refused:
        load_profile(path)
    assert str(path) in refused.value.message
    assert says in refused.value.message


def test_the_example_teaches_its_words_on_top_of_the_documented_ones(tmp_path: Path) -> None:
    path = tmp_path / "site-profile.toml"
    path.write_text(EXAMPLE)

    profile = load_profile(path)

    assert profile.words.administration == ("Admin",)
    assert profile.words.licensing == ()
    assert profile.licensing.date_format == "%d/%m/%Y"
    assert profile.licensing.labels.end_date == ("Expiration Date",)


def test_the_sha256_recorded_is_the_files_own(tmp_path: Path) -> None:
    path = tmp_path / "site-profile.toml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.encode())  # as Notepad saves it

    assert load_profile(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_profile_is_refused_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"

    with pytest.raises(BadInput, match=r"nowhere\.toml cannot be read"):
        load_profile(missing)
