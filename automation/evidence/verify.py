"""What `audit verify` checks: each run's files against its run.json, each run.json and report
against the log and against each other, the log, the index and the signature file against the
head kept outside the recordings, and each run not sealed against its process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from automation.evidence.chain import LOG, Chain, LogEntry, read_chain, who_and_why
from automation.evidence.files import sha256_of
from automation.evidence.head import Head, OpenRun, read_head, trail_lock
from automation.evidence.liveness import cut_off, is_alive
from automation.evidence.records import RunRecord, load_record
from automation.evidence.report import INDEX, PDF, REPORT
from automation.evidence.signatures import file_problems


@dataclass
class Verdict:
    """Every problem found, what the evidence cannot prove though it verifies, and how many
    runs were looked at, how many still under way."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    runs: int = 0
    under_way: int = 0


def verify(
    root: Path, state: Path, folders: list[Path] | None = None, *, locked: bool = False
) -> Verdict:
    """Check the log, the index and the signature file against the head, then the named run
    folders; with none named, every folder under the root and every run the log or the head
    knows, so a deleted run is noticed too. `locked`: the caller holds the trail's lock."""
    verdict = Verdict()
    with nullcontext() if locked else _steady(root):
        chain = read_chain(root)
        head = _trail(root, state, chain, verdict)
        noted = (head.signatures, head.last_signature_sha256) if head else None
        problems, verdict.notes = file_problems(root, chain, noted)
        verdict.problems += problems
        open_runs = head.open_runs if head else {}
        if folders is None:
            folders = _run_folders(root)
            for run in sorted(chain.entries.keys() - {f.name for f in folders}):
                verdict.problems.append(f"{run}: in {LOG}, but its folder is gone")
            for run in sorted(open_runs.keys() - {f.name for f in folders}):
                verdict.problems.append(f"{run}: noted as under way in the head, but is gone")
        for folder in folders:
            name = os.path.relpath(folder, root)
            logged = (chain.entries.get(name), chain.said.get(name))
            verdict.problems += _run(folder, logged, open_runs.get(name), verdict)
            verdict.runs += 1
    return verdict


@contextmanager
def _steady(root: Path) -> Iterator[None]:
    """Hold the trail's lock, so no run is half sealed while it is checked. A recordings
    folder deleted whole, or a read-only copy, has no writer to wait for."""
    lock = None
    if root.is_dir():
        with suppress(OSError):
            lock = trail_lock(root)
            lock.acquire()
    try:
        yield
    finally:
        if lock is not None and lock.is_locked:
            lock.release()


def rebuild_problems(root: Path, state: Path, folder: Path) -> list[str]:
    """Why a run's report must not be built again: its files or run.json no longer match what
    was sealed, it was never sealed, or the log it was sealed in was changed. Its report
    itself may be missing or changed: rebuilding it from a run that verifies restores it."""
    chain = read_chain(root)
    verdict = Verdict()
    _trail(root, state, chain, verdict, index=False)
    problems = verdict.problems
    name = folder.name
    try:
        record = load_record(folder)
    except (OSError, ValidationError):
        return [*problems, f"{name}: run.json is missing or unreadable"]
    entry = chain.entries.get(os.path.relpath(folder, root))
    if entry is None:
        return [*problems, f"{name} was never sealed: it is not in {LOG}"]
    said = chain.said.get(os.path.relpath(folder, root))
    problems += _files(folder, record, complete=True) + _sealed(folder, entry)
    return problems + _as_logged(folder, record, said)


def _trail(
    root: Path, state: Path, chain: Chain, verdict: Verdict, *, index: bool = True
) -> Head | None:
    """The log against its head, and the index against the head's hash of it."""
    verdict.problems += chain.problems
    try:
        head = read_head(state, root)
    except ValueError as error:
        verdict.problems.append(f"{root}: {error}")
        return None
    if head is None:
        if chain.lines:
            verdict.problems.append(
                f"{LOG} has {chain.lines} line(s), but no head was kept for {root.resolve()} in "
                f"{state}: nothing shows whether lines were removed from its end or rewritten "
                "(recordings made before sc-license kept heads, moved or copied here, or the "
                "state folder was cleared)"
            )
        return None
    verdict.problems += head.findings
    mismatch = head.mismatch(chain)
    if mismatch:
        verdict.problems.append(mismatch)
    page = root / INDEX
    if index and head.index_sha256 is None and page.exists():
        verdict.problems.append(f"{INDEX} was not written by sc-license (the head has no hash)")
    elif index and head.index_sha256 is not None and not page.is_file():
        verdict.problems.append(f"{INDEX} is missing")
    elif index and head.index_sha256 and sha256_of(page.read_bytes()) != head.index_sha256:
        verdict.problems.append(f"{INDEX} was changed after sc-license wrote it")
    return head


def _run_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def _run(
    folder: Path,
    logged: tuple[LogEntry | None, LogEntry | None],
    run: OpenRun | None,
    verdict: Verdict,
) -> list[str]:
    """A run folder against its run.json, and a sealed one against its log lines (the last,
    and the last that says who ran it and why) and its report; else against its process."""
    name = folder.name
    entry, said = logged
    try:
        record = load_record(folder)
    except (OSError, ValidationError):
        return [f"{name}: run.json is missing or unreadable"]
    if entry is None and record.outcome == "running":
        # Files appear as a run goes, before run.json lists them; only the listed are checked.
        problems = _files(folder, record, complete=False)
        unsealed = _unsealed(name, record, run)
        if unsealed is None:
            verdict.under_way += 1
            return problems
        return [unsealed, *problems]
    problems = _files(folder, record, complete=True)
    if entry is None:
        return [*problems, f"{name}: not in {LOG} (the run was never sealed, or its line removed)"]
    problems += _report(folder, entry) + _sealed(folder, entry)
    return problems + _as_logged(folder, record, said) + _as_reported(folder, record)


def _files(folder: Path, record: RunRecord, *, complete: bool) -> list[str]:
    """Every file the run recorded is there and unchanged; with `complete`, nothing else is."""
    name = folder.name
    expected = {step.screenshot: step.screenshot_sha256 for step in record.steps if step.screenshot}
    expected.update({artifact.file: artifact.sha256 for artifact in record.artifacts})
    problems = []
    for file, digest in sorted(expected.items()):
        path = folder / file
        if not path.is_file():
            problems.append(f"{name}: {file} is missing")
        elif sha256_of(path.read_bytes()) != digest:
            problems.append(f"{name}: {file} was changed (its SHA-256 differs from run.json)")
    for path in sorted(folder.iterdir()) if complete else []:
        # report.pdf is derived from report.html (`audit report --pdf`), not sealed.
        if path.name not in expected and path.name not in ("run.json", REPORT, PDF):
            problems.append(f"{name}: {path.name} is not part of the run (unexpected file)")
    return problems


def _report(folder: Path, entry: LogEntry) -> list[str]:
    """A sealed run has the report it was sealed with."""
    report = folder / REPORT
    if not report.is_file():
        return [f"{folder.name}: {REPORT} is missing (`sc-license audit report` builds it again)"]
    if entry.report_sha256 and sha256_of(report.read_bytes()) != entry.report_sha256:
        return [f"{folder.name}: {REPORT} was changed after the run (its hash differs from {LOG})"]
    return []


def _sealed(folder: Path, entry: LogEntry) -> list[str]:
    if entry.run_json_sha256 != sha256_of((folder / "run.json").read_bytes()):
        return [f"{folder.name}: run.json was changed after the run (its hash differs from {LOG})"]
    return []


def _as_logged(folder: Path, record: RunRecord, said: LogEntry | None) -> list[str]:
    """run.json says what its log line says of it: the outcome, and who ran it and why (a
    line written before the log held those says only the outcome). A log whose hashes were
    recomputed for an edited run.json still says what the run said."""
    if said is None:
        return []
    logged: dict[str, str | None] = {"outcome": said.outcome}
    now: dict[str, str | None] = {"outcome": record.outcome}
    if said.actor is not None:
        logged |= {
            "actor": said.actor,
            "change": said.change,
            "reason": said.reason,
            "approval": said.approval,
        }
        now |= who_and_why(record)
    differ = [name for name in logged if logged[name] != now[name]]
    if not differ:
        return []
    return [
        f"{folder.name}: run.json says otherwise than its line in {LOG} ({', '.join(differ)}): "
        "run.json was changed after the run"
    ]


def _as_reported(folder: Path, record: RunRecord) -> list[str]:
    """The report shows what run.json says at its top: the outcome and message, who ran it and
    why. A value the report may show otherwise (control or invisible characters, line breaks)
    is not compared."""
    from markupsafe import escape  # the report's own escaping; loaded with the report

    report = folder / REPORT
    if not report.is_file():
        return []  # _report says it is missing
    page = report.read_text(encoding="utf-8", errors="replace")
    headline = {
        "outcome": record.outcome,
        "message": record.message,
        "operator": record.operator,
        "reason": record.reason,
        "change": record.change,
    }
    missing = [
        name
        for name, value in headline.items()
        if value and value.isprintable() and str(escape(value)) not in page
    ]
    if not missing:
        return []
    return [
        f"{folder.name}: {REPORT} does not show what run.json says ({', '.join(missing)}): one "
        "of them was changed after the run"
    ]


def _unsealed(name: str, record: RunRecord, run: OpenRun | None) -> str | None:
    """None for a run under way in a live process of this host; else why it is not sealed."""
    if run is None:
        return (
            f"{name}: run.json says it is running, but no run under way was registered for it "
            "in the head: it was never sealed, and was made or copied here by hand (or by an "
            "sc-license older than heads)"
        )
    if record.process != run.process:
        return f"{name}: run.json names another process than the one that started the run"
    alive = is_alive(run.process)
    if alive:
        return None
    if alive is None:
        return (
            f"{name}: under way on {run.process.host} (process {run.process.pid}), or cut off "
            "there; it can be checked only on that machine, and is not sealed yet"
        )
    return f"{name}: {cut_off(record)}"
