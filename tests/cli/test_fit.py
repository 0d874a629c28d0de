"""Rows at the terminal's width (automation/cli/fit.py): columns where they fit, else a list
per row, so that no date, serial or run folder is cut across two lines at 80 columns."""

from __future__ import annotations

import io

import pytest
from rich.console import Console, RenderableType
from rich.text import Text

from automation.cli.fit import Cells, fitted, streamed

HEADER = ("Started (UTC)", "Environment", "Flow", "Outcome", "Operator", "Review", "Run folder")
RUN: Cells = [
    ("2026-12-07 05:58:57", ""),
    ("prod-eu-west", ""),
    ("install", ""),
    ("installed", "green"),
    ("root", ""),
    ("not reviewed", "dim"),
    ("20261207T055844Z-prod-eu-west-install", ""),
]
SHORT: Cells = [("05:58", ""), ("dev", ""), ("status", ""), ("done", ""), ("ci", "")]


def printed(width: int, *renderables: RenderableType) -> list[str]:
    """The lines a terminal `width` columns wide shows."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None)
    for renderable in renderables:
        console.print(renderable, soft_wrap=isinstance(renderable, Text))
    lines = out.getvalue().splitlines()
    return [part for line in lines for part in wrapped(line, width)]


def wrapped(line: str, width: int) -> list[str]:
    """A line as the terminal shows it: cut every `width` characters."""
    return [line[at : at + width] for at in range(0, max(len(line), 1), width)]


def test_audit_lists_runs_at_80_columns_as_lists_with_each_value_whole() -> None:
    lines = printed(80, *streamed(HEADER, [RUN, RUN], 80, batch=500))

    assert lines[:8] == [
        "2026-12-07 05:58:57",
        "  Environment  prod-eu-west",
        "  Flow         install",
        "  Outcome      installed",
        "  Operator     root",
        "  Review       not reviewed",
        "  Run folder   20261207T055844Z-prod-eu-west-install",
        "2026-12-07 05:58:57",
    ]
    assert len(lines) == 14


def test_runs_that_fit_are_columns_under_their_headers() -> None:
    header = HEADER[:5]
    lines = printed(80, *streamed(header, [SHORT, SHORT], 80, batch=500))

    assert lines == [
        "Started (UTC)  Environment  Flow    Outcome  Operator",
        "05:58          dev          status  done     ci",
        "05:58          dev          status  done     ci",
    ]


@pytest.mark.parametrize(("rows", "batch", "texts"), [(3, 2, 3), (4, 2, 3), (0, 2, 1), (1, 500, 2)])
def test_columns_come_a_batch_at_a_time_after_the_header(rows: int, batch: int, texts: int) -> None:
    assert len(list(streamed(HEADER[:5], [SHORT] * rows, 80, batch))) == texts


@pytest.mark.parametrize(
    ("width", "as_list"), [(80, True), (115, True), (116, False), (200, False)]
)
def test_lists_are_chosen_only_where_the_columns_do_not_fit(width: int, as_list: bool) -> None:
    # The columns need 19+12+7+9+8+12+37 characters and 2 between each two: 116.
    first = printed(width, *streamed(HEADER, [RUN], width, batch=500))[0]
    assert (first == "2026-12-07 05:58:57") is as_list


def test_a_fleet_table_at_80_columns_is_a_list_with_whole_serials() -> None:
    serial = "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"
    row = [Text("prod"), Text(serial), Text("CX6.JN1.C7R.9MP.IU1.BK0.QIE.ME1"), Text("done")]
    headers = ["Environment", "Serial", "Activation code", "Outcome"]

    lines = printed(80, fitted("Environments", headers, [row], 80))

    assert any(line.strip() == f"Serial           {serial}" for line in lines), lines
