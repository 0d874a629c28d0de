"""The audit log: one line per sealed run (or rebuilt report, or review), each holding the
hash of the line before, so that editing, removing or reordering a line breaks the chain."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, ValidationError

from automation.evidence.files import sha256_of
from automation.evidence.records import Review, RunRecord
from automation.evidence.report import REPORT

LOG = "audit-log.jsonl"
GENESIS = "0" * 64
BLOCK = 8192  # read from the log's end at a time, for its last line


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
    size: int = 0  # the log's size in bytes


def read_chain(root: Path) -> Chain:
    """The log's entries by run, its length and end, and every break in the chain."""
    path = root / LOG
    data = path.read_bytes() if path.is_file() else b""
    lines = data.splitlines()
    chain = Chain({}, len(lines), GENESIS, [], size=len(data))
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


@dataclass
class LogEnd:
    """Where the log ends, read from its end: how many lines, the last one's SHA-256 (what the
    next line must hold), and its size in bytes. What a run needs to append its line, in time
    that does not grow with the log; the lines before are `read_chain`'s (`audit verify`)."""

    lines: int
    last: str
    size: int


def read_end(root: Path, known: LogEnd | None = None) -> LogEnd:
    """The log's end. Its line count is taken from `known` (the head) when the log still has
    the size and the last line that `known` says; else the lines are counted, not parsed."""
    path = root / LOG
    try:
        log = path.open("rb")
    except FileNotFoundError:
        return LogEnd(0, GENESIS, 0)
    with log:
        size = log.seek(0, os.SEEK_END)
        last = _last_line(log, size)
        end = sha256_of(last) if last is not None else GENESIS
        if known is not None and (known.size, known.last) == (size, end):
            return LogEnd(known.lines, end, size)
        log.seek(0)
        return LogEnd(len(log.read().splitlines()), end, size)


def _last_line(log: BinaryIO, size: int) -> bytes | None:
    """The log's last line, as `read_chain` splits it, read backwards in blocks from the end."""
    tail = b""
    position = size
    while position > 0:
        step = min(BLOCK, position)
        position -= step
        log.seek(position)
        tail = log.read(step) + tail
        lines = tail.splitlines()
        # Whole once a line break comes before the last line (or the file's start does).
        if len(lines) > 1 or (position == 0 and lines):
            return lines[-1]
    return None


def read_reviews(root: Path) -> dict[str, list[Review]]:
    """Each run's reviews, oldest first, from the log read a line at a time: only the lines
    that hold a review are parsed. For listing; `read_chain` checks the chain."""
    reviews: dict[str, list[Review]] = {}
    try:
        log = (root / LOG).open("rb")
    except FileNotFoundError:
        return reviews
    with log:
        for line in log:
            if b'"review":{' not in line:
                continue
            try:
                entry = LogEntry.model_validate_json(line)
            except ValidationError:
                continue  # audit verify says so
            if entry.review is not None:
                reviews.setdefault(entry.run, []).append(entry.review)
    return reviews


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
