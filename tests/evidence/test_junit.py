"""The JUnit rule: which ending reads as passed, skipped, failure or error in a CI system."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from automation.evidence.junit import JunitCase, junit_tree, verdict_of, write_junit
from automation.evidence.records import FleetEntry
from automation.outcomes import Outcome
from tests.support.junit import cases, read_junit, verdict

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
