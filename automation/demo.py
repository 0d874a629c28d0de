"""The demo's stage: a sandbox Service Center and a fresh license issued for it."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from automation.sandbox.app import SandboxConfig
from automation.sandbox.licenses import issue_license, random_serial, render_license
from automation.sandbox.server import SandboxServer
from automation.sandbox.variants import LicenseEncoding


@contextmanager
def sandbox_with_new_license(
    encoding: LicenseEncoding = "text",
) -> Iterator[tuple[SandboxServer, Path, str]]:
    """A running sandbox with a license installed, and a new license file for its serial
    written in `encoding`."""
    serial = random_serial()
    password = secrets.token_urlsafe(16)
    config = SandboxConfig(
        serial_number=serial,
        password=password,
        environment_name="Sandbox",
        license=issue_license(serial, license_type="Development"),
    )
    with tempfile.TemporaryDirectory(prefix="sc-license-demo-") as folder:
        license_path = Path(folder) / f"{serial}.lic"
        license_path.write_bytes(
            render_license(issue_license(serial, license_type="Production"), encoding)
        )
        with SandboxServer(config) as server:
            yield server, license_path, password
