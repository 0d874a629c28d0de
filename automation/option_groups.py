"""Options declared once, as a group, and taken by every command that needs them.

A group is a frozen dataclass whose fields are typer options (`Annotated[T, typer.Option(...)]`
with their defaults). A command decorated with `with_option_groups` takes a parameter typed as
the group; typer is shown the group's options in its place, and the command is called with
them gathered back into the group."""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from typing import Any, get_type_hints

KEYWORD_ONLY = inspect.Parameter.KEYWORD_ONLY


def with_option_groups(command: Callable[..., None]) -> Callable[..., None]:
    """`command` with each parameter typed as a group of options shown to typer as that
    group's options, in its place, and gathered back into the group for the call."""
    hints = get_type_hints(command, include_extras=True)
    shown: list[inspect.Parameter] = []
    groups: dict[str, type] = {}
    for name, parameter in inspect.signature(command).parameters.items():
        hint = hints[name]
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            groups[name] = hint
            types = get_type_hints(hint, include_extras=True)
            shown += [
                inspect.Parameter(f.name, KEYWORD_ONLY, default=f.default, annotation=types[f.name])
                for f in dataclasses.fields(hint)
            ]
        else:
            # Keyword-only, as typer calls a command: own options may follow a group's.
            shown.append(parameter.replace(kind=KEYWORD_ONLY, annotation=hint))

    @functools.wraps(command)
    def gathered(**given: Any) -> None:
        for name, group in groups.items():
            given[name] = group(**{f.name: given.pop(f.name) for f in dataclasses.fields(group)})
        command(**given)

    # What typer reads in place of the command's own signature.
    gathered.__signature__ = inspect.Signature(shown)  # type: ignore[attr-defined]
    gathered.__annotations__ = {p.name: p.annotation for p in shown}
    return gathered
