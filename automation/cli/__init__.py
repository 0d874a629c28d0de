"""The sc-license command line: thin typer commands over the runner and the flows."""

from automation.cli.app import app

__all__ = ["app"]
