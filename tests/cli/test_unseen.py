"""License files whose serial cannot be read, as an operator meets them on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from automation.errors import ExitCode
from automation.sandbox.licenses import issue_license, random_serial, render_license
from tests.support.cli import run_folders
from tests.support.fixture_types import RunCli, StartSandbox


def test_a_wrong_serial_opaque_file_vouched_for_is_rejected_by_service_center(
    run_cli: RunCli, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox(license_encoding="opaque")
    before = sandbox.state.installed_bytes
    other = tmp_path / "renewal.lic"  # no serial in its name, none readable inside
    other.write_bytes(render_license(issue_license(random_serial()), "opaque"))
    done = run_cli(
        [
            "install",
            "--url",
            sandbox.url,
            "--user",
            sandbox.user,
            "--license",
            str(other),
            "--expect-serial",
            sandbox.serial,
            "--json",
        ],
        password=sandbox.password,
    )
    assert done.exit_code == ExitCode.NOT_INSTALLED, done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"] == "rejected"
    assert "The license found is not valid for this server" in result["message"]
    assert result["serial_vouched_by"] == "operator (--expect-serial)"
    assert sandbox.state.installed_bytes == before
    assert any("no readable serial" in warning for warning in result["warnings"])


def test_an_opaque_file_without_a_serial_anywhere_asks_for_expect_serial(
    run_cli: RunCli, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    opaque = tmp_path / "renewal.lic"
    opaque.write_bytes(render_license(issue_license(sandbox.serial), "opaque"))
    done = run_cli(
        ["install", "--url", sandbox.url, "--user", sandbox.user, "--license", str(opaque)],
        password=sandbox.password,
    )
    said = " ".join(done.stderr.split())
    assert done.exit_code == ExitCode.REFUSED, said
    assert "No serial number could be read in the content or the name of renewal.lic" in said
    assert "--expect-serial" in said
    assert sandbox.state.uploads == []
    record = json.loads((run_folders(tmp_path)[-1] / "run.json").read_text())
    assert (record["outcome"], record["checks"][-1]["name"]) == ("refused", "serial")
    assert not record["checks"][-1]["passed"]


def test_a_binary_file_named_for_its_serial_installs_and_says_where_the_serial_came_from(
    run_cli: RunCli, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    binary = tmp_path / f"{sandbox.serial}.lic"
    binary.write_bytes(render_license(issue_license(sandbox.serial), "binary"))
    assert b"\x00" in binary.read_bytes()
    done = run_cli(
        [
            "install",
            "--url",
            sandbox.url,
            "--user",
            sandbox.user,
            "--license",
            str(binary),
            "--json",
        ],
        password=sandbox.password,
    )
    assert done.exit_code == ExitCode.OK, done.stderr
    result = json.loads(done.stdout)
    assert result["serial_vouched_by"] == "file name"
    assert sandbox.state.installed_bytes == binary.read_bytes()
    report = (tmp_path / result["run_folder"] / "report.html").read_text()
    assert "vouched for by: <strong>file name</strong>" in report
