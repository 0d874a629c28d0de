"""Restore: a backup put back, recorded with the flags the operator gave and no others."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page

from flows.install_license import restore_license
from tests.flows.test_flows import new_run, target_for
from tests.support.sandboxes import Sandbox


def test_a_restore_of_an_earlier_ending_backup_records_no_flag_it_was_not_given(
    page: Page, sandbox: Sandbox, write_license: Callable[..., Path], tmp_path: Path
) -> None:
    # The installed license ends a year from now; the backup, as backups do, ends earlier.
    backup = write_license(sandbox.serial, end_date=date.today() + timedelta(days=200))
    run = new_run(tmp_path, sandbox, "restore", page)

    result = restore_license(page, run, target_for(sandbox), backup)

    assert result.outcome == "installed"
    assert sandbox.state.installed_bytes == backup.read_bytes()
    [check] = [c for c in run.record.checks if c.name == "earlier end"]
    assert check.passed
    assert "a restore puts back a backup" in check.detail
    assert "--allow-earlier-end" not in (run.folder / "run.json").read_text()
    assert json.loads((run.folder / "run.json").read_text())["flow"] == "restore"
