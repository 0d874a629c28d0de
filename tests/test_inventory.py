"""The inventory on its own, without a browser: who is selected, how shards split a fleet,
and the password variable each environment reads. The CLI's wiring of it is tested in
tests/cli (test_fleet.py, test_shards.py, test_inventory_errors.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.errors import BadInput
from automation.inventory import Selection, load_inventory, shard

INVENTORY = """\
[[environment]]
name = "dev"
url = "https://dev.example.com/ServiceCenter"
groups = ["nonprod"]

[[environment]]
name = "test"
url = "https://test.example.com/ServiceCenter"
groups = ["nonprod"]

[[environment]]
name = "prod-eu"
url = "https://prod.example.com/ServiceCenter"
password_env = "EU_PASSWORD"
"""


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    path = tmp_path / "environments.toml"
    path.write_text(INVENTORY)
    return path


def names(selection: Selection) -> list[str]:
    return [e.name for e in selection.environments()[0]]


def test_environments_are_chosen_by_name_group_or_all_in_the_files_order(
    inventory: Path,
) -> None:
    assert names(Selection(inventory=inventory, names=["prod-eu"])) == ["prod-eu"]
    assert names(Selection(inventory=inventory, groups=["nonprod"])) == ["dev", "test"]
    assert names(Selection(inventory=inventory, everything=True)) == ["dev", "test", "prod-eu"]


def test_each_environment_reads_its_own_password_variable(inventory: Path) -> None:
    by_name = {e.name: e.password_variable for e in load_inventory(inventory).environment}
    assert by_name == {
        "dev": "SC_LICENSE_PASSWORD_DEV",
        "test": "SC_LICENSE_PASSWORD_TEST",
        "prod-eu": "EU_PASSWORD",
    }


def test_a_variable_the_inventory_names_is_the_only_one_read(inventory: Path) -> None:
    by_name = {e.name: e.password_variables for e in load_inventory(inventory).environment}
    assert by_name == {
        "dev": ["SC_LICENSE_PASSWORD_DEV", "SC_LICENSE_PASSWORD"],
        "test": ["SC_LICENSE_PASSWORD_TEST", "SC_LICENSE_PASSWORD"],
        "prod-eu": ["EU_PASSWORD"],  # never the fallback: it may hold another's password
    }


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_hold_every_environment_once_and_by_name_only(inventory: Path, count: int) -> None:
    fleet = load_inventory(inventory).environment
    slices = [shard(fleet, f"{i}/{count}") for i in range(1, count + 1)]
    assert sorted(e.name for part in slices for e in part) == sorted(e.name for e in fleet)
    # An environment's shard does not depend on which others are in the fleet.
    for i, part in enumerate(slices, start=1):
        assert shard(list(reversed(fleet)), f"{i}/{count}") == list(reversed(part))


@pytest.mark.parametrize("spec", ["0/3", "4/3", "2-3", "two/three"])
def test_a_shard_that_is_not_i_of_n_is_refused(inventory: Path, spec: str) -> None:
    with pytest.raises(BadInput, match="is not a shard like 2/5"):
        shard(load_inventory(inventory).environment, spec)


def test_a_profile_is_read_from_the_inventorys_folder_wherever_the_command_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "inventories"
    folder.mkdir()
    elsewhere = tmp_path / "shared" / "words.toml"
    path = folder / "environments.toml"
    path.write_text(
        '[[environment]]\nname = "dev"\nurl = "https://dev.example.com/ServiceCenter"\n'
        'profile = "site.toml"\n\n'
        '[[environment]]\nname = "test"\nurl = "https://test.example.com/ServiceCenter"\n\n'
        '[[environment]]\nname = "prod"\nurl = "https://prod.example.com/ServiceCenter"\n'
        f"profile = '{elsewhere}'\n"
    )
    monkeypatch.chdir(tmp_path)  # not the inventory's folder

    by_name = {e.name: e.profile for e in load_inventory(path).environment}

    assert by_name == {"dev": folder / "site.toml", "test": None, "prod": elsewhere}


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://login.example.com", "https://login.example.com"),
        ("https://login.example.com:8443/", "https://login.example.com:8443"),
        ("login.example.com", None),
        ("https://login.example.com/ServiceCenter", None),
        ("ftp://login.example.com", None),
    ],
)
def test_a_separate_sign_in_host_is_an_origin_or_refused(
    tmp_path: Path, given: str, kept: str | None
) -> None:
    path = tmp_path / "environments.toml"
    path.write_text(
        '[[environment]]\nname = "prod"\nurl = "https://sc.example.com/ServiceCenter"\n'
        f'sign_in_origin = "{given}"\n'
    )
    if kept is None:
        with pytest.raises(BadInput, match="sign_in_origin"):
            load_inventory(path)
    else:
        assert load_inventory(path).environment[0].sign_in_origin == kept
