"""HTTPS as on a corporate network: the sandbox's certificate comes from a throwaway CA,
whose certificate (and only that: its key is never written) is where the operator can give
it to sc-license's --ca-file, and is gone when the sandbox stops."""

from __future__ import annotations

import os
import re
import signal
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest

from automation.browser.trust import read_certificates
from automation.sandbox.app import SandboxConfig
from automation.sandbox.licenses import random_serial
from automation.sandbox.server import SandboxServer
from tests.support.cli import SC_LICENSE
from tests.support.platforms import POSIX_SIGNALS

LOGIN = "/ServiceCenter/Login.aspx"


def test_the_ca_file_vouches_for_the_server_and_goes_with_it(tmp_path: Path) -> None:
    config = SandboxConfig(serial_number=random_serial(), password="pw-" + random_serial())
    ca = tmp_path / "sandbox-ca.crt"
    with SandboxServer(config, tls=True, ca_out=ca) as server:
        response = httpx.get(f"{server.url}{LOGIN}", verify=ssl.create_default_context(cafile=ca))
        assert response.status_code == 200
        assert len(read_certificates(ca)) == 1  # the CA's certificate alone
    assert not ca.exists()


@POSIX_SIGNALS
def test_serve_tls_writes_its_ca_in_the_current_folder_and_says_where(tmp_path: Path) -> None:
    env = {**os.environ, "SC_SANDBOX_PASSWORD": "pw-" + random_serial(), "COLUMNS": "200"}
    process = subprocess.Popen(
        [str(SC_LICENSE), "sandbox", "serve", "--tls", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ca = tmp_path / "sandbox-ca.crt"
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline() for _ in range(2)]
        served = re.search(r"https://127\.0\.0\.1:\d+/ServiceCenter", banner[0])
        assert served is not None, banner
        assert f"CA certificate, for sc-license's --ca-file: {ca}\n" in banner
        trusting = ssl.create_default_context(cafile=ca)
        assert httpx.get(f"{served.group(0)}/Login.aspx", verify=trusting).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C, as the operator stops it
        process.wait(timeout=10)
    assert not ca.exists()


def test_a_port_in_use_leaves_no_ca_file_to_trust(tmp_path: Path) -> None:
    config = SandboxConfig(serial_number=random_serial(), password="pw-" + random_serial())
    ca = tmp_path / "sandbox-ca.crt"
    with SandboxServer(config) as taken:
        port = int(taken.url.rsplit(":", 1)[1])
        with pytest.raises(OSError):
            SandboxServer(config, port=port, tls=True, ca_out=ca).start()
    assert not ca.exists()
