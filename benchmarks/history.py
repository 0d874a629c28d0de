"""A recordings folder with a long history: sealed runs fabricated without browsers (run.json,
report.html, the log's chained lines, the index and the head, as sealing writes them), and what
a new run's own evidence work and `audit list` cost in it against an empty folder."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil

from automation.evidence.anchors import audit_head
from automation.evidence.audit import seal
from automation.evidence.chain import GENESIS, LOG, LogEntry, who_and_why
from automation.evidence.files import sha256_of
from automation.evidence.head import Head, write_head
from automation.evidence.liveness import register, this_process
from automation.evidence.records import RunRecord, StepRecord
from automation.evidence.report import REPORT, build_index, render_report

SC_LICENSE = Path(sys.executable).parent / "sc-license"
HISTORY_RUNS = 10_000
STEPS = ("Open Service Center", "Sign in", "Click the Administration tab", "Read the license")
BEGAN = datetime(2026, 1, 1, tzinfo=UTC)


def record_of(number: int) -> RunRecord:
    """A finished status run, as a real one records it (its steps, its timing)."""
    started = BEGAN + timedelta(minutes=number)
    return RunRecord(
        flow="status",
        environment=f"env-{number % 25}",
        url=f"https://sc{number % 25}.example.com/ServiceCenter",
        user="admin",
        signed_in=True,
        operator="bench",
        reason="monthly licence check",
        process=this_process(),
        started_at=started,
        finished_at=started + timedelta(seconds=6),
        outcome="reported",
        exit_code=0,
        message="The installed license is valid.",
        days_left=200,
        steps=[
            StepRecord(
                number=step,
                name=name,
                status="passed",
                started_at=started + timedelta(seconds=step),
                duration_ms=900,
                screenshot=f"{step:02d}-step.png",
                screenshot_sha256=sha256_of(name.encode()),
                timing={"page": 0.6, "screenshot": 0.2, "files": 0.05},
            )
            for step, name in enumerate(STEPS, start=1)
        ],
    )


def fabricate(root: Path, state: Path, count: int) -> None:
    """`count` sealed runs in `root`, chained in its log, listed in its index, its head kept."""
    root.mkdir(parents=True)
    report = render_report_once(root)
    previous, lines = GENESIS, []
    for number in range(count):
        record = record_of(number)
        folder = root / f"{record.started_at:%Y%m%dT%H%M%SZ}-{record.environment}-status"
        folder.mkdir()
        run_json = record.model_dump_json(indent=2).encode() + b"\n"
        (folder / "run.json").write_bytes(run_json)
        (folder / REPORT).write_bytes(report)
        line = LogEntry(
            run=folder.name,
            run_json_sha256=sha256_of(run_json),
            report_sha256=sha256_of(report),
            outcome=record.outcome,
            sealed_at=record.finished_at or record.started_at,
            previous=previous,
            **who_and_why(record),
        ).model_dump_json()
        previous = sha256_of(line.encode())
        lines.append(line)
    log = ("\n".join(lines) + "\n").encode()
    (root / LOG).write_bytes(log)
    index = build_index(root)
    head = Head(root=str(root.resolve()), index_sha256=sha256_of(index.read_bytes()))
    head.lines, head.last_line_sha256, head.log_bytes = count, previous, len(log)
    write_head(state, root, head)


def render_report_once(root: Path) -> bytes:
    """One run's report, rendered once and kept by every fabricated run."""
    sample = root / ".sample"
    sample.mkdir()
    (sample / "run.json").write_bytes(record_of(0).model_dump_json().encode())
    report = render_report(sample).encode()
    (sample / "run.json").unlink()
    sample.rmdir()
    return report


def one_run(root: Path, state: Path, number: int) -> float:
    """A new run's own evidence work around its steps: noted as under way, sealed (report, log
    line, index, head), its audit head shown. Seconds."""
    record = record_of(number)
    record.started_at = datetime.now(UTC)
    folder = root / f"new-{number}"
    folder.mkdir()
    (folder / "run.json").write_bytes(record.model_dump_json(indent=2).encode())
    began = time.perf_counter()
    register(root, state, folder, record)
    seal(root, folder, state)
    audit_head(root)
    return time.perf_counter() - began


def audit_list(root: Path, state: Path) -> tuple[float, int]:
    """`sc-license audit list --out ROOT` in a process of its own: wall seconds, then (in a
    run of its own, since watching costs time) its peak resident memory in bytes."""
    command = [str(SC_LICENSE), "audit", "list", "--out", str(root)]
    env = {**os.environ, "SC_LICENSE_STATE_DIR": str(state)}
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - began
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    watched, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        with suppress(psutil.Error):
            peak = max(peak, watched.memory_info().rss)
        time.sleep(0.02)
    return wall, peak


def history(work: Path, count: int, repeat: int = 5) -> dict[str, float]:
    """A run's overhead in an empty folder and in one of `count` runs (medians), and `audit
    list` of the long one."""
    state = work / "state"
    empty, full = work / "empty", work / "full"
    empty.mkdir()
    began = time.perf_counter()
    fabricate(full, state, count)
    made = time.perf_counter() - began
    alone = [one_run(empty, state, n) for n in range(repeat)]
    crowded = [one_run(full, state, count + n) for n in range(repeat)]
    listed, peak = audit_list(full, state)
    return {
        "runs": count,
        "fabricated_s": made,
        "run_overhead_empty_s": statistics.median(alone),
        "run_overhead_full_s": statistics.median(crowded),
        "audit_list_s": listed,
        "audit_list_peak_mb": peak / 1e6,
        "index_mb": (full / "index.html").stat().st_size / 1e6,
    }


if __name__ == "__main__":
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as temporary:
        size = int(sys.argv[1]) if len(sys.argv) > 1 else HISTORY_RUNS
        print(json.dumps(history(Path(temporary), size), indent=2))
