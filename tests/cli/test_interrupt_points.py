"""Interrupts at each point of a change, of each kind an operator or a service manager sends:
the license ends valid, or the run exits 6 with the commands that check and restore it (and
those work). Each point holds a page until the interrupts have come, so the point is exact."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from automation.errors import ExitCode
from automation.sandbox.holds import UPLOAD_PROCESSING, Hold, wait_until_held
from automation.sandbox.licenses import issue_license, render_license
from tests.support.cli import (
    SC_LICENSE,
    SIGNAL_HANDLED_S,
    environment_for,
    run_folders,
    start_install,
)
from tests.support.fixture_types import StartSandbox
from tests.support.platforms import POSIX_SIGNALS
from tests.support.sandboxes import Sandbox

pytestmark = POSIX_SIGNALS

# A second Ctrl-C half a second after the first, as an impatient operator's.
SECOND_AFTER_S = 0.5


def ctrl_c(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGINT)  # a terminal's: the browser's driver gets it too


def twice(
    first: Callable[[subprocess.Popen[str]], None],
    second: Callable[[subprocess.Popen[str]], None],
) -> Callable[[subprocess.Popen[str]], None]:
    """`first`, then `second` half a second later, as an impatient operator's."""

    def send(process: subprocess.Popen[str]) -> None:
        first(process)
        time.sleep(SECOND_AFTER_S)
        second(process)

    return send


def sigint(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)


def sigterm(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)


def sigterm_twice_at_once(process: subprocess.Popen[str]) -> None:
    sigterm(process)
    sigterm(process)


# Eight ways an interrupt comes, at each of five points of the change: 40 trials. (A SIGTERM to
# the whole process group ends Playwright's driver: see automation/browser/session.py's launch.)
KINDS: dict[str, Callable[[subprocess.Popen[str]], None]] = {
    "sigint": sigint,
    "double sigint": twice(sigint, sigint),
    "sigterm": sigterm,
    "double sigterm": sigterm_twice_at_once,
    "ctrl-c": ctrl_c,
    "double ctrl-c": twice(ctrl_c, ctrl_c),
    "ctrl-c then sigterm": twice(ctrl_c, sigterm),
    "sigterm then ctrl-c": twice(sigterm, ctrl_c),
}


def upload(sandbox: Sandbox) -> Hold:
    """While Service Center processes the new license (which it then shows as valid)."""
    return sandbox.state.faults.hold(UPLOAD_PROCESSING)


def upload_shown_invalid(sandbox: Sandbox) -> Hold:
    """While it processes a new license it then shows as invalid: the backup goes back."""
    sandbox.state.invalid_after_uploads = 1
    return upload(sandbox)


def verification_after(uploaded: Callable[[Sandbox], Hold]) -> Callable[[Sandbox], Hold]:
    """While the Licensing page is read again after the upload `uploaded` holds."""

    def held(sandbox: Sandbox) -> Hold:
        processing = uploaded(sandbox)
        wait_until_held([processing], 1)
        licensing = sandbox.state.faults.hold("Licensing.aspx")
        processing.release()
        return licensing

    return held


def rollback(sandbox: Sandbox) -> Hold:
    """While Service Center processes the backup, uploaded again to roll back."""
    processing = upload_shown_invalid(sandbox)
    wait_until_held([processing], 1)
    faults = sandbox.state.faults
    faults.holds[UPLOAD_PROCESSING] = Hold()  # the next upload, the rollback's, waits here
    processing.release()
    return faults.holds[UPLOAD_PROCESSING]


POINTS: dict[str, Callable[[Sandbox], Hold]] = {
    "upload": upload,
    "upload of a license shown invalid": upload_shown_invalid,
    "verification": verification_after(upload),
    "verification of a license shown invalid": verification_after(upload_shown_invalid),
    "rollback": rollback,
}


def interrupted_at(
    point: str, kind: str, sandbox: Sandbox, new_license: Path, cwd: Path
) -> tuple[int, str]:
    """Install, interrupt with `kind` once a request waits at `point`, let it through; the
    exit code and all that was said."""
    process = start_install(sandbox, new_license, cwd, output=True)
    held = POINTS[point](sandbox)
    wait_until_held([held], 1)
    KINDS[kind](process)
    time.sleep(SIGNAL_HANDLED_S)
    held.release()
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, " ".join((stdout + stderr).split())


def commands_in(said: str) -> list[str]:
    """The sc-license command lines printed, each up to the next one or the end."""
    found = []
    for part in said.split("sc-license ")[1:]:
        words = part.split()
        if words and words[0] in ("status", "restore"):
            found.append("sc-license " + part.split("  ")[0])
    return found


@pytest.mark.parametrize("point", POINTS)
def test_an_interrupt_at_any_point_of_the_change_leaves_a_valid_license_or_exit_6_with_commands(
    point: str, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    interrupted_side_by_side(point, list(KINDS), start_sandbox, tmp_path)


def interrupted_side_by_side(
    point: str, kinds: list[str], start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    """One install per kind of interrupt, each on a sandbox of its own, interrupted at `point`
    side by side; then each license is valid, or its run said how to restore it, and that
    works."""
    sandboxes = {kind: start_sandbox() for kind in kinds}
    folders = {kind: tmp_path / kind.replace(" ", "-") for kind in kinds}
    licenses = {}
    for kind, sandbox in sandboxes.items():
        folders[kind].mkdir()
        licenses[kind] = folders[kind] / "new.lic"
        licenses[kind].write_bytes(render_license(issue_license(sandbox.serial)))
    with ThreadPoolExecutor(len(kinds)) as pool:
        ended = {
            kind: pool.submit(
                interrupted_at, point, kind, sandboxes[kind], licenses[kind], folders[kind]
            )
            for kind in kinds
        }
    for kind, sandbox in sandboxes.items():
        code, said = ended[kind].result()
        record = (run_folders(folders[kind])[-1] / "run.json").read_text()
        assert '"outcome": "running"' not in record, (kind, said)  # the run was sealed
        if sandbox.state.banner().kind == "valid":
            assert code != ExitCode.ROLLBACK_FAILED, (kind, said)
            continue
        assert code == ExitCode.ROLLBACK_FAILED, (kind, said)
        restore = next(c for c in commands_in(said) if c.startswith("sc-license restore"))
        assert any(c.startswith("sc-license status") for c in commands_in(said)), (kind, said)
        environment = environment_for(sandbox.password, None)
        _, *arguments = shlex.split(restore)
        subprocess.run(
            [str(SC_LICENSE), *arguments], cwd=folders[kind], env=environment, check=True
        )
        assert sandbox.state.banner().kind == "valid", (kind, said)
