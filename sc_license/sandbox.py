"""A sandbox Service Center for a pytest session: the same local stage `sc-license sandbox
serve` runs, started in a thread of the test process, with a generated password."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from automation.sandbox.app import SandboxConfig
from automation.sandbox.faults import parse_faults
from automation.sandbox.licenses import (
    SandboxLicense,
    issue_license,
    parse_license,
    random_serial,
    render_license,
)
from automation.sandbox.server import SandboxServer
from automation.sandbox.variants import LicenseEncoding


@dataclass
class SandboxServiceCenter:
    """A running sandbox: where it is, who signs in, and licenses it accepts.

    Started by the `sc_sandbox` fixture with the options of `sc_sandbox_options`: the names of
    `sc-license sandbox serve`'s options with underscores (upload_form="popup",
    captions="decorated", words="other-release", upload_confirm=True, tls=True,
    fault=["delay-upload-ms=2000"], serial="...", license=a .lic path, ...), and license_end=a date
    for the license installed at start."""

    server: SandboxServer
    serial: str
    user: str
    password: SecretStr

    @property
    def url(self) -> str:
        """Service Center's address, as an operator gives it."""
        return f"{self.server.url}/ServiceCenter"

    @property
    def installed(self) -> SandboxLicense | None:
        """The license the sandbox has installed now, as its own data."""
        return self.server.state.installed_license

    def write_license(
        self,
        path: Path,
        *,
        serial: str | None = None,
        end_date: date | None = None,
        encoding: LicenseEncoding = "text",
    ) -> Path:
        """Write a license file its vendor would issue: for this sandbox's serial (or
        `serial`), ending on `end_date` (default: in two years)."""
        end = end_date or date(date.today().year + 2, 12, 31)
        path.write_bytes(
            render_license(issue_license(serial or self.serial, end_date=end), encoding)
        )
        return path

    def stop(self) -> None:
        self.server.stop()


def start_sandbox(options: dict[str, Any]) -> SandboxServiceCenter:
    """Start a sandbox with `options` (see SandboxServiceCenter), on a free loopback port."""
    config = dict(options)
    serial = config.pop("serial", None) or config.pop("serial_number", None) or random_serial()
    license_end = config.pop("license_end", None)
    installed = config.pop("license", None)
    if isinstance(installed, str | Path):  # a license file, as `sandbox serve --license` takes
        installed = parse_license(Path(installed).read_bytes())
    elif installed is None:
        installed = (
            issue_license(serial, end_date=license_end) if license_end else issue_license(serial)
        )
    tls = bool(config.pop("tls", False))
    if "fault" in config:  # `--fault NAME[=VALUE]`, as many as serve takes
        config["faults"] = parse_faults(list(config.pop("fault")))
    password = secrets.token_urlsafe(16)
    sandbox_config = SandboxConfig(
        serial_number=serial, password=password, license=installed, **config
    )
    server = SandboxServer(sandbox_config, tls=tls)
    server.start()
    return SandboxServiceCenter(server, serial, server.state.config.user, SecretStr(password))
