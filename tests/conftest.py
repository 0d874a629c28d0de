"""The fixtures every test folder shares: the browser pytest-playwright drives, sandboxes,
license files for them, and the CLI run in a fresh working folder."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Playwright

from automation.browser.discovery import find_browser
from automation.browser.session import launch_args
from automation.config import LaunchOptions
from automation.sandbox.licenses import issue_license, render_license
from automation.sandbox.variants import LicenseEncoding
from tests.support import sandboxes, tiers
from tests.support.cli import run_cli as run_cli_in
from tests.support.fixture_types import RunCli, SignIn, StartSandbox
from tests.support.http import sign_in
from tests.support.in_process import run_in_process
from tests.support.sandboxes import Sandbox
from tests.support.shared_driver import DRIVER

# pytest's own `pytester`, for the tests of sc-license's pytest plugin (tests/plugin/).
pytest_plugins = ("pytester",)


@pytest.fixture(scope="session", autouse=True)
def state_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The per-user state folder (where the audit trail's heads are kept) is the test
    session's, so no test writes into the user's own."""
    folder = tmp_path_factory.mktemp("state")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SC_LICENSE_STATE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def shared_driver() -> Iterator[None]:
    """The Playwright driver the in-process runs share (tests/support/shared_driver.py),
    stopped when the test session ends."""
    yield
    DRIVER.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], playwright: Playwright
) -> dict[str, Any]:
    """pytest-playwright drives the browser the tool would, on a closed network: for a
    headless session the headless shell (the faster), with --headed the full Chromium."""
    headless = browser_type_launch_args.get("headless", True)
    choice = find_browser(playwright, None, headless=headless)
    assert choice is not None, "no Chromium: run `make setup`"
    ours = launch_args(choice, LaunchOptions(headed=not headless))
    # pytest-playwright's own flags (--slowmo, --browser-channel) win over ours.
    return {**ours, **browser_type_launch_args, "args": ours["args"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "accept_downloads": True}


@pytest.fixture
def start_sandbox() -> Iterator[StartSandbox]:
    """Start sandboxes (see tests.support.sandboxes.start); every one stops after the test."""
    started: list[Sandbox] = []

    def start(serial: str | None = None, **options: Any) -> Sandbox:
        started.append(sandboxes.start(serial, **options))
        return started[-1]

    yield start
    for sandbox in started:
        sandbox.server.stop()


@pytest.fixture
def sandbox(start_sandbox: StartSandbox) -> Sandbox:
    return start_sandbox()


@pytest.fixture
def signed_in() -> Iterator[SignIn]:
    """Sign in to any sandbox over HTTP; every client is closed after the test."""
    clients: list[httpx.Client] = []

    def open_client(sandbox: Sandbox) -> httpx.Client:
        clients.append(sign_in(sandbox))
        return clients[-1]

    yield open_client
    for client in clients:
        client.close()


@pytest.fixture
def client(sandbox: Sandbox, signed_in: SignIn) -> httpx.Client:
    return signed_in(sandbox)


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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cli-subprocess",
        action="store_true",
        help="run_cli starts sc-license as a subprocess in every test, not only in those "
        "marked subprocess",
    )


def pytest_configure(config: pytest.Config) -> None:
    tiers.register(config)
    config.addinivalue_line(
        "markers",
        "subprocess: run_cli starts sc-license as its own process (signals, exit of the "
        "installed entry point, what a process leaves behind)",
    )


@pytest.fixture
def run_cli(tmp_path: Path, request: pytest.FixtureRequest) -> RunCli:
    """Run sc-license as an operator would, in a fresh working folder, with no terminal: in
    this process (tests/support/in_process.py), or its own where the test is marked
    `subprocess` or pytest is given --cli-subprocess."""
    own_process = request.node.get_closest_marker("subprocess") is not None
    if own_process or request.config.getoption("--cli-subprocess"):
        return partial(run_cli_in, cwd=tmp_path)
    return partial(run_in_process, cwd=tmp_path)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tiers.mark(items)
