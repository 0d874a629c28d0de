"""What an operator reads before running anything: the exit codes, the same in --help, the
README and the code, and pytest-playwright's spellings of the evidence options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from automation.errors import ExitCode
from tests.support.fixture_types import RunCli

README = Path(__file__).parents[2] / "README.md"


def readme_exit_codes() -> dict[int, str]:
    """The README's exit-code table: each code with its meaning."""
    section = README.read_text().split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", section, re.MULTILINE)
    return {int(code): meaning.strip() for code, meaning in rows}


def test_the_readme_lists_every_exit_code_with_the_meaning_the_tool_gives() -> None:
    assert readme_exit_codes() == {int(code): code.meaning for code in ExitCode}


@pytest.mark.subprocess  # the installed entry point, as an operator runs it
def test_help_ends_with_every_exit_code(run_cli: RunCli) -> None:
    done = run_cli(["--help"], env={"COLUMNS": "400"})
    assert done.exit_code == 0
    help_text = " ".join(done.stdout.split())
    for code in ExitCode:
        assert f"{code.value} {code.meaning}" in help_text


def test_pytest_playwrights_spellings_of_tracing_and_slow_mo_are_accepted(
    run_cli: RunCli,
) -> None:
    # Refused for lack of an environment, after the options were parsed.
    done = run_cli(["status", "--tracing", "on", "--slowmo", "100"])
    assert done.exit_code == ExitCode.BAD_INPUT
    assert "Which environment?" in done.stderr
