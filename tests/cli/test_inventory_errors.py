"""A wrong environments.toml, or a name not in it, is refused pointing at the line to fix and
the name most likely meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.errors import ExitCode
from tests.support.in_process import invoke

INVENTORY = """\
# Our Service Centers
[[environment]]
name = "dev"
url = "https://dev.example.com/ServiceCenter"
groups = ["nonprod"]

[[environment]]
name = "prod"
groups = ["live"]

url = "https://prod.example.com/ServiceCenter"
{extra}
"""


def status_of(tmp_path: Path, extra: str, *chosen: str) -> str:
    inventory = tmp_path / "environments.toml"
    inventory.write_text(INVENTORY.format(extra=extra))
    done = invoke(["status", "--inventory", str(inventory), *(chosen or ["--all"])])
    assert done.exit_code == ExitCode.BAD_INPUT
    return done.text


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("action_timeout = -1", "line 12, environment #2 ('prod'), field action_timeout"),
        ("user = 7", "line 12, environment #2 ('prod'), field user"),
        ('"proxy" = 1', "line 12, environment #2 ('prod'), field proxy"),
    ],
    ids=["bare-key", "wrong-type", "quoted-key"],
)
def test_a_wrong_field_is_pointed_at_on_its_own_line(tmp_path: Path, extra: str, says: str) -> None:
    assert says in status_of(tmp_path, extra)


def test_a_missing_field_is_pointed_at_its_environments_header(tmp_path: Path) -> None:
    inventory = tmp_path / "environments.toml"
    inventory.write_text(
        '[[environment]]\nname = "a"\nurl = "https://a/ServiceCenter"\n'
        '\n[[environment]]\nname = "b"\n'
    )
    done = invoke(["status", "--inventory", str(inventory), "--all"])
    assert "line 5, environment #2 ('b'), field url: Field required" in done.text


def test_a_misspelt_field_gets_a_did_you_mean(tmp_path: Path) -> None:
    said = status_of(tmp_path, 'pasword_env = "PROD_PASSWORD"')
    assert "line 12, environment #2 ('prod'), field pasword_env" in said
    assert "did you mean 'password_env'?" in said


def test_a_field_like_no_other_gets_no_guess(tmp_path: Path) -> None:
    said = status_of(tmp_path, "colour = 1")
    assert "field colour: Extra inputs are not permitted." in said
    assert "did you mean" not in said


def test_a_misspelt_table_gets_a_did_you_mean(tmp_path: Path) -> None:
    inventory = tmp_path / "environments.toml"
    inventory.write_text('\n[[environments]]\nname = "dev"\n')
    done = invoke(["status", "--inventory", str(inventory), "--all"])
    assert done.exit_code == ExitCode.BAD_INPUT
    assert "line 2, environments" in done.text
    assert "did you mean 'environment'?" in done.text


def test_an_unknown_environment_name_gets_a_did_you_mean(tmp_path: Path) -> None:
    said = status_of(tmp_path, "", "--env", "prd")
    assert "No environment named prd in the inventory (did you mean 'prod'?)" in said
    assert "Known: dev, prod." in said


def test_an_unknown_group_gets_a_did_you_mean(tmp_path: Path) -> None:
    said = status_of(tmp_path, "", "--group", "nonpord")
    assert "No environment is in the group nonpord (did you mean 'nonprod'?)" in said
