"""--junit-xml: one test case per environment, so a CI system shows the runs natively."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from automation.sandbox.licenses import issue_license, random_serial, render_license
from tests.cli.test_fleet import inventory
from tests.support.fixture_types import RunCli, StartSandbox
from tests.support.junit import cases, read_junit, verdict
from tests.support.net import free_port
from tests.support.sandboxes import Sandbox


def report_of(junit: Path, text: str) -> Path:
    """The report.html a failure's text links to, relative to the JUnit file."""
    found = re.search(r"Report: (\S+report\.html)", text)
    assert found, text
    return (junit.parent / found[1]).resolve()


def test_a_fleet_status_gives_one_case_per_environment_with_failures_linked_to_reports(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    soon = date.today() + timedelta(days=10)
    sandboxes = {"dev": start_sandbox()}
    sandboxes["prod"] = start_sandbox(
        serial_number=(serial := random_serial()), license=issue_license(serial, end_date=soon)
    )
    path, passwords = inventory(tmp_path, sandboxes)
    text = path.read_text() + (
        f'\n[[environment]]\nname = "gone"\nurl = "http://127.0.0.1:{free_port()}/ServiceCenter"'
        '\nuser = "admin"\n'
    )
    path.write_text(text)
    passwords["SC_LICENSE_PASSWORD_GONE"] = "whatever"
    junit = tmp_path / "reports" / "status.xml"
    junit.parent.mkdir()

    done = run_cli(
        [
            "status",
            "--all",
            "--inventory",
            str(path),
            "--warn-days",
            "30",
            "--junit-xml",
            str(junit),
        ],
        env=passwords,
    )

    assert done.exit_code == 5, done.stderr  # the unreachable one decides the exit code
    found = cases(read_junit(junit))
    assert sorted(found) == ["dev", "gone", "prod"]
    assert {case.get("classname") for case in found.values()} == {"status"}
    assert verdict(found["dev"])[0] == "passed"
    kind, prod = verdict(found["prod"])
    assert kind == "failure" and prod is not None
    assert "ends in 10 days" in prod.get("message", "")
    kind, gone = verdict(found["gone"])
    assert kind in ("failure", "error") and gone is not None
    assert "could not" in gone.get("message", "").lower() or gone.get("message")
    report = report_of(junit, gone.text or "")
    assert report.is_file() and "gone" in report.parent.name


def test_a_warn_days_verdict_alone_fails_its_case_with_the_days_left(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    soon = date.today() + timedelta(days=3)
    serial = random_serial()
    sandbox = start_sandbox(serial_number=serial, license=issue_license(serial, end_date=soon))
    junit = tmp_path / "watch.xml"

    done = run_cli(
        [
            "status",
            "--url",
            sandbox.url,
            "--user",
            "admin",
            "--env-name",
            "prod",
            "--warn-days",
            "14",
            "--junit-xml",
            str(junit),
        ],
        password=sandbox.password,
    )

    assert done.exit_code == 8, done.stderr
    kind, failure = verdict(cases(read_junit(junit))["prod"])
    assert kind == "failure" and failure is not None
    assert "ends in 3 days" in failure.get("message", "")
    assert report_of(junit, failure.text or "").is_file()


def test_a_dry_run_is_skipped_and_a_refused_install_fails_with_its_screenshot_attached(
    sandbox: Sandbox, run_cli: RunCli, tmp_path: Path, write_license: Any, new_license: Path
) -> None:
    target = ["--url", sandbox.url, "--user", "admin", "--env-name", "dev"]
    dry, refused = tmp_path / "dry.xml", tmp_path / "refused.xml"

    first = run_cli(
        [
            "install",
            *target,
            "--license",
            str(new_license),
            "--dry-run",
            "--junit-xml",
            str(dry),
        ],
        password=sandbox.password,
    )
    wrong = write_license(random_serial())
    second = run_cli(
        ["install", *target, "--license", str(wrong), "--yes", "--junit-xml", str(refused)],
        password=sandbox.password,
    )

    assert first.exit_code == 0, first.stderr
    rehearsed = cases(read_junit(dry))
    assert list(rehearsed) == ["dev [dry run]"]  # apart from the change's, in one CI job
    assert verdict(rehearsed["dev [dry run]"])[0] == "skipped"
    assert second.exit_code == 3, second.stderr
    changed = cases(read_junit(refused))
    kind, failure = verdict(changed["dev"])
    assert kind == "failure" and failure is not None
    assert failure.get("type") == "refused"
    assert report_of(refused, failure.text or "").is_file()
    out = changed["dev"].findtext("system-out") or ""
    [shot] = re.findall(r"^\[\[ATTACHMENT\|(.+)\]\]$", out, re.MULTILINE)
    assert shot.startswith("recordings/") and shot.endswith(".png")  # from the job's folder
    assert (tmp_path / shot).is_file()


def test_a_junit_file_that_cannot_be_written_is_said_and_the_exit_code_kept(
    sandbox: Sandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")

    done = run_cli(
        [
            "status",
            "--url",
            sandbox.url,
            "--user",
            "admin",
            "--junit-xml",
            str(tmp_path / "a-file" / "junit.xml"),
        ],
        password=sandbox.password,
    )

    assert done.exit_code == 0, done.stderr
    assert "junit" in done.stderr.lower() and "not written" in " ".join(done.stderr.split())


def test_a_fleet_install_shows_installed_passed_and_rolled_back_or_unmatched_as_failures(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {"good": start_sandbox(), "nofile": start_sandbox()}
    sandboxes["flaky"] = start_sandbox(invalid_after_uploads=1)
    licenses = tmp_path / "licenses"
    licenses.mkdir()
    for name in ("good", "flaky"):
        serial = sandboxes[name].serial
        (licenses / f"{name}.lic").write_bytes(render_license(issue_license(serial)))
    path, passwords = inventory(tmp_path, sandboxes)
    junit = tmp_path / "junit" / "change.xml"  # its folder is made

    done = run_cli(
        [
            *["install", "--all", "--inventory", str(path), "--licenses", str(licenses)],
            *["--yes", "--change", "CHG0012345", "--junit-xml", str(junit)],
        ],
        env=passwords,
    )

    assert done.exit_code == 4, done.stderr
    found = cases(read_junit(junit))
    assert {case.get("classname") for case in found.values()} == {"install"}
    assert verdict(found["good"])[0] == "passed"
    for name, outcome in (("flaky", "rolled-back"), ("nofile", "no-license-file")):
        kind, failure = verdict(found[name])
        assert kind == "failure" and failure is not None, name
        assert failure.get("type") == outcome
        assert report_of(junit, failure.text or "").is_file()
