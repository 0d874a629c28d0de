"""Recordings of real runs, made once for the evidence tests, and copies of them to tamper
with."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from automation.sandbox.app import SandboxConfig
from automation.sandbox.licenses import issue_license, random_serial, render_license
from automation.sandbox.server import SandboxServer
from tests.support.in_process import run_in_process
from tests.support.recordings import FinishedRuns, copy_recordings


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory, state_folder: Path) -> Iterator[FinishedRuns]:
    work = tmp_path_factory.mktemp("audit")
    serial, password = random_serial(), secrets.token_urlsafe(18)
    config = SandboxConfig(serial_number=serial, password=password, license=issue_license(serial))
    (work / "new.lic").write_bytes(render_license(issue_license(serial)))
    with SandboxServer(config) as server:
        url = f"{server.url}/ServiceCenter"
        env = {"SC_LICENSE_PASSWORD": password}
        installed = run_in_process(
            [
                "install",
                "--url",
                url,
                "--user",
                "admin",
                "--license",
                "new.lic",
                "--trace",
                "on",
                "--video",
                "on",
                "--json",
            ],
            cwd=work,
            env=env,
        )
        assert installed.exit_code == 0, installed.stderr
        refused = run_in_process(
            ["status", "--url", url, "--user", "admin", "--json"],
            cwd=work,
            env={"SC_LICENSE_PASSWORD": "wrong-" + password},
        )
        assert refused.exit_code == 5
    yield FinishedRuns(
        root=work / "recordings",
        installed=work / json.loads(installed.stdout)["run_folder"],
        refused=work / json.loads(refused.stdout)["run_folder"],
        password=password,
        output=installed.stdout + installed.stderr + refused.stdout + refused.stderr,
        heads=[json.loads(done.stdout)["audit_head"] for done in (installed, refused)],
    )


@pytest.fixture
def copy(runs: FinishedRuns, tmp_path: Path) -> Callable[[], Path]:
    """A copy of the recordings to tamper with, its head kept beside the original's."""

    def make() -> Path:
        return copy_recordings(runs.root, tmp_path / "recordings")

    return make
