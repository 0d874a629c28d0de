"""The audit log: one line per sealed run (or rebuilt report), each holding the hash of the
line before, so that editing, removing or reordering a line breaks the chain."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from automation.evidence.files import sha256_of
from automation.evidence.records import RunRecord
from automation.evidence.report import REPORT

LOG = "audit-log.jsonl"
GENESIS = "0" * 64


class LogEntry(BaseModel):
    """One line of recordings/audit-log.jsonl: a finished run, chained to the line before."""

    run: str
    event: str = "sealed"  # or "report rebuilt": the last line of a run is the one that holds
    run_json_sha256: str
    report_sha256: str | None = None
    outcome: str
    sealed_at: datetime
    previous: str
    # Who and why, for a reader of the log alone (older lines have none of these).
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


def read_chain(root: Path) -> Chain:
    """The log's entries by run, its length and end, and every break in the chain."""
    path = root / LOG
    lines = path.read_bytes().splitlines() if path.is_file() else []
    entries: dict[str, LogEntry] = {}
    problems = []
    previous = GENESIS
    for number, line in enumerate(lines, start=1):
        try:
            entry = LogEntry.model_validate_json(line)
        except ValidationError:
            problems.append(f"{LOG} line {number} is not a log entry (edited or damaged)")
            previous = sha256_of(line)
            continue
        if entry.previous != previous:
            problems.append(
                f"{LOG} line {number} ({entry.run}) does not follow line {number - 1}: "
                "the log was edited, or lines were removed or reordered"
            )
        entries[entry.run] = entry
        previous = sha256_of(line)
    return Chain(entries, len(lines), previous, problems)


def append_entry(root: Path, folder: Path, previous: str, event: str = "sealed") -> str:
    """Add a run to the chain after the line hashed `previous`: its run.json and report
    hashes. Returns the new line's hash, the next line's `previous`."""
    report = folder / REPORT
    run_json = (folder / "run.json").read_bytes()  # read once: hashed and parsed alike
    record = RunRecord.model_validate_json(run_json)
    approval = record.approval
    entry = LogEntry(
        run=os.path.relpath(folder, root),
        event=event,
        run_json_sha256=sha256_of(run_json),
        report_sha256=sha256_of(report.read_bytes()) if report.exists() else None,
        outcome=record.outcome,
        sealed_at=datetime.now(UTC),
        previous=previous,
        actor=str(record.actor) if record.actor else record.operator,
        change=record.change,
        reason=record.reason,
        approval=None
        if approval is None
        else approval.how
        if approval.approved
        else f"not approved: {approval.how}",
    )
    line = entry.model_dump_json().encode()
    with (root / LOG).open("ab") as log:
        log.write(line + b"\n")
        log.flush()
        os.fsync(log.fileno())
    return sha256_of(line)
