"""Words quoted for the operator's shell, so that a command copied and pasted as printed works.

On Windows a word is put in double quotes as the C runtime reads them (backslashes as they
are, but before a quote): `"C:\\Users\\Jane Doe\\backup.lic"` is one word in cmd and in
PowerShell alike. Elsewhere it is quoted for a POSIX shell."""

from __future__ import annotations

import os
import re
import shlex
from typing import Literal

Shell = Literal["posix", "windows"]
THIS_SHELL: Shell = "windows" if os.name == "nt" else "posix"


def quoted(word: str, shell: Shell = THIS_SHELL) -> str:
    """One word for the operator's shell, quoted only if it needs to be."""
    if shell == "windows":
        return _windows_quoted(word)
    return shlex.quote(word)


def _windows_quoted(word: str) -> str:
    """Bare if every character is plain, else in double quotes, so that neither cmd (& | < >
    ^ ( )) nor PowerShell (; , { } @) reads a character as its own; a quote inside is
    escaped with a backslash, and the backslashes before it and at the end are doubled.
    ($ and ` in PowerShell, %NAME% in cmd, still mean something inside; paths seldom hold them.)"""
    if re.fullmatch(r"[\w+=:./\\-]+", word):
        return word
    escaped = re.sub(r'(\\*)"', r'\1\1\\"', word)
    return '"' + re.sub(r"(\\+)$", r"\1\1", escaped) + '"'


def command_line(words: list[str], shell: Shell = THIS_SHELL) -> str:
    return " ".join(quoted(word, shell) for word in words)
