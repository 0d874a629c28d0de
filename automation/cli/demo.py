"""The demo's stage: a sandbox Service Center, playing any of the ways a real one may differ,
and a fresh license issued for it; and what the demo ends with: the command to try next."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from automation.cli.consoles import console
from automation.cli.literal import markup
from automation.evidence.records import load_record
from automation.installation import this_command
from automation.sandbox.app import SandboxConfig
from automation.sandbox.faults import SandboxFaults
from automation.sandbox.licenses import issue_license, random_serial, render_license
from automation.sandbox.server import SandboxServer
from automation.sandbox.stage import Stage

# Where a newcomer goes after the demo: the README's "First time on your real Service
# Center" begins so, read-only.
TRY_NEXT = ["probe", "--url", "https://HOST/ServiceCenter", "--user", "admin"]


@contextmanager
def sandbox_with_new_license(
    stage: Stage = Stage(),  # noqa: B008 (frozen: one default shared is safe)
    latency_ms: int = 0,
) -> Iterator[tuple[SandboxServer, Path, str]]:
    """A running sandbox with a license installed, and a new license file for its serial,
    named as the Licensing Portal names it."""
    serial = random_serial()
    password = secrets.token_urlsafe(16)
    config = SandboxConfig(
        serial_number=serial,
        password=password,
        environment_name="Sandbox",
        license=issue_license(serial, license_type="Development"),
        **stage.config(),
        faults=SandboxFaults(delay_ms=latency_ms),
    )
    with tempfile.TemporaryDirectory(prefix="sc-license-demo-") as folder:
        license_path = Path(folder) / f"{serial}.lic"
        renewal = issue_license(serial, license_type="Production")
        license_path.write_bytes(render_license(renewal, stage.license_encoding))
        with SandboxServer(config) as server:
            yield server, license_path, password


class NextStep:
    """After the demo's audit head: the next command to try, on the operator's own Service
    Center. A demo that failed has said what to do instead."""

    def json(self, folder: Path) -> dict[str, object]:
        return {}  # --json stays the run's record; the hint is for a person reading

    def show(self, folder: Path) -> None:
        if load_record(folder).exit_code == 0:
            console.print(markup("[bold]Next:[/] try it on your own Service Center, read-only:"))
            command = this_command(*TRY_NEXT)
            console.print(f"  {command}", markup=False, highlight=False, soft_wrap=True)
