"""Two operators on one environment, each with their own state folder, so that no lock stands
between them: a change the other makes between the backup and the upload, or between the
upload and its verification, is seen and said, never undone, and both runs' records are true."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route

from automation.config import EvidenceOptions
from automation.errors import ChangedByOthers, ChangedMeanwhile, ExitCode
from automation.evidence.run import Run
from automation.license_files import read_license_file
from flows.install_license import install_license
from tests.flows.test_flows import target_for
from tests.support.sandboxes import Sandbox

NewContext = Callable[..., BrowserContext]


def operator_run(tmp_path: Path, operator: str, sandbox: Sandbox, page: Page) -> Run:
    """A run as `operator` makes one: their own recordings and state folders."""
    run = Run.create(
        EvidenceOptions(
            out=tmp_path / operator / "recordings", state=tmp_path / operator / "state"
        ),
        flow="install",
        environment="sandbox",
        url=sandbox.url,
        user=sandbox.user,
    )
    run.watch(page)
    return run


def meanwhile(page: Page, when: Callable[[], bool], act: Callable[[], None]) -> None:
    """Once `when()` holds, the next page `page` asks Service Center for is held until `act()`
    is done: the run in `page` waits at that point while someone else works."""
    acted: list[bool] = []

    def hold(route: Route) -> None:
        if not acted and when():
            acted.append(True)
            act()
        route.continue_()

    page.route("**/*.aspx*", hold)


def installs(run: Run, sandbox: Sandbox, license_path: Path) -> Callable[[], None]:
    """The other operator's whole install, recorded as the runner records it."""

    def install() -> None:
        assert run.page is not None
        result = install_license(run.page, run, target_for(sandbox), license_path)
        run.finish(result.outcome, result.exit_code, result.message)

    return install


def record(run: Run) -> dict[str, Any]:
    said: dict[str, Any] = json.loads((run.folder / "run.json").read_text())
    return said


def licenses_c_and_d(write_license: Callable[..., Path], serial: str) -> tuple[Path, Path]:
    """X's license C and Y's license D: both later than the one installed, each its own."""
    year = date.today().year
    return (
        write_license(serial, name="C.lic", end_date=date(year + 2, 12, 31)),
        write_license(serial, name="D.lic", end_date=date(year + 3, 12, 31)),
    )


def test_a_license_changed_by_another_run_after_the_backup_stops_the_upload(
    page: Page,
    new_context: NewContext,
    sandbox: Sandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    license_c, license_d = licenses_c_and_d(write_license, sandbox.serial)
    x = operator_run(tmp_path, "X", sandbox, page)
    y = operator_run(tmp_path, "Y", sandbox, new_context().new_page())
    # Y installs D once X has taken its backup, before X uploads.
    meanwhile(page, lambda: x.record.backup is not None, installs(y, sandbox, license_d))

    with pytest.raises(ChangedMeanwhile, match="changed by someone else meanwhile") as stopped:
        install_license(page, x, target_for(sandbox), license_c)
    x.fail(stopped.value)

    assert sandbox.state.installed_bytes == license_d.read_bytes()  # Y's install stands
    assert len(sandbox.state.uploads) == 1  # Y's: X uploaded nothing
    assert (record(y)["outcome"], record(y)["exit_code"]) == ("installed", ExitCode.OK)
    said = record(x)
    assert (said["outcome"], said["exit_code"]) == ("refused", ExitCode.REFUSED)
    assert "Nothing was uploaded" in said["error"]["message"]
    assert str(read_license_file(license_d).activation_code) in said["error"]["message"]
    assert said["license_after"]["activation_code"] == read_license_file(license_d).activation_code


def test_a_third_license_shown_after_the_upload_is_not_rolled_back_over(
    page: Page,
    new_context: NewContext,
    sandbox: Sandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    license_c, license_d = licenses_c_and_d(write_license, sandbox.serial)
    x = operator_run(tmp_path, "X", sandbox, page)
    y = operator_run(tmp_path, "Y", sandbox, new_context().new_page())
    # Y installs D once X's upload of C is in, before X verifies it.
    meanwhile(page, lambda: len(sandbox.state.uploads) == 1, installs(y, sandbox, license_d))

    with pytest.raises(ChangedByOthers) as stopped:
        install_license(page, x, target_for(sandbox), license_c)
    x.fail(stopped.value)

    assert sandbox.state.installed_bytes == license_d.read_bytes()  # Y's install stands
    assert [u.accepted for u in sandbox.state.uploads] == [True, True]  # C, D: no rollback
    c, d = (read_license_file(path).activation_code for path in (license_c, license_d))
    said_y = record(y)
    assert (said_y["outcome"], said_y["exit_code"]) == ("installed", ExitCode.OK)
    assert said_y["license_before"]["activation_code"] == c  # Y replaced X's license
    said = record(x)
    assert said["exit_code"] == ExitCode.ROLLBACK_FAILED
    assert f"now shows activation code {d}" in said["error"]["message"]
    assert "not rolled back" in said["error"]["message"]
    assert [command["says"] for command in said["error"]["commands"]] == [
        "Check what is installed now",
        "Restore the backup",
    ]
    assert said["license_after"]["activation_code"] == d
