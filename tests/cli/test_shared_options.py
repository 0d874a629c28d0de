"""The options the commands share are declared once: every command that takes one shows it
alike (names, help, panel, default, environment variable), and refuses a bad combination of
them alike, before any browser opens."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.core import TyperGroup, TyperOption

from automation.cli.app import app
from automation.errors import ExitCode
from tests.support.in_process import invoke

EVIDENCE = "Evidence and output"
RUN_COMMANDS = ["install", "restore", "backup", "status", "probe"]
# How a run goes: every command that runs a flow takes them, the demo too.
BROWSER_AND_EVIDENCE = [
    "--headed",
    "--slow-mo",
    "--trace",
    "--video",
    "--pause-on-failure",
    "--hold",
    "--hold-seconds",
    "--navigation-timeout",
    "--action-timeout",
    "--ignore-https-errors",
    "--out",
    "--json",
    "--browser",
    "--browser-channel",
    "--debug",
]
# Which real environments, and what only runs on them take: not the demo's sandbox.
ENVIRONMENTS = [
    "--url",
    "--user",
    "--password-env",
    "--env-name",
    "--inventory",
    "--env",
    "--group",
    "--all",
    "--shard",
    "--parallel",
    "--max-fail",
    "--browser-endpoint",
    "--junit-xml",
]
AUDIT_COMMANDS = ["list", "report", "verify", "scan", "review", "sign"]


def command(*names: str) -> Any:
    """The command as typer builds it for `sc-license NAMES...` (loaded, as for its --help)."""
    found: Any = typer.main.get_command(app)
    for name in names:
        assert isinstance(found, TyperGroup)
        found = found.get_command(typer.Context(found), name)
        assert found is not None, name
    return found


def option(of: Any, name: str) -> TyperOption | None:
    return next((p for p in of.params if isinstance(p, TyperOption) and name in p.opts), None)


def declared(of: Any, name: str) -> tuple[Any, ...]:
    """What an operator sees of an option in --help, and what it falls back to."""
    found = option(of, name)
    assert found is not None, f"{of.name} has no {name}"
    panel = getattr(found, "rich_help_panel", None)
    opts = (tuple(found.opts), tuple(found.secondary_opts))
    return (*opts, found.help, panel, found.default, found.envvar)


@pytest.mark.parametrize("name", RUN_COMMANDS)
def test_every_run_command_takes_each_shared_option_as_install_does(name: str) -> None:
    install = command("install")
    for flag in [*ENVIRONMENTS, *BROWSER_AND_EVIDENCE, "--profile"]:
        assert declared(command(name), flag) == declared(install, flag)


def test_the_demo_takes_the_browser_and_evidence_options_but_no_real_environments() -> None:
    demo, install = command("demo"), command("install")
    for flag in [*BROWSER_AND_EVIDENCE, "--profile"]:
        assert declared(demo, flag) == declared(install, flag)
    assert [flag for flag in ENVIRONMENTS if option(demo, flag)] == []


def test_out_reads_the_same_in_every_command_that_takes_it() -> None:
    takers = [[name] for name in [*RUN_COMMANDS, "demo"]]
    takers += [["audit", name] for name in AUDIT_COMMANDS]
    outs = {declared(command(*names), "--out") for names in takers}
    assert len(outs) == 1
    [(names, _, help_text, panel, default, variable)] = outs
    assert (names, help_text, panel) == (("--out",), "Root folder of run evidence.", EVIDENCE)
    assert (str(default), variable) == ("recordings", "SC_LICENSE_OUT")


@pytest.mark.parametrize("name", [*RUN_COMMANDS, "demo"])
def test_each_run_command_refuses_hold_without_a_window_before_anything_else(name: str) -> None:
    said = invoke([name, "--hold"])
    assert said.exit_code == ExitCode.BAD_INPUT
    assert "--hold needs --headed" in said.text
