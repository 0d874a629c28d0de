"""Which environment, who signs in, and with which password: from the options, the inventory,
an environment variable or a hidden prompt; never from a command-line argument."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, SecretStr

from automation.cli.identity import current_actor
from automation.cli.proposal import ask_approval
from automation.config import Target, environment_label, environment_name, service_center_url
from automation.errors import BadInput
from automation.identity import Actor, ApprovalRecord, ApprovedHow
from automation.inventory import PASSWORD_VARIABLE, Environment, Selection, password_variable
from automation.licenses import Approve, Proposal
from automation.profile import NO_PROFILE, SiteProfile, load_profile


class Where(BaseModel):
    """The environments a command works on: one by --url, or the inventory's selection."""

    model_config = ConfigDict(frozen=True)

    selection: Selection
    url: str | None = None
    user: str | None = None
    password_env: str | None = None
    env_name: str | None = None
    profile: Path | None = None  # --profile: for environments without one of their own

    def check(self) -> Where:
        """Not both --url and a selection, nor --all and names; --url with --user; a shard
        needs a selection; a usable --env-name and --url."""
        if self.selection.given and self.url:
            raise BadInput(
                "Give either --url (one environment) or --env/--group/--all (the inventory).",
                hint="Not both.",
            )
        if self.selection.everything and (self.selection.names or self.selection.groups):
            given = " and ".join(
                option
                for option, used in (
                    ("--env", self.selection.names),
                    ("--group", self.selection.groups),
                )
                if used
            )
            raise BadInput(
                f"--all conflicts with {given}: --all is every environment of the inventory.",
                hint=f"Give either --all or {given}, not both.",
            )
        if self.url and not self.user and not self.selection.given:
            raise BadInput(
                f"--user is missing: who signs in to {self.url}?",
                hint="Give the Service Center user with --user NAME, e.g. --user admin.",
            )
        if self.user and not self.url and not self.selection.given:
            raise BadInput(
                "--url is missing: which Service Center does --user sign in to?",
                hint="Give --url https://host/ServiceCenter, or --env/--group/--all with an "
                "inventory.",
            )
        if self.selection.shard and not self.selection.given:
            raise BadInput("--shard needs --env, --group or --all.", hint="Add --all.")
        if self.env_name is not None:
            environment_name(self.env_name)
        if self.url is not None:
            service_center_url(self.url)
        return self


def password_from(variables: Sequence[str]) -> SecretStr | None:
    """The password in the first of `variables` that is set (not empty); None if none is."""
    return next((SecretStr(os.environ[v]) for v in variables if os.environ.get(v)), None)


def password(variables: list[str], what: str, *, ask: bool = True) -> SecretStr:
    """From the first of `variables` that is set, else asked for on a terminal; without
    `ask` (the variable an inventory names), from that variable only."""
    found = password_from(variables)
    if found is not None:
        return found
    named = " or ".join(variables)
    if not ask:
        raise BadInput(
            f"No password for {what}: {named} is not set, and the inventory names it "
            "(password_env) as the only place this environment's password is read from.",
            hint=f"Set {named}. No other variable is read for it: a password meant for "
            "another environment would be refused, and refusals lock accounts.",
        )
    if sys.stdin.isatty():
        return SecretStr(getpass.getpass(f"Password for {what}: "))
    raise BadInput(
        f"No password for {what}: {named} is not set and there is no terminal to ask on.",
        hint=f"Set {variables[0]} (or name another variable with --password-env).",
    )


def source_of(variables: list[str]) -> str:
    """The variable a password is read from (the first that is set), to name it again in a
    recovery command; the first of them when it was typed at a prompt."""
    return next((v for v in variables if os.environ.get(v)), variables[0])


def passed_over(variables: list[str]) -> tuple[str, ...]:
    """The variables before the one a password is read from, none of them set: a fallback
    was used. None when it was typed at a prompt."""
    found = next((n for n, variable in enumerate(variables) if os.environ.get(variable)), 0)
    return tuple(variables[:found])


def site_profile(path: Path | None) -> SiteProfile:
    """--profile read and checked (a bad one is refused with its key and line), or none."""
    return load_profile(path) if path is not None else NO_PROFILE


def profile_of(environment: Environment, inventory: Path, default: SiteProfile) -> SiteProfile:
    """An environment's own site profile (`profile =` in the inventory), else `default`."""
    if environment.profile is None:
        return default
    try:
        return load_profile(environment.profile)
    except BadInput as error:
        raise BadInput(
            f"Environment {environment.name} in {inventory}: {error.message}", hint=error.hint
        ) from None


def target_from(
    url: str,
    user: str,
    password_env: str | None,
    env_name: str | None,
    profile: SiteProfile = NO_PROFILE,
) -> Target:
    """A one-off environment given by --url and --user."""
    address = service_center_url(url)
    if password_env:
        variables = [password_env]
    elif env_name:
        variables = [password_variable(env_name), PASSWORD_VARIABLE]
    else:
        variables = [PASSWORD_VARIABLE]
    target = Target(
        name=env_name or environment_label(address),
        url=address,
        user=user,
        password=password(variables, address),
        password_env=source_of(variables),
        password_passed_over=passed_over(variables),
        profile=profile,
    )
    forget_passwords(variables)
    return target


def targets_of(
    environments: list[Environment], inventory: Path, profile: SiteProfile = NO_PROFILE
) -> list[Target]:
    """Inventory environments with their site profiles (their own, else `profile`), all read
    first, and their passwords, from their variables or a terminal, all asked up front; an
    environment whose inventory entry names a variable (password_env), from that one only."""
    profiles = [profile_of(environment, inventory, profile) for environment in environments]
    targets = [
        Target(
            name=environment.name,
            url=environment.url,
            user=environment.user,
            password=password(
                environment.password_variables,
                f"{environment.name} ({environment.url})",
                ask=environment.password_env is None,
            ),
            password_env=source_of(environment.password_variables),
            password_passed_over=passed_over(environment.password_variables),
            inventory=inventory.absolute(),
            profile=own,
            sign_in_origin=environment.sign_in_origin,
        )
        for environment, own in zip(environments, profiles, strict=True)
    ]
    forget_passwords(environment.password_variable for environment in environments)
    return targets


def forget_passwords(variables: Iterable[str]) -> None:
    """Take the password variables out of this process's environment once they are read: every
    process started from here (Playwright's driver, Chromium, ffmpeg) would inherit them."""
    named = [*variables, *(name for name in os.environ if name.startswith(PASSWORD_VARIABLE))]
    for variable in named:
        os.environ.pop(variable, None)


def approval(confirm: bool, yes: bool, headed: bool, by: Actor | None) -> tuple[Approve, bool]:
    """How an upload is approved, and whether that asks on the terminal: on --confirm, or by
    default when headed on a terminal. Every way is recorded, with who and when."""
    on_terminal = sys.stdin.isatty()
    if confirm and not yes and not on_terminal:
        raise BadInput(
            "--confirm needs a terminal to ask on, and there is none.",
            hint="Run on a terminal, or leave out --confirm (use --yes in unattended jobs).",
        )
    actor = by or current_actor()
    asks = not yes and (confirm or (headed and on_terminal))

    def approve(proposal: Proposal) -> ApprovalRecord:
        if not asks:
            how: ApprovedHow = "--yes, unattended" if yes else "not asked"
            return ApprovalRecord(how=how, approved=True, by=actor, at=datetime.now(UTC))
        typed = ask_approval(proposal)
        return ApprovalRecord(
            how="typed the serial number's last group",
            approved=typed,
            by=actor,
            at=datetime.now(UTC),
            last_group_typed=typed,
        )

    return approve, asks
