"""A disk that fills up: before the change, nothing is changed; once the upload has begun, the
change is seen through and the lost evidence is reported, with no traceback and no debris."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest

from automation.errors import ExitCode
from automation.evidence.records import load_record
from automation.sandbox.holds import UPLOAD_PROCESSING, wait_until_held
from tests.support.cli import start_install
from tests.support.fixture_types import RunCli
from tests.support.sandboxes import Sandbox


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB disk of its own (tmpfs), so that it can be filled without harm."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> None:
    """Write until the disk is full."""
    with (disk / "filler").open("wb") as filler, suppress(OSError):
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()


def debris(folder: Path) -> list[str]:
    """Files a crash would leave: half-written ones, and empty pictures."""
    return [
        p.name
        for p in folder.rglob("*")
        if p.name.endswith(".partial") or (p.suffix == ".png" and p.stat().st_size == 0)
    ]


def test_a_disk_that_fills_during_the_upload_does_not_stop_the_change(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path, small_disk: Path
) -> None:
    processing = sandbox.state.faults.hold(UPLOAD_PROCESSING)
    out = small_disk / "recordings"
    process = start_install(sandbox, new_license, tmp_path, "--out", str(out), output=True)
    assert process.stderr is not None
    for line in process.stderr:
        if "Click Upload New License" in line:
            break
    wait_until_held([processing], 1)  # the upload is under way
    fill(small_disk)
    processing.release()
    _, rest = process.communicate(timeout=120)
    said = " ".join(rest.split())

    # Installed, but not all of it recorded: not "done" (exit 0), and not a failed change.
    assert process.returncode == ExitCode.EVIDENCE_DOES_NOT_VERIFY, said
    assert "installed" in said
    assert "Part of the evidence could not be written" in said
    assert "No space left on device" in said
    assert "Traceback" not in said
    assert sandbox.state.installed_bytes == new_license.read_bytes()
    assert debris(out) == []
    (folder,) = (p.parent for p in out.glob("*/run.json"))
    record = load_record(folder)
    assert record.outcome == "installed"
    assert record.exit_code == ExitCode.EVIDENCE_DOES_NOT_VERIFY
    assert record.license_after is not None
    assert [step.number for step in record.steps] == list(range(1, len(record.steps) + 1))
    assert record.steps[-1].name == "Verify the new license is installed"  # all nine ran
    assert any("could not be written" in warning for warning in record.warnings)
    (small_disk / "filler").unlink()
    checked = run_cli(["audit", "verify", "--out", str(out)])
    told = " ".join((checked.stdout + checked.stderr).split())
    assert "cut off" not in told and "running" not in told, told
    assert "0:" + "0" * 64 not in said  # the run was sealed: the head moved


def test_a_full_disk_before_the_change_changes_nothing(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, small_disk: Path
) -> None:
    out = small_disk / "recordings"
    out.mkdir()
    fill(small_disk)
    done = run_cli(
        [
            "install",
            "--url",
            sandbox.url,
            "--user",
            "admin",
            "--license",
            str(new_license),
            "--out",
            str(out),
        ],
        password=sandbox.password,
    )
    said = " ".join(done.stderr.split())
    assert done.exit_code == ExitCode.REFUSED, said
    assert "No space left on device" in said and "nothing was done" in said
    assert "Traceback" not in said
    assert sandbox.state.uploads == []
    assert list(out.iterdir()) == []  # no run folder without its record
