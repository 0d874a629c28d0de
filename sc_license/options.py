"""The pytest plugin's options, read from the command line or the ini file. Light on purpose:
every pytest run where sc-license is installed imports this, so it loads nothing of the tool.

The selection of environments is given whole by one source: when the command line names any
(--sc-inventory, --sc-env, --sc-group, --sc-url, --sc-sandbox), the ini file's selection keys
are not read, so a command line always says what it checks. --sc-allow-changes is read from
the command line only: a committed ini file must not make every developer's `pytest` a run
that may change licenses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

# (flag, ini key or None, kind, help)
OPTIONS: list[tuple[str, str | None, str, str]] = [
    ("--sc-inventory", "sc_inventory", "path", "The inventory (environments.toml) to check."),
    ("--sc-env", "sc_env", "list", "An environment of the inventory, by name (repeatable)."),
    ("--sc-group", "sc_group", "list", "A group of the inventory's environments (repeatable)."),
    ("--sc-url", "sc_url", "string", "One Service Center by its address, with --sc-user."),
    ("--sc-user", "sc_user", "string", "Who signs in to --sc-url."),
    (
        "--sc-password-env",
        "sc_password_env",
        "string",
        "The variable holding --sc-url's password (default SC_LICENSE_PASSWORD).",
    ),
    ("--sc-sandbox", "sc_sandbox", "bool", "Check a sandbox Service Center started for the run."),
    ("--sc-profile", "sc_profile", "path", "A site profile, for environments without one."),
    ("--sc-out", "sc_out", "path", "Where run folders go (default: recordings)."),
    ("--sc-change", "sc_change", "string", "The change ticket sc_install's changes are under."),
    (
        "--sc-allow-changes",
        None,
        "bool",
        "Let sc_install and the Licensing page's upload change licenses (command line only).",
    ),
]
SELECTION = {
    "sc_inventory",
    "sc_env",
    "sc_group",
    "sc_url",
    "sc_user",
    "sc_password_env",
    "sc_sandbox",
}
KEY = pytest.StashKey["PluginOptions"]()


@dataclass(frozen=True)
class PluginOptions:
    """The plugin's options as this run gives them."""

    inventory: Path | None = None
    env: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    url: str | None = None
    user: str | None = None
    password_env: str | None = None
    sandbox: bool = False
    profile: Path | None = None
    out: Path = Path("recordings")
    change: str | None = None
    allow_changes: bool = False
    # Where the selection came from: "command line", "ini file" or None (none given).
    selected_by: str | None = field(default=None, compare=False)

    @property
    def used(self) -> bool:
        """Whether anything asks for a Service Center: otherwise the plugin stays out of the
        run (pytest-playwright's browser is left as it is)."""
        return bool(self.inventory or self.url or self.sandbox)


def dest(flag: str) -> str:
    return flag.removeprefix("--").replace("-", "_")


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("sc-license", "sc-license: OutSystems Service Center license checks")
    for flag, key, kind, said in OPTIONS:
        if kind == "bool":
            group.addoption(flag, action="store_true", default=None, dest=dest(flag), help=said)
        elif kind == "list":
            group.addoption(flag, action="append", default=None, dest=dest(flag), help=said)
        else:
            group.addoption(flag, default=None, dest=dest(flag), help=said)
        if key is not None:
            ini_kind = {"bool": "bool", "list": "args"}.get(kind, "string")
            default: object = {"bool": False, "list": []}.get(kind, "")
            parser.addini(key, said, type=ini_kind, default=default)  # type: ignore[arg-type]


def read_options(config: pytest.Config) -> PluginOptions:
    """The options of this run (see the module's docstring for which source wins); paths from
    the command line are read from where pytest started, those of the ini file from its
    folder. Cached for the run."""
    if KEY in config.stash:
        return config.stash[KEY]
    here = config.invocation_params.dir
    ini_folder = config.inipath.parent if config.inipath else config.rootpath
    on_command_line = {
        key for flag, key, _, _ in OPTIONS if key and config.getoption(dest(flag)) not in (None, [])
    }
    ini_selects = not (on_command_line & SELECTION)
    values: dict[str, object] = {}
    for flag, key, kind, _ in OPTIONS:
        given: object = config.getoption(dest(flag))
        folder = here
        from_ini = key is not None and given in (None, []) and (ini_selects or key not in SELECTION)
        if from_ini:
            given, folder = config.getini(key), ini_folder  # type: ignore[arg-type]
        if given in (None, "", [], False):
            continue
        if kind == "path":
            given = folder / Path(str(given)).expanduser()
        values[dest(flag).removeprefix("sc_")] = tuple(given) if kind == "list" else given  # type: ignore[arg-type]
    selection = SELECTION & {f"sc_{name}" for name in values}
    by = None if not selection else ("command line" if on_command_line & SELECTION else "ini file")
    options = PluginOptions(**values, selected_by=by)  # type: ignore[arg-type]
    config.stash[KEY] = options
    return options
