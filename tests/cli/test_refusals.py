"""Input that cannot be used is answered with a message and exit 2 before any browser opens:
no traceback, no run folder, and no secret repeated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from automation.errors import ExitCode
from tests.support.fixture_types import RunCli

SECRET = "s3cret-pw-4711"
# Never reached: every case is refused before a browser would open it.
URL = "http://127.0.0.1:9/ServiceCenter"
LONG_NAME = "prod-" + "x" * 295


def status(*args: str) -> list[str]:
    return ["status", "--url", URL, "--user", "admin", *args]


def at(url: str) -> list[str]:
    return ["status", "--url", url, "--user", "admin"]


def inventory(name: str = "prod", url: str = URL) -> Callable[[Path], None]:
    def write(work: Path) -> None:
        (work / "environments.toml").write_text(
            f'[[environment]]\nname = "{name}"\nurl = "{url}"\n\n'
            f'[[environment]]\nname = "test"\nurl = "{URL}"\n'
        )

    return write


def a_file(name: str) -> Callable[[Path], None]:
    def write(work: Path) -> None:
        (work / name).write_text("not a folder\n")

    return write


def requiring_change(work: Path) -> None:
    """An inventory whose prod requires a change ticket, and a file to install there."""
    inventory()(work)
    toml = work / "environments.toml"
    toml.write_text(
        toml.read_text().replace('name = "prod"', 'name = "prod"\nrequire_change = true', 1)
    )
    (work / "a.lic").write_text("license")


def naming_its_password_variable(work: Path) -> None:
    """An inventory whose prod reads its password from PROD_SC_PASSWORD, which is not set."""
    inventory()(work)
    toml = work / "environments.toml"
    own = 'name = "prod"\npassword_env = "PROD_SC_PASSWORD"'
    toml.write_text(toml.read_text().replace('name = "prod"', own, 1))


MISSPELT = '[words]\nadministration = ["Admin"]\nadminstration = ["Admin."]\n'


def a_profile(name: str = "site.toml", inventory_says: str | None = None) -> Callable[[Path], None]:
    """A site profile with a misspelt key on line 3; and an inventory whose prod has
    `profile = inventory_says`, if given."""

    def write(work: Path) -> None:
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(MISSPELT)
        if inventory_says is not None:
            inventory()(work)
            toml = work / "environments.toml"
            own = f'name = "prod"\nprofile = "{inventory_says}"'
            toml.write_text(toml.read_text().replace('name = "prod"', own, 1))

    return write


@dataclass
class Refusal:
    """What the operator gives, and what the answer must say."""

    args: list[str]
    says: str
    prepare: Callable[[Path], None] | None = None
    env: dict[str, str] | None = None


REFUSALS = {
    # 11: a message and exit 2, where there was a traceback
    "out-is-a-file": Refusal(
        status("--out", "taken"), "Evidence cannot be written under taken", a_file("taken")
    ),
    "out-under-a-file": Refusal(
        status("--out", "taken/runs"), "cannot be written under taken/runs", a_file("taken")
    ),
    "out-where-nothing-can-be-made": Refusal(
        status("--out", "/sys/sc-license-runs"), "cannot be written under /sys/sc-license-runs"
    ),
    "env-name-of-300-characters": Refusal(
        status("--env-name", LONG_NAME), "has 300 characters; at most 64 are allowed"
    ),
    "env-name-with-a-control-character": Refusal(
        status("--env-name", "prod\x1b]0;x\x07"), "holds a control or invisible character"
    ),
    "inventory-name-of-300-characters": Refusal(
        ["status", "--all"], "at most 64 characters", inventory(name=LONG_NAME)
    ),
    "url-with-brackets-that-are-no-address": Refusal(at("http://[/]"), "is not a web address"),
    "audit-verify-of-a-missing-folder": Refusal(
        ["audit", "verify", "--out", "/nonexistent"], "/nonexistent is not a folder of run evidence"
    ),
    "sandbox-license-into-a-missing-folder": Refusal(
        ["sandbox", "license", "--serial", "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT", "--out", "x/y.lic"],
        "Cannot write x/y.lic: No such file or directory",
    ),
    # 12: ports are numbers from 1 to 65535, on the command line and in the inventory
    "url-port-99999": Refusal(at("http://h:99999/ServiceCenter"), "is not a number from 1 to"),
    "url-port-abc": Refusal(at("http://h:abc/ServiceCenter"), "is not a number from 1 to 65535"),
    "url-port-0": Refusal(at("http://h:0/ServiceCenter"), "is not a number from 1 to 65535"),
    "inventory-port-99999": Refusal(
        ["status", "--all"],
        "The port in 'http://h:99999/ServiceCenter' is not a number from 1 to 65535",
        inventory(url="http://h:99999/ServiceCenter"),
    ),
    "inventory-port-abc": Refusal(
        ["status", "--env", "prod"], "is not a number from 1", inventory(url="http://h:abc/")
    ),
    # 14: credentials in an address are never repeated; only Service Center is Service Center
    "url-with-credentials-and-no-scheme": Refusal(
        at(f"admin:{SECRET}@h/ServiceCenter"), "The address holds a user name or password"
    ),
    "url-with-credentials-and-an-odd-scheme": Refusal(
        at(f"ftp://admin:{SECRET}@h/ServiceCenter"), "holds a user name or password"
    ),
    "url-that-only-starts-like-service-center": Refusal(
        at("http://h/ServiceCenterXYZ/evil"), "does not point to Service Center"
    ),
    # 14: what goes on record as the change's reason and ticket is plain text, and short
    "reason-with-a-terminal-sequence": Refusal(
        [
            "install",
            "--url",
            URL,
            "--user",
            "admin",
            "--license",
            "a.lic",
            "--reason",
            "renewal\x1b[2J",
        ],
        "--reason holds a control or invisible character",
    ),
    "change-ticket-of-101-characters": Refusal(
        ["install", "--url", URL, "--user", "admin", "--license", "a.lic", "--change", "C" * 101],
        "--change has 101 characters; at most 100 are kept",
    ),
    "change-without-the-ticket-the-inventory-requires": Refusal(
        ["install", "--env", "prod", "--license", "a.lic", "--yes"],
        "A change to prod needs its change ticket",
        requiring_change,
    ),
    # a site profile the tool cannot read as meant, named with its key and line
    "profile-with-a-misspelt-key": Refusal(
        status("--profile", "site.toml"),
        "site.toml has an unknown key 'words.adminstration' (line 3)",
        a_profile(),
    ),
    "profile-from-the-variable": Refusal(
        status(),
        "site.toml has an unknown key 'words.adminstration' (line 3)",
        a_profile(),
        env={"SC_LICENSE_PROFILE": "site.toml"},
    ),
    "profile-of-an-environment-in-the-inventory": Refusal(
        ["status", "--env", "prod"],
        "Environment prod in environments.toml: The site profile profiles/site.toml has an "
        "unknown key 'words.adminstration' (line 3)",
        a_profile("profiles/site.toml", inventory_says="profiles/site.toml"),
    ),
    # 23.7: the variable an inventory names is the only one read, never the fallback
    # SC_LICENSE_PASSWORD (set here, as every case runs with it): a wrong password locks
    "inventory-password-variable-unset": Refusal(
        ["status", "--all"],
        f"No password for prod ({URL}): PROD_SC_PASSWORD is not set, and the inventory names "
        "it (password_env) as the only place",
        naming_its_password_variable,
    ),
    # 23.11: the sandbox serves on a port there is; keys are made in a folder, or not at all
    "sandbox-serve-port-99999": Refusal(
        ["sandbox", "serve", "--port", "99999"], "'--port': Input should be less than or equal"
    ),
    "sandbox-serve-port-70000": Refusal(
        ["sandbox", "serve", "--port", "70000"], "'--port': Input should be less than or equal"
    ),
    "sandbox-serve-port-minus-1": Refusal(
        ["sandbox", "serve", "--port", "-1"], "'--port': Input should be greater than or equal"
    ),
    "keygen-under-a-file": Refusal(
        ["audit", "keygen", "taken/ops"],
        "No key was made at taken/ops: taken is not a folder",
        a_file("taken"),
    ),
    "license-and-licenses-together": Refusal(
        ["install", "--license", "a.lic", "--licenses", ".", "--all"],
        "Give either --license (one file) or --licenses",
        inventory(),
    ),
}


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_unusable_input_is_refused_before_any_browser_opens(
    case: Refusal, run_cli: RunCli, tmp_path: Path
) -> None:
    if case.prepare is not None:
        case.prepare(tmp_path)

    done = run_cli(case.args, password=SECRET, env=case.env)

    said = done.stdout + done.stderr
    assert done.exit_code == ExitCode.BAD_INPUT, said
    assert case.says in " ".join(said.split())
    assert "Traceback" not in said
    assert SECRET not in said
    assert list(tmp_path.rglob("run.json")) == []  # no run started
