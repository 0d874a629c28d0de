"""--help as a CI log or a narrow terminal shows it, at 80 columns, for every command and
subcommand: every option's name whole, its value named in a word (FILE, N, URL, FORM) rather
than a type placeholder (<path>, <int range> [x>=1]) or a list of choices folded across
lines, and the description's paragraphs wrapped to the width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from automation.cli.app import Commands, app
from automation.cli.help import value_word

PLACEHOLDER = re.compile(r"<(str|int|float|path|bool|list|on\|)|\[x[<>]=|…")
# Where rich wraps a description at 80 columns: a margin of one space each side.
TEXT_WIDTH = 78


def every_command(command: Any = None, names: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """`sc-license`, then each command and subcommand the app has, as typer builds it: a
    command added later is checked without being listed here."""
    command = command or typer.main.get_command(app)
    yield list(names)
    if hasattr(command, "list_commands"):
        context = typer.Context(command)
        for name in command.list_commands(context):
            found = command.get_command(context, name)
            if not found.hidden:
                yield from every_command(found, (*names, name))


COMMANDS = list(every_command())


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


def test_every_command_and_subcommand_is_checked() -> None:
    assert {c[0] for c in COMMANDS if c} == set(Commands.lazy)
    assert ["sandbox", "serve"] in COMMANDS
    assert ["sandbox", "license"] in COMMANDS
    assert ["audit", "keygen"] in COMMANDS


def option_rows(names: list[str]) -> list[tuple[list[str], str]]:
    """Each option of `sc-license NAMES...` shown in its --help: its names, and the word
    typer shows for its value ("" for a flag)."""
    command = command_of(names)
    return [
        ([o for o in [*param.opts, *param.secondary_opts] if o.startswith("--")], param.metavar)
        for param in command.params
        if param.param_type_name == "option" and not getattr(param, "hidden", False)
    ]


def row_of(shown: str, name: str) -> list[str]:
    """The words of the first line of an options panel that begins with the option `name`."""
    for line in shown.splitlines():
        words = line.strip("│ *").split()
        if words and name in words[0].split(","):
            return words
    return []


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "sc-license")
def test_at_80_columns_every_option_name_and_value_is_whole_and_no_type_placeholder_shows(
    command: list[str],
) -> None:
    shown = help_at(80, command)

    assert max(len(line) for line in shown.splitlines()) <= 80
    assert not PLACEHOLDER.search(shown), PLACEHOLDER.findall(shown)
    for name in long_names(command):
        assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", shown), f"{name} is cut"
    for names, value in option_rows(command):
        if names and value:
            assert value in row_of(shown, names[0]), f"{names[0]} {value} is cut"


def description(shown: str) -> list[str]:
    """The lines between the usage line and the first panel, stripped."""
    lines = shown.splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip().startswith("Usage:")) + 1
    end = next((n for n, line in enumerate(lines) if line.startswith("╭")), len(lines))
    return [line.strip() for line in lines[start:end]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "sc-license")
def test_at_80_columns_a_description_fills_each_line_before_it_wraps(command: list[str]) -> None:
    lines = description(help_at(80, command))

    for line, after in pairwise(lines):
        if line and after:  # a line that a paragraph goes on after: its next word did not fit
            assert len(line) + 1 + len(after.split()[0]) > TEXT_WIDTH, f"{line!r} / {after!r}"


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


@pytest.mark.parametrize(
    ("placeholder", "option", "word"),
    [
        ("<plain|decorated>", "captions", "plain|decorated"),
        ("<label|placeholder|aria-label>", "sign_in_labels", "LABELS"),
        ("<page|popup|delayed-popup|window|nested-popup>", "upload_form", "FORM"),
        ("<text|opaque|binary|header-base64>", "encoding", "ENCODING"),
    ],
)
def test_choices_too_long_to_stand_beside_the_option_are_named_by_its_last_word(
    placeholder: str, option: str, word: str
) -> None:
    assert value_word(placeholder, option) == word


def test_a_value_out_of_range_is_still_refused_naming_the_range() -> None:
    done = CliRunner().invoke(app, ["install", "--parallel", "0"], env={"COLUMNS": "200"})
    assert done.exit_code == 2
    assert "greater than or equal to 1" in done.output
