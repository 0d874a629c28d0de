"""The audit log's hash chain on its own, without a browser: a log read back whole, and each
way of changing it (an edited, removed, reordered or garbled line) named at the line that
no longer follows. The end-to-end tests (test_tampering.py) show the same through the CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation.evidence.chain import GENESIS, LOG, LogEntry, read_chain
from automation.evidence.files import sha256_of

RUNS = ["20260101T000000Z-dev-install", "20260102T000000Z-dev-status", "20260103T000000Z-x"]


def write_log(root: Path, runs: list[str] = RUNS) -> list[bytes]:
    """A log of `runs`, each line chained to the one before, as sealing writes it."""
    lines, previous = [], GENESIS
    for run in runs:
        entry = LogEntry(
            run=run,
            run_json_sha256=sha256_of(run.encode()),
            outcome="installed",
            sealed_at=datetime(2026, 1, 1, tzinfo=UTC),
            previous=previous,
        )
        line = entry.model_dump_json().encode()
        lines.append(line)
        previous = sha256_of(line)
    save(root, lines)
    return lines


def save(root: Path, lines: list[bytes]) -> None:
    (root / LOG).write_bytes(b"".join(line + b"\n" for line in lines))


def test_a_log_as_sealed_reads_back_whole(tmp_path: Path) -> None:
    lines = write_log(tmp_path)
    chain = read_chain(tmp_path)
    assert chain.problems == [] and chain.broken == []
    assert chain.lines == len(RUNS)
    assert list(chain.entries) == RUNS
    assert chain.last == sha256_of(lines[-1])  # what the next line must hold


def test_no_log_is_an_empty_chain_the_first_line_follows(tmp_path: Path) -> None:
    chain = read_chain(tmp_path)
    assert (chain.lines, chain.last, chain.problems) == (0, GENESIS, [])


def edited(lines: list[bytes]) -> list[bytes]:
    return [lines[0], lines[1].replace(b"installed", b"refused"), lines[2]]


@pytest.mark.parametrize(
    ("change", "broken"),
    [
        (edited, 3),  # the line after the edited one no longer holds its hash
        (lambda lines: [lines[0], lines[2]], 2),  # a line removed
        (lambda lines: [lines[1], lines[0], lines[2]], 1),  # lines reordered
    ],
    ids=["edited", "removed", "reordered"],
)
def test_a_changed_log_is_named_at_the_line_that_does_not_follow(
    tmp_path: Path, change: object, broken: int
) -> None:
    save(tmp_path, change(write_log(tmp_path)))  # type: ignore[operator]
    chain = read_chain(tmp_path)
    assert broken in chain.broken
    assert any(f"line {broken} " in problem for problem in chain.problems)


def test_a_garbled_line_is_not_a_log_entry(tmp_path: Path) -> None:
    lines = write_log(tmp_path)
    save(tmp_path, [lines[0], b"{not json", lines[2]])
    chain = read_chain(tmp_path)
    assert f"{LOG} line 2 is not a log entry (edited or damaged)" in chain.problems
    assert chain.broken[0] == 2
    assert list(chain.entries) == [RUNS[0], RUNS[2]]
