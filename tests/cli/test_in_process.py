"""The tests' in-process sc-license (tests/support/in_process.py) says what the installed
command says, and leaves the test process as it found it: the next test starts clean."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.cli import run_cli
from tests.support.in_process import invoke, run_in_process
from tests.support.net import free_port
from tests.support.sandboxes import Sandbox

NO_BROWSER = [
    ["--help"],
    ["status", "--tracing", "on", "--slowmo", "100"],  # refused: no environment given
    ["install", "--url", "myhost/ServiceCenter", "--user", "admin", "--license", "x.lic"],
    ["audit", "list"],  # no recordings folder
]


@pytest.mark.parametrize("args", NO_BROWSER, ids=lambda a: " ".join(a[:2]))
def test_a_command_says_the_same_in_process_as_in_its_own_process(
    args: list[str], tmp_path: Path
) -> None:
    own = run_cli(args, cwd=tmp_path, password="x")
    here = run_in_process(args, cwd=tmp_path, password="x")
    assert (here.exit_code, here.stdout, here.stderr) == (own.exit_code, own.stdout, own.stderr)


def test_a_run_in_process_gives_back_the_environment_folder_and_ctrl_c(tmp_path: Path) -> None:
    before = (dict(os.environ), Path.cwd(), signal.getsignal(signal.SIGINT))
    url = f"http://127.0.0.1:{free_port()}/ServiceCenter"  # nothing answers there

    done = run_in_process(["backup", "--url", url, "--user", "admin"], cwd=tmp_path, password="x")

    assert done.exit_code == 5, done.stderr
    assert (tmp_path / "recordings").is_dir()  # the run's folder was the test's
    assert (dict(os.environ), Path.cwd(), signal.getsignal(signal.SIGINT)) == before


def test_a_narrow_run_does_not_narrow_the_next(tmp_path: Path) -> None:
    # Refused with a long message, before any browser.
    refused = [
        "status",
        "--url",
        "http://a-long-name-for-our-service-center.example.com/ServiceCenter",
    ]
    wide = invoke(refused).stderr
    narrow = run_in_process(refused, cwd=tmp_path, env={"COLUMNS": "80"}).stderr
    assert max(len(line) for line in narrow.splitlines()) <= 80 < max(map(len, wide.splitlines()))
    assert invoke(refused).stderr == wide


def test_a_run_in_process_works_beside_the_tests_own_browser(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    page.goto(sandbox.url)  # pytest-playwright's Playwright is started, and in use
    done = run_in_process(
        ["status", "--url", sandbox.url, "--user", "admin"], cwd=tmp_path, password=sandbox.password
    )
    assert done.exit_code == 0, done.stderr
    page.goto(sandbox.url)
    expect(page).to_have_url(re.compile(r"/Login\.aspx"))  # the sandbox asks for a sign-in
