"""What no one can do to the recordings unnoticed: every change, removal or rebuild below makes
`audit verify` exit 7 and say what it found, and `audit report` rebuilds no report for a run
that does not verify. The head kept outside the recordings folder is what sees the end of
the log cut off, the log recomputed, or the index rewritten; a run.json edited by whoever moved
that head too still disagrees with its log line or its report."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.in_process import run_in_process
from tests.support.net import free_port
from tests.support.recordings import (
    FinishedRuns,
    edit_record,
    log_lines,
    move_the_head,
    rechain,
    write_log,
)


@dataclass
class Tampering:
    """How the recordings are changed (returning the run changed), and what verify says."""

    change: Callable[[Path, FinishedRuns], str]
    finding: str


def _delete_report(root: Path, runs: FinishedRuns) -> str:
    (root / runs.installed.name / "report.html").unlink()
    return runs.installed.name


def _delete_newest_run_and_its_line(root: Path, runs: FinishedRuns) -> str:
    shutil.rmtree(root / runs.refused.name)
    write_log(root, [line for line in log_lines(root) if runs.refused.name not in line])
    return runs.refused.name


def _delete_every_run_and_the_log(root: Path, runs: FinishedRuns) -> str:
    for run in (runs.installed, runs.refused):
        shutil.rmtree(root / run.name)
    (root / "audit-log.jsonl").unlink()
    return runs.installed.name


def _say_all_good(record: dict[str, object]) -> None:
    record.update(outcome="installed", exit_code=0, message="All good", error=None)


def _edit_and_recompute_the_chain(root: Path, runs: FinishedRuns) -> str:
    edit_record(root / runs.installed.name, lambda r: r.update(message="All good"))
    rechain(root, runs.installed.name)
    return runs.installed.name


def _inject_a_script_into_the_index(root: Path, runs: FinishedRuns) -> str:
    index = root / "index.html"
    index.write_text(index.read_text().replace("</body>", "<script>fetch('//x')</script></body>"))
    return runs.installed.name


def _delete_the_index(root: Path, runs: FinishedRuns) -> str:
    (root / "index.html").unlink()
    return runs.installed.name


def _forge_a_running_run(root: Path, runs: FinishedRuns) -> str:
    forged = root / f"{runs.installed.name}-2"
    shutil.copytree(root / runs.installed.name, forged)
    (forged / "report.html").unlink()
    edit_record(forged, lambda r: r.update(outcome="running", exit_code=None, message=None))
    return forged.name


def _empty_the_newest_run(root: Path, runs: FinishedRuns) -> str:
    folder = root / runs.refused.name
    for path in folder.iterdir():
        if path.name != "run.json":
            path.unlink()
    edit_record(folder, lambda r: r.update(outcome="running", steps=[], artifacts=[], error=None))
    write_log(root, [line for line in log_lines(root) if runs.refused.name not in line])
    return runs.refused.name


def _forge_a_run_with_a_log_line(root: Path, runs: FinishedRuns) -> str:
    forged = f"{runs.refused.name}-2"
    shutil.copytree(root / runs.refused.name, root / forged)
    lines = log_lines(root)
    entry = json.loads(lines[-1])
    entry.update(run=forged, previous=hashlib.sha256(lines[-1].encode()).hexdigest())
    write_log(root, [*lines, json.dumps(entry)])
    return forged


def _give_a_reason_recompute_the_chain_and_move_the_head(root: Path, runs: FinishedRuns) -> str:
    """What whoever can write the state folder too can do; its log line and report still say
    no reason was given."""
    edit_record(root / runs.installed.name, lambda r: r.update(reason="Renewal, ticket CHG-9"))
    rechain(root, runs.installed.name)
    move_the_head(root)
    return runs.installed.name


def _give_a_reason_in_run_json_and_its_log_line_too(root: Path, runs: FinishedRuns) -> str:
    """The same, its log line made to agree: only its report still says otherwise."""
    reason = "Renewal, ticket CHG-9"
    edit_record(root / runs.installed.name, lambda r: r.update(reason=reason))
    lines = log_lines(root)
    entry = json.loads(lines[0])
    entry["reason"] = reason
    write_log(root, [json.dumps(entry), *lines[1:]])
    rechain(root, runs.installed.name)
    move_the_head(root)
    return runs.installed.name


VERIFY = {
    "report-deleted": Tampering(_delete_report, "report.html is missing"),
    "run-json-given-a-reason-the-chain-and-head-recomputed": Tampering(
        _give_a_reason_recompute_the_chain_and_move_the_head,
        "run.json says otherwise than its line in audit-log.jsonl (reason)",
    ),
    "run-json-and-its-log-line-given-a-reason-the-chain-and-head-recomputed": Tampering(
        _give_a_reason_in_run_json_and_its_log_line_too,
        "report.html does not show what run.json says (reason)",
    ),
    "newest-run-and-its-log-line-deleted": Tampering(
        _delete_newest_run_and_its_line, "line(s) were removed from its end"
    ),
    "every-run-and-the-log-deleted": Tampering(
        _delete_every_run_and_the_log, "line(s) were removed from its end"
    ),
    "a-run-edited-and-the-chain-recomputed-from-there": Tampering(
        _edit_and_recompute_the_chain, "its lines were rewritten"
    ),
    "a-script-injected-into-the-index": Tampering(
        _inject_a_script_into_the_index, "index.html was changed"
    ),
    "index-deleted": Tampering(_delete_the_index, "index.html is missing"),
    "a-forged-folder-that-says-running": Tampering(
        _forge_a_running_run, "no run under way was registered for it"
    ),
    "the-newest-run-emptied-and-said-running": Tampering(
        _empty_the_newest_run, "line(s) were removed from its end"
    ),
    "a-forged-run-with-a-log-line-of-its-own": Tampering(
        _forge_a_run_with_a_log_line, "line(s) were added to it"
    ),
}


@pytest.mark.parametrize("tampering", VERIFY.values(), ids=VERIFY.keys())
def test_tampering_fails_verify(
    tampering: Tampering, runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    tampering.change(root, runs)

    done = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)

    said = " ".join(done.stderr.split())
    assert done.exit_code == 7, done.stdout
    assert tampering.finding in said


def test_the_recordings_folder_deleted_whole_fails_verify(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    shutil.rmtree(root)
    done = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert done.exit_code == 7, done.stdout
    assert "line(s) were removed from its end" in " ".join(done.stderr.split())


def _swap_a_screenshot_and_fix_its_hash(root: Path, runs: FinishedRuns) -> str:
    folder = root / runs.installed.name
    (folder / "02-sign-in.png").write_bytes(b"\x89PNG another page")
    digest = hashlib.sha256(b"\x89PNG another page").hexdigest()

    def fix(record: dict[str, list[dict[str, object]]]) -> None:
        for step in record["steps"]:
            if step["screenshot"] == "02-sign-in.png":
                step["screenshot_sha256"] = digest

    edit_record(folder, fix)
    return runs.installed.name


def _say_all_good_in_the_newest(root: Path, runs: FinishedRuns) -> str:
    edit_record(root / runs.refused.name, _say_all_good)
    return runs.refused.name


REBUILD = {
    "run-json-edited-to-say-all-good": Tampering(
        _say_all_good_in_the_newest, "run.json was changed after the run"
    ),
    "a-screenshot-swapped-and-its-hash-fixed-in-run-json": Tampering(
        _swap_a_screenshot_and_fix_its_hash, "run.json was changed after the run"
    ),
    "a-run-edited-and-the-chain-recomputed-from-there": Tampering(
        _edit_and_recompute_the_chain, "its lines were rewritten"
    ),
    "a-forged-folder-that-says-running": Tampering(_forge_a_running_run, "was never sealed"),
    "run-json-given-a-reason-the-chain-and-head-recomputed": Tampering(
        _give_a_reason_recompute_the_chain_and_move_the_head,
        "run.json says otherwise than its line in audit-log.jsonl (reason)",
    ),
}


@pytest.mark.parametrize("tampering", REBUILD.values(), ids=REBUILD.keys())
def test_a_report_is_not_rebuilt_for_a_run_that_does_not_verify(
    tampering: Tampering, runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    run = tampering.change(root, runs)
    log = (root / "audit-log.jsonl").read_bytes()

    done = run_in_process(["audit", "report", run, "--out", str(root)], cwd=root.parent)

    said = " ".join(done.stderr.split())
    assert done.exit_code == 7, done.stdout
    assert f"{run} does not verify; its report was not rebuilt" in said
    assert tampering.finding in said
    assert (root / "audit-log.jsonl").read_bytes() == log  # nothing re-anchored
    verified = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert verified.exit_code == 7


def test_a_later_run_does_not_make_tampering_pass(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    _delete_newest_run_and_its_line(root, runs)
    nowhere = f"http://127.0.0.1:{free_port()}/ServiceCenter"

    later = run_in_process(
        ["status", "--url", nowhere, "--user", "admin", "--out", str(root)],
        cwd=root.parent,
        env={"SC_LICENSE_PASSWORD": "x"},
    )

    assert later.exit_code == 5  # a run sealed after the tampering, its line chained on
    done = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    said = " ".join(done.stderr.split())
    assert done.exit_code == 7
    assert "audit-log.jsonl has 1 line(s) where its head has 2: 1 line(s) were removed" in said
