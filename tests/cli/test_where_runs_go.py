"""Where runs and locks live: --out, then SC_LICENSE_OUT, then recordings/; the locks in the
per-user state folder, gone when the run ends; a folder this user cannot write in refused
in one paragraph, before anything starts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from automation.cli.state import state_folder
from automation.sandbox.holds import wait_until_held
from tests.support.cli import SC_LICENSE, CliResult, run_cli, start_cli
from tests.support.fixture_types import RunCli
from tests.support.in_process import invoke
from tests.support.sandboxes import Sandbox


@pytest.mark.parametrize("command", [["install"], ["status"], ["demo"], ["audit", "list"]])
def test_help_names_the_variable_that_chooses_where_runs_go(command: list[str]) -> None:
    said = invoke([*command, "--help"])
    assert said.exit_code == 0
    assert "SC_LICENSE_OUT" in said.text


def test_runs_go_where_sc_license_out_says_unless_out_is_given(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    target = ["status", "--url", sandbox.url, "--user", "admin"]
    env = {"SC_LICENSE_OUT": str(tmp_path / "shared-runs")}

    by_variable = run_cli(target, password=sandbox.password, env=env)
    by_option = run_cli([*target, "--out", "mine"], password=sandbox.password, env=env)

    assert by_variable.exit_code == 0, by_variable.stderr
    assert by_option.exit_code == 0, by_option.stderr
    assert len(list((tmp_path / "shared-runs").glob("*/run.json"))) == 1
    assert len(list((tmp_path / "mine").glob("*/run.json"))) == 1
    assert not (tmp_path / "recordings").exists()
    listed = run_cli(["audit", "list"], env=env)
    assert listed.exit_code == 0, listed.stderr
    assert "status" in listed.stdout


def test_a_demo_leaves_no_lock_file_behind(run_cli: RunCli, tmp_path: Path) -> None:
    state = tmp_path / "state"

    done = run_cli(["demo"], env={"SC_LICENSE_STATE_DIR": str(state)})

    assert done.exit_code == 0, done.stderr
    assert list((state / "locks").iterdir()) == []


def test_two_installs_from_different_folders_see_each_others_lock_and_leave_none(
    sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    env = {"SC_LICENSE_STATE_DIR": str(state), "SC_LICENSE_PASSWORD": sandbox.password}
    first_folder, second_folder = tmp_path / "jane", tmp_path / "john"
    first_folder.mkdir()
    second_folder.mkdir()
    form = sandbox.server.state.faults.hold("LicenseUpload.aspx")  # the first run waits there
    target = ["install", "--url", sandbox.url, "--user", "admin", "--license", str(new_license)]

    first = start_cli(target, first_folder, env)
    wait_for(lambda: any(state.glob("locks/*.holder.json")), "the first run took the lock")
    wait_until_held([form], 1)
    second = run_cli(target, cwd=second_folder, env=env)

    assert second.exit_code == 3, second.stderr
    said = " ".join(second.stderr.split())
    assert "Another run is changing" in said and str(first_folder) in said
    form.release()
    assert first.wait(timeout=120) == 0
    assert [u.accepted for u in sandbox.server.state.uploads] == [True]
    assert list((state / "locks").iterdir()) == []


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.1)


# A folder this user cannot write in, as the operating system refuses it. Root may write
# anywhere, so as root the command runs without the capabilities that let it (setpriv), in a
# folder owned by nobody; as another user, the folder is simply made read-only.
NOBODY = 65534
Command = Callable[[list[str], Path, dict[str, str]], CliResult]


@pytest.fixture
def unwritable(tmp_path: Path) -> Path:
    folder = tmp_path / "locked"
    folder.mkdir()
    if sys.platform == "win32":
        pytest.skip("a folder's permissions are set by ACLs on Windows; this test uses POSIX modes")
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("as root, a real refusal needs setpriv (util-linux) to drop capabilities")
        os.chown(folder, NOBODY, NOBODY)
    folder.chmod(0o555)
    return folder


@pytest.fixture
def as_this_user() -> Command:
    """Run sc-license as the operator would, with no power to write where it may not."""
    prefix: list[str] = []
    if sys.platform != "win32" and os.geteuid() == 0:
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]

    def run(args: list[str], cwd: Path, env: dict[str, str]) -> CliResult:
        done = subprocess.run(
            [*prefix, str(SC_LICENSE), *args],
            cwd=cwd,
            env={**os.environ, "COLUMNS": "200", **env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run


def one_paragraph(stderr: str) -> str:
    assert "Traceback" not in stderr
    assert "\n\n" not in stderr.strip()
    return " ".join(stderr.split())


def test_a_demo_in_a_folder_that_cannot_be_written_says_where_runs_can_go(
    unwritable: Path, as_this_user: Command
) -> None:
    done = as_this_user(["demo"], unwritable, {})

    assert done.exit_code == 2, done.stderr
    said = one_paragraph(done.stderr)
    assert "cannot be written" in said
    assert "--out" in said and "SC_LICENSE_OUT" in said
    assert list(unwritable.iterdir()) == []


def test_an_unwritable_state_folder_is_refused_before_the_run_starts(
    unwritable: Path, as_this_user: Command, tmp_path: Path
) -> None:
    env = {"SC_LICENSE_STATE_DIR": str(unwritable / "state")}

    done = as_this_user(["demo"], tmp_path, env)

    assert done.exit_code == 2, done.stderr
    said = one_paragraph(done.stderr)
    assert "SC_LICENSE_STATE_DIR" in said
    assert not (tmp_path / "recordings").exists()


def test_an_out_under_a_file_is_refused_in_one_paragraph(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder\n")

    done = run_cli(["demo", "--out", str(tmp_path / "a-file" / "runs")])

    assert done.exit_code == 2, done.stderr
    assert "cannot be written" in one_paragraph(done.stderr)


def test_the_state_folder_is_the_users_own_unless_sc_license_state_dir_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SC_LICENSE_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    users_own = {"win32": tmp_path / "local", "darwin": Path.home() / "Library/Application Support"}
    assert state_folder() == users_own.get(sys.platform, tmp_path / "xdg") / "sc-license"
    monkeypatch.setenv("SC_LICENSE_STATE_DIR", str(tmp_path / "shared"))
    assert state_folder() == tmp_path / "shared"
