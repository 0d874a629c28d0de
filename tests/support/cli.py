"""sc-license as an operator runs it: a subprocess with no terminal, its arguments as a list."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from tests.support.sandboxes import Sandbox

# The entry point installed beside this interpreter (bin/ on POSIX, Scripts\ on Windows).
SC_LICENSE = Path(shutil.which("sc-license", path=sysconfig.get_path("scripts")) or "sc-license")


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(
    args: list[str],
    *,
    cwd: Path,
    password: str | None = None,
    env: dict[str, str] | None = None,
) -> CliResult:
    """Run `sc-license ARGS` in `cwd` to its end, in its own process (see environment_for)."""
    done = subprocess.run(
        [str(SC_LICENSE), *args],
        cwd=cwd,
        env=environment_for(password, env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def environment_for(password: str | None, env: dict[str, str] | None) -> dict[str, str]:
    """This process's environment with none of the caller's SC_LICENSE_* but the test
    session's state folder (see tests/conftest.py), 200 columns, then `env` and the password."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SC_LICENSE_") or k == "SC_LICENSE_STATE_DIR"
    }
    environment["COLUMNS"] = "200"
    environment.update(env or {})
    if password is not None:
        environment["SC_LICENSE_PASSWORD"] = password
    return environment


# A stop signal is handled by the CLI's main thread at once; a test that then lets a held page
# through waits this long first, so that the stop is seen before the step ends, even on a
# busy machine.
SIGNAL_HANDLED_S = 1.0


def start_cli(
    args: list[str],
    cwd: Path,
    env: dict[str, str],
    *,
    output: bool = False,
    ctrl_c_ignored: bool = False,
) -> subprocess.Popen[str]:
    """`sc-license ARGS` in the background, in its own session (to be signalled as a
    terminal would); with `output`, its stdout and stderr can be read. With `ctrl_c_ignored`
    it starts with Ctrl-C ignored, as a script's background job (`sc-license ... &`) does."""
    return subprocess.Popen(
        [str(SC_LICENSE), *args],
        cwd=cwd,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if output else subprocess.DEVNULL,
        stderr=subprocess.PIPE if output else subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        preexec_fn=_ignore_ctrl_c if ctrl_c_ignored else None,
    )


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start_install(
    sandbox: Sandbox, license_path: Path, cwd: Path, *extra: str, output: bool = False
) -> subprocess.Popen[str]:
    """`sc-license install` of one environment in the background; see start_cli."""
    target = ["--url", sandbox.url, "--user", "admin", "--license", str(license_path)]
    return start_cli(
        ["install", *target, *extra],
        cwd,
        {"SC_LICENSE_PASSWORD": sandbox.password},
        output=output,
    )


def run_folders(cwd: Path) -> list[Path]:
    """The run folders under cwd/recordings, oldest first."""
    return sorted(p.parent for p in (cwd / "recordings").glob("*/run.json"))


def run_on_terminal(args: list[str], answer: str, cwd: Path, env: dict[str, str]) -> CliResult:
    """Run a command whose standard input is a terminal, and type an answer at its prompt."""
    import pty  # POSIX only: imported here so the module loads on Windows

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        args,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=cwd,
        env={**os.environ, **env, "COLUMNS": "200"},
        close_fds=True,
    )
    os.close(terminal)
    output = b""
    answered = False
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if not answered and b"serial number" in output and output.rstrip().endswith(b":"):
            os.write(controller, answer.encode() + b"\n")
            answered = True
    os.close(controller)
    text = output.decode(errors="replace").replace("\r\n", "\n")
    return CliResult(process.wait(timeout=60), text, text)
