"""How --help reads: -h for short, flags without a type placeholder, and --version."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from automation.cli.version import version_line

HELP_NAMES = ["-h", "--help"]
CONTEXT = {"help_option_names": HELP_NAMES}
# A flag takes no value, so its row shows none (typer would show "<bool>").
FLAG = ""


def show_version(asked: bool) -> None:
    """--version: print it and stop, before any other option is looked at."""
    if asked:
        print(version_line())
        raise typer.Exit()


def _plain(option: Any) -> Any:
    if option is not None:
        option.metavar = FLAG
    return option


def _untyped(params: list[Any]) -> None:
    """Flags show no type; nor does an argument taken many times (RUNS... says it already,
    where typer would add "<list[str]>")."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            _plain(param)
        elif param.param_type_name == "argument" and param.nargs != 1:
            param.display_type_rich = lambda ctx: None


class Group(TyperGroup):
    """A group whose flags (-h/--help, --json, --headed ...), its own and its commands', show
    no type placeholder: a flag takes no value."""

    def get_help_option(self, ctx: Any) -> Any:
        _untyped(self.params)
        return _plain(super().get_help_option(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        # A command caches its help option; the one made here, with the names its context
        # inherits from this one, is the one its --help then shows.
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain(command.get_help_option(ctx))
            _untyped(command.params)
        return command
