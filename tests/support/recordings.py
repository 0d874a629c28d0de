"""Recordings as a tamperer sees them: copied with their head, and a log to rewrite."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from automation.evidence.head import head_path

LOG = "audit-log.jsonl"


def state_folder() -> Path:
    """The test session's state folder (see tests/conftest.py)."""
    return Path(os.environ["SC_LICENSE_STATE_DIR"])


def copy_recordings(source: Path, target: Path) -> Path:
    """Copy a recordings folder, and its head as it would be kept for the copy's path."""
    shutil.copytree(source, target)
    head = head_path(state_folder(), target)
    head.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(head_path(state_folder(), source), head)
    return target


def edit_record(folder: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    """Change a run's run.json as someone with a text editor would."""
    record = json.loads((folder / "run.json").read_text())
    edit(record)
    (folder / "run.json").write_text(json.dumps(record, indent=2) + "\n")


def log_lines(root: Path) -> list[str]:
    return (root / LOG).read_text().splitlines()


def write_log(root: Path, lines: list[str]) -> None:
    (root / LOG).write_text("".join(f"{line}\n" for line in lines))


def rechain(root: Path, run: str) -> None:
    """Make the log agree with RUN's run.json as it is now, and every line after it follow
    the one before: the forgery a hash chain alone cannot tell from the truth."""
    lines = log_lines(root)
    digest = hashlib.sha256((root / run / "run.json").read_bytes()).hexdigest()
    for number, line in enumerate(lines):
        entry = json.loads(line)
        if entry["run"] == run:
            entry["run_json_sha256"] = digest
        if number > 0:
            entry["previous"] = hashlib.sha256(lines[number - 1].encode()).hexdigest()
        lines[number] = json.dumps(entry, separators=(",", ":"))
    write_log(root, lines)


@dataclass
class FinishedRuns:
    """Recordings of a real install (trace and video on), then a failed sign-in."""

    root: Path
    installed: Path
    refused: Path  # the newest run
    password: str
    output: str
    heads: list[dict[str, object]]  # the audit head each run printed (--json), in order


def move_the_head(root: Path) -> None:
    """Move the head kept in the state folder to where the log and the index are now, as
    someone who can write the state folder too would after recomputing the chain."""
    path = head_path(state_folder(), root)
    head = json.loads(path.read_text())
    lines = log_lines(root)
    head["lines"] = len(lines)
    head["last_line_sha256"] = hashlib.sha256(lines[-1].encode()).hexdigest()
    head["index_sha256"] = hashlib.sha256((root / "index.html").read_bytes()).hexdigest()
    path.write_text(json.dumps(head))
