"""Which browser a run drives: a headless shell for headless runs, the full browser for
headed ones, in the documented order, and what the evidence says about it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from markupsafe import escape
from playwright.sync_api import Browser, Playwright

from automation.browser.builds import revision
from automation.browser.discovery import BrowserChoice, choose_browser, find_browser
from tests.support.fixture_types import RunCli
from tests.support.sandboxes import Sandbox

SYSTEM_SHELL = Path("/usr/bin/chromium-headless-shell")
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")


def found(
    monkeypatch: pytest.MonkeyPatch, builds: Path, path: Path, headless: bool
) -> BrowserChoice | None:
    """What a run picks with Playwright's builds in `builds` (where PLAYWRIGHT_BROWSERS_PATH
    would put them) and only `path` on the PATH."""
    monkeypatch.setenv("PATH", str(path))
    chromium = builds / f"chromium-{revision('chromium')}" / "chrome-linux64" / "chrome"
    return choose_browser(chromium, None, headless, None, "linux", {})


def playwright_builds(root: Path) -> tuple[Path, Path]:
    """Playwright's Chromium and headless shell as `playwright install chromium` lays them
    out on Linux (empty files: only their place matters to the search)."""
    full = root / f"chromium-{revision('chromium')}" / "chrome-linux64" / "chrome"
    shell_folder = f"chromium_headless_shell-{revision('chromium-headless-shell')}"
    shell = root / shell_folder / "chrome-headless-shell-linux64" / "chrome-headless-shell"
    for executable in (full, shell):
        executable.parent.mkdir(parents=True)
        executable.touch(mode=0o755)
    return full, shell


def on_path(folder: Path, **links: Path) -> Path:
    folder.mkdir()
    for name, target in links.items():
        (folder / name.replace("_", "-")).symlink_to(target)
    return folder


linux_only = pytest.mark.skipif(sys.platform != "linux", reason="Playwright's Linux layout")


@linux_only
def test_playwrights_headless_shell_comes_first_for_a_headless_run_and_never_for_a_headed_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    full, shell = playwright_builds(tmp_path / "builds")
    path = on_path(tmp_path / "bin", chromium_headless_shell=shell, chromium=full)

    headless = found(monkeypatch, tmp_path / "builds", path, headless=True)
    headed = found(monkeypatch, tmp_path / "builds", path, headless=False)

    assert headless == BrowserChoice("Playwright's", shell, "headless shell")
    assert headless.describe() == f"headless shell (Playwright's) {shell}"
    assert headed == BrowserChoice("Playwright's", full, "Chromium")


@linux_only
def test_a_distributions_headless_shell_comes_before_playwrights_full_chromium(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    full, shell = playwright_builds(tmp_path / "builds")
    shell.unlink()  # `playwright install chromium --no-shell`
    path = on_path(tmp_path / "bin", chromium_headless_shell=full)

    headless = found(monkeypatch, tmp_path / "builds", path, headless=True)
    headed = found(monkeypatch, tmp_path / "builds", path, headless=False)

    assert headless is not None and headless.label == "headless shell (system)"
    assert headless.executable == path / "chromium-headless-shell"
    assert headed is not None and headed.label == "Chromium (Playwright's)"


@linux_only
def test_without_any_shell_both_kinds_of_run_use_the_system_chromium(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "chromium").touch(mode=0o755)
    path = on_path(tmp_path / "bin", chromium=tmp_path / "chromium")

    for headless in (True, False):
        choice = found(monkeypatch, tmp_path / "empty", path, headless=headless)
        assert choice is not None and choice.describe() == f"Chromium (system) {path}/chromium"
    assert found(monkeypatch, tmp_path / "empty", tmp_path / "none", headless=True) is None


@pytest.mark.skipif(not SYSTEM_SHELL.is_file(), reason="Debian's chromium-headless-shell")
def test_the_suite_drives_the_headless_shell_a_headless_run_uses(browser: Browser) -> None:
    """pytest-playwright's browser is launched as the tool launches a headless run's."""
    processes = browser.new_browser_cdp_session().send("SystemInfo.getProcessInfo")
    main = next(p for p in processes["processInfo"] if p["type"] == "browser")
    assert "headless-shell" in os.readlink(f"/proc/{main['id']}/exe")


def test_run_json_and_the_report_name_the_binary_that_ran(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path, playwright: Playwright
) -> None:
    choice = find_browser(playwright, None, headless=True)
    assert choice is not None

    done = run_cli(
        ["status", "--url", sandbox.url, "--user", sandbox.user], password=sandbox.password
    )

    assert done.exit_code == 0, done.stderr
    [record_path] = (tmp_path / "recordings").glob("*/run.json")
    record = json.loads(record_path.read_text())
    assert record["browser_kind"] == choice.label and choice.is_shell
    assert record["browser_executable"] == str(choice.executable)
    report = (record_path.parent / "report.html").read_text()
    assert escape(f"{choice.label} {choice.executable}") in report


@pytest.mark.skipif(not SYSTEM_SHELL.is_file(), reason="Debian's chromium-headless-shell")
def test_a_headed_run_on_a_headless_shell_is_refused_before_it_signs_in(
    run_cli: RunCli, sandbox: Sandbox
) -> None:
    done = run_cli(
        [
            *["status", "--url", sandbox.url, "--user", sandbox.user],
            *["--headed", "--browser", str(SYSTEM_SHELL)],
        ],
        password=sandbox.password,
    )

    said = " ".join(done.stderr.split())
    assert done.exit_code == 2
    assert f"{SYSTEM_SHELL} is a headless shell: it has no window to show" in said
    assert not sandbox.state.sessions  # nobody signed in
