"""`sc-license X.Y.Z`: the version line, with nothing of the commands loaded to print it."""

from __future__ import annotations

from automation import __version__


def version_line() -> str:
    """`sc-license X.Y.Z`: the version run.json records too (tests hold it to the installed
    package's metadata; reading that metadata here would cost more than the rest of --version)."""
    return f"sc-license {__version__}"
