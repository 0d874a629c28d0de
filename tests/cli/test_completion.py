"""A command's --help loads none of what a run needs (the browser driver, the flows, the
report templates), so it answers at once; the shell completes commands and options, and
sc-license installs the completion script for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_startup import modules_of, sc_license
from tests.support.cli import SC_LICENSE

# What a run loads and a command's --help need not: the browser driver, the flows, the report's
# template engine.
RUN_ONLY = {"playwright", "flows", "jinja2"}


@pytest.mark.parametrize("command", ["install", "restore", "backup", "status", "probe"])
def test_a_commands_help_loads_no_browser_driver_nor_flows(command: str) -> None:
    shown, loaded = sc_license(command, "--help")

    assert f"Usage: sc-license {command}" in shown
    assert "--headed" in shown
    assert not loaded & RUN_ONLY, sorted(loaded & RUN_ONLY)


def completed(words: str) -> tuple[list[str], set[str]]:
    """What bash offers for the last of `words` (as typed after `sc-license`, then TAB), and
    the packages sc-license loaded to say it."""
    typed = ["sc-license", *words.split()]
    shown, _, loaded = modules_of(
        env={
            "_SC_LICENSE_COMPLETE": "complete_bash",
            "COMP_WORDS": " ".join(typed),
            "COMP_CWORD": str(len(typed) - 1),
        }
    )
    return shown.split(), {name.split(".")[0] for name in loaded}


def test_the_shell_completes_a_command_without_loading_any() -> None:
    offered, loaded = completed("au")

    assert offered == ["audit"]
    assert "playwright" not in loaded
    assert completed("audit re")[0] == ["report", "review"]


def test_the_shell_completes_a_commands_options() -> None:
    offered, loaded = completed("install --lic")

    assert offered == ["--license", "--licenses"]
    assert "playwright" not in loaded


def test_show_completion_prints_the_script_a_shell_sources() -> None:
    done = subprocess.run(
        [str(SC_LICENSE), "--show-completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "_SC_LICENSE_COMPLETE=complete_bash" in done.stdout
    assert "complete -o default -F _sc_license_completion sc-license" in done.stdout


def test_install_completion_adds_the_script_to_the_shells_startup_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(SC_LICENSE), "--install-completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"HOME": str(tmp_path), "PATH": str(Path(sys.executable).parent)},
    )

    assert done.returncode == 0, done.stderr
    assert "bash completion installed" in done.stdout
    assert "sc-license" in (tmp_path / ".bashrc").read_text()
    script = (tmp_path / ".bash_completions" / "sc-license.sh").read_text()
    assert "_SC_LICENSE_COMPLETE=complete_bash" in script
