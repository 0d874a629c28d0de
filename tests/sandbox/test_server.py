"""Sandbox: fast to start, clean to stop, and many at once on their own ports."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time

import httpx

from automation.sandbox.app import SandboxConfig
from automation.sandbox.licenses import issue_license, random_serial, render_license
from automation.sandbox.server import SandboxServer
from tests.support.cli import SC_LICENSE
from tests.support.fixture_types import SignIn, StartSandbox
from tests.support.http import fields, licensing_page, upload
from tests.support.markup import alerts


def test_two_sandboxes_run_at_once_with_their_own_serials(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    first_serial, second_serial = random_serial(), random_serial()
    first, second = start_sandbox(first_serial), start_sandbox(second_serial)
    assert first.url != second.url
    assert fields(licensing_page(signed_in(first)))["Serial Number"] == first_serial
    assert fields(licensing_page(signed_in(second)))["Serial Number"] == second_serial
    refused = upload(signed_in(second), render_license(issue_license(first_serial)))
    assert alerts(refused.text)[0].endswith(f"'{first_serial}'")


def test_a_sandbox_starts_quickly_and_stops_without_leaving_a_thread() -> None:
    threads_before = set(threading.enumerate())
    config = SandboxConfig(serial_number=random_serial(), password="generated-" + random_serial())
    started = time.monotonic()
    with SandboxServer(config) as server:
        assert time.monotonic() - started < 0.5
        assert server.url.startswith("http://127.0.0.1:")
        response = httpx.get(f"{server.url}/ServiceCenter/Login.aspx")
        assert response.status_code == 200
    assert set(threading.enumerate()) == threads_before


def test_serve_on_port_0_prints_the_port_it_listens_on() -> None:
    env = {**os.environ, "SC_SANDBOX_PASSWORD": "pw-" + random_serial()}
    process = subprocess.Popen(
        [str(SC_LICENSE), "sandbox", "serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        served = re.search(r"http://127\.0\.0\.1:(\d+)/ServiceCenter", banner)
        assert served is not None and int(served.group(1)) > 0, banner
        assert httpx.get(f"{served.group(0)}/Login.aspx", timeout=30).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
