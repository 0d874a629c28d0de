"""A long history costs a new run nothing: a run is noted and sealed from the log's end and its
own row of the index, while `audit verify` still reads everything and `audit list` still lists
every run. (How fast, with 10,000 runs, is `make bench`'s to say, not a test's.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from automation.evidence import report
from automation.evidence.audit import seal
from automation.evidence.chain import read_chain
from automation.evidence.head import head_path, read_head
from automation.evidence.liveness import register
from automation.evidence.records import load_record
from automation.evidence.report import INDEX, build_index
from automation.evidence.runs import listed_runs
from tests.support.in_process import run_in_process
from tests.support.recordings import LOG, FinishedRuns, edit_record, log_lines, state_folder

# A hole this long at the log's start: reading it whole would need a terabyte of memory.
HOLE = 2**40


def new_run(root: Path, like: Path, name: str, hours: float) -> Path:
    """A finished, not yet sealed run, copied from `like`, started `hours` after it."""
    folder = root / name
    shutil.copytree(like, folder)
    (folder / "report.html").unlink()
    started = load_record(like).started_at + timedelta(hours=hours)
    edit_record(folder, lambda record: record.update(started_at=started.isoformat()))
    return folder


def rows_of(index: str) -> list[str]:
    return [line for line in index.splitlines() if line.startswith(report.ROW)]


def test_a_run_is_sealed_after_early_lines_that_are_garbage_and_verify_names_them(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    lines = log_lines(root)
    lines[0] = "#" * len(lines[0])  # the same size: the head still knows where the log ends
    (root / LOG).write_text("".join(f"{line}\n" for line in lines))
    folder = new_run(root, runs.refused, "20990101T000000Z-later-status", 1)

    seal(root, folder, state_folder())

    chain = read_chain(root)
    assert chain.lines == 3 and chain.broken == [1, 2]  # the garbage, and the line after it
    assert chain.entries[folder.name].previous == chain.hashes[1]  # the new line follows
    head = read_head(state_folder(), root)
    assert head is not None and head.findings == []
    assert (head.lines, head.last_line_sha256) == (3, chain.last)
    assert folder.name in (root / INDEX).read_text()
    verified = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert verified.exit_code == 7
    assert f"{LOG} line 1 is not a log entry" in verified.stdout + verified.stderr


SEAL_WITH_LITTLE_MEMORY = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (2**32, 2**32))  # far less than the log's size
from automation.evidence import report
from automation.evidence.audit import seal
from automation.evidence.liveness import register, this_process
from automation.evidence.records import load_record
root, folder, state = (Path(arg) for arg in sys.argv[1:])
record = load_record(folder)
record.process = this_process()
register(root, state, folder, record)
seal(root, folder, state)
"""


def test_starting_and_sealing_a_run_reads_only_the_end_of_the_log(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    log = root / LOG
    kept = log.read_bytes()
    with log.open("r+b") as file:  # a terabyte of history before it, taking no disk space
        file.truncate(0)
        file.seek(HOLE)
        file.write(b"\n" + kept)
    path = head_path(state_folder(), root)
    head = json.loads(path.read_text())
    head.update(lines=head["lines"] + 1, log_bytes=log.stat().st_size)
    path.write_text(json.dumps(head))
    folder = new_run(root, runs.refused, "20990101T000000Z-later-status", 1)

    sealed = subprocess.run(
        [sys.executable, "-c", SEAL_WITH_LITTLE_MEMORY, root, folder, state_folder()],
        capture_output=True,
        text=True,
    )

    assert sealed.returncode == 0, sealed.stderr
    with log.open("rb") as file:
        file.seek(HOLE + 1 + len(kept))
        added = json.loads(file.read())
    assert added["run"] == folder.name
    assert added["previous"] == head["last_line_sha256"]
    after = read_head(state_folder(), root)
    assert after is not None and after.lines == head["lines"] + 1 and after.findings == []


def test_the_index_a_run_updates_is_the_index_built_whole(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    # Sealed out of the order they started in: each row goes where it belongs, newest first.
    for name, hours in [("b-later", 2), ("c-latest", 3), ("a-between", -0.5)]:
        seal(root, new_run(root, runs.refused, name, hours), state_folder())
    updated = (root / INDEX).read_bytes()

    assert build_index(root, read_chain(root).reviews).read_bytes() == updated
    verified = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert verified.exit_code == 0, verified.stdout + verified.stderr


def test_the_index_lists_the_newest_runs_and_audit_list_every_run(
    runs: FinishedRuns, copy: Callable[[], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report, "INDEX_ROWS", 2)
    root = copy()

    seal(root, new_run(root, runs.refused, "later", 1), state_folder())

    index = (root / INDEX).read_text()
    assert "later" in index and runs.refused.name in index
    assert runs.installed.name not in index  # the oldest, past the newest two
    whole = build_index(root, read_chain(root).reviews).read_text()
    assert rows_of(whole) == rows_of(index)
    listed = run_in_process(["audit", "list", "--out", str(root), "--json"], cwd=root.parent)
    assert len(json.loads(listed.stdout)) == 3


def test_an_index_changed_by_hand_is_built_again_whole_when_a_run_is_sealed(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    index = root / INDEX
    index.write_text(index.read_text().replace("</table>", "<tr><td>forged</td></tr></table>"))

    seal(root, new_run(root, runs.refused, "later", 1), state_folder())

    assert "forged" not in index.read_text()
    assert build_index(root, read_chain(root).reviews).read_bytes() == index.read_bytes()


def test_audit_list_lists_every_run_newest_first_with_its_review(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    for name, hours in [("b-later", 2), ("a-earlier", -2)]:
        folder = new_run(root, runs.refused, name, hours)
        record = load_record(folder)
        register(root, state_folder(), folder, record)
        seal(root, folder, state_folder())
    reviewed = run_in_process(
        ["audit", "review", "b-later", "--out", str(root), "--verdict", "accepted", "--note", "ok"],
        cwd=root.parent,
    )
    assert reviewed.exit_code == 0, reviewed.stderr

    listed = run_in_process(["audit", "list", "--out", str(root), "--json"], cwd=root.parent)
    table = run_in_process(["audit", "list", "--out", str(root)], cwd=root.parent)

    newest_first = [folder.name for folder, _ in listed_runs(root)]
    assert newest_first == ["b-later", runs.refused.name, runs.installed.name, "a-earlier"]
    rows = json.loads(listed.stdout)
    assert [Path(row["run_folder"]).name for row in rows] == newest_first
    assert [row["review"]["verdict"] if row["review"] else None for row in rows] == [
        "accepted",
        None,
        None,
        None,
    ]
    assert rows[0]["outcome"] == load_record(root / "b-later").outcome
    shown = [
        line for line in table.stdout.splitlines() if line.rstrip().endswith(tuple(newest_first))
    ]
    assert [line.split()[-1] for line in shown] == newest_first
    assert "accepted" in shown[0] and "not reviewed" in shown[1]
