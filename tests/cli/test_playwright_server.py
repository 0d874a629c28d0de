"""--browser-endpoint with a Playwright server (`playwright run-server`), not only CDP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.fixture_types import RunCli
from tests.support.net import free_port
from tests.support.sandboxes import Sandbox

PLAYWRIGHT = Path(sys.executable).parent / "playwright"
StartServer = Callable[..., str]


@pytest.fixture
def start_playwright_server() -> Iterator[StartServer]:
    """`playwright run-server` on a loopback port. --unsafe lets a client name the Chromium
    to launch (this machine may have the system's, not Playwright's own build)."""
    servers: list[subprocess.Popen[str]] = []

    def start(*, unsafe: bool = True, env: dict[str, str] | None = None) -> str:
        port = free_port()
        server = subprocess.Popen(
            [str(PLAYWRIGHT), "run-server", "--host", "127.0.0.1", "--port", str(port)]
            + (["--unsafe"] if unsafe else []),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(env or {})},
            # `playwright` is a launcher that starts the server (Node.js) and does not exec:
            # the server is stopped with it as a group, not left running on its own.
            start_new_session=os.name != "nt",
        )
        servers.append(server)
        assert server.stdout is not None
        listening = server.stdout.readline()  # "Listening on ws://127.0.0.1:PORT/"
        assert "Listening on" in listening, listening
        return f"ws://127.0.0.1:{port}/"

    yield start
    for server in servers:
        if os.name == "nt":
            server.terminate()
            server.wait(timeout=30)
        else:
            stop_group(server)


def stop_group(server: subprocess.Popen[str]) -> None:
    """The launcher and its server, killed together: SIGTERM leaves the server waiting on
    the clients it had, and a test's server has nothing to save."""
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)


def test_status_runs_through_a_playwright_server(
    sandbox: Sandbox, run_cli: RunCli, start_playwright_server: StartServer
) -> None:
    endpoint = start_playwright_server()

    done = run_cli(
        [
            *["status", "--url", sandbox.url, "--user", "admin", "--json"],
            *["--browser-endpoint", endpoint],
        ],
        password=sandbox.password,
    )

    assert done.exit_code == 0, done.stderr
    record = json.loads(done.stdout)
    assert f"at {endpoint}" in record["browser"]
    assert record["license_before"]["serial_number"] == sandbox.serial
    assert record["steps"] and all(step["screenshot"] for step in record["steps"])


def test_a_playwright_server_without_a_chromium_says_how_to_give_it_one(
    sandbox: Sandbox, run_cli: RunCli, start_playwright_server: StartServer, tmp_path: Path
) -> None:
    empty = tmp_path / "no-browsers"
    empty.mkdir()
    endpoint = start_playwright_server(unsafe=False, env={"PLAYWRIGHT_BROWSERS_PATH": str(empty)})

    done = run_cli(
        [
            *["status", "--url", sandbox.url, "--user", "admin"],
            *["--browser-endpoint", endpoint],
        ],
        password=sandbox.password,
    )

    said = " ".join(done.stderr.split())
    assert done.exit_code == 2, done.stderr
    assert f"The Playwright server at {endpoint} cannot launch Chromium" in said
    assert "--unsafe" in said and "playwright install chromium" in said
