"""sc-license as an operator runs it: exit codes, messages, and the evidence left behind."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from automation.licenses import read_license_file
from automation.sandbox.licenses import random_serial
from tests.conftest import SC_LICENSE, CliResult, Sandbox

REJECTED = "The license found is not valid for this server because it was issued to a server with"


def run_folders(cwd: Path) -> list[Path]:
    return sorted(p for p in (cwd / "recordings").iterdir() if p.is_dir())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_install_succeeds_and_reports_json(
    run_cli: Callable[..., CliResult], sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    done = run_cli(
        "install",
        "--url",
        sandbox.url,
        "--user",
        sandbox.user,
        "--license",
        str(new_license),
        "--json",
        password=sandbox.password,
    )
    assert done.exit_code == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"] == "installed"
    assert (
        result["license_after"]["activation_code"] == read_license_file(new_license).activation_code
    )
    folder = Path(tmp_path / result["run_folder"])
    assert folder.parent == tmp_path / "recordings"
    assert len(list(folder.glob("*.png"))) == 8
    assert sandbox.server.state.installed_bytes == new_license.read_bytes()


@pytest.fixture
def served_sandbox(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """`sc-license sandbox serve` in its own process, as an operator starts it."""
    port, serial, password = free_port(), random_serial(), "pw-" + os.urandom(6).hex()
    env = {**os.environ, "SC_SANDBOX_PASSWORD": password}
    process = subprocess.Popen(
        [str(SC_LICENSE), "sandbox", "serve", "--port", str(port), "--serial", serial],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline() + process.stdout.readline()
        assert f"http://127.0.0.1:{port}/ServiceCenter" in banner
        assert password not in banner
        yield f"http://127.0.0.1:{port}/ServiceCenter", serial, password
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_license_for_another_serial_exits_4_keeps_backup_and_old_license(
    run_cli: Callable[..., CliResult], served_sandbox: tuple[str, str, str], tmp_path: Path
) -> None:
    url, serial, password = served_sandbox
    other = random_serial()
    made = run_cli("sandbox", "license", "--serial", other, "--out", "other.lic")
    assert made.exit_code == 0, made.stderr
    before = run_cli("status", "--url", url, "--user", "admin", "--json", password=password)
    assert before.exit_code == 0, before.stderr

    done = run_cli(
        "install", "--url", url, "--user", "admin", "--license", "other.lic", password=password
    )

    assert done.exit_code == 4
    assert f"{REJECTED} serial number '{other}'" in " ".join(done.stderr.split())
    folder = run_folders(tmp_path)[-1]
    record = json.loads((folder / "run.json").read_text())
    assert record["outcome"] == "rejected"
    assert record["error"]["step"] == "Upload the new license file"
    backup = folder / record["backup"]["file"]
    assert serial.encode() in backup.read_bytes()
    after = run_cli("status", "--url", url, "--user", "admin", "--json", password=password)
    installed_before = json.loads(before.stdout)["license_before"]
    assert json.loads(after.stdout)["license_before"] == installed_before
    assert installed_before["serial_number"] == serial


def test_missing_password_without_a_terminal_exits_2_and_runs_nothing(
    run_cli: Callable[..., CliResult], sandbox: Sandbox, tmp_path: Path
) -> None:
    done = run_cli("status", "--url", sandbox.url, "--user", "admin")
    assert done.exit_code == 2
    assert "SC_LICENSE_PASSWORD" in done.stderr
    assert not (tmp_path / "recordings").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--url", "myhost/ServiceCenter"], "is not a web address"),
        (["--url", "http://myhost/LifeTime"], "does not point to Service Center"),
        (["--url", "http://myhost", "--license", "nowhere.lic"], "does not exist"),
    ],
    ids=["no-scheme", "not-service-center", "missing-file"],
)
def test_bad_input_exits_2_with_a_reason(
    run_cli: Callable[..., CliResult], args: list[str], words: str
) -> None:
    options = {"--license": "nowhere.lic", "--user": "admin"}
    for key, value in zip(args[::2], args[1::2], strict=True):
        options[key] = value
    done = run_cli("install", *[x for kv in options.items() for x in kv], password="x")
    assert done.exit_code == 2
    assert words in done.stderr


def test_dead_server_exits_5_with_evidence(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{free_port()}/ServiceCenter"
    done = run_cli("backup", "--url", url, "--user", "admin", password="x")
    assert done.exit_code == 5
    assert "did not answer (ERR_CONNECTION_REFUSED)" in " ".join(done.stderr.split())
    record = json.loads((run_folders(tmp_path)[-1] / "run.json").read_text())
    assert record["outcome"] == "failed"
    assert record["error"]["kind"] == "unreachable"
    assert record["steps"][0]["status"] == "failed"


def test_wrong_password_exits_5_and_names_the_user(
    run_cli: Callable[..., CliResult], sandbox: Sandbox
) -> None:
    done = run_cli("status", "--url", sandbox.url, "--user", "admin", password="wrong")
    assert done.exit_code == 5
    assert "refused the sign-in of 'admin'" in done.stderr
    assert "wrong" not in done.stdout + done.stderr.replace("wrong", "", 0)


def test_runs_never_share_a_folder(
    run_cli: Callable[..., CliResult], sandbox: Sandbox, tmp_path: Path
) -> None:
    for _ in range(2):
        done = run_cli("backup", "--url", sandbox.url, "--user", "admin", password=sandbox.password)
        assert done.exit_code == 0, done.stderr
    folders = run_folders(tmp_path)
    assert len(folders) == 2
    for folder in folders:
        assert len(list(folder.glob("backup-*.lic"))) == 1


def test_demo_installs_a_license_on_the_sandbox(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    done = run_cli("demo")
    assert done.exit_code == 0, done.stderr
    assert "installed:" in done.stdout
    folder = run_folders(tmp_path)[-1]
    record = json.loads((folder / "run.json").read_text())
    assert record["outcome"] == "installed"
    assert len(record["steps"]) == 8
    assert (folder / record["backup"]["file"]).stat().st_size > 0
