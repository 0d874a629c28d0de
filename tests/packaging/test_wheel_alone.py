"""The wheel installed alone, as a team installs it beside their own suite: the command and
the pytest plugin work, and the team's own `automation` and `flows` packages stay theirs."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.packaging.conftest import WheelVenv

pytestmark = pytest.mark.slow

SERIAL = "AAA-BBB-CCC-DDD-EEE-FFF-GGG-HHH"
# Imports every module of the wheel, then says where each package came from.
IMPORT_ALL = """
import importlib, pkgutil
import automation, flows, sc_license
from sc_license.automation.sandbox.server import SandboxServer
for module in pkgutil.walk_packages(sc_license.__path__, "sc_license."):
    importlib.import_module(module.name)
print(automation.__file__, flows.__file__, sc_license.__file__, sep="\\n")
"""


@pytest.fixture
def team_folder(tmp_path: Path) -> Path:
    """A team's project, with packages of its own named `automation` and `flows`."""
    for package in ("automation", "flows"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text('"""The team\'s own."""\n')
    (tmp_path / "automation" / "sandbox.py").write_text('WHOSE = "the team\'s"\n')
    return tmp_path


def test_the_command_says_its_version(wheel_venv: WheelVenv, tmp_path: Path) -> None:
    done = wheel_venv.run("sc-license", "--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"sc-license {version('sc-license')}"


def test_pytest_lists_the_plugins_options_under_sc_license(
    wheel_venv: WheelVenv, tmp_path: Path
) -> None:
    done = wheel_venv.run("python", "-m", "pytest", "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # pytest's help: each options group under a title of its own at the margin, ending in ":".
    groups = re.split(r"^(?=\S.*:$)", done.stdout, flags=re.MULTILINE)
    [ours] = [group for group in groups if group.startswith("sc-license")]
    assert "--sc-inventory" in ours


def test_a_teams_own_automation_and_flows_stay_theirs(
    wheel_venv: WheelVenv, team_folder: Path
) -> None:
    done = wheel_venv.run("python", "-c", IMPORT_ALL, cwd=team_folder)
    assert done.returncode == 0, done.stderr
    automation, flows, sc_license = map(Path, done.stdout.splitlines())
    assert automation == team_folder / "automation" / "__init__.py"
    assert flows == team_folder / "flows" / "__init__.py"
    assert sc_license.is_relative_to(wheel_venv.python.parents[1])


def test_the_command_works_in_a_teams_folder(wheel_venv: WheelVenv, team_folder: Path) -> None:
    done = wheel_venv.run(
        "sc-license", "sandbox", "license", "--out", "x.lic", "--serial", SERIAL, cwd=team_folder
    )
    assert done.returncode == 0, done.stderr
    assert f"Serial Number: {SERIAL}" in (team_folder / "x.lic").read_text()


def test_the_example_suite_passes_in_a_teams_folder(
    wheel_venv: WheelVenv, team_folder: Path
) -> None:
    """examples/pytest, copied into a project with its own `automation` and `flows`, run by
    the wheel's plugin against a sandbox it starts."""
    examples = Path(__file__).parents[2] / "examples" / "pytest"
    for example in examples.glob("*.py"):
        (team_folder / example.name).write_text(example.read_text())
    done = wheel_venv.run(
        "python",
        *("-m", "pytest", "-p", "no:cacheprovider", "--sc-sandbox", "--sc-out", "recordings"),
        cwd=team_folder,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
    [run] = (team_folder / "recordings").glob("*-sandbox-status")
    assert (run / "run.json").is_file()
