"""Which words of a report's values are kept whole on a line (automation/evidence/tokens.py):
serials, codes, dates, options, folders and addresses; a path breaks only after a slash."""

from __future__ import annotations

import re

import pytest

from automation.evidence.tokens import whole


def tokens(value: str) -> list[str]:
    """The words marked whole, as the page shows them."""
    return re.findall(r'<span class="token">([^<]*)</span>', str(whole(value)))


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("Serial XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT", ["XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"]),
        (
            "code CX6.JN1.C7R.9MP.IU1.BK0.QIE.ME1, ends 2028-12-31.",
            ["CX6.JN1.C7R.9MP.IU1.BK0.QIE.ME1,", "2028-12-31."],
        ),
        ("http://127.0.0.1:1819/ServiceCenter", ["http://127.0.0.1:1819/ServiceCenter"]),
        ("sc-license status --env-name prod", ["sc-license", "--env-name"]),
        (
            "/tmp/ops/recordings/20261129T055914Z-prod-install/backup.lic",
            ["/tmp/", "ops/", "recordings/", "20261129T055914Z-prod-install/", "backup.lic"],
        ),
        ("C:\\Users\\ops\\new.lic", ["C:\\", "Users\\", "ops\\", "new.lic"]),
        ("Sandbox Organization", []),
    ],
)
def test_values_read_whole_are_kept_whole_and_paths_break_after_a_slash(
    value: str, kept: list[str]
) -> None:
    assert tokens(value) == kept
    assert re.sub(r"<[^>]+>", "", str(whole(value))) == value  # the text itself unchanged


def test_outside_text_stays_text() -> None:
    shown = str(whole("<script>alert(1)</script> \x1b[31mred-text"))
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "\x1b" not in shown
