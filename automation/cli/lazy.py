"""Commands loaded when one runs, not when they are listed: `sc-license --help` names each
with its summary and imports none of the machinery behind them (the browser driver, the
models, the report templates), so it answers at once; so does the shell completing a
command's name."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand

from automation.cli.help import Group


@dataclass(frozen=True)
class Lazy:
    """A command as the group's --help lists it, and where it is defined: `module:function`
    for a command, `module:app` for a typer app of commands."""

    summary: str
    where: str

    def load(self, name: str) -> Any:
        """The command, built by typer as `app.command()` or `app.add_typer()` would."""
        module, attribute = self.where.split(":")
        found = getattr(import_module(module), attribute)
        holder = typer.Typer(add_completion=False)
        if isinstance(found, typer.Typer):
            holder.add_typer(found, name=name, cls=Group)
        else:
            holder.command(name)(found)
        return typer.main.get_group(holder).commands[name]


class LazyGroup(Group):
    """A group whose `lazy` commands are listed by their summaries and loaded when run (or
    asked for their own --help)."""

    lazy: ClassVar[dict[str, Lazy]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False
        self._unloaded: set[str] = set()
        for name, lazy in self.lazy.items():
            if name not in self.commands:
                self.commands[name] = TyperCommand(name, help=lazy.summary)
                self._unloaded.add(name)

    @contextmanager
    def _only_listed(self) -> Iterator[None]:
        """Meanwhile, a command not loaded yet is what the list of commands shows: its name
        and summary."""
        self._listing = True
        try:
            yield
        finally:
            self._listing = False

    def format_help(self, ctx: Any, formatter: Any) -> None:
        with self._only_listed():  # the list of commands needs only their summaries
            super().format_help(ctx, formatter)

    def shell_complete(self, ctx: Any, incomplete: str) -> Any:
        with self._only_listed():  # so does a command's name completed at a TAB
            return super().shell_complete(ctx, incomplete)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self._unloaded and not self._listing:
            self.commands[cmd_name] = self.lazy[cmd_name].load(cmd_name)
            self._unloaded.discard(cmd_name)
        return super().get_command(ctx, cmd_name)
