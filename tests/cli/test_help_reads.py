"""--help as an operator reads it: options in panels by what they are for, flags without a
type, -h, -y and --version."""

from __future__ import annotations

import subprocess
import sys

import pytest

from automation.errors import ExitCode
from tests.support.cli import SC_LICENSE
from tests.support.in_process import invoke

CHANGES = ["install", "restore"]
READS = ["backup", "status", "probe"]
PANELS = [
    "Which environment",
    "Many environments (the inventory)",
    "Browser",
    "Evidence and output",
]
EVERY_COMMAND = [
    [],
    *([c] for c in [*CHANGES, *READS, "setup", "demo", "audit", "sandbox"]),
    *(["audit", c] for c in ["list", "report", "verify", "scan", "review", "sign", "keygen"]),
    ["sandbox", "serve"],
]


@pytest.mark.parametrize("command", [*CHANGES, *READS])
def test_a_commands_options_are_grouped_in_panels(command: str) -> None:
    shown = invoke([command, "--help"])
    assert shown.exit_code == 0
    for panel in PANELS + (["The change"] if command in CHANGES else []):
        assert f"─ {panel} ─" in shown.stdout


@pytest.mark.parametrize("command", EVERY_COMMAND, ids=lambda c: " ".join(c) or "sc-license")
def test_help_shows_no_type_placeholder_for_a_flag_nor_a_misleading_default(
    command: list[str],
) -> None:
    shown = invoke([*command, "--help"])
    assert shown.exit_code == 0
    assert "<bool>" not in shown.stdout
    assert "<list[" not in shown.stdout
    assert "[default: .]" not in shown.stdout


def test_repeatable_options_say_what_they_take() -> None:
    shown = invoke(["status", "--help"]).text
    assert "--env NAME" in shown
    assert "--group NAME" in shown


def test_h_is_short_for_help() -> None:
    assert invoke(["install", "-h"]).stdout == invoke(["install", "--help"]).stdout
    assert "Usage: sc-license audit list" in invoke(["audit", "list", "-h"]).text


def test_version_prints_the_tools_name_and_version() -> None:
    done = subprocess.run(
        [str(SC_LICENSE), "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.strip() == invoke(["--version"]).stdout.strip()
    name, version = done.stdout.split()
    assert name == "sc-license"
    assert [part.isdigit() for part in version.split(".")] == [True, True, True]


def test_version_answers_without_loading_the_browser_machinery() -> None:
    script = (
        "import sys; sys.argv = ['sc-license', '--version']\n"
        "from automation.cli import main; main()\n"
        "print('playwright loaded' if 'playwright' in sys.modules else 'light')"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "light"


def test_y_is_short_for_yes() -> None:
    # --confirm asks on a terminal, and there is none here; -y says not to ask, so the command
    # goes on to the next thing it lacks.
    asked = invoke(["install", "--confirm", "--url", "http://sc/ServiceCenter", "--user", "a"])
    assert "--confirm needs a terminal" in asked.text
    done = invoke(["install", "--confirm", "-y", "--url", "http://sc/ServiceCenter", "--user", "a"])
    assert done.exit_code == ExitCode.BAD_INPUT
    assert "--confirm needs a terminal" not in done.text
    assert "Which license file?" in done.text


def test_a_missing_user_is_named_with_how_to_give_it() -> None:
    done = invoke(["status", "--url", "http://sc.example.com/ServiceCenter"])
    assert done.exit_code == ExitCode.BAD_INPUT
    assert "--user is missing" in done.text
    assert "--user NAME" in done.text
    assert "Which environment?" not in done.text


def test_a_missing_url_is_named_when_only_user_is_given() -> None:
    done = invoke(["status", "--user", "admin"])
    assert done.exit_code == ExitCode.BAD_INPUT
    assert "--url is missing" in done.text


@pytest.mark.parametrize(
    ("chosen", "named"),
    [
        (["--env", "dev"], "--env"),
        (["--group", "live"], "--group"),
        (["--env", "dev", "--group", "live"], "--env and --group"),
    ],
)
def test_all_with_named_environments_is_refused_as_a_conflict(
    chosen: list[str], named: str
) -> None:
    done = invoke(["status", "--all", *chosen])
    assert done.exit_code == ExitCode.BAD_INPUT
    assert f"--all conflicts with {named}" in done.text
