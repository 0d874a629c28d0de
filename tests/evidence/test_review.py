"""A reviewer's sign-off: `audit review` chains a verdict into the audit log, the report and
the index show it, `audit list` tells the reviewed from the rest, and a run changed after its
review no longer verifies."""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.cli import CliResult
from tests.support.in_process import run_in_process
from tests.support.recordings import FinishedRuns, edit_record, log_lines


def _review(root: Path, run: str, *args: str) -> CliResult:
    return run_in_process(
        ["audit", "review", run, "--out", str(root), *args],
        cwd=root.parent,
        env={"LOGNAME": "someone-else", "USER": "someone-else"},
    )


def test_a_review_is_chained_into_the_log_and_shown_in_the_report_and_the_index(
    page: Page, runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    run = runs.installed.name

    done = _review(root, run, "--verdict", "accepted", "--note", "Serial and dates checked")

    assert done.exit_code == 0, done.stderr
    me = pwd.getpwuid(os.getuid()).pw_name
    line = json.loads(log_lines(root)[-1])
    assert line["event"] == "reviewed"
    assert line["review"]["reviewer"] == me  # the OS account, not $LOGNAME
    assert line["review"]["verdict"] == "accepted"
    report = (root / run / "report.html").read_bytes()
    assert line["report_sha256"] == hashlib.sha256(report).hexdigest()
    run_json = (root / run / "run.json").read_bytes()
    assert line["run_json_sha256"] == hashlib.sha256(run_json).hexdigest()
    page.goto((root / run / "report.html").as_uri())
    reviews = page.locator("#reviews")
    expect(reviews).to_contain_text("accepted")
    expect(reviews).to_contain_text(me)
    expect(reviews).to_contain_text("Serial and dates checked")
    # who reviewed it is among who changed what, where, when and why, at the top
    expect(page.locator("#change")).to_contain_text(f"accepted by {me}")
    page.goto((root / "index.html").as_uri())
    rows = page.locator("#runs tr").filter(has=page.locator("td"))
    expect(rows.filter(has_text=run)).to_contain_text("accepted")
    expect(rows.filter(has_text=runs.refused.name)).to_contain_text("not reviewed")
    verified = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert verified.exit_code == 0, verified.stderr


def test_a_second_review_keeps_the_first_in_the_report(
    page: Page, runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    run = runs.refused.name
    assert (
        _review(root, run, "--verdict", "rejected", "--note", "Wrong password used").exit_code == 0
    )
    assert _review(root, run, "--verdict", "accepted", "--note", "Expected: drill").exit_code == 0

    page.goto((root / run / "report.html").as_uri())
    expect(page.locator("#reviews tr").filter(has=page.locator("td"))).to_have_count(2)
    expect(page.locator("#reviews")).to_contain_text("Wrong password used")
    verified = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert verified.exit_code == 0, verified.stderr


def test_a_report_rebuilt_after_a_review_still_shows_it(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    run = runs.installed.name
    assert _review(root, run, "--verdict", "accepted", "--note", "Checked twice").exit_code == 0
    (root / run / "report.html").unlink()

    rebuilt = run_in_process(["audit", "report", run, "--out", str(root)], cwd=root.parent)

    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert "Checked twice" in (root / run / "report.html").read_text()
    verified = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert verified.exit_code == 0, verified.stderr


def test_rejecting_without_a_note_is_refused(runs: FinishedRuns, copy: Callable[[], Path]) -> None:
    root = copy()
    log = (root / "audit-log.jsonl").read_bytes()

    done = _review(root, runs.installed.name, "--verdict", "rejected")

    assert done.exit_code == 2
    assert "needs a note" in " ".join(done.stderr.split())
    assert (root / "audit-log.jsonl").read_bytes() == log


def test_a_note_with_a_terminal_sequence_is_refused_as_a_reason_is(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    log = (root / "audit-log.jsonl").read_bytes()

    done = _review(root, runs.installed.name, "--verdict", "accepted", "--note", "ok\x1b]0;x\x07")

    assert done.exit_code == 2
    assert "--note holds a control or invisible character" in " ".join(done.stderr.split())
    assert (root / "audit-log.jsonl").read_bytes() == log


def test_a_run_that_does_not_verify_is_not_reviewed(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    edit_record(root / runs.installed.name, lambda r: r.update(message="All good"))
    log = (root / "audit-log.jsonl").read_bytes()

    done = _review(root, runs.installed.name, "--verdict", "accepted")

    said = " ".join(done.stderr.split())
    assert done.exit_code == 7
    assert f"{runs.installed.name} does not verify; it was not reviewed" in said
    assert "run.json was changed after the run" in said
    assert (root / "audit-log.jsonl").read_bytes() == log


def test_a_run_still_under_way_is_not_reviewed(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    open_run = root / f"{runs.installed.name}-2"
    shutil.copytree(root / runs.installed.name, open_run)
    edit_record(open_run, lambda r: r.update(outcome="running", exit_code=None))

    done = _review(root, open_run.name, "--verdict", "accepted")

    assert done.exit_code == 3
    assert "is still under way" in " ".join(done.stderr.split())


def test_audit_list_shows_verdicts_and_the_unreviewed_alone(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    _review(root, runs.installed.name, "--verdict", "accepted", "--note", "ok")

    listed = run_in_process(["audit", "list", "--out", str(root), "--json"], cwd=root.parent)
    left = run_in_process(["audit", "list", "--out", str(root), "--unreviewed"], cwd=root.parent)

    verdicts = {Path(row["run_folder"]).name: row["review"] for row in json.loads(listed.stdout)}
    assert verdicts[runs.installed.name]["verdict"] == "accepted"
    assert verdicts[runs.refused.name] is None
    assert runs.refused.name in left.stdout
    assert runs.installed.name not in left.stdout


def _edit_run_json(folder: Path) -> None:
    edit_record(folder, lambda r: r.update(message="All good"))


def _swap_a_screenshot(folder: Path) -> None:
    (folder / "02-sign-in.png").write_bytes(b"\x89PNG another page")


@pytest.mark.parametrize("change", [_edit_run_json, _swap_a_screenshot], ids=["run-json", "png"])
def test_a_run_changed_after_its_review_fails_verify(
    change: Callable[[Path], None], runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    run = runs.installed.name
    assert _review(root, run, "--verdict", "accepted", "--note", "ok").exit_code == 0

    change(root / run)

    done = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert done.exit_code == 7
    assert f"{run}:" in done.stderr
