"""Evidence a reviewer can trust: a hash chain of finished runs, and its verification."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock
from pydantic import BaseModel, ValidationError

from automation.evidence.files import sha256_of
from automation.evidence.records import RunRecord, load_record
from automation.evidence.report import REPORT, build_index, build_report

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


def seal(root: Path, folder: Path, *, index: bool = True) -> LogEntry:
    """Build a finished run's report, chain it into the audit log and refresh the index:
    one run at a time, so runs in parallel never interleave their lines or their index.
    A fleet refreshes the index once, at its end, not after each of its environments."""
    (root / ".locks").mkdir(exist_ok=True)
    with FileLock(root / ".locks" / f"{LOG}.lock"):
        build_report(folder)
        entry = append_to_log(root, folder)
        if index:
            build_index(root)
    return entry


def rebuild_report(root: Path, folder: Path) -> Path:
    """Build a run's report again (a newer template, a lost file) and log that it was."""
    (root / ".locks").mkdir(exist_ok=True)
    with FileLock(root / ".locks" / f"{LOG}.lock"):
        path = build_report(folder)
        append_to_log(root, folder, event="report rebuilt")
        build_index(root)
    return path


def append_to_log(root: Path, folder: Path, event: str = "sealed") -> LogEntry:
    """Add a run to the chain: its run.json and report hashes and the previous line's hash."""
    path = root / LOG
    with path.open("a+b") as log:
        log.seek(0)
        lines = log.read().splitlines()
        report = folder / REPORT
        run_json = (folder / "run.json").read_bytes()  # read once: hashed and parsed alike
        entry = LogEntry(
            run=os.path.relpath(folder, root),
            event=event,
            run_json_sha256=sha256_of(run_json),
            report_sha256=sha256_of(report.read_bytes()) if report.exists() else None,
            outcome=RunRecord.model_validate_json(run_json).outcome,
            sealed_at=datetime.now(UTC),
            previous=sha256_of(lines[-1]) if lines else GENESIS,
        )
        log.write(entry.model_dump_json().encode() + b"\n")
        log.flush()
        os.fsync(log.fileno())
    return entry


def verify_chain(root: Path) -> tuple[dict[str, LogEntry], list[str]]:
    """The log's entries by run, and every break in the chain."""
    path = root / LOG
    if not path.exists():
        return {}, []
    entries: dict[str, LogEntry] = {}
    problems = []
    previous = GENESIS
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
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
    return entries, problems


def verify_run(folder: Path, entry: LogEntry | None) -> list[str]:
    """Every file the run recorded is there and unchanged; nothing else was added."""
    name = folder.name
    try:
        record = load_record(folder)
    except (OSError, ValidationError):
        return [f"{name}: run.json is missing or unreadable"]
    expected = {step.screenshot: step.screenshot_sha256 for step in record.steps if step.screenshot}
    expected.update({artifact.file: artifact.sha256 for artifact in record.artifacts})
    problems = []
    for file, digest in sorted(expected.items()):
        path = folder / file
        if not path.is_file():
            problems.append(f"{name}: {file} is missing")
        elif sha256_of(path.read_bytes()) != digest:
            problems.append(f"{name}: {file} was changed (its SHA-256 differs from run.json)")
    for path in sorted(folder.iterdir()):
        if path.name not in expected and path.name not in ("run.json", REPORT):
            problems.append(f"{name}: {path.name} is not part of the run (unexpected file)")
    report = folder / REPORT
    sealed_report = entry.report_sha256 if entry else None
    if report.exists() and sealed_report and sha256_of(report.read_bytes()) != sealed_report:
        problems.append(f"{name}: {REPORT} was changed after the run (its hash differs from {LOG})")
    if entry is None and record.outcome == "running":
        return problems  # still running, or killed before it was sealed
    if entry is None:
        problems.append(f"{name}: not in {LOG} (the run was never sealed, or its line removed)")
    elif entry.run_json_sha256 != sha256_of((folder / "run.json").read_bytes()):
        problems.append(f"{name}: run.json was changed after the run (its hash differs from {LOG})")
    return problems


def verify(root: Path, folders: list[Path] | None = None) -> list[str]:
    """Check the chain, then the named run folders; with none named, every folder under the
    root and every run the log knows, so a deleted run is noticed too."""
    entries, problems = verify_chain(root)
    if folders is None:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        for run in sorted(entries):
            if not (root / run).is_dir():
                problems.append(f"{run}: in {LOG}, but its folder is gone")
    for folder in folders:
        relative = os.path.relpath(folder, root)
        problems.extend(verify_run(folder, entries.get(relative)))
    return problems
