"""How --help reads: -h for short, and each option's value named in a word (FILE, N, TEXT,
on|off) rather than a type placeholder (<path>, <int range> [x>=1]), so that the option
names stay whole at 80 columns; a command's description wrapped to the terminal; and
--version."""

from __future__ import annotations

import inspect
from typing import Any

import typer
from typer.core import TyperGroup

from automation.cli.version import version_line

HELP_NAMES = ["-h", "--help"]
CONTEXT = {"help_option_names": HELP_NAMES}
# A flag takes no value, so its row shows none (typer would show "<bool>").
FLAG = ""
# The word shown for a value of each type, where an option names none itself.
VALUE_WORDS = {"str": "TEXT", "int": "N", "float": "N"}
# Choices longer than this (label|placeholder|aria-label) are named by the option's last word
# instead (LABELS): beside a long option name they would leave its help too narrow a column
# at 80 columns. The option's help names each choice; plain|decorated still fits.
LONGEST_CHOICES = 16


def show_version(asked: bool) -> None:
    """--version: print it and stop, before any other option is looked at."""
    if asked:
        print(version_line())
        raise typer.Exit()


def _plain(option: Any) -> Any:
    if option is not None:
        option.metavar = FLAG
    return option


def value_word(placeholder: str, option: str = "") -> str:
    """What typer's placeholder for an option's value says, in a word: <path> PATH, <str>
    TEXT, <int range> N, <on|off> on|off (a range's bounds are the error message's to say);
    a longer choice, the last word of the option's name (upload_form: FORM)."""
    name = placeholder.strip("<>").removesuffix(" range")
    if name.startswith("list[") and name.endswith("]"):  # a repeatable option: each value
        name = name[len("list[") : -1]
    if "|" in name:
        return name if len(name) <= LONGEST_CHOICES or not option else option.split("_")[-1].upper()
    return VALUE_WORDS.get(name, name.upper())


def paragraphs(help_text: str) -> str:
    """A docstring's paragraphs each on one line, for the terminal to wrap: typer keeps the
    source's line breaks, which at 80 columns cut a line in two ("how its" / "sign-in").
    A paragraph marked \\b keeps its lines, as click's own rule is."""
    return "\n\n".join(
        part if part.startswith("\b") else " ".join(part.split("\n"))
        for part in inspect.cleandoc(help_text).split("\n\n")
    )


def _untyped(params: list[Any], ctx: Any) -> None:
    """Flags show no type; nor does an argument (its name says what it is: RUN, RUNS...,
    where typer would add "<str>" or "<list[str]>"); an option's value is named in a word,
    without the range typer would add beside it ("[x>=1]": the option's help says it)."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            _plain(param)
        elif param.param_type_name == "argument":
            param.display_type_rich = lambda ctx: None
        elif param.param_type_name == "option":
            if param.metavar is None:
                param.metavar = value_word(_placeholder(param, ctx), param.name or "")
            # Shown only: the value is checked against the range the option was made with.
            param.min = param.max = None


# click's names of its types, as typer's placeholders name them (<int>, <str>...).
TYPE_NAMES = {"integer": "int", "text": "str", "integer range": "int", "float range": "float"}


def _placeholder(param: Any, ctx: Any) -> str:
    """Typer's placeholder for an option's value ("<int range>", "<a|b|c>"); with a typer
    that has no display_type (before 0.29: pyproject's lower bound), made from its type."""
    shown = getattr(param, "display_type", None)
    if shown is not None:
        return str(shown(ctx) or "")
    choices = getattr(param.type, "choices", None)
    if choices:
        return "|".join(str(choice) for choice in choices)
    name = str(getattr(param.type, "name", ""))
    return TYPE_NAMES.get(name, name)


class Group(TyperGroup):
    """A group whose flags (-h/--help, --json, --headed ...), its own and its commands', show
    no type placeholder: a flag takes no value; and whose options name their values."""

    def get_help_option(self, ctx: Any) -> Any:
        _untyped(self.params, ctx)
        return _plain(super().get_help_option(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        # A command caches its help option; the one made here, with the names its context
        # inherits from this one, is the one its --help then shows.
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain(command.get_help_option(ctx))
            _untyped(command.params, ctx)
            if command.help:
                command.help = paragraphs(command.help)
        return command
