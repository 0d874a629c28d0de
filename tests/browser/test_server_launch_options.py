"""What a Playwright server is asked to launch: the Chromium found here only for a server on
this machine; one given with --browser always."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Playwright

from automation.browser.discovery import CLOSED_NETWORK_ARGS, find_browser
from automation.browser.session import server_launch_options
from automation.config import LaunchOptions


def test_a_server_on_this_machine_launches_the_chromium_found_here(playwright: Playwright) -> None:
    found = find_browser(playwright, None)
    launch = server_launch_options(playwright, LaunchOptions(), "ws://127.0.0.1:3000/")

    assert launch["headless"] is True and launch["args"] == CLOSED_NETWORK_ARGS
    if found is not None and found.executable is not None:
        assert launch["executablePath"] == str(found.executable)


def test_a_remote_server_launches_its_own_chromium_unless_one_is_given(
    playwright: Playwright,
) -> None:
    remote = "ws://grid.example.com:3000/"
    given = LaunchOptions(executable=Path("/opt/chromium/chrome"), headed=True)

    assert "executablePath" not in server_launch_options(playwright, LaunchOptions(), remote)
    launch = server_launch_options(playwright, given, remote)
    assert launch["executablePath"] == "/opt/chromium/chrome" and launch["headless"] is False
