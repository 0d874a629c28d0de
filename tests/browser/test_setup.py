"""`sc-license setup` on a fresh machine: the headless shell is installed beside a Chromium
that is already there, and a download that fails is told in one line with what to do."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from automation.browser.builds import revision
from tests.support.fixture_types import RunCli

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
SYSTEM_SHELL = Path("/usr/bin/chromium-headless-shell")

posix_root = pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() != 0, reason="apt is used as root on Debian"
)


def fresh_machine(tmp_path: Path) -> dict[str, str]:
    """No browser of Playwright's (an empty cache, but for the ffmpeg video needs) and an
    empty PATH: the environment of `sc-license setup` on a machine where nothing is set up."""
    cache = tmp_path / "ms-playwright"
    ffmpeg = cache / f"ffmpeg-{revision('ffmpeg')}" / "ffmpeg-linux"
    ffmpeg.parent.mkdir(parents=True)
    ffmpeg.touch(mode=0o755)
    (tmp_path / "bin").mkdir()
    return {"PLAYWRIGHT_BROWSERS_PATH": str(cache), "PATH": str(tmp_path / "bin")}


@posix_root
@pytest.mark.skipif(
    not (SYSTEM_CHROMIUM.is_file() and SYSTEM_SHELL.is_file()), reason="Debian's packages"
)
def test_setup_installs_the_headless_shell_package_beside_the_systems_chromium(
    run_cli: RunCli, tmp_path: Path
) -> None:
    env = fresh_machine(tmp_path)
    path = tmp_path / "bin"
    (path / "chromium").symlink_to(SYSTEM_CHROMIUM)
    # apt-get as far as setup can tell: it installs the package it is asked for.
    log = tmp_path / "apt.log"
    (path / "apt-get").write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> {log}\n'
        'case "$*" in *install*chromium-headless-shell*)\n'
        f"  /bin/ln -s {SYSTEM_SHELL} {path}/chromium-headless-shell;;\n"
        "esac\n"
    )
    (path / "apt-get").chmod(0o755)

    done = run_cli(["setup"], env=env)

    said = " ".join((done.stdout + done.stderr).split())
    assert done.exit_code == 0, said
    assert "Installing Debian's chromium-headless-shell package" in said
    assert "install -y -qq chromium-headless-shell" in log.read_text()
    assert f"Headless runs: headless shell (system) {path}/chromium-headless-shell" in said
    assert f"Headed runs: Chromium (system) {path}/chromium" in said


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX PATH")
def test_a_failed_download_is_one_line_and_the_advice_fits_a_checkout(
    run_cli: RunCli, tmp_path: Path
) -> None:
    with socket.socket() as closed:  # a port nothing listens on: refused at once
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = {**fresh_machine(tmp_path), "PLAYWRIGHT_DOWNLOAD_HOST": f"http://127.0.0.1:{port}"}

    done = run_cli(["setup"], env=env)

    said = done.stdout + done.stderr
    assert done.exit_code == 2
    downloads = [line for line in said.splitlines() if "could not download" in line]
    assert len(downloads) == 1
    assert f"connect ECONNREFUSED 127.0.0.1:{port}" in downloads[0]
    assert "    at " not in said and "Download failure" not in said
    assert "No Chromium could be found or installed" in said
    assert "make setup" in " ".join(said.split())  # the tests run from a checkout
