"""A fleet's terminal says why each environment that did not simply succeed ended so, and what
to do, each on lines of its own; every warning of every environment, named by it; and the live
table on stderr ends its line, so a CI log (2>&1) does not run the next line into it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from automation.cli.fleet_display import show_fleet
from automation.evidence.records import Check, ErrorRecord, FleetEntry, RunRecord
from automation.outcomes import Outcome
from automation.sandbox.licenses import issue_license, render_license
from tests.cli.test_fleet import inventory
from tests.support.fixture_types import RunCli, StartSandbox
from tests.support.terminal import terminal

REFUSAL = (
    "new.lic ends on 2027-03-01, earlier than the installed license, which ends 2027-12-31. "
    "Nothing was uploaded."
)
WHAT_TO_DO = (
    "Check it is the newest license from the Licensing Portal; if the earlier end is meant, "
    "run again with --allow-earlier-end."
)
RENEW = "The new license ends in 20 days (2026-12-27): plan its renewal now."


def ended(
    environment: str,
    outcome: Outcome,
    code: int,
    message: str,
    *,
    checks: list[Check] | None = None,
    error: ErrorRecord | None = None,
    warnings: list[str] | None = None,
) -> FleetEntry:
    """How an environment's run ended, as its run.json says and the fleet's summary takes it."""
    record = RunRecord(
        flow="install",
        environment=environment,
        url=f"https://{environment}.example.com/ServiceCenter",
        user="admin",
        started_at=datetime(2026, 12, 7, 10, tzinfo=UTC),
        outcome=outcome,
        exit_code=code,
        message=message,
        checks=checks or [],
        error=error,
        warnings=warnings or [],
    )
    return FleetEntry.of(record, f"20261207T100000Z-{environment}-install")


def fleet_of(entries: list[FleetEntry]) -> RunRecord:
    return RunRecord(
        flow="install",
        environment="fleet",
        url="local browser",
        user="-",
        started_at=datetime(2026, 12, 7, 10, tzinfo=UTC),
        message=f"1 of {len(entries)} environments done.",
        fleet=entries,
    )


def test_each_environment_says_why_it_ended_what_to_do_and_its_warnings_at_80_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = [
        ended("dev", "unchanged", 0, "The license was already installed; nothing was uploaded."),
        ended("test", "installed", 0, "Installed and verified.", warnings=[RENEW]),
        ended(
            "prod",
            "refused",
            3,
            "Refused before any change.",
            checks=[Check(name="earlier end", passed=False, detail=REFUSAL)],
            error=ErrorRecord(kind="refused", message=REFUSAL, hint=WHAT_TO_DO),
            warnings=["Service Center took 9 s to show the Licensing page."],
        ),
    ]

    with terminal(capsys) as printed:
        show_fleet(fleet_of(entries), entries, tmp_path, None)

    # Every line fits, but for a path too long to fit whole (kept whole: never cut mid-token).
    assert [line for line in printed.lines if len(line) > 80 and str(tmp_path) not in line] == []
    said = " ".join(printed.stderr.split())
    assert f"prod refused: earlier end: {REFUSAL}" in said
    assert f"What to do (prod): {WHAT_TO_DO}" in said
    assert f"Warning (test): {RENEW}" in said
    assert "Warning (prod): Service Center took 9 s" in said
    assert not [line for line in printed.stderr.splitlines() if "dev" in line]  # nothing to say
    starts = [line.split(":")[0] for line in printed.stderr.splitlines()]
    assert starts.count("prod refused") == starts.count("What to do (prod)") == 1


def test_a_warning_that_is_the_reason_is_said_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reason = "Service Center shows the new license as not valid"
    entries = [
        ended(
            "qa",
            "rolled-back",
            4,
            "The new license did not verify; the previous license was put back.",
            error=ErrorRecord(kind="rolled-back", message=reason),
            warnings=[f"Rolling back: {reason}"],
        )
    ]

    with terminal(capsys) as printed:
        show_fleet(fleet_of(entries), entries, tmp_path, None)

    assert " ".join(printed.stderr.split()).count(reason) == 1


def test_the_live_table_ends_its_line_in_a_log(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "environments.toml"
    path.write_text('[[environment]]\nname = "prod"\nurl = "https://prod.example.com"\n')

    # The first of two shards of this one environment holds none: a fleet with no browser.
    done = run_cli(["status", "--all", "--inventory", str(path), "--shard", "1/2"], password="x")

    assert done.exit_code == 0, done.stderr
    assert done.stderr.splitlines()[-1].startswith("└")
    assert done.stderr.endswith("┘\n")


def test_a_fleet_refused_for_an_earlier_end_says_why_and_what_to_do(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    installed = sandbox.installed
    assert installed is not None and isinstance(installed.end_date, date)
    earlier = installed.end_date - timedelta(days=100)
    new = tmp_path / "new.lic"
    new.write_bytes(render_license(issue_license(sandbox.serial, end_date=earlier)))
    path, passwords = inventory(tmp_path, {"prod": sandbox})

    done = run_cli(
        ["install", "--env", "prod", "--inventory", str(path), "--license", str(new)],
        env={**passwords, "COLUMNS": "80"},
    )

    said = " ".join(done.stderr.split())
    assert done.exit_code == 3, done.stderr
    assert f"prod refused: earlier end: new.lic ends on {earlier}" in said
    assert "What to do (prod): Check it is the newest license" in said
    assert "--allow-earlier-end" in said
