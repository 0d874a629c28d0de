"""Runs under way and runs cut off: each run notes its process in run.json and in the head
when it starts, so a run whose process ended without sealing it (killed, crashed, a power
cut) is told from one still under way, and the next run on its environment says so."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path

import psutil
from pydantic import ValidationError

from automation.evidence.head import OpenRun, head_at_end, read_head, trail_lock, write_head
from automation.evidence.records import RunProcess, RunRecord, load_record

# The flows that change an environment's license.
CHANGING_FLOWS = ("install", "restore")
# A process's start time is read from clock ticks since boot; two readings agree this well.
SAME_START_S = 2.0


def this_process() -> RunProcess:
    me = psutil.Process()
    started = datetime.fromtimestamp(me.create_time(), UTC)
    return RunProcess(pid=me.pid, host=socket.gethostname(), started_at=started)


def is_alive(process: RunProcess) -> bool | None:
    """Whether the process still runs; None when that cannot be told from here (another host,
    or not allowed to look)."""
    if process.host != socket.gethostname():
        return None
    try:
        found = psutil.Process(process.pid)
        started = found.create_time()
        if found.status() == psutil.STATUS_ZOMBIE:
            return False
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return None
    return abs(started - process.started_at.timestamp()) < SAME_START_S


def cut_off(record: RunRecord) -> str:
    """What a run whose process ended before sealing it leaves to do, in one sentence."""
    last = record.steps[-1] if record.steps else None
    where = f"after step {last.number} ({last.name})" if last else "before its first step"
    if record.flow in CHANGING_FLOWS:
        then = f"the license may have changed; check with `sc-license status` on {record.url}"
    else:
        then = f"a {record.flow} run changes nothing"
    process = record.process
    by = f"process {process.pid} on {process.host}" if process else "its process"
    return f"cut off {where}; {then}. The run was never sealed: {by} ended first."


def register(root: Path, state: Path | None, folder: Path, record: RunRecord) -> list[str]:
    """Note a run as under way in the head; return a warning for each earlier run on its
    environment that was cut off, each said by one run only."""
    if state is None or record.process is None:
        return []
    name = os.path.relpath(folder, root)
    warnings = []
    with trail_lock(root):
        head, _ = head_at_end(state, root, f"when {name} started")  # the log's end only
        for other, run in head.open_runs.items():
            if run.url != record.url or run.reported_by or is_alive(run.process) is not False:
                continue
            earlier = _record(root / other)
            if earlier is not None:
                warnings.append(
                    f"An earlier run on this environment, {other}, was {cut_off(earlier)}"
                )
                run.reported_by = name
        head.open_runs[name] = OpenRun(url=record.url, process=record.process)
        try:
            write_head(state, root, head)
        except OSError as error:  # the run goes on; its evidence says what is missing
            return [
                f"This run could not be noted as under way in {state} ({error}): until it is "
                "sealed, `sc-license audit verify` cannot tell it from a forged one."
            ]
    return warnings


def cut_off_runs(root: Path, state: Path) -> dict[str, str]:
    """The runs under `root` noted as under way whose process is gone, each with what to do."""
    try:
        head = read_head(state, root)
    except ValueError:
        return {}  # audit verify says why
    found = {}
    for name, run in head.open_runs.items() if head else []:
        record = _record(root / name)
        if record is not None and is_alive(run.process) is False:
            found[name] = cut_off(record)
    return found


def _record(folder: Path) -> RunRecord | None:
    try:
        return load_record(folder)
    except (OSError, ValidationError):
        return None  # gone or unreadable: audit verify says so
