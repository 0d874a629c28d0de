"""Runs recorded before approval, reason and identity were: they still load, report and chain."""

from __future__ import annotations

import json
from pathlib import Path

from automation.evidence.chain import LogEntry
from automation.evidence.records import load_record
from automation.evidence.report import render_report

OLDER_RUN = {
    "tool": "sc-license",
    "tool_version": "0.1.0",
    "flow": "install",
    "environment": "prod",
    "url": "http://prod.example.com/ServiceCenter",
    "user": "admin",
    "operator": "alice",
    "started_at": "2026-01-05T10:00:00Z",
    "finished_at": "2026-01-05T10:00:09Z",
    "outcome": "installed",
    "exit_code": 0,
    "message": "Installed new.lic on prod.",
}
OLDER_LOG_LINE = (
    '{"run":"20260105T100000Z-prod-install","event":"sealed","run_json_sha256":"'
    + "a" * 64
    + '","report_sha256":null,"outcome":"installed","sealed_at":"2026-01-05T10:00:10Z",'
    '"previous":"' + "0" * 64 + '"}'
)


def test_a_run_recorded_before_approvals_were_loads_and_reports_as_it_did(tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text(json.dumps(OLDER_RUN))

    record = load_record(tmp_path)
    report = " ".join(render_report(tmp_path).split())

    assert record.operator == "alice"
    assert record.actor is None and record.approval is None and record.signed_in is None
    assert "<th>Signed in as</th><td>admin</td>" in report
    assert "Approval" not in report  # nothing is claimed that was never recorded
    assert record.profile is None and "Site profile" not in report


def test_an_audit_log_line_written_before_approvals_were_still_parses() -> None:
    entry = LogEntry.model_validate_json(OLDER_LOG_LINE)

    assert entry.outcome == "installed"
    assert entry.actor is None and entry.change is None and entry.approval is None
