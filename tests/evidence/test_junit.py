"""The JUnit rule: which ending reads as passed, skipped, failure or error in a CI system; a
file Jenkins' xUnit plugin takes (junit-10.xsd), case names a CI system keeps apart, and the
screenshot where a run stopped attached as GitLab and Jenkins attach files."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

import pytest

from automation.evidence.junit import JunitCase, junit_tree, verdict_of, write_junit
from automation.evidence.records import FleetEntry, RunRecord, StepRecord
from automation.outcomes import Outcome
from tests.support.junit import cases, read_junit, schema_errors, verdict

EXPECTED = {
    "installed": "passed",
    "backed-up": "passed",
    "reported": "passed",
    "done": "passed",
    "unchanged": "skipped",
    "dry-run": "skipped",
    "no-license": "skipped",
    "not-started": "skipped",
    "no-license-file": "failure",
    "refused": "failure",
    "aborted": "failure",
    "rejected": "failure",
    "rolled-back": "failure",
    "verification-failed": "failure",
    "rollback-failed": "failure",
    "attention": "failure",  # the --warn-days verdict: the license needs someone
    "probed": "passed",
    "not-recognised": "failure",  # probe: something the procedure needs is not known
    "failed": "error",
    "interrupted": "error",
    "running": "error",
}
EXIT_CODES = {
    "attention": 8,
    "not-recognised": 5,
    "refused": 3,
    "aborted": 3,
    "no-license-file": 3,
    "not-started": 3,
    "failed": 1,
}


def entry(outcome: str, exit_code: int | None = None) -> FleetEntry:
    return FleetEntry(
        environment=f"env-{outcome}",
        url="http://host/ServiceCenter",
        outcome=outcome,
        exit_code=EXIT_CODES.get(outcome, 0) if exit_code is None else exit_code,
        message=f'It ended {outcome} <&> "quoted".',
    )


def test_every_outcome_has_a_junit_verdict() -> None:
    assert set(EXPECTED) == set(get_args(Outcome))
    assert {o: verdict_of(entry(o)) for o in EXPECTED} == EXPECTED


@pytest.mark.parametrize(("code", "expected"), [(2, "failure"), (3, "failure"), (5, "failure")])
def test_a_run_that_failed_before_any_change_is_a_failure_not_an_error(
    code: int, expected: str
) -> None:
    assert verdict_of(entry("failed", code)) == expected


def test_a_read_license_that_ends_soon_fails_with_its_days_left(tmp_path: Path) -> None:
    path = tmp_path / "out" / "junit.xml"
    path.parent.mkdir()
    report = tmp_path / "recordings" / "run" / "report.html"
    tree = junit_tree(
        "status",
        [
            JunitCase(
                entry("reported").model_copy(update={"environment": "prod"}),
                report,
                "the license ends in 3 days (2026-12-02)",
            ),
            *(JunitCase(entry(outcome), None) for outcome in EXPECTED),
        ],
        path,
    )
    write_junit(path, tree)

    found = cases(read_junit(path))
    kind, failure = verdict(found["prod"])
    assert kind == "failure" and failure is not None
    assert failure.get("message") == "the license ends in 3 days (2026-12-02)"
    assert "Report: ../recordings/run/report.html" in (failure.text or "")
    assert verdict(found["env-reported"])[0] == "passed"
    refused = verdict(found["env-refused"])[1]
    assert refused is not None and refused.get("message") == 'It ended refused <&> "quoted".'
    assert list(tmp_path.glob("out/.*")) == []  # no temporary file left beside it


def test_every_ending_makes_a_file_valid_against_junit_10_xsd(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    tree = junit_tree("install", [JunitCase(entry(outcome), None) for outcome in EXPECTED], path)

    write_junit(path, tree)

    assert schema_errors(path.read_bytes()) == []  # no "skipped" on <testsuites>
    root = read_junit(path)
    assert root.get("skipped") is None
    assert [suite.get("skipped") for suite in root.iter("testsuite")] == ["4"]


@pytest.mark.parametrize(
    ("dry_run", "outcome", "name", "suite"),
    [
        (True, "dry-run", "prod [dry run]", "sc-license install [dry run]"),
        (True, "refused", "prod [dry run]", "sc-license install [dry run]"),
        (False, "installed", "prod", "sc-license install"),
        (False, "refused", "prod", "sc-license install"),
    ],
)
def test_a_dry_runs_case_is_named_apart_from_the_changes(
    tmp_path: Path, dry_run: bool, outcome: str, name: str, suite: str
) -> None:
    path = tmp_path / "junit.xml"
    prod = entry(outcome).model_copy(update={"environment": "prod"})

    write_junit(path, junit_tree("install", [JunitCase(prod, None, dry_run=dry_run)], path))

    root = read_junit(path)
    assert list(cases(root)) == [name]
    assert [s.get("name") for s in root.iter("testsuite")] == [suite]


def run_folder(
    root: Path, name: str, outcome: str, shots: list[str | None], failed_at: int | None = None
) -> Path:
    """A finished run's folder: run.json with a step per screenshot named (None: a step
    that took none), the step `failed_at` failed (by default the last, unless installed), and
    those screenshots."""
    failed_at = failed_at or (len(shots) if outcome != "installed" else None)
    folder = root / name
    folder.mkdir(parents=True)
    started = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    steps = [
        StepRecord(
            number=n,
            name=f"Step {n}",
            status="failed" if n == failed_at else "passed",
            started_at=started,
            duration_ms=100,
            screenshot=shot,
        )
        for n, shot in enumerate(shots, start=1)
    ]
    record = RunRecord(
        flow="install",
        environment=name,
        url="http://host/ServiceCenter",
        user="admin",
        started_at=started,
        finished_at=started.replace(second=12),
        outcome=outcome,
        steps=steps,
    )
    (folder / "run.json").write_text(record.model_dump_json())
    for shot in shots:
        if shot:
            (folder / shot).write_bytes(b"\x89PNG")
    (folder / "report.html").write_text("<html></html>")
    return folder


ATTACHMENT = re.compile(r"^\[\[ATTACHMENT\|(.+)\]\]$", re.MULTILINE)


def test_a_failure_without_a_screenshot_of_its_own_attaches_the_last_one_there(
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "job"
    recordings = workspace / "recordings"
    failed = run_folder(recordings, "rolled", "rolled-back", ["01-a.png", "02-b.png", None])
    passed = run_folder(recordings, "good", "installed", ["01-a.png"])
    path = workspace / "junit" / "change.xml"
    found = [
        JunitCase(entry(outcome).model_copy(update={"environment": f.name}), f / "report.html")
        for f, outcome in ((failed, "rolled-back"), (passed, "installed"))
    ]

    write_junit(path, junit_tree("install", found, path, workspace=workspace))

    shown = cases(read_junit(path))
    out = shown["rolled"].findtext("system-out") or ""
    assert ATTACHMENT.findall(out) == ["recordings/rolled/02-b.png"]  # the last one there
    assert (workspace / "recordings/rolled/02-b.png").is_file()
    assert "Report: ../recordings/rolled/report.html" in out
    assert ATTACHMENT.findall(shown["good"].findtext("system-out") or "") == []


def test_a_screenshot_outside_the_jobs_folder_is_attached_by_its_absolute_path(
    tmp_path: Path,
) -> None:
    failed = run_folder(tmp_path / "elsewhere", "gone", "failed", ["01-a.png"])
    path = tmp_path / "job" / "junit.xml"
    ending = entry("failed").model_copy(update={"environment": "gone"})
    gone = JunitCase(ending, failed / "report.html")

    write_junit(path, junit_tree("status", [gone], path, workspace=tmp_path / "job"))

    out = cases(read_junit(path))["gone"].findtext("system-out") or ""
    assert ATTACHMENT.findall(out) == [(failed / "01-a.png").absolute().as_posix()]


def test_a_change_attaches_the_screenshot_of_the_last_step_that_failed(
    tmp_path: Path,
) -> None:
    # Verify failed at step 2 (the banner said invalid); steps 3 and 4 put the backup back.
    shots: list[str | None] = ["01-upload.png", "02-verify.png", "03-rollback.png", "04-again.png"]
    failed = run_folder(tmp_path, "rolled", "rolled-back", shots, failed_at=2)
    path = tmp_path / "junit.xml"
    rolled = JunitCase(
        entry("rolled-back").model_copy(update={"environment": "rolled"}), failed / "report.html"
    )

    write_junit(path, junit_tree("install", [rolled], path, workspace=tmp_path))

    out = cases(read_junit(path))["rolled"].findtext("system-out") or ""
    assert ATTACHMENT.findall(out) == ["rolled/02-verify.png"]
    # A rollback that failed too: its own failure is what someone must act on.
    failed_twice = run_folder(tmp_path, "stuck", "rollback-failed", shots, failed_at=2)
    record = (failed_twice / "run.json").read_text()
    (failed_twice / "run.json").write_text(
        record.replace('"name":"Step 3","status":"passed"', '"name":"Step 3","status":"failed"')
    )
    stuck = JunitCase(
        entry("rollback-failed").model_copy(update={"environment": "stuck"}),
        failed_twice / "report.html",
    )
    write_junit(path, junit_tree("install", [stuck], path, workspace=tmp_path))
    out = cases(read_junit(path))["stuck"].findtext("system-out") or ""
    assert ATTACHMENT.findall(out) == ["stuck/03-rollback.png"]


def test_a_failures_text_says_its_message_first_and_why(tmp_path: Path) -> None:
    # GitLab shows a failure's text, never its message attribute: the text says it too.
    path = tmp_path / "junit.xml"
    refused = entry("refused").model_copy(
        update={"environment": "prod", "reason": "check serial: the file is for another serial"}
    )

    write_junit(path, junit_tree("install", [JunitCase(refused, None)], path))

    failure = cases(read_junit(path))["prod"].find("failure")
    assert failure is not None
    assert failure.get("message") == refused.message
    assert (failure.text or "").split("\n") == [
        refused.message,
        "check serial: the file is for another serial",
    ]
