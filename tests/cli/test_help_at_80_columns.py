"""--help as a CI log or a narrow terminal shows it, at 80 columns: every option's name whole,
its value named in a word (FILE, N, URL) rather than a type placeholder (<path>, <int range>
[x>=1])."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from automation.cli.app import app
from automation.cli.help import value_word

COMMANDS = [
    [],
    *([c] for c in ["install", "restore", "backup", "status", "probe", "setup", "init", "audit"]),
    *(["audit", c] for c in ["list", "report", "verify", "scan", "review", "sign", "keygen"]),
]
PLACEHOLDER = re.compile(r"<(str|int|float|path|bool|list|on\|)|\[x[<>]=|…")


def help_at(columns: int, command: list[str]) -> str:
    done = CliRunner().invoke(
        app, [*command, "--help"], env={"COLUMNS": str(columns)}, prog_name="sc-license"
    )
    assert done.exit_code == 0, done.output
    return done.stdout


def command_of(names: list[str]) -> Any:
    """The click command `sc-license NAMES...` runs, loaded."""
    command: Any = typer.main.get_command(app)
    for name in names:
        command = command.get_command(typer.Context(command), name)
    return command


def long_names(names: list[str]) -> list[str]:
    command = command_of(names)
    return [
        opt
        for param in command.params
        if not getattr(param, "hidden", False)
        for opt in [*param.opts, *param.secondary_opts]
        if opt.startswith("--")
    ]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "sc-license")
def test_at_80_columns_every_option_name_is_whole_and_no_type_placeholder_shows(
    command: list[str],
) -> None:
    shown = help_at(80, command)

    assert max(len(line) for line in shown.splitlines()) <= 80
    assert not PLACEHOLDER.search(shown), PLACEHOLDER.findall(shown)
    for name in long_names(command):
        assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", shown), f"{name} is cut"


def test_install_names_what_each_option_takes() -> None:
    rows = [" ".join(line.strip("│ ").split()) for line in help_at(80, ["install"]).splitlines()]

    for row in [
        "--license FILE The .lic file to install.",
        "--url URL Service Center's address",
        "--parallel N Environments at a time",
        "--navigation-timeout S Seconds to wait for a page to load.",
        "--trace,--tracing WHEN Keep a Playwright trace.zip",
        "--headed Show the browser",
        "--debug Show tracebacks of unexpected errors.",
    ]:
        assert any(line.startswith(row) for line in rows), row


@pytest.mark.parametrize(
    ("placeholder", "word"),
    [
        ("<path>", "PATH"),
        ("<str>", "TEXT"),
        ("<int>", "N"),
        ("<int range>", "N"),
        ("<float range>", "N"),
        ("<list[str]>", "TEXT"),
        ("<on|off|retain-on-failure>", "on|off|retain-on-failure"),
        ("<datetime>", "DATETIME"),
    ],
)
def test_a_value_without_a_name_of_its_own_is_named_for_its_type(
    placeholder: str, word: str
) -> None:
    assert value_word(placeholder) == word


def test_a_value_out_of_range_is_still_refused_naming_the_range() -> None:
    done = CliRunner().invoke(app, ["install", "--parallel", "0"], env={"COLUMNS": "200"})
    assert done.exit_code == 2
    assert "greater than or equal to 1" in done.output
