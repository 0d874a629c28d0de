"""Reading a page's text for what the tool does not know yet: a status in other words, and the
label of a value by the value's shape. Pure text, for the survey (pages/survey.py) to propose
from; nothing here decides anything."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from automation.licenses import ACTIVATION_CODE_PATTERN, SERIAL_PATTERN, read_date
from automation.text import caption, normalise

# A status text that says the license is not valid, in any release's words.
SAYS_INVALID = re.compile(r"\b(?:not valid|invalid|expired|no license)\b", re.IGNORECASE)
LETTER = re.compile(r"[A-Za-z]")
# What a field's value looks like, for finding the label of a field shown under other words.
SHAPES: dict[str, Callable[[str], bool]] = {
    "serial_number": lambda value: re.fullmatch(SERIAL_PATTERN, value) is not None,
    "activation_code": lambda value: re.fullmatch(ACTIVATION_CODE_PATTERN, value) is not None,
    "end_date": lambda value: any(read_date(value)),
}


def tokens_of(text: str) -> list[str]:
    """A page's text as parse_licensing_text() reads it: each line's cells, normalised."""
    cells = (normalise(cell) for line in text.splitlines() for cell in line.split("\t"))
    return [cell for cell in cells if cell]


def label_by_value(text: str, field: str, known: Sequence[str]) -> tuple[str, str] | None:
    """The label a page shows a field under, found by its value's shape (a serial, an
    activation code, a date or Never): the line just before the first such value, or the
    words before the colon of a "label: value" line; with the value. None for a field with
    no shape of its own (a name), or no such value; a line `known` (another field's label,
    a status) is no label."""
    fits = SHAPES.get(field)
    if fits is None:
        return None
    taken = caption(tuple(known)) if known else None
    tokens = tokens_of(text)

    def a_label(line: str) -> bool:
        return bool(LETTER.search(line)) and not fits(line) and not (taken and taken.match(line))

    for number, token in enumerate(tokens):
        head, colon, rest = (part.strip() for part in token.partition(":"))
        if colon and rest and fits(rest) and a_label(head):
            return head, rest
        if fits(token) and number > 0:
            before = tokens[number - 1].rstrip(":").strip()
            if a_label(before):
                return before, token
    return None


def status_lines(text: str, captions: Sequence[str], known: Sequence[str]) -> list[str]:
    """The lines that speak of the license and may be a status the tool does not know: not
    a known caption (a label, a documented link), and not made of the captions of the links
    and buttons shown (a menu, a row of actions, even one written with nothing between its
    links). In the page's order: the status first."""
    taken = caption(tuple(known))
    shown = sorted(set(captions), key=len, reverse=True)
    links = re.compile("|".join(re.escape(said) for said in shown if said) or r"(?!)", re.I)
    lines = dict.fromkeys(normalise(line) for line in text.splitlines())
    return [
        line
        for line in lines
        if "licen" in line.lower()
        and not taken.match(line.partition(":")[0])
        and LETTER.search(links.sub("", line))
    ]


def says_invalid(status: str) -> bool:
    """Whether a status text itself says the license is not valid."""
    return SAYS_INVALID.search(status) is not None
