"""A browser that cannot start is said with its real cause (a channel not installed, no
display for a headed run) and leaves nothing behind: nothing was done, so there is no run
folder and no line in the audit log."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from automation.browser.channels import LINUX_PATHS
from automation.browser.discovery import given_channel
from automation.browser.hints import no_display
from automation.errors import ExitCode, NoBrowser
from tests.support.cli import run_folders
from tests.support.fixture_types import RunCli

# Never reached: the browser does not start.
STATUS = ["status", "--url", "http://127.0.0.1:9/ServiceCenter", "--user", "admin"]
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's display")


@pytest.mark.parametrize(
    ("platform", "environ", "missing"),
    [
        ("linux", {}, True),
        ("linux", {"DISPLAY": ""}, True),
        ("linux", {"DISPLAY": ":0"}, False),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, False),
        ("freebsd14", {}, True),
        ("win32", {}, False),
        ("darwin", {}, False),
    ],
)
def test_a_headed_run_has_a_display_when_linux_names_one(
    platform: str, environ: dict[str, str], missing: bool
) -> None:
    assert no_display(platform, environ) is missing


def test_a_channel_asked_for_is_looked_for_where_playwright_looks(tmp_path: Path) -> None:
    with pytest.raises(NoBrowser) as refused:
        given_channel("msedge", "win32", {"PROGRAMFILES": str(tmp_path)})
    assert refused.value.message.startswith(
        "Microsoft Edge (channel msedge) did not start: it is not installed on this machine"
    )
    assert "msedge.exe" in refused.value.message and "--browser-channel" in refused.value.hint


def said(text: str) -> str:
    return " ".join(text.split())


@LINUX
@pytest.mark.skipif(Path(LINUX_PATHS["msedge"]).exists(), reason="Edge is installed here")
def test_a_headless_run_on_an_edge_not_installed_says_so_and_leaves_nothing(
    run_cli: RunCli, tmp_path: Path
) -> None:
    done = run_cli([*STATUS, "--browser-channel", "msedge"], password="x")

    assert done.exit_code == ExitCode.BAD_INPUT, done.stderr
    assert (
        "Microsoft Edge (channel msedge) did not start: it is not installed on this machine "
        "(Playwright looks for it at /opt/microsoft/msedge/msedge)." in said(done.stderr)
    )
    assert "leave out --browser-channel" in said(done.stderr)
    assert "display" not in done.stderr
    assert run_folders(tmp_path) == []
    assert not (tmp_path / "recordings" / "audit-log.jsonl").exists()


@LINUX
def test_a_headed_run_without_a_display_says_so_and_leaves_nothing(
    run_cli: RunCli, tmp_path: Path
) -> None:
    done = run_cli([*STATUS, "--headed"], password="x", env={"DISPLAY": "", "WAYLAND_DISPLAY": ""})

    assert done.exit_code == ExitCode.BAD_INPUT, done.stderr
    assert (
        "A headed run needs a display, and this session has none (neither DISPLAY nor "
        "WAYLAND_DISPLAY is set)." in said(done.stderr)
    )
    assert "xvfb-run" in done.stderr and "closed" not in done.stderr
    assert run_folders(tmp_path) == []
    assert not (tmp_path / "recordings" / "audit-log.jsonl").exists()
