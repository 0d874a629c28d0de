"""One normalisation for every text read from a page, patterns that match words however a
page decorates or spaces them, and outside text made plain for a terminal or a report."""

from __future__ import annotations

import re
import unicodedata

# Characters that take no room: zero-width spaces and joiners, word joiner, byte-order mark,
# soft hyphen. Pages put them inside words to control line breaks.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_DROP = {ord(char): None for char in INVISIBLE}
# In a pattern (JavaScript's and Python's alike): invisibles, and any run of white space
# between words (JavaScript's and Python's \s both take in the non-breaking space).
_INVISIBLE_CLASS = "[\\u200b-\\u200d\\u2060\\ufeff\\u00ad]"
_GAP = "[\\s\\u200b-\\u200d\\u2060\\ufeff\\u00ad]+"
# What may stand around a caption's words: anything but a letter (icons, carets, arrows,
# colons, digits), and counters or notes in brackets, "(3)", "[new]".
DECORATION = r"(?:[^A-Za-z]|\([^)]*\)|\[[^\]]*\])*"
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


def normalise(text: str) -> str:
    """NFKC (a non-breaking space becomes a space, ligatures and full-width forms plain),
    invisibles removed, white space collapsed and trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_DROP).split())


def plain(value: object) -> str:
    """Outside text (a license field, a page's words, a note) as it is shown, on a terminal or
    in a report: without terminal sequences or control characters."""
    return CONTROL.sub("", SEQUENCE.sub("", str(value)))


def words_pattern(word: str) -> str:
    """A pattern for `word` as a page may write it: any white space between its words, and
    invisible characters anywhere in it."""
    tokens = normalise(word).split()
    return _GAP.join(
        f"{_INVISIBLE_CLASS}*".join(_escape(char) for char in token) for token in tokens
    )


def caption(words: tuple[str, ...]) -> re.Pattern[str]:
    """A whole caption that is one of `words`, with any decoration around it, in any case.
    Written so that Playwright's JavaScript reads it as Python does."""
    alternatives = "|".join(words_pattern(word) for word in words)
    return re.compile(rf"^{DECORATION}(?:{alternatives}){DECORATION}$", re.IGNORECASE)


def starting(words: tuple[str, ...]) -> re.Pattern[str]:
    """A text that begins with one of `words`, after any decoration (a status icon)."""
    alternatives = "|".join(words_pattern(word) for word in words)
    return re.compile(rf"^[^A-Za-z]*(?:{alternatives})", re.IGNORECASE)


def _escape(char: str) -> str:
    """A character escaped the same way for Python and JavaScript regular expressions."""
    if char.isalnum() or char == " ":
        return char
    if ord(char) > 0x7E:
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else re.escape(char)
    return "\\" + char
