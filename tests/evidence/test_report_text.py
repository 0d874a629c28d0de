"""Outside text in report.html and index.html is shown as the terminal shows it: license
fields, Service Center's words, names and a reviewer's note reach the page with no terminal
sequence or control character, whichever field they come in."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation.evidence.records import Review
from automation.evidence.report import build_index, render_report

# An OSC that retitles the terminal, a CSI that colours it, one that clears it, a reset, a C1
# CSI, a bell, a NUL and a mark that reorders text right to left.
ESCAPES = "\x1b]0;pwned\x07Team \x1b[31mRed\x1b[0m\x1b[2J\x1bc Org\x9b31m\x07\x00\u202e"
SHOWN = "Team Red Org31m"
# Any control character but the newline and tab a template may hold, and the bidi marks.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

LICENSE = {
    "organization_name": ESCAPES,
    "edition_name": ESCAPES,
    "license_type": "Production",
    "activation_code": "AAA.BBB.CCC.DDD.EEE.FFF.GGG.HHH",
    "serial_number": "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT",
    "end_date": "2027-01-31",
    "banner": f"This license is not valid: {ESCAPES}",
    "valid": False,
}
RUN = {
    "flow": "status",
    "environment": "prod",
    "url": "http://prod.example.com/ServiceCenter",
    "user": "admin",
    "environment_shown": ESCAPES,
    "started_at": "2026-01-05T10:00:00Z",
    "finished_at": "2026-01-05T10:00:09Z",
    "outcome": "attention",
    "exit_code": 8,
    "message": f"prod: {ESCAPES}",
    "license_before": LICENSE,
    "warnings": [f"Service Center said: {ESCAPES}"],
    "dialogs": [ESCAPES],
    "days_left": 3,
}
FLEET = {
    **RUN,
    "environment": "fleet",
    "url": "",
    "started_at": "2026-01-05T10:01:00Z",
    "message": "1 of 1 environments done.",
    "license_before": None,
    "fleet": [
        {
            "environment": "prod",
            "url": "http://prod.example.com/ServiceCenter",
            "outcome": "attention",
            "exit_code": 8,
            "message": f"prod: {ESCAPES}",
            "license_before": LICENSE,
            "days_left": 3,
        }
    ],
}
RUNS = {"20260105T100000Z-prod-status": RUN, "20260105T100100Z-fleet": FLEET}
NOTE = f"Checked {ESCAPES}"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name, record in RUNS.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "run.json").write_text(json.dumps(record))
    return tmp_path


def review() -> Review:
    return Review(reviewer="alice", verdict="accepted", note=NOTE, reviewed_at=datetime.now(UTC))


@pytest.mark.parametrize("run", RUNS)
def test_a_report_shows_outside_text_without_control_characters(root: Path, run: str) -> None:
    html = render_report(root / run, [review()])

    assert CONTROL.findall(html) == []
    assert SHOWN in html and "Checked Team Red Org31m" in html


def test_the_index_shows_outside_text_without_control_characters(root: Path) -> None:
    html = build_index(root, {"20260105T100000Z-prod-status": [review()]}).read_text()

    assert CONTROL.findall(html) == []
    assert "Checked Team Red Org31m" in html
