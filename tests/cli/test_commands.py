"""sc-license as an operator runs it: exit codes, messages, and the evidence left behind."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import pytest

from automation.evidence.files import sha256_of
from automation.evidence.secret_scan import scan
from automation.license_files import read_license_file
from automation.sandbox.holds import wait_until_held
from automation.sandbox.licenses import random_serial
from tests.support.cli import SC_LICENSE, run_folders, start_install
from tests.support.fixture_types import RunCli
from tests.support.markup import parse
from tests.support.net import free_port
from tests.support.sandboxes import Sandbox

INSTALL_STEPS = [
    "Open Service Center",
    "Sign in",
    "Click the Administration tab",
    "Open the Licensing submenu",
    "Back up the installed license",
    "Click Upload New License",
    "Choose the new license file",
    "Upload the new license file",
    "Verify the new license is installed",
]


@pytest.mark.subprocess  # the installed entry point's exit code
def test_install_succeeds_and_reports_json(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    installed_before = sandbox.server.state.installed_bytes
    assert installed_before is not None
    done = run_cli(
        [
            "install",
            "--url",
            sandbox.url,
            "--user",
            sandbox.user,
            "--license",
            str(new_license),
            "--json",
        ],
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
    assert len(list(folder.glob("*.png"))) == 9
    assert sandbox.server.state.installed_bytes == new_license.read_bytes()
    record = json.loads((folder / "run.json").read_text())
    assert [s["name"] for s in record["steps"]] == INSTALL_STEPS
    assert all(s["status"] == "passed" for s in record["steps"])
    for step in record["steps"]:
        shot = (folder / step["screenshot"]).read_bytes()
        assert shot[:8] == b"\x89PNG\r\n\x1a\n"
        assert sha256_of(shot) == step["screenshot_sha256"]
    backup = (folder / record["backup"]["file"]).read_bytes()
    assert backup == installed_before
    assert record["backup"]["sha256"] == sha256_of(installed_before)
    assert record["license_before"]["activation_code"] != result["license_after"]["activation_code"]
    assert record["environment_shown"] == "Development"
    assert scan(folder, sandbox.password) == []  # the password is in no evidence file


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


def test_tampered_license_exits_4_keeps_backup_and_old_license(
    run_cli: RunCli, served_sandbox: tuple[str, str, str], tmp_path: Path
) -> None:
    url, serial, password = served_sandbox
    made = run_cli(["sandbox", "license", "--serial", serial, "--out", "new.lic"])
    assert made.exit_code == 0, made.stderr
    tampered = tmp_path / "new.lic"
    tampered.write_bytes(tampered.read_bytes().replace(b"Production", b"Productiom"))
    before = run_cli(["status", "--url", url, "--user", "admin", "--json"], password=password)
    assert before.exit_code == 0, before.stderr

    done = run_cli(
        ["install", "--url", url, "--user", "admin", "--license", "new.lic"], password=password
    )

    assert done.exit_code == 4
    assert "rejected the license file: No license was found for this server" in " ".join(
        done.stderr.split()
    )
    folder = run_folders(tmp_path)[-1]
    record = json.loads((folder / "run.json").read_text())
    assert record["outcome"] == "rejected"
    assert record["error"]["step"] == "Upload the new license file"
    # What is installed is read after the refusal, and nothing more is done.
    assert [s["name"] for s in record["steps"]][-2:] == [
        "Upload the new license file",
        "Read what is installed now",
    ]
    assert serial.encode() in (folder / record["backup"]["file"]).read_bytes()
    after = run_cli(["status", "--url", url, "--user", "admin", "--json"], password=password)
    installed_before = json.loads(before.stdout)["license_before"]
    assert json.loads(after.stdout)["license_before"] == installed_before
    assert installed_before["serial_number"] == serial


@pytest.mark.subprocess  # the installed entry point's exit code
def test_license_for_another_serial_exits_3_before_any_upload(
    run_cli: RunCli,
    sandbox: Sandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    installed_before = sandbox.server.state.installed_bytes
    other = random_serial()
    done = run_cli(
        [
            "install",
            "--url",
            sandbox.url,
            "--user",
            "admin",
            "--license",
            str(write_license(other)),
        ],
        password=sandbox.password,
    )
    assert done.exit_code == 3
    stderr = " ".join(done.stderr.split())
    assert f"is issued for serial {other}, but" in stderr
    assert f"has serial {sandbox.serial}. Nothing was uploaded." in stderr
    assert "Licensing Portal" in stderr
    assert sandbox.server.state.uploads == []
    assert sandbox.server.state.installed_bytes == installed_before
    folder = run_folders(tmp_path)[-1]
    record = json.loads((folder / "run.json").read_text())
    assert (record["outcome"], record["exit_code"]) == ("refused", 3)
    assert (record["checks"][-1]["name"], record["checks"][-1]["passed"]) == ("serial", False)
    assert (folder / record["backup"]["file"]).read_bytes() == installed_before


def test_dry_run_reports_the_change_and_uploads_nothing(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    done = run_cli(
        [
            "install",
            "--url",
            sandbox.url,
            "--user",
            "admin",
            "--license",
            str(new_license),
            "--dry-run",
        ],
        password=sandbox.password,
    )
    assert done.exit_code == 0, done.stderr
    assert "dry-run:" in done.stdout
    assert "New file" in done.stdout
    assert str(read_license_file(new_license).activation_code) in done.stdout
    assert sandbox.server.state.uploads == []
    folder = run_folders(tmp_path)[-1]
    record = json.loads((folder / "run.json").read_text())
    assert record["outcome"] == "dry-run"
    assert (folder / record["backup"]["file"]).read_bytes() == sandbox.server.state.installed_bytes
    assert [c["name"] for c in record["checks"]] == [
        "backup",
        "serial",
        "end date",
        "earlier end",
        "already installed",
    ]


def test_restore_from_a_run_folder_puts_the_backup_back(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    original = sandbox.server.state.installed_bytes
    installed = run_cli(
        [
            "install",
            "--url",
            sandbox.url,
            "--user",
            "admin",
            "--license",
            str(new_license),
            "--json",
        ],
        password=sandbox.password,
    )
    assert installed.exit_code == 0, installed.stderr
    run_folder = json.loads(installed.stdout)["run_folder"]

    restored = run_cli(
        ["restore", "--url", sandbox.url, "--user", "admin", "--from", run_folder, "--json"],
        password=sandbox.password,
    )

    assert restored.exit_code == 0, restored.stderr
    assert json.loads(restored.stdout)["outcome"] == "installed"
    assert json.loads(restored.stdout)["flow"] == "restore"
    assert sandbox.server.state.installed_bytes == original
    # The backup ends earlier than the license it replaces, as backups do: a restore passes
    # that check by being one, and records no flag the operator did not give.
    record = (tmp_path / json.loads(restored.stdout)["run_folder"] / "run.json").read_text()
    [check] = [c for c in json.loads(record)["checks"] if c["name"] == "earlier end"]
    assert check["passed"]
    assert "earlier" in check["detail"] and "a restore puts back a backup" in check["detail"]
    assert "--allow-earlier-end" not in record


def test_restore_refuses_a_backup_changed_since_its_run(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    backed_up = run_cli(
        ["backup", "--url", sandbox.url, "--user", "admin", "--json"], password=sandbox.password
    )
    folder = tmp_path / json.loads(backed_up.stdout)["run_folder"]
    backup = next(folder.glob("backup-*.lic"))
    backup.write_bytes(backup.read_bytes() + b"\n")
    for source in (folder, backup):  # the run folder, or the backup file in it
        done = run_cli(
            ["restore", "--url", sandbox.url, "--user", "admin", "--from", str(source)],
            password=sandbox.password,
        )
        assert done.exit_code == 2
        assert "recorded" in done.stderr and "will not be restored" in " ".join(done.stderr.split())
    assert sandbox.state.uploads == []


def test_confirm_without_a_terminal_is_an_error_not_a_hang(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path
) -> None:
    done = run_cli(
        [
            "install",
            "--url",
            sandbox.url,
            "--user",
            "admin",
            "--license",
            str(new_license),
            "--confirm",
        ],
        password=sandbox.password,
    )
    assert done.exit_code == 2
    assert "--confirm needs a terminal" in done.stderr
    assert sandbox.server.state.uploads == []


def test_a_second_change_to_the_same_environment_is_refused(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    form = sandbox.server.state.faults.hold("LicenseUpload.aspx")  # the first run waits there
    first = start_install(sandbox, new_license, tmp_path)
    holder = wait_for_holder(sandbox)
    wait_until_held([form], 1)

    second = run_cli(
        ["install", "--url", sandbox.url, "--user", "admin", "--license", str(new_license)],
        password=sandbox.password,
    )

    assert second.exit_code == 3
    said = " ".join(second.stderr.split())
    assert "Another run is changing" in said
    assert Path(holder["run_folder"]).name in said
    form.release()
    assert first.wait(timeout=120) == 0
    assert [u.accepted for u in sandbox.server.state.uploads] == [True]


def test_a_lock_left_by_a_killed_run_does_not_block_the_next(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    form = sandbox.server.state.faults.hold("LicenseUpload.aspx")  # the run waits there
    killed = start_install(sandbox, new_license, tmp_path)
    wait_for_holder(sandbox)
    killed.kill()  # no clean-up at all, as after a power cut
    killed.wait()
    form.release()

    done = run_cli(
        ["install", "--url", sandbox.url, "--user", "admin", "--license", str(new_license)],
        password=sandbox.password,
    )

    assert done.exit_code == 0, done.stderr


def test_the_lock_holds_across_evidence_folders_and_spellings_of_the_address(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    form = sandbox.server.state.faults.hold("LicenseUpload.aspx")  # the first run waits there
    # as long as the second run takes, which on a busy machine is more than the default wait
    patient = ("--action-timeout", "120", "--navigation-timeout", "120")
    first = start_install(sandbox, new_license, tmp_path, "--out", "rec-first", *patient)
    wait_until_held([form], 1)  # past reading the serial, whose lock it now holds too
    # The same environment by another name for its host, into another evidence folder.
    other_spelling = sandbox.url.replace("127.0.0.1", "LOCALHOST").lower() + "/"
    second = run_cli(
        [
            "install",
            "--url",
            other_spelling,
            "--user",
            "admin",
            "--license",
            str(new_license),
            "--out",
            "rec-second",
        ],
        password=sandbox.password,
    )
    assert second.exit_code == 3, second.stderr
    said = " ".join(second.stderr.split())
    assert "Another run is changing the environment with serial" in said
    form.release()
    assert first.wait(timeout=120) == 0
    assert [u.accepted for u in sandbox.server.state.uploads] == [True]


def wait_for_holder(sandbox: Sandbox) -> dict[str, str]:
    """The lock's holder note, once the first run has taken the lock on `sandbox`."""
    locks = Path(os.environ["SC_LICENSE_STATE_DIR"]) / "locks"  # the session's state folder
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for note in locks.glob("*.holder.json") if locks.is_dir() else []:
            with suppress(ValueError, OSError):
                holder = dict(json.loads(note.read_text()))
                if holder.get("environment") == sandbox.url:
                    return holder
        time.sleep(0.1)
    raise AssertionError("the first run never took the lock")


def test_missing_password_without_a_terminal_exits_2_and_runs_nothing(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    done = run_cli(["status", "--url", sandbox.url, "--user", "admin"])
    assert done.exit_code == 2
    assert "SC_LICENSE_PASSWORD" in done.stderr
    assert not (tmp_path / "recordings").exists()


def test_a_sign_in_refused_with_the_fallback_password_names_the_variable_it_came_from(
    run_cli: RunCli, sandbox: Sandbox
) -> None:
    """SC_LICENSE_PASSWORD may hold another environment's password: say it was used, and
    that the environment's own variable was not set, before someone retries into a lock."""
    status = ["status", "--url", sandbox.url, "--user", "admin", "--env-name", "prod", "--json"]
    fallback = run_cli(status, password="another-environments-password")
    own = run_cli(status, env={"SC_LICENSE_PASSWORD_PROD": "a-wrong-password"})

    assert (fallback.exit_code, own.exit_code) == (5, 5)
    hint = json.loads(fallback.stdout)["error"]["hint"]
    assert hint.endswith(
        "The password was read from SC_LICENSE_PASSWORD, because SC_LICENSE_PASSWORD_PROD is "
        "not set."
    )
    assert "was read from" not in json.loads(own.stdout)["error"]["hint"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--url", "myhost/ServiceCenter"], "is not a web address"),
        (["--url", "http://myhost/LifeTime"], "does not point to Service Center"),
        (["--url", "http://myhost", "--license", "nowhere.lic"], "does not exist"),
    ],
    ids=["no-scheme", "not-service-center", "missing-file"],
)
@pytest.mark.subprocess  # the installed entry point's exit code
def test_bad_input_exits_2_with_a_reason(run_cli: RunCli, args: list[str], words: str) -> None:
    options = {"--license": "nowhere.lic", "--user": "admin"}
    for key, value in zip(args[::2], args[1::2], strict=True):
        options[key] = value
    done = run_cli(["install", *[x for kv in options.items() for x in kv]], password="x")
    assert done.exit_code == 2
    assert words in done.stderr


def test_pause_on_failure_needs_a_headed_browser(run_cli: RunCli, sandbox: Sandbox) -> None:
    done = run_cli(
        ["status", "--url", sandbox.url, "--user", "admin", "--pause-on-failure"],
        password=sandbox.password,
    )
    assert done.exit_code == 2
    assert "--pause-on-failure needs --headed" in done.stderr


@pytest.mark.subprocess  # the installed entry point's exit code
def test_dead_server_exits_5_with_evidence(run_cli: RunCli, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/ServiceCenter"
    done = run_cli(["backup", "--url", url, "--user", "admin"], password="x")
    assert done.exit_code == 5
    assert "did not answer (ERR_CONNECTION_REFUSED)" in " ".join(done.stderr.split())
    record = json.loads((run_folders(tmp_path)[-1] / "run.json").read_text())
    assert record["outcome"] == "failed"
    assert record["error"]["kind"] == "unreachable"
    assert record["steps"][0]["status"] == "failed"


def test_runs_never_share_a_folder(run_cli: RunCli, sandbox: Sandbox, tmp_path: Path) -> None:
    for _ in range(2):
        done = run_cli(
            ["backup", "--url", sandbox.url, "--user", "admin"], password=sandbox.password
        )
        assert done.exit_code == 0, done.stderr
    folders = run_folders(tmp_path)
    assert len(folders) == 2
    for folder in folders:
        [backup] = folder.glob("backup-*.lic")
        assert backup.read_bytes() == sandbox.server.state.installed_bytes
        assert json.loads((folder / "run.json").read_text())["outcome"] == "backed-up"


def test_the_site_profile_a_run_used_is_recorded_with_its_sha256(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "site-profile.toml").write_text('[words]\nadministration = ["Admin"]\n')
    used = {
        "path": str(tmp_path / "site-profile.toml"),  # whole: it is read from the run's folder
        "sha256": hashlib.sha256((tmp_path / "site-profile.toml").read_bytes()).hexdigest(),
    }

    target = ["--url", sandbox.url, "--user", "admin"]
    done = run_cli(
        ["status", *target, "--profile", "site-profile.toml", "--json"], password=sandbox.password
    )

    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["profile"] == used
    folder = run_folders(tmp_path)[-1]
    assert json.loads((folder / "run.json").read_text())["profile"] == used
    shown = " ".join(parse((folder / "report.html").read_text()).find(id="profile").lines())
    assert shown == f"Site profile {used['path']} (SHA-256 {used['sha256']})"


def test_demo_installs_a_license_on_the_sandbox(run_cli: RunCli, tmp_path: Path) -> None:
    done = run_cli(["demo"])
    assert done.exit_code == 0, done.stderr
    assert "installed:" in done.stdout
    assert " 1. Open Service Center  passed" in done.stderr  # the live step list
    assert "Report: recordings/" in done.stdout and "report.html" in done.stdout
    *_, head, says, command = done.stdout.splitlines()  # it ends with what to try next
    assert head.startswith("Audit head: ")
    assert says == "Next: try it on your own Service Center, read-only:"
    assert command.endswith(" sc-license probe --url https://HOST/ServiceCenter --user admin")
    folder = run_folders(tmp_path)[-1]
    record = json.loads((folder / "run.json").read_text())
    assert record["outcome"] == "installed"
    assert len(record["steps"]) == 9
    assert (folder / record["backup"]["file"]).stat().st_size > 0
