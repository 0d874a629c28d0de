"""Which Service Centers a pytest run checks: the plugin's options (or their ini keys) read
into one model, and the environments they select. Pure: no browser, no pytest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from automation.cli.targets import (
    passed_over,
    password_from,
    profile_of,
    site_profile,
    source_of,
)
from automation.config import PageOptions, Target, environment_label, service_center_url
from automation.errors import BadInput
from automation.inventory import PASSWORD_VARIABLE, Environment, Selection
from automation.profile import SiteProfile
from sc_license.options import PluginOptions

SANDBOX = "sandbox"  # the name of the sandbox environment (--sc-sandbox)


class ScEnvironment(BaseModel):
    """One environment a test runs against: its name (the test id), address, user, and the
    serial its inventory entry says it has. Its password is read when a fixture first needs
    it, from the same variables as the CLI's."""

    model_config = ConfigDict(frozen=True)

    name: str
    url: str
    user: str
    serial: str | None = None
    groups: tuple[str, ...] = ()
    # Where the password is read from, in order (empty for the sandbox, whose password is
    # known); and the inventory's entry, or None for --sc-url and the sandbox.
    password_variables: tuple[str, ...] = Field(default=(), repr=False)
    entry: Environment | None = Field(default=None, repr=False)
    inventory: Path | None = Field(default=None, repr=False)
    profile_path: Path | None = Field(default=None, repr=False)

    def context_args(self) -> dict[str, Any]:
        """What its inventory entry asks of a browser context: ignore_https_errors, and its
        `proxy =` (as the plugin's runs reach it)."""
        page = self.entry.page_options(PageOptions()) if self.entry is not None else None
        args: dict[str, Any] = {}
        if page is not None and page.ignore_https_errors:
            args["ignore_https_errors"] = True
        if page is not None and page.proxy is not None:
            args["proxy"] = page.proxy.playwright_args()
        return args

    def target(self, password: SecretStr | None = None) -> Target:
        """Who signs in where, the password read now (or the one given: the sandbox's); a
        clear refusal naming the variables when none is set. Pytest never prompts."""
        if password is None:
            password = read_password(self.password_variables, self.name)
        variables = list(self.password_variables)
        default = site_profile(self.profile_path)
        profile: SiteProfile = (
            profile_of(self.entry, self.inventory, default)
            if self.entry is not None and self.inventory is not None
            else default
        )
        return Target(
            name=self.name,
            url=self.url,
            user=self.user,
            password=password,
            password_env=source_of(variables) if variables else None,
            password_passed_over=passed_over(variables) if variables else (),
            inventory=self.inventory.absolute() if self.inventory else None,
            profile=profile,
            sign_in_origin=self.entry.sign_in_origin if self.entry else None,
        )


def read_password(variables: tuple[str, ...], name: str) -> SecretStr:
    """From the first of `variables` that is set; pytest never asks."""
    found = password_from(variables)
    if found is not None:
        return found
    raise BadInput(
        f"No password for {name}: {' or '.join(variables)} is not set.",
        hint=f"Set {variables[0]} in the test job's environment (a CI secret). Passwords are "
        "never read from an option, and pytest does not ask for one.",
    )


def selected(options: PluginOptions) -> list[ScEnvironment]:
    """The environments the options select, in the inventory's order; a clear refusal when
    they conflict or select none. None selected at all is an empty list."""
    given = [
        option
        for option, used in (
            ("--sc-sandbox", options.sandbox),
            ("--sc-url", options.url),
            ("--sc-inventory", options.inventory),
        )
        if used
    ]
    if len(given) > 1:
        raise BadInput(
            f"{' and '.join(given)} both say which Service Center to check.",
            hint="Give one: --sc-inventory (with --sc-env/--sc-group), --sc-url with "
            "--sc-user, or --sc-sandbox.",
        )
    if (options.env or options.group) and options.inventory is None:
        raise BadInput(
            "--sc-env and --sc-group select from an inventory.", hint="Add --sc-inventory."
        )
    if options.sandbox:
        return [ScEnvironment(name=SANDBOX, url="", user="")]  # known once the sandbox starts
    if options.url is not None:
        return [one_off(options)]
    if options.inventory is not None:
        return from_inventory(options)
    return []


def one_off(options: PluginOptions) -> ScEnvironment:
    """--sc-url and --sc-user: one environment named after its host."""
    if not options.user:
        raise BadInput(
            f"--sc-user is missing: who signs in to {options.url}?",
            hint="Give --sc-user NAME (or sc_user in the ini file).",
        )
    url = service_center_url(options.url or "")
    variables = (options.password_env,) if options.password_env else (PASSWORD_VARIABLE,)
    return ScEnvironment(
        name=environment_label(url),
        url=url,
        user=options.user,
        password_variables=variables,
        profile_path=options.profile,
    )


def from_inventory(options: PluginOptions) -> list[ScEnvironment]:
    """The inventory's environments named by --sc-env and --sc-group (every one when
    neither is given)."""
    assert options.inventory is not None
    if not options.inventory.is_file():
        raise BadInput(
            f"The inventory {options.inventory} does not exist.",
            hint="Give --sc-inventory (or sc_inventory in the ini file, read from the ini "
            "file's folder) the path of an environments.toml; `sc-license init` writes one.",
        )
    selection = Selection(
        inventory=options.inventory,
        names=list(options.env),
        groups=list(options.group),
        everything=not (options.env or options.group),
    )
    try:
        chosen, _ = selection.environments()
    except BadInput as error:  # said in the plugin's words
        raise BadInput(error.message, hint=in_plugin_terms(error.hint)) from None
    return [
        ScEnvironment(
            name=entry.name,
            url=entry.url,
            user=entry.user,
            serial=entry.serial,
            groups=tuple(entry.groups),
            password_variables=tuple(entry.password_variables),
            entry=entry,
            inventory=options.inventory,
            profile_path=options.profile,
        )
        for entry in chosen
    ]


# The CLI's options named in the inventory's hints, and the plugin's for them.
PLUGIN_TERMS = {"--env": "--sc-env", "--group": "--sc-group", "--inventory": "--sc-inventory"}


def in_plugin_terms(hint: str) -> str:
    for cli, plugin in PLUGIN_TERMS.items():
        hint = hint.replace(f"{cli} ", f"{plugin} ").replace(f"{cli},", f"{plugin},")
    return hint.replace(", --sc-group or --all", " or --sc-group")
