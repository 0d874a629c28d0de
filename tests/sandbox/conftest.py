"""Fixtures for the sandbox tests: a running sandbox, a signed-in HTTP client, a Chromium."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright

from automation.sandbox.app import SandboxConfig
from automation.sandbox.licenses import SandboxLicense, issue_license, random_serial
from automation.sandbox.server import SandboxServer

from .support import PASSWORD, sign_in

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

StartSandbox = Callable[..., SandboxServer]


@pytest.fixture
def start_sandbox() -> Iterator[StartSandbox]:
    """Start sandboxes on free ports; every one is stopped after the test."""
    servers: list[SandboxServer] = []

    def start(serial: str | None = None, **options: object) -> SandboxServer:
        serial = serial or random_serial()
        options.setdefault("license", issue_license(serial))
        config = SandboxConfig(serial_number=serial, password=PASSWORD, **options)
        servers.append(SandboxServer(config).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sandbox(start_sandbox: StartSandbox) -> SandboxServer:
    return start_sandbox()


SignIn = Callable[[SandboxServer], httpx.Client]


@pytest.fixture
def signed_in() -> Iterator[SignIn]:
    """Sign in to any sandbox; every client is closed after the test."""
    clients: list[httpx.Client] = []

    def open_client(server: SandboxServer) -> httpx.Client:
        clients.append(sign_in(server))
        return clients[-1]

    yield open_client
    for client in clients:
        client.close()


@pytest.fixture
def client(sandbox: SandboxServer, signed_in: SignIn) -> httpx.Client:
    return signed_in(sandbox)


@pytest.fixture
def another_license(sandbox: SandboxServer) -> SandboxLicense:
    """A fresh license for the running sandbox, with a new activation code."""
    return issue_license(sandbox.state.config.serial_number, organization_name="Renewed Org")


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    # pytest-playwright's Playwright instance, because two sync Playwrights cannot coexist in
    # one process; the browser itself is ours, launched with the system Chromium.
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def sandbox_page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(accept_downloads=True)
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()
