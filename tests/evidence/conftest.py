"""Recordings of real runs, made once for the evidence tests, and copies of them to tamper
with."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from automation.evidence.head import head_path
from automation.sandbox.app import SandboxConfig
from automation.sandbox.licenses import issue_license, random_serial, render_license
from automation.sandbox.server import SandboxServer
from tests.support.in_process import run_in_process
from tests.support.recordings import copy_recordings, log_lines, state_folder


@dataclass
class FinishedRuns:
    """Recordings of a real install (trace and video on), then a failed sign-in."""

    root: Path
    installed: Path
    refused: Path  # the newest run
    password: str
    output: str
    heads: list[dict[str, object]]  # the audit head each run printed (--json), in order


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


def move_the_head(root: Path) -> None:
    """Move the head kept in the state folder to where the log and the index are now, as
    someone who can write the state folder too would after recomputing the chain."""
    path = head_path(state_folder(), root)
    head = json.loads(path.read_text())
    lines = log_lines(root)
    head["lines"] = len(lines)
    head["last_line_sha256"] = hashlib.sha256(lines[-1].encode()).hexdigest()
    head["index_sha256"] = hashlib.sha256((root / "index.html").read_bytes()).hexdigest()
    path.write_text(json.dumps(head))
