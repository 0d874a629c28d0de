"""The audit head every run ends with: the log's line count and last line's SHA-256, to note
somewhere the recordings' writers cannot reach, and check later with `audit verify --head`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.cli.test_fleet import inventory
from tests.support.fixture_types import RunCli, StartSandbox


def _log_end(recordings: Path) -> tuple[int, str]:
    lines = (recordings / "audit-log.jsonl").read_bytes().splitlines()
    return len(lines), hashlib.sha256(lines[-1]).hexdigest()


def test_a_run_and_a_fleet_each_end_with_the_audit_head_they_left(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {"dev": start_sandbox(), "prod": start_sandbox()}
    dev = sandboxes["dev"]
    one = run_cli(["status", "--url", dev.url, "--user", "admin"], password=dev.password)

    lines, sha256 = _log_end(tmp_path / "recordings")
    assert one.exit_code == 0, one.stderr
    assert f"Audit head: {lines}:{sha256}" in one.stdout

    path, passwords = inventory(tmp_path, sandboxes)
    many = run_cli(["status", "--all", "--inventory", str(path), "--json"], env=passwords)

    assert many.exit_code == 0, many.stderr
    lines, sha256 = _log_end(tmp_path / "recordings")
    assert lines == 4  # the single run, two environments, the fleet's summary
    assert json.loads(many.stdout)["audit_head"] == {"lines": lines, "sha256": sha256}
    checked = run_cli(["audit", "verify", "--head", f"{lines}:{sha256}"])
    assert checked.exit_code == 0, checked.stderr
