"""The `sc-license` command's entry point, under the package's own name."""

from automation.cli import main

__all__ = ["main"]
