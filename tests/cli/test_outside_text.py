"""Text from outside the tool (license fields, Service Center's page, names, paths) is shown as
it is: never read as markup, and never able to reach the terminal as a control sequence."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from automation.inventory import password_variable
from automation.sandbox.licenses import issue_license, random_serial
from tests.support.fixture_types import RunCli, StartSandbox

MARKUP = "R&D [/] Dept [b]x :cat: C:\\d\\"
# An OSC that retitles the terminal, a CSI that colours it, one that clears it, and a reset.
ESCAPES = "\x1b]0;pwned\x07Team \x1b[31mRed\x1b[0m\x1b[2J\x1bc Org\x9b31m"


@dataclass
class Shown:
    """Where outside text comes from, and what the operator must read, literally."""

    command: str  # install, status or backup of one environment; "fleet-status": --all
    says: str
    installed: dict[str, Any] = field(default_factory=dict)  # the sandbox's license fields
    new: dict[str, Any] = field(default_factory=dict)  # the file to install's fields
    args: list[str] = field(default_factory=list)
    exit_code: int = 0


CASES = {
    "markup-in-the-new-files-organization": Shown(
        "install", MARKUP, new={"organization_name": MARKUP}
    ),
    "markup-in-the-installed-organization-on-status": Shown(
        "status", MARKUP, installed={"organization_name": MARKUP}
    ),
    "markup-in-the-installed-organization-on-backup": Shown(
        "backup", MARKUP, installed={"organization_name": MARKUP}
    ),
    "markup-in-the-edition-on-a-fleets-status-with-warn-days": Shown(
        "fleet-status",
        "OutSystems [/] Enterprise",
        installed={"edition_name": "OutSystems [/] Enterprise"},
        args=["--warn-days", "9999"],
        exit_code=8,
    ),
    "markup-in-the-environment-name": Shown(
        "install", "on prod [/] eu (http", args=["--env-name", "prod [/] eu"]
    ),
    "brackets-in-the-evidence-path": Shown("status", "Evidence: rec[x]/", args=["--out", "rec[x]"]),
    "escape-codes-in-the-new-files-organization": Shown(
        "install", "Team Red Org31m", new={"organization_name": ESCAPES}
    ),
    "escape-codes-in-service-centers-page": Shown(
        "status", "Team Red Org31m", installed={"edition_name": ESCAPES}
    ),
    "escape-codes-on-a-fleets-status": Shown(
        "fleet-status", "Team Red Org31m", installed={"edition_name": ESCAPES}
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_outside_text_is_shown_as_it_is(
    case: Shown,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    run_cli: RunCli,
    tmp_path: Path,
) -> None:
    serial = random_serial()
    sandbox = start_sandbox(serial, license=issue_license(serial, **case.installed))
    new = write_license(sandbox.serial, end_date=date(date.today().year + 2, 1, 31), **case.new)
    where = ["--url", sandbox.url, "--user", "admin"]
    env = {"SC_LICENSE_PASSWORD": sandbox.password}
    command = case.command
    if command == "install":
        where += ["--license", str(new)]
    if command == "fleet-status":  # two names for one sandbox: a fleet's tables, one browser
        names = ["first", "second"]
        lines = [f'[[environment]]\nname = "{n}"\nurl = "{sandbox.url}"\n' for n in names]
        (tmp_path / "environments.toml").write_text("\n".join(lines))
        where = ["--all", "--parallel", "1"]
        env = {password_variable(n): sandbox.password for n in names}
        command = "status"

    done = run_cli([command, *where, *case.args], env=env)

    said = done.stdout + done.stderr
    assert done.exit_code == case.exit_code, said
    assert case.says in " ".join(said.split())
    assert "\x1b" not in said and "\x9b" not in said and "\x07" not in said
    assert "Traceback" not in said
    records = [json.loads(path.read_text()) for path in tmp_path.glob("*/*/run.json")]
    assert records and all(r["outcome"] not in ("failed", "running") for r in records)
