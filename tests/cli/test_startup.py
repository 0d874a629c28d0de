"""`sc-license --help` and `--version` answer at once: they load none of the machinery a run
needs (the browser driver, the models, the report templates, the sandbox's web stack)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import typer
from typer.testing import CliRunner

from automation.cli.app import app
from tests.support.sandboxes import Sandbox

# What a run needs and a look at the help does not.
HEAVY = ["playwright", "pydantic", "jinja2", "starlette", "uvicorn", "cryptography", "httpx"]
# What only the sandbox, --tls and signing need, and only fleets and --junit-xml: none of it
# is loaded by an install on one environment.
SANDBOX_STACK = {"starlette", "uvicorn", "cryptography", "httpx"}
FLEET_ONLY = {
    "automation.fleet",
    "automation.browser.lanes",
    "automation.cli.fleet_display",
    "automation.cli.junit",
    "automation.evidence.junit",
}

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

# The same, noting too which modules were loaded when the browser was launched.
UP_TO_THE_BROWSER = (
    """
import sys
from playwright.sync_api import BrowserType
launch = BrowserType.launch
def noted(self, *args, **kwargs):
    print("AT_LAUNCH", *sorted(sys.modules), file=sys.stderr)
    return launch(self, *args, **kwargs)
BrowserType.launch = noted
"""
    + ENTRY_POINT
)


def sc_license(*args: str) -> tuple[str, set[str]]:
    """What `sc-license ARGS` prints, and the top-level packages it loaded doing so."""
    shown, _, loaded = modules_of(*args)
    return shown, {name.split(".")[0] for name in loaded}


def modules_of(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, probe: str = ENTRY_POINT
) -> tuple[str, set[str], set[str]]:
    """What `sc-license ARGS` prints, the modules loaded when it launched the browser (with
    the UP_TO_THE_BROWSER probe), and every module loaded by its end."""
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        cwd=cwd,
        timeout=120,
        check=True,
    )
    line = (
        done.stderr.split("AT_LAUNCH", 1)[1].split("\n", 1)[0] if "AT_LAUNCH" in done.stderr else ""
    )
    return done.stdout, set(line.split()), set(done.stderr.split("LOADED", 1)[1].split())


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


def test_one_install_loads_no_fleet_nor_web_stack_and_its_report_engine_after_the_browser(
    sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    shown, at_launch, loaded = modules_of(
        "install",
        *("--url", sandbox.url, "--user", sandbox.user, "--license", str(new_license)),
        env={"SC_LICENSE_PASSWORD": sandbox.password},
        cwd=tmp_path,
        probe=UP_TO_THE_BROWSER,
    )

    assert "installed: Installed" in " ".join(shown.split())
    assert not {name.split(".")[0] for name in loaded} & SANDBOX_STACK
    assert not loaded & FLEET_ONLY, f"install loaded {sorted(loaded & FLEET_ONLY)}"
    # The report is written after the browser closes: its template engine waits until then.
    assert at_launch and "jinja2" not in at_launch
    assert "jinja2" in loaded and any((tmp_path / "recordings").glob("*/report.html"))
