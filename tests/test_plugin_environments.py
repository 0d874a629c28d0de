"""The pytest plugin's choice of environments, without pytest or a browser: which options
select which environments, which conflict, and where each password is read from. The plugin
at work is tested in tests/plugin."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

import pytest

import sc_license
from automation.errors import BadInput
from sc_license.environments import read_password, selected
from sc_license.options import PluginOptions

INVENTORY = """\
[[environment]]
name = "dev"
url = "https://dev.example.com/ServiceCenter"
groups = ["nonprod"]

[[environment]]
name = "prod"
url = "https://prod.example.com/ServiceCenter"
user = "license-admin"
groups = ["production"]
serial = "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"

[[environment]]
name = "prod-eu"
url = "https://prod.example.eu/ServiceCenter"
password_env = "EU_PASSWORD"
groups = ["production"]
"""


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    path = tmp_path / "environments.toml"
    path.write_text(INVENTORY)
    return path


@pytest.mark.parametrize(
    ("given", "chosen"),
    [
        ({}, ["dev", "prod", "prod-eu"]),
        ({"env": ("prod",)}, ["prod"]),
        ({"group": ("production",)}, ["prod", "prod-eu"]),
        ({"env": ("dev",), "group": ("production",)}, ["dev", "prod", "prod-eu"]),
    ],
)
def test_an_inventory_selects_by_name_and_group_every_one_by_default(
    inventory: Path, given: dict[str, Any], chosen: list[str]
) -> None:
    environments = selected(PluginOptions(inventory=inventory, **given))
    assert [e.name for e in environments] == chosen


def test_an_environment_carries_what_the_inventory_says_of_it(inventory: Path) -> None:
    [prod] = selected(PluginOptions(inventory=inventory, env=("prod",)))
    assert (prod.url, prod.user, prod.serial, prod.groups) == (
        "https://prod.example.com/ServiceCenter",
        "license-admin",
        "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT",
        ("production",),
    )
    assert prod.password_variables == ("SC_LICENSE_PASSWORD_PROD", "SC_LICENSE_PASSWORD")


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"url": "https://a.example.com/ServiceCenter", "sandbox": True}, "both say"),
        ({"env": ("prod",)}, "--sc-env and --sc-group select from an inventory"),
        ({"url": "https://a.example.com/ServiceCenter"}, "--sc-user is missing"),
        ({"url": "https://a.example.com/Other", "user": "admin"}, "does not point to Service"),
    ],
)
def test_options_that_do_not_add_up_are_refused(given: dict[str, Any], said: str) -> None:
    with pytest.raises(BadInput, match=said):
        selected(PluginOptions(**given))


def test_an_unknown_environment_is_refused_by_name(inventory: Path) -> None:
    with pytest.raises(BadInput, match="nosuch"):
        selected(PluginOptions(inventory=inventory, env=("nosuch",)))


def test_nothing_given_selects_nothing_and_the_plugin_stays_out() -> None:
    assert selected(PluginOptions()) == []
    assert not PluginOptions().used


def test_one_service_center_by_its_address_reads_the_default_password_variable() -> None:
    [one] = selected(PluginOptions(url="https://sc.example.com:8443/ServiceCenter/", user="me"))
    assert (one.name, one.url) == (
        "sc-example-com-8443",
        "https://sc.example.com:8443/ServiceCenter",
    )
    assert one.password_variables == ("SC_LICENSE_PASSWORD",)


def test_a_missing_password_names_its_variables_and_is_never_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EU_PASSWORD", raising=False)
    with pytest.raises(BadInput, match="EU_PASSWORD is not set") as refused:
        read_password(("EU_PASSWORD",), "prod-eu")
    assert "never read from an option" in refused.value.hint


def test_every_public_name_of_sc_license_resolves() -> None:
    for name in sc_license.__all__:
        assert getattr(sc_license, name) is not None, name
    assert callable(import_module("sc_license.pytest_plugin").pytest_addoption)
