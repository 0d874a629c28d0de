"""The sc-license command line: thin typer commands over the runner and the flows."""

from __future__ import annotations

import sys

__all__ = ["app", "main"]


def main() -> None:
    """The `sc-license` command. `sc-license --version` answers before the commands (and the
    browser machinery under them) are loaded, so it is instant."""
    if sys.argv[1:] == ["--version"]:
        from automation.cli.version import version_line

        print(version_line())
        return
    from automation.cli.app import app

    app()


def __getattr__(name: str) -> object:
    if name == "app":
        from automation.cli.app import app

        return app
    raise AttributeError(name)
