"""No process sc-license starts (Playwright's driver, Chromium, ffmpeg) inherits a password:
each could be read by anyone who may read /proc/PID/environ."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from automation.inventory import password_variable
from tests.support.cli import start_cli
from tests.support.fixture_types import StartSandbox

WAIT_S = 60


@dataclass
class Given:
    """How the password is handed over, and the rest of the command line."""

    variable: str
    args: list[str] = field(default_factory=list)
    fleet: bool = False  # two inventory environments, each with its own variable


CASES = {
    "the-default-variable-with-video": Given("SC_LICENSE_PASSWORD", ["--video", "on"]),
    "a-variable-named-by-password-env": Given(
        "TEAM_SC_SECRET", ["--password-env", "TEAM_SC_SECRET"]
    ),
    "the-variable-of-an-env-name": Given(password_variable("prod"), ["--env-name", "prod"]),
    "the-variables-of-a-fleet": Given("", ["--all", "--parallel", "2"], fleet=True),
}


@pytest.mark.parametrize("given", CASES.values(), ids=CASES.keys())
def test_no_child_process_inherits_a_password(
    given: Given, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    licensing = sandbox.server.state.faults.hold("Licensing.aspx")  # a run under way
    if given.fleet:
        names = ["first", "second"]
        lines = [f'[[environment]]\nname = "{n}"\nurl = "{sandbox.url}"\n' for n in names]
        (tmp_path / "environments.toml").write_text("\n".join(lines))
        env = {password_variable(n): sandbox.password for n in names}
        where = given.args
    else:
        env = {given.variable: sandbox.password}
        where = ["--url", sandbox.url, "--user", "admin", *given.args]
    process = start_cli(["status", *where], tmp_path, env)
    try:
        environments = children_environments(process.pid)
    finally:
        licensing.release()
        process.wait(timeout=120)

    assert len(environments) >= 2, "no driver and browser were seen"
    for name, environ in environments.items():
        assert sandbox.password.encode() not in environ, f"{name} holds the password"
        assert b"SC_LICENSE_PASSWORD" not in environ, f"{name} holds a password variable"


def children_environments(pid: int) -> dict[str, bytes]:
    """Once a browser runs under `pid`, the environment of every process under it."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        found: dict[str, bytes] = {}
        for child in psutil.Process(pid).children(recursive=True):
            try:
                found[f"{child.name()} ({child.pid})"] = Path(
                    f"/proc/{child.pid}/environ"
                ).read_bytes()
            except (OSError, psutil.Error):  # it ended meanwhile
                continue
        if any("chrom" in name or "headless" in name for name in found):
            return found
        time.sleep(0.2)
    raise AssertionError(f"no browser started within {WAIT_S} s")
