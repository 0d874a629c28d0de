"""Shared fixtures: a sandbox Service Center per test, license files for it, the CLI."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Playwright

from automation.browser import CLOSED_NETWORK_ARGS, find_browser
from automation.sandbox.app import SandboxConfig
from automation.sandbox.licenses import (
    SandboxLicense,
    issue_license,
    random_serial,
    render_license,
)
from automation.sandbox.server import SandboxServer
from automation.sandbox.variants import LicenseEncoding

SC_LICENSE = Path(sys.executable).parent / "sc-license"


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], playwright: Playwright
) -> dict[str, Any]:
    """pytest-playwright drives the same Chromium the tool finds, on a closed network."""
    choice = find_browser(playwright, None)
    assert choice is not None, "no Chromium: run `make setup`"
    args = {**browser_type_launch_args, "args": CLOSED_NETWORK_ARGS}
    if choice.executable is not None:
        args["executable_path"] = str(choice.executable)
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "accept_downloads": True}


@dataclass
class Sandbox:
    """A running sandbox and what a test needs to drive it."""

    server: SandboxServer
    serial: str
    user: str
    password: str

    @property
    def url(self) -> str:
        return f"{self.server.url}/ServiceCenter"

    @property
    def installed(self) -> SandboxLicense | None:
        return self.server.state.installed_license


@pytest.fixture
def start_sandbox() -> Iterator[Callable[..., Sandbox]]:
    """Start sandboxes on free loopback ports; each gets a generated password."""
    servers: list[SandboxServer] = []

    def start(tls: bool = False, port: int = 0, **config: Any) -> Sandbox:
        serial = config.pop("serial_number", None) or random_serial()
        password = secrets.token_urlsafe(16)
        config.setdefault("license", issue_license(serial, activation_code=None))
        server = SandboxServer(
            SandboxConfig(serial_number=serial, password=password, **config), port=port, tls=tls
        )
        servers.append(server.start())
        return Sandbox(server, serial, server.state.config.user, password)

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sandbox(start_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return start_sandbox()


@pytest.fixture
def write_license(tmp_path: Path) -> Callable[..., Path]:
    """Write a license file the sandbox's vendor would issue, for any serial, in any encoding."""

    def write(
        serial: str, name: str | None = None, encoding: LicenseEncoding = "text", **fields: Any
    ) -> Path:
        path = tmp_path / (name or f"{serial}-{secrets.token_hex(3)}.lic")
        path.write_bytes(render_license(issue_license(serial, **fields), encoding))
        return path

    return write


@pytest.fixture
def new_license(sandbox: Sandbox, write_license: Callable[..., Path]) -> Path:
    """A license for the sandbox's serial that differs from the installed one."""
    return write_license(sandbox.serial, end_date=date(date.today().year + 2, 12, 31))


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., CliResult]:
    """Run sc-license as an operator would, in a fresh working folder, with no terminal."""

    def run(
        *args: str,
        password: str | None = None,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> CliResult:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("SC_LICENSE_")}
        environment["COLUMNS"] = "200"
        environment.update(env or {})
        if password is not None:
            environment["SC_LICENSE_PASSWORD"] = password
        done = subprocess.run(
            [str(SC_LICENSE), *args],
            cwd=cwd or tmp_path,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=180,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run


def start_install(
    sandbox: Sandbox, license_path: Path, cwd: Path, *extra: str, output: bool = False
) -> subprocess.Popen[str]:
    """`sc-license install` of one environment in the background; see start_cli."""
    target = ["--url", sandbox.url, "--user", "admin", "--license", str(license_path)]
    return start_cli(
        ["install", *target, *extra],
        cwd,
        {"SC_LICENSE_PASSWORD": sandbox.password},
        output=output,
    )


def start_cli(
    args: list[str], cwd: Path, env: dict[str, str], *, output: bool = False
) -> subprocess.Popen[str]:
    """`sc-license ARGS` in the background, in its own session (to be signalled as a
    terminal would); with `output`, its stdout and stderr can be read."""
    return subprocess.Popen(
        [str(SC_LICENSE), *args],
        cwd=cwd,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if output else subprocess.DEVNULL,
        stderr=subprocess.PIPE if output else subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
