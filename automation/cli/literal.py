"""Outside text on the terminal as it is: never read as markup, with no control characters."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from automation.text import plain

# Stands in for a value's backslashes while the markup around it is read: a value's own
# backslash before a tag would escape it. It is a control character, so no value holds one.
BACKSLASH = "\x1a"


def shown(value: object, style: str = "") -> Text:
    """Outside text to print or put in a table cell, shown as it is."""
    return Text(plain(value), style=style)


def markup(template: str, *values: object) -> Text:
    """Our own markup with outside text in it: each `{}` of `template` is a value shown as
    it is, e.g. markup("[bold red]{}[/]", message)."""
    escaped = [escape(plain(value).replace("\\", BACKSLASH)) for value in values]
    text = Text.from_markup(template.format(*escaped), emoji=False)
    text.plain = text.plain.replace(BACKSLASH, "\\")  # one character for one: styles stay put
    return text
