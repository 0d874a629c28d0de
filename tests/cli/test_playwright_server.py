"""--browser-endpoint with a Playwright server (`playwright run-server`), not only CDP."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.support.net import free_port
from tests.support.sandboxes import Sandbox

PLAYWRIGHT = Path(sys.executable).parent / "playwright"


@pytest.fixture
def playwright_server() -> Iterator[str]:
    """`playwright run-server` on a loopback port; --unsafe lets a client name the Chromium
    to launch (this machine has the system's, not Playwright's own build)."""
    port = free_port()
    server = subprocess.Popen(
        [str(PLAYWRIGHT), "run-server", "--host", "127.0.0.1", "--port", str(port), "--unsafe"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        listening = server.stdout.readline()  # "Listening on ws://127.0.0.1:PORT/"
        assert "Listening on" in listening, listening
        yield f"ws://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_status_runs_through_a_playwright_server(
    sandbox: Sandbox, run_cli: RunCli, playwright_server: str
) -> None:
    done = run_cli(
        [
            "status",
            "--url",
            sandbox.url,
            "--user",
            "admin",
            "--json",
            "--browser-endpoint",
            playwright_server,
        ],
        password=sandbox.password,
    )

    assert done.exit_code == 0, done.stderr
    record = json.loads(done.stdout)
    assert f"at {playwright_server}" in record["browser"]
    assert record["license_before"]["serial_number"] == sandbox.serial
    assert record["steps"] and all(step["screenshot"] for step in record["steps"])
