"""Values a reader copies or compares whole in a report (a serial, an activation code, an
address, a run folder, a file name, an option such as --env-name) kept on one line: each word
with punctuation in it is a `token` the stylesheet does not break. A path, which may be longer
than a line, is tokens of its parts, each up to a slash, so that it breaks only after one; an
address (scheme://...) stays one token, to be found and copied whole."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from automation.text import plain

WORD = re.compile(r"(\s+)")
# Punctuation beside a letter or digit: where a browser would break a word (after a hyphen,
# between the two of --user), or `overflow-wrap: anywhere` would cut it anyway.
INNER = re.compile(r"\w[-./:\\_=@+]|[-./:\\_=@+]\w")
# After a slash that ends a path's part, not the two of `https://`.
PARTS = re.compile(r"(?<=[^/:]/)(?=.)|(?<=\\)(?=.)")


def token(word: str) -> Markup:
    """One word as tokens: whole, or a path's parts after each slash, each part whole."""
    parts = [word] if "://" in word else PARTS.split(word)
    return Markup("").join(Markup('<span class="token">{}</span>').format(p) for p in parts)


def whole(value: object) -> Markup:
    """`value` as text in which every word with punctuation in it is kept whole."""
    pieces = WORD.split(plain(value))
    return Markup("").join(
        token(piece) if INNER.search(piece) else escape(piece) for piece in pieces
    )
