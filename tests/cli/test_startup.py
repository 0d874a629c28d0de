"""`sc-license --help` and `--version` answer at once: they load none of the machinery a run
needs (the browser driver, the models, the report templates, the sandbox's web stack)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version

import typer
from typer.testing import CliRunner

from automation.cli.app import app

# What a run needs and a look at the help does not.
HEAVY = ["playwright", "pydantic", "jinja2", "starlette", "uvicorn", "cryptography", "httpx"]

# What the installed entry point does (import main, call it), then every module it loaded.
ENTRY_POINT = """
import sys
from automation.cli import main
sys.argv = ["sc-license", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("LOADED", *sorted(sys.modules), file=sys.stderr)
"""


def sc_license(*args: str) -> tuple[str, set[str]]:
    """What `sc-license ARGS` prints, and the top-level packages it loaded doing so."""
    done = subprocess.run(
        [sys.executable, "-c", ENTRY_POINT, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=60,
        check=True,
    )
    loaded = done.stderr.split("LOADED", 1)[1].split()
    return done.stdout, {name.split(".")[0] for name in loaded}


def test_help_lists_every_command_without_loading_what_a_run_needs() -> None:
    shown, loaded = sc_license("--help")

    for command in [
        "install",
        "restore",
        "backup",
        "status",
        "setup",
        "demo",
        "init",
        "sandbox",
        "audit",
    ]:
        assert f" {command} " in shown
    assert "Back up the installed license, check the new one" in shown
    assert "Exit codes" in shown
    assert not loaded & set(HEAVY), f"--help loaded {sorted(loaded & set(HEAVY))}"


def test_version_prints_the_installed_version_without_loading_the_commands() -> None:
    shown, loaded = sc_license("--version")

    assert shown == f"sc-license {version('sc-license')}\n"
    assert not loaded & {*HEAVY, "typer", "rich"}, f"--version loaded {sorted(loaded)}"


def test_the_summaries_in_help_are_each_commands_own() -> None:
    group = typer.main.get_command(app)
    listing = " ".join(CliRunner().invoke(app, ["--help"], env={"COLUMNS": "400"}).stdout.split())
    context = typer.Context(group)

    for name in group.list_commands(context):  # type: ignore[attr-defined]
        command = group.get_command(context, name)  # type: ignore[attr-defined]
        first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
        assert first_paragraph, f"{name} has no help"
        assert f"{name} {first_paragraph}" in listing
