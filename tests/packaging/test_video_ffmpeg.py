"""Video needs an ffmpeg Playwright can use: without one, `--video` is refused before anything
starts; the one `setup` puts in place outlives the next `playwright install` and records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import pytest
from playwright.sync_api import Playwright

from automation.browser.discovery import find_browser
from automation.browser.ffmpeg import ffmpeg_elsewhere
from automation.errors import ExitCode
from automation.installation import add_extra
from tests.support.cli import run_cli
from tests.support.in_process import invoke

# Nothing listens there: a download Playwright tries fails at once, here and in CI alike.
NO_DOWNLOADS = "http://127.0.0.1:1"


@pytest.fixture
def empty_browsers_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Playwright's browsers folder holds nothing (no ffmpeg); the working folder is empty."""
    folder = tmp_path / "browsers"
    folder.mkdir()
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["demo", "--video", "on"],
        [
            "install",
            "--url",
            "http://127.0.0.1:9/ServiceCenter",
            "--user",
            "admin",
            "--license",
            "new.lic",
            "--video",
            "retain-on-failure",
        ],
    ],
    ids=["demo", "install"],
)
def test_video_without_an_ffmpeg_is_refused_before_any_browser_or_run_folder(
    empty_browsers_folder: Path, tmp_path: Path, command: list[str]
) -> None:
    done = invoke(command)
    assert done.exit_code == ExitCode.BAD_INPUT
    assert "--video needs ffmpeg" in done.text
    assert "sc-license setup" in done.text
    assert add_extra("video") in " ".join(done.text.split())  # as this copy was installed
    assert not (tmp_path / "recordings").exists()


def test_ffmpeg_put_in_place_by_setup_survives_playwright_install_and_records_video(
    playwright: Playwright, tmp_path: Path
) -> None:
    choice = find_browser(playwright, None)
    assert choice is not None
    browser = str(choice.executable or playwright.chromium.executable_path)
    env = {
        "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "browsers"),
        "PLAYWRIGHT_DOWNLOAD_HOST": NO_DOWNLOADS,
    }
    setup = run_cli(["setup", "--browser", browser], cwd=tmp_path, env=env)
    assert setup.exit_code == 0, setup.stderr
    assert "ffmpeg for video:" in setup.stderr
    [ffmpeg] = (tmp_path / "browsers").glob("ffmpeg-*/ffmpeg*")

    # Playwright removes, at every install, what it does not count as installed.
    again = subprocess.run(
        [sys.executable, "-m", "playwright", "install", "ffmpeg"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Removing unused browser" not in again.stdout + again.stderr
    assert ffmpeg.is_file()

    demo = run_cli(["demo", "--video", "on", "--browser", browser, "--json"], cwd=tmp_path, env=env)
    assert demo.exit_code == 0, demo.stderr
    video = tmp_path / json.loads(demo.stdout)["run_folder"] / "video.webm"
    assert video.read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # WebM


def only_a_path_of(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """imageio-ffmpeg as if not installed, and a PATH of `folder` alone."""
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))


def test_an_ffmpeg_on_the_path_that_encodes_vp8_serves_for_video(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path(imageio_ffmpeg.get_ffmpeg_exe())  # a real ffmpeg: the dev group has the extra
    only_a_path_of(tmp_path / "bin", monkeypatch)
    assert ffmpeg_elsewhere() is None
    on_path = tmp_path / "bin" / ("ffmpeg.exe" if sys.platform == "win32" else "ffmpeg")
    on_path.symlink_to(real)
    assert ffmpeg_elsewhere() == (on_path, "the ffmpeg on the PATH")


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in ffmpeg is a POSIX script")
def test_an_ffmpeg_on_the_path_without_vp8_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_a_path_of(tmp_path / "bin", monkeypatch)
    script = tmp_path / "bin" / "ffmpeg"
    script.write_text("#!/bin/sh\necho ' V....D libx264  libx264 H.264'\n")
    script.chmod(0o755)
    assert ffmpeg_elsewhere() is None
