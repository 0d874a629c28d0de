"""Windows and macOS: the installed Edge or Chrome through Playwright's channels when no
Chromium is found, or when asked for with --browser-channel. The selection is decided here
with a faked platform; a real launch of Edge or Chrome cannot run on this Linux machine."""

from __future__ import annotations

from pathlib import Path

from automation.browser.channels import channel_executables, channel_order, installed_channel
from automation.browser.discovery import BrowserChoice
from automation.browser.session import launch_args
from automation.config import LaunchOptions
from tests.support.fixture_types import RunCli
from tests.support.in_process import invoke
from tests.support.sandboxes import Sandbox

WINDOWS = {
    "LOCALAPPDATA": r"C:\Users\Jane Doe\AppData\Local",
    "PROGRAMFILES": r"C:\Program Files",
    "PROGRAMFILES(X86)": r"C:\Program Files (x86)",
}
EDGE = r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"
CHROME = r"C:\Program Files\Google\Chrome\Application\chrome.exe"
MAC_EDGE = "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"
MAC_CHROME = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"


def test_windows_tries_edge_then_chrome_macos_chrome_then_edge_and_linux_neither() -> None:
    assert channel_order("win32") == ("msedge", "chrome")
    assert channel_order("darwin") == ("chrome", "msedge")
    assert channel_order("linux") == ()


def test_on_windows_edge_is_found_where_windows_installs_it_and_wins_over_chrome() -> None:
    assert EDGE in channel_executables("msedge", "win32", WINDOWS)
    assert installed_channel("win32", WINDOWS, {EDGE, CHROME}.__contains__) == ("msedge", EDGE)
    assert installed_channel("win32", WINDOWS, {CHROME}.__contains__) == ("chrome", CHROME)
    per_user = r"C:\Users\Jane Doe\AppData\Local\Google\Chrome\Application\chrome.exe"
    assert installed_channel("win32", WINDOWS, {per_user}.__contains__) == ("chrome", per_user)
    assert installed_channel("win32", WINDOWS, set().__contains__) is None


def test_on_macos_chrome_wins_over_edge_and_linux_uses_no_channel() -> None:
    both = {MAC_EDGE, MAC_CHROME}.__contains__
    assert installed_channel("darwin", {}, both) == ("chrome", MAC_CHROME)
    assert installed_channel("darwin", {}, {MAC_EDGE}.__contains__) == ("msedge", MAC_EDGE)
    assert installed_channel("linux", {}, both) is None


def test_a_channel_is_launched_by_playwright_not_by_path() -> None:
    edge = BrowserChoice("channel", Path(EDGE), "Microsoft Edge", "msedge")

    args = launch_args(edge, LaunchOptions())

    assert args["channel"] == "msedge" and "executable_path" not in args
    assert edge.describe() == f"Microsoft Edge (channel msedge) {EDGE}"


def test_browser_channel_is_offered_beside_browser_and_refuses_other_browsers() -> None:
    assert "--browser-channel" in invoke(["status", "--help"]).text
    done = invoke(
        ["status", "--url", "http://127.0.0.1:9/ServiceCenter", "--browser-channel", "firefox"]
    )
    assert done.exit_code == 2 and "msedge" in done.text


def test_a_path_and_a_channel_together_are_refused_before_any_browser_opens(
    tmp_path: Path,
) -> None:
    chromium = tmp_path / "chromium"
    chromium.touch()

    done = invoke(
        [
            *["status", "--url", "http://127.0.0.1:9/ServiceCenter", "--user", "admin"],
            *["--browser", str(chromium), "--browser-channel", "chrome"],
        ]
    )

    assert done.exit_code == 2
    assert "--browser and --browser-channel both name a browser" in done.text


def test_a_channel_not_installed_here_is_said_plainly(run_cli: RunCli, sandbox: Sandbox) -> None:
    done = run_cli(
        ["status", "--url", sandbox.url, "--user", sandbox.user, "--browser-channel", "msedge"],
        password=sandbox.password,
    )

    assert done.exit_code != 0
    assert "Microsoft Edge (channel msedge) did not start" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr
