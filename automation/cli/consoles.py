"""The two consoles: results for people on stdout, messages and progress on stderr."""

from __future__ import annotations

from rich.console import Console

console = Console()
errors = Console(stderr=True)
