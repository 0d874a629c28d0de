"""The names operators give environments, in any script, make run folder names and password
variables that work and that tell environments apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from automation.inventory import password_variable
from tests.support.cli import run_folders
from tests.support.fixture_types import RunCli
from tests.support.sandboxes import Sandbox

NAMES = ["生产", "Прод", "ΔΟΚΙΜΗ"]


@pytest.mark.parametrize("name", NAMES)
def test_a_name_in_another_script_has_a_folder_and_a_password_variable_of_its_own(
    name: str, sandbox: Sandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    variable = password_variable(name)
    assert re.fullmatch(r"SC_LICENSE_PASSWORD_[A-Z0-9_]+", variable)
    assert variable not in {password_variable(other) for other in NAMES if other != name}

    done = run_cli(
        ["status", "--url", sandbox.url, "--user", "admin", "--env-name", name],
        env={variable: sandbox.password},
    )

    assert done.exit_code == 0, done.stderr
    assert f"status on {name} (" in done.stdout
    [folder] = run_folders(tmp_path)
    assert re.fullmatch(r"\d{8}T\d{6}Z-[a-z0-9]+-status", folder.name), folder.name
