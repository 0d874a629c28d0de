"""Sandbox Service Centers for tests: each on a free loopback port, with a generated password."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from automation.sandbox.app import SandboxConfig, SandboxState
from automation.sandbox.licenses import SandboxLicense, issue_license, random_serial
from automation.sandbox.server import SandboxServer


@dataclass
class Sandbox:
    """A running sandbox and what a test needs to drive it."""

    server: SandboxServer
    serial: str
    user: str
    password: str

    @property
    def origin(self) -> str:
        """Scheme, host and port: http://127.0.0.1:PORT."""
        return self.server.url

    @property
    def url(self) -> str:
        """Service Center's address, as an operator gives it."""
        return f"{self.server.url}/ServiceCenter"

    @property
    def state(self) -> SandboxState:
        return self.server.state

    @property
    def installed(self) -> SandboxLicense | None:
        return self.server.state.installed_license


def start(serial: str | None = None, *, tls: bool = False, port: int = 0, **config: Any) -> Sandbox:
    """A new sandbox with a license for its serial installed (unless license=None is given)."""
    serial = serial or config.pop("serial_number", None) or random_serial()
    password = secrets.token_urlsafe(16)
    config.setdefault("license", issue_license(serial))
    server = SandboxServer(
        SandboxConfig(serial_number=serial, password=password, **config), port=port, tls=tls
    )
    server.start()
    return Sandbox(server, serial, server.state.config.user, password)
