"""Outside text on the terminal as it is: never read as markup, with no control characters."""

from __future__ import annotations

import re

from rich.markup import escape
from rich.text import Text

# Whole terminal sequences first, so that none of their parameters is left behind as text:
# CSI (colours, cursor moves), then strings ended by BEL or ST (OSC window titles and
# hyperlinks, DCS, SOS, PM, APC), then two-character sequences (ESC c resets the terminal).
# An unended string loses only its introducer: what follows stays visible.
SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[ -/]*[0-~]"
)
# C0 and C1 controls but tab and newline, DEL, and the marks that reorder text right to left.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Stands in for a value's backslashes while the markup around it is read: a value's own
# backslash before a tag would escape it. It is a control character, so no value holds one.
BACKSLASH = "\x1a"


def plain(value: object) -> str:
    """`value` as text without terminal sequences or control characters."""
    return CONTROL.sub("", SEQUENCE.sub("", str(value)))


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
