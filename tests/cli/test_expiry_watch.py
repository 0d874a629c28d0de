"""The expiry watch (`status --warn-days N`, and `status` of a license shown not valid): its
verdict is on record, not only in the exit code: days left per environment in run.json,
--json, the report, the index, a timeline and the JUnit file."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from automation.sandbox.licenses import issue_license, random_serial
from tests.cli.test_fleet import inventory
from tests.support.fixture_types import RunCli, StartSandbox
from tests.support.junit import cases, read_junit, verdict
from tests.support.markup import parse
from tests.support.sandboxes import Sandbox


def ending_in(start_sandbox: StartSandbox, days: int) -> Sandbox:
    serial = random_serial()
    end = date.today() + timedelta(days=days)
    return start_sandbox(serial_number=serial, license=issue_license(serial, end_date=end))


def test_a_single_status_records_the_warn_days_verdict_and_days_left(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandbox = ending_in(start_sandbox, 10)

    args = ["status", "--url", sandbox.url, "--user", "admin", "--warn-days", "30", "--json"]
    done = run_cli(args, password=sandbox.password)
    told = run_cli(args[:-1], password=sandbox.password)

    assert told.exit_code == 8, told.stderr
    assert "Days left: 10 (warn within 30)" in told.stdout
    assert "Attention:" in told.stderr
    assert done.exit_code == 8, done.stderr
    shown = json.loads(done.stdout)
    assert (shown["outcome"], shown["exit_code"]) == ("attention", 8)
    assert (shown["days_left"], shown["warn_days"]) == (10, 30)
    folder = tmp_path / shown["run_folder"]
    record = json.loads((folder / "run.json").read_text())  # the --json run's
    assert (record["outcome"], record["exit_code"], record["days_left"]) == ("attention", 8, 10)
    report = parse((folder / "report.html").read_text())
    cell = report.find(id="days-left")
    assert "10" in cell.text() and "sev-unchanged" in cell.attrs.get("class", "")
    index = (tmp_path / "recordings" / "index.html").read_text()
    assert "attention" in index


def test_a_status_without_warn_days_still_records_days_left(
    start_sandbox: StartSandbox, run_cli: RunCli
) -> None:
    sandbox = ending_in(start_sandbox, 200)

    args = ["status", "--url", sandbox.url, "--user", "admin", "--json"]
    done = run_cli(args, password=sandbox.password)

    shown = json.loads(done.stdout)
    assert done.exit_code == 0, done.stderr
    assert (shown["outcome"], shown["days_left"], shown["warn_days"]) == ("reported", 200, None)


def test_a_license_shown_invalid_needs_attention_without_warn_days(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandbox = ending_in(start_sandbox, -3)  # expired: Service Center says it is not valid
    junit = tmp_path / "status.xml"

    args = ["status", "--url", sandbox.url, "--user", "admin", "--env-name", "prod"]
    done = run_cli([*args, "--json", "--junit-xml", str(junit)], password=sandbox.password)

    assert done.exit_code == 8, done.stderr
    shown = json.loads(done.stdout)
    assert (shown["outcome"], shown["exit_code"], shown["warn_days"]) == ("attention", 8, None)
    banner = shown["license_before"]["banner"]
    assert shown["license_before"]["valid"] is False and shown["message"] == f"prod: {banner}"
    report = parse((tmp_path / shown["run_folder"] / "report.html").read_text())
    assert "sev-act-now" in report.find(id="days-left").attrs.get("class", "")
    kind, failure = verdict(cases(read_junit(junit))["prod"])
    assert kind == "failure" and failure is not None
    assert failure.get("message") == banner


def test_a_fleet_status_records_each_environments_days_left_and_the_verdict(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {
        "dev": ending_in(start_sandbox, 300),
        "test": ending_in(start_sandbox, 10),
        "prod": ending_in(start_sandbox, -3),  # expired: Service Center says it is not valid
    }
    path, passwords = inventory(tmp_path, sandboxes)

    done = run_cli(
        ["status", "--all", "--inventory", str(path), "--warn-days", "30", "--json"],
        env=passwords,
    )

    assert done.exit_code == 8, done.stderr
    summary: dict[str, Any] = json.loads(done.stdout)
    assert (summary["outcome"], summary["exit_code"], summary["warn_days"]) == ("attention", 8, 30)
    entries = {entry["environment"]: entry for entry in summary["fleet"]}
    assert {name: e["days_left"] for name, e in entries.items()} == {
        "dev": 300,
        "test": 10,
        "prod": -3,
    }
    assert {name: e["outcome"] for name, e in entries.items()} == {
        "dev": "reported",
        "test": "attention",
        "prod": "attention",
    }
    folder = next((tmp_path / "recordings").glob("*-fleet-status"))
    assert json.loads((folder / "run.json").read_text())["outcome"] == "attention"
    report = parse((folder / "report.html").read_text())
    cells = {
        cell.attrs["data-environment"]: cell
        for cell in report.find_all("td")
        if "days-left" in cell.attrs.get("class", "")
    }
    assert "sev-done" in cells["dev"].attrs["class"]
    assert "sev-unchanged" in cells["test"].attrs["class"]
    assert "sev-act-now" in cells["prod"].attrs["class"]
    timeline = report.find("svg", id="expiry-timeline")
    marks = [e for e in timeline.find_all() if "expiry-mark" in e.attrs.get("class", "")]
    assert sorted(mark.attrs["data-environment"] for mark in marks) == ["dev", "prod", "test"]
    assert timeline.find_all(id="today") and timeline.find_all(id="warn-threshold")
