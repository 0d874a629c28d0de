"""--hold: a headed run's browser stays open at its end for the operator to look at, and
never waits where no one can end the wait."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from pydantic import SecretStr

from automation.browser.session import BrowserSession, UsedBrowser, new_session
from automation.cli.hold import hold_browser
from automation.config import EvidenceOptions, RunOptions, Target
from automation.evidence.records import FlowResult
from automation.evidence.run import Run
from automation.procedure import Procedure
from automation.runner import execute
from flows.license_status import license_status
from tests.cli.test_fleet import inventory
from tests.support.cli import run_folders
from tests.support.fixture_types import RunCli
from tests.support.sandboxes import Sandbox


def test_hold_needs_a_headed_browser(run_cli: RunCli, sandbox: Sandbox) -> None:
    done = run_cli(
        ["status", "--url", sandbox.url, "--user", "admin", "--hold-seconds", "1"],
        password=sandbox.password,
    )
    assert done.exit_code == 2
    assert "--hold needs --headed" in done.stderr


def test_hold_without_a_terminal_is_refused_before_a_browser_opens(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    done = run_cli(
        ["status", "--url", sandbox.url, "--user", "admin", "--headed", "--hold"],
        password=sandbox.password,
    )
    assert done.exit_code == 2
    assert "no terminal" in done.stderr and "--hold-seconds" in " ".join(done.stderr.split())
    assert run_folders(tmp_path) == []


def test_hold_is_refused_for_a_fleet_before_any_browser_opens(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    path, passwords = inventory(tmp_path, {"one": sandbox, "two": sandbox})
    done = run_cli(
        ["status", "--all", "--inventory", str(path), "--headed", "--hold-seconds", "1"],
        env=passwords,
    )
    assert done.exit_code == 2
    assert "--hold keeps one environment's browser open" in done.stderr
    assert run_folders(tmp_path) == []


def test_hold_seconds_end_the_wait_without_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no Enter to wait for
    started = time.monotonic()
    hold_browser(1.0)
    assert 0.9 <= time.monotonic() - started < 5
    assert "closes in 1 s" in capsys.readouterr().err


def test_the_browser_is_held_open_on_the_final_state_before_it_closes(
    browser: Browser, sandbox: Sandbox, tmp_path: Path
) -> None:
    pages: list[Page] = []
    seen: list[str] = []

    def flow(page: Page, run: Run, target: Target) -> FlowResult:
        pages.append(page)
        return license_status(page, run, target)

    def hold() -> None:
        seen.append(pages[0].url)  # the page is still there: the operator can look at it

    target = Target(
        name="sandbox", url=sandbox.url, user=sandbox.user, password=SecretStr(sandbox.password)
    )

    def session(options: RunOptions, video: Path | None) -> Iterator[BrowserSession]:
        return new_session(browser, UsedBrowser("test browser"), options, video)  # type: ignore[return-value]

    options = RunOptions(evidence=EvidenceOptions(out=tmp_path / "recordings"))
    status = Procedure("status", flow, changes=False)
    finished = execute(status, target, options, hold=hold, session=session)  # type: ignore[arg-type]
    assert finished.record.outcome == "reported"
    assert len(seen) == 1 and seen[0].endswith("Licensing.aspx")
    assert pages[0].is_closed()  # closed after the hold


def test_hold_without_seconds_never_waits_without_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    started = time.monotonic()
    hold_browser(None)
    assert time.monotonic() - started < 0.5
