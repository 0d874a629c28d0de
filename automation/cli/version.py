"""`sc-license X.Y.Z`: the version line, with nothing of the commands loaded to print it."""

from __future__ import annotations

from importlib.metadata import version


def version_line() -> str:
    """`sc-license X.Y.Z`, from the installed package's metadata."""
    return f"sc-license {version('sc-license')}"
