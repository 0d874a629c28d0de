"""The audit log: one line per sealed run (or rebuilt report, or review), each holding the
hash of the line before, so that editing, removing or reordering a line breaks the chain."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from automation.evidence.files import sha256_of
from automation.evidence.records import Review, RunRecord
from automation.evidence.report import REPORT

LOG = "audit-log.jsonl"
GENESIS = "0" * 64


class LogEntry(BaseModel):
    """One line of recordings/audit-log.jsonl: a finished run, chained to the line before."""

    run: str
    event: str = (
        "sealed"  # or "report rebuilt", "reviewed": a run's last line is the one that holds
    )
    run_json_sha256: str
    report_sha256: str | None = None
    outcome: str
    sealed_at: datetime
    previous: str
    review: Review | None = None  # on a "reviewed" line
    # Who ran it and why, for a reader of the log alone; not on a "reviewed" line, whose
    # review says who reviewed it. Older lines have none of these.
    actor: str | None = None
    change: str | None = None
    reason: str | None = None
    approval: str | None = None  # how the upload was approved, or "not approved: ..."


@dataclass
class Chain:
    """The log as it is: the last line of each run, how many lines, the hash of the last one
    (what the next line must hold), and every break."""

    entries: dict[str, LogEntry]
    lines: int
    last: str
    problems: list[str]
    # By run: its last line that is not a review, which says who ran it and why.
    said: dict[str, LogEntry] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)  # by run, the number of its last line
    reviews: dict[str, list[Review]] = field(default_factory=dict)  # by run, oldest first
    hashes: list[str] = field(default_factory=list)  # each line's SHA-256, in order
    broken: list[int] = field(default_factory=list)  # numbers of the lines that do not follow


def read_chain(root: Path) -> Chain:
    """The log's entries by run, its length and end, and every break in the chain."""
    path = root / LOG
    lines = path.read_bytes().splitlines() if path.is_file() else []
    chain = Chain({}, len(lines), GENESIS, [])
    previous = GENESIS
    for number, line in enumerate(lines, start=1):
        try:
            entry = LogEntry.model_validate_json(line)
        except ValidationError:
            chain.problems.append(f"{LOG} line {number} is not a log entry (edited or damaged)")
            chain.broken.append(number)
            previous = sha256_of(line)
            chain.hashes.append(previous)
            continue
        if entry.previous != previous:
            chain.broken.append(number)
            chain.problems.append(
                f"{LOG} line {number} ({entry.run}) does not follow line {number - 1}: "
                "the log was edited, or lines were removed or reordered"
            )
        chain.entries[entry.run] = entry
        chain.numbers[entry.run] = number
        if entry.review is not None:
            chain.reviews.setdefault(entry.run, []).append(entry.review)
        else:
            chain.said[entry.run] = entry
        previous = sha256_of(line)
        chain.hashes.append(previous)
    chain.last = previous
    return chain


def append_entry(
    root: Path, folder: Path, previous: str, event: str = "sealed", review: Review | None = None
) -> str:
    """Add a run to the chain after the line hashed `previous`: its run.json and report
    hashes (and a review). Returns the new line's hash, the next line's `previous`."""
    report = folder / REPORT
    run_json = (folder / "run.json").read_bytes()  # read once: hashed and parsed alike
    record = RunRecord.model_validate_json(run_json)
    entry = LogEntry(
        run=os.path.relpath(folder, root),
        event=event,
        run_json_sha256=sha256_of(run_json),
        report_sha256=sha256_of(report.read_bytes()) if report.exists() else None,
        outcome=record.outcome,
        sealed_at=review.reviewed_at if review else datetime.now(UTC),
        previous=previous,
        review=review,
        **({} if review else who_and_why(record)),
    )
    line = entry.model_dump_json().encode()
    with (root / LOG).open("ab") as log:
        log.write(line + b"\n")
        log.flush()
        os.fsync(log.fileno())
    return sha256_of(line)


def who_and_why(record: RunRecord) -> dict[str, str | None]:
    """A run's actor, change ticket, reason and approval, as its log line holds them. `audit
    verify` compares each line with its run.json in these words: change them, and every
    line logged before no longer agrees with its run."""
    approval = record.approval
    if approval is None:
        approved = None
    else:
        approved = approval.how if approval.approved else f"not approved: {approval.how}"
    return {
        "actor": str(record.actor) if record.actor else record.operator,
        "change": record.change,
        "reason": record.reason,
        "approval": approved,
    }
