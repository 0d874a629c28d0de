"""A run's or a fleet's headline, the same in the terminal, --json and the report's badge:
coloured as its most severe ending, counting the most important first, and never "Nothing
changed" when a license was installed; an expiry watch that found one to renew says so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation.cli.display import headline_json
from automation.cli.fleet_display import fleet_headline, show_fleet
from automation.evidence.records import FleetEntry, RunRecord
from automation.evidence.report import render_report
from automation.outcomes import headline
from tests.support.markup import parse
from tests.support.terminal import terminal

HEADLINES = [
    (
        "installed, rolled back, refused and unchanged: partly done, amber",
        [("unchanged", 0), ("installed", 0), ("rolled-back", 4), ("refused", 3)],
        "unchanged",
        "Partly done: 1 installed, 1 rolled back, 1 refused, 1 unchanged",
    ),
    (
        "all installed",
        [("installed", 0), ("installed", 0)],
        "done",
        "Done as intended: 2 installed",
    ),
    (
        "refused and unchanged: nothing changed",
        [("unchanged", 0), ("refused", 3)],
        "unchanged",
        "Nothing changed: 1 refused, 1 unchanged",
    ),
    (
        "an expiry watch with one to renew",
        [("reported", 0), ("attention", 8), ("attention", 8)],
        "unchanged",
        "Needs attention: 2 attention, 1 reported",
    ),
    (
        "a rollback that failed heads it all, in red",
        [("installed", 0), ("rollback-failed", 6), ("unchanged", 0)],
        "act-now",
        "Act now: 1 rollback failed, 1 installed, 1 unchanged",
    ),
    (
        "a wrong password changed nothing",
        [("failed", 5), ("reported", 0)],
        "unchanged",
        "Nothing changed: 1 failed, 1 reported",
    ),
    (
        "an unexpected failure beside an expiry warning: act now",
        [("failed", 1), ("attention", 8)],
        "act-now",
        "Act now: 1 failed, 1 attention",
    ),
    (
        "a single run to renew",
        [("attention", 8)],
        "unchanged",
        "Needs attention: 1 attention",
    ),
    (
        "a change rolled back, the rest unchanged: rolled back, not 'nothing changed'",
        [("rolled-back", 4), ("unchanged", 0)],
        "unchanged",
        "Rolled back: 1 rolled back, 1 unchanged",
    ),
    (
        "a rollback beside a refusal",
        [("refused", 3), ("rolled-back", 4)],
        "unchanged",
        "Rolled back: 1 rolled back, 1 refused",
    ),
    ("a backup", [("backed-up", 0), ("no-license", 0)], "unchanged", None),
    ("an empty shard: nothing to do, not done", [], "done", "Nothing to do: no environment"),
]


@pytest.mark.parametrize(
    ("endings", "group", "said"),
    [(endings, group, said) for _, endings, group, said in HEADLINES],
    ids=[name for name, *_ in HEADLINES],
)
def test_the_headline_is_coloured_by_the_worst_and_counts_the_most_important_first(
    endings: list[tuple[str, int | None]], group: str, said: str | None
) -> None:
    top = headline(endings)

    assert top.severity == group
    if said is not None:
        assert str(top) == said
    assert not (top.label == "Nothing changed" and any(o == "installed" for o, _ in endings))


def fleet(endings: list[tuple[str, int]]) -> tuple[RunRecord, list[FleetEntry]]:
    entries = [
        FleetEntry(
            environment=f"env{i}",
            url=f"https://env{i}.example.com/ServiceCenter",
            outcome=outcome,
            exit_code=code,
            message=f"env{i}: {outcome}",
        )
        for i, (outcome, code) in enumerate(endings)
    ]
    record = RunRecord(
        flow="install",
        environment="fleet",
        url="local browser",
        user="-",
        started_at=datetime(2026, 12, 7, 10, tzinfo=UTC),
        finished_at=datetime(2026, 12, 7, 10, 5, tzinfo=UTC),
        outcome="failed",
        exit_code=4,
        message=f"1 of {len(entries)} environments done.",
        fleet=entries,
    )
    return record, entries


MIXED = [("unchanged", 0), ("installed", 0), ("rolled-back", 4), ("refused", 3)]


def test_the_terminal_the_json_and_the_report_head_a_fleet_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record, entries = fleet(MIXED)
    (tmp_path / "run.json").write_text(record.model_dump_json())

    with terminal(capsys) as printed:
        show_fleet(record, entries, tmp_path, None)
    html = parse(render_report(tmp_path))
    given = headline_json(fleet_headline(entries))

    said = "Partly done: 1 installed, 1 rolled back, 1 refused, 1 unchanged"
    assert f"{said}. 1 of 4 environments done." in " ".join(printed.stdout.split())
    assert "Nothing changed" not in printed.stdout
    outcome = html.find(id="outcome")
    assert outcome.attrs["data-severity"] == "unchanged"
    assert " ".join(outcome.lines()).startswith(said.replace(":", "", 1))
    assert given == {
        "severity": "unchanged",
        "label": "Partly done",
        "counts": "1 installed, 1 rolled back, 1 refused, 1 unchanged",
        "text": said,
    }


def test_an_expiry_watch_report_is_badged_attention(tmp_path: Path) -> None:
    record, _ = fleet([("reported", 0), ("attention", 8)])
    record = record.model_copy(update={"flow": "status", "outcome": "attention", "exit_code": 8})
    (tmp_path / "run.json").write_text(record.model_dump_json())

    outcome = parse(render_report(tmp_path)).find(id="outcome")
    [badge] = [span for span in outcome.find_all("span") if "badge" in span.attrs.get("class", "")]

    assert badge.text().strip() == "Needs attention"
    assert "sev-unchanged" in badge.attrs["class"]


def test_an_empty_shards_report_says_it_had_nothing_to_do(tmp_path: Path) -> None:
    record, _ = fleet([])
    record = record.model_copy(update={"outcome": "done", "exit_code": 0})
    (tmp_path / "run.json").write_text(record.model_dump_json())

    outcome = parse(render_report(tmp_path)).find(id="outcome")

    assert " ".join(outcome.lines()).startswith("Nothing to do no environment")
