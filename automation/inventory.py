"""environments.toml: the environments an operator manages, validated with clear errors, and
the selection of them a command works on."""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from automation.config import MAX_NAME, PageOptions, service_center_url, slug
from automation.errors import BadInput, ScLicenseError
from automation.licenses import SERIAL_PATTERN
from automation.proxy import proxy_option

PASSWORD_VARIABLE = "SC_LICENSE_PASSWORD"


def password_variable(name: str) -> str:
    """The environment variable that holds an environment's password by default."""
    return f"{PASSWORD_VARIABLE}_{slug(name).replace('-', '_').upper()}"


class Environment(BaseModel):
    """One Service Center: where it is, who signs in, and how to reach it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=MAX_NAME)
    url: str
    user: str = "admin"
    password_env: str | None = None
    groups: list[str] = Field(default_factory=list)
    ignore_https_errors: bool = False
    # The proxy its pages go through (wins over --proxy and the proxy variables).
    proxy: str | None = None
    # The certificate of the CA its server's certificate comes from, trusted by the browser
    # with verification on (as --ca-file).
    ca_file: Path | None = None
    navigation_timeout: float | None = Field(default=None, gt=0)
    action_timeout: float | None = Field(default=None, gt=0)
    # A change (install, restore) here must name its change ticket with --change.
    require_change: bool = False
    # A separate host Service Center signs in on (scheme://host[:port]); the password is
    # typed nowhere else than there and on `url`'s own origin.
    sign_in_origin: str | None = None
    # Its site profile (automation/profile.py); wins over --profile.
    profile: Path | None = None
    # The Serial Number it is known to have, for checks that compare it with what its
    # Licensing page shows (the pytest plugin's sc_environment.serial). Not read by the CLI.
    serial: str | None = Field(default=None, pattern=f"^{SERIAL_PATTERN}$")

    @field_validator("url")
    @classmethod
    def _service_center(cls, url: str) -> str:
        try:
            return service_center_url(url)
        except ScLicenseError as error:
            raise ValueError(f"{error.message} {error.hint}") from None

    @field_validator("profile", "ca_file")
    @classmethod
    def _beside_the_inventory(cls, path: Path | None, info: ValidationInfo) -> Path | None:
        """A relative path is read from the inventory's folder, wherever the command runs."""
        folder = (info.context or {}).get("folder")
        return folder / path if path is not None and folder is not None else path

    @field_validator("proxy")
    @classmethod
    def _a_proxy(cls, proxy: str | None) -> str | None:
        if proxy is not None:
            try:
                proxy_option(proxy, "proxy =")
            except ScLicenseError as error:
                raise ValueError(f"{error.message} {error.hint}") from None
        return proxy

    @field_validator("sign_in_origin")
    @classmethod
    def _an_origin(cls, origin: str | None) -> str | None:
        if origin is None:
            return None
        parts = urlsplit(origin.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
            raise ValueError(
                f"'{origin}' is not an origin: give scheme://host[:port], e.g. "
                "https://login.example.com"
            )
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def password_variable(self) -> str:
        return self.password_env or password_variable(self.name)

    @property
    def password_variables(self) -> list[str]:
        """Where its password is read from, in order: the variable `password_env` names, and
        no other (a fallback may hold another environment's password, and a wrong password
        locks accounts); without one, SC_LICENSE_PASSWORD_<NAME>, then SC_LICENSE_PASSWORD."""
        if self.password_env:
            return [self.password_env]
        return [password_variable(self.name), PASSWORD_VARIABLE]

    def page_options(self, base: PageOptions) -> PageOptions:
        """The command's page options with this environment's own settings on top."""
        update: dict[str, object] = {
            "ignore_https_errors": base.ignore_https_errors or self.ignore_https_errors,
            "proxy": proxy_option(self.proxy, "proxy = in the inventory")
            if self.proxy
            else base.proxy,
        }
        if self.navigation_timeout:
            update["navigation_timeout_ms"] = round(self.navigation_timeout * 1000)
        if self.action_timeout:
            update["action_timeout_ms"] = round(self.action_timeout * 1000)
        return base.model_copy(update=update)


class Inventory(BaseModel):
    """Every environment of the installation, by name."""

    model_config = ConfigDict(extra="forbid")

    environment: list[Environment] = Field(default_factory=list)

    @field_validator("environment")
    @classmethod
    def _unique(cls, environments: list[Environment]) -> list[Environment]:
        seen: set[str] = set()
        for environment in environments:
            if environment.name in seen:
                raise ValueError(f"two environments are named '{environment.name}'")
            seen.add(environment.name)
        return environments

    def select(self, names: list[str], groups: list[str], everything: bool) -> list[Environment]:
        """The environments named, in the groups given, or all of them; in inventory order."""
        known = {e.name for e in self.environment}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise BadInput(
                f"No environment named {', '.join(unknown)} in the inventory"
                + (close_match(unknown[0], known) if len(unknown) == 1 else "")
                + ".",
                hint=f"Known: {', '.join(sorted(known)) or 'none'}.",
            )
        all_groups = {g for e in self.environment for g in e.groups}
        missing = [g for g in groups if g not in all_groups]
        if missing:
            raise BadInput(
                f"No environment is in the group {', '.join(missing)}"
                + (close_match(missing[0], all_groups) if len(missing) == 1 else "")
                + ".",
                hint=f"Groups in the inventory: {', '.join(sorted(all_groups)) or 'none'}.",
            )
        return [
            e
            for e in self.environment
            if everything or e.name in names or set(e.groups) & set(groups)
        ]


def load_inventory(path: Path) -> Inventory:
    """Read and validate environments.toml; errors name the field's own line, and a close
    match for a misspelt field."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BadInput(
            f"Cannot read the inventory {path}: {error.strerror}.",
            hint="Give it with --inventory or SC_LICENSE_INVENTORY; `sc-license init` writes one.",
        ) from None
    try:
        # UTF-8 on every platform; the byte-order mark Notepad and PowerShell write is dropped.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BadInput(
            f"{path} is not UTF-8 text (line {line}), as TOML must be.",
            hint="Save it as UTF-8 (Notepad: Save as, Encoding UTF-8; "
            "PowerShell: Set-Content -Encoding utf8).",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"{path} is not valid TOML: {error}.", hint="Fix the line named.") from None
    try:
        return Inventory.model_validate(data, context={"folder": path.parent})
    except ValidationError as error:
        problems = [
            _where(text, path, e["loc"]) + f": {e['msg']}" + _did_you_mean(e["loc"], e["type"])
            for e in error.errors()
        ]
        raise BadInput(
            f"{path} has {len(problems)} problem(s): " + "; ".join(problems) + ".",
            hint="Fix them; `sc-license init --path example.toml` writes one with every field.",
        ) from None


def close_match(word: str, known: Iterable[str]) -> str:
    """' (did you mean 'name'?)' for a likely misspelling of a known word, else ''."""
    found = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean '{found[0]}'?)" if found else ""


def _did_you_mean(location: tuple[int | str, ...], kind: str) -> str:
    """For a field the model does not have, the field it most likely meant."""
    if kind != "extra_forbidden" or not isinstance(location[-1], str):
        return ""
    model = Environment if len(location) == 3 else Inventory
    return close_match(location[-1], model.model_fields)


def _where(text: str, path: Path, location: tuple[int | str, ...]) -> str:
    """'environments.toml line 12, environment #2 ('prod'), field url' from a pydantic
    location: the field's own line when it is there, else its environment's header."""
    lines = text.splitlines()
    if len(location) < 2 or location[0] != "environment" or not isinstance(location[1], int):
        found = _key_line(lines, str(location[0]), 0, len(lines))
        at = f" line {found}" if found else ""
        return f"{path.name}{at}, {'.'.join(str(part) for part in location)}"
    index = location[1]
    headers = [n for n, line in enumerate(lines, 1) if re.match(r"\s*\[\[environment\]\]", line)]
    header = headers[index] if index < len(headers) else None
    field = ".".join(str(part) for part in location[2:]) or "(the table)"
    if header is None:
        return f"{path.name} environment #{index + 1}, field {field}"
    # The table runs from its header to the next header of any table.
    end = next(
        (n - 1 for n in range(header + 1, len(lines) + 1) if re.match(r"\s*\[", lines[n - 1])),
        len(lines),
    )
    named = next(
        (
            m.group(1)
            for line in lines[header:end]
            if (m := re.match(r'\s*name\s*=\s*"([^"]*)"', line))
        ),
        None,
    )
    which = f" ('{named}')" if named else ""
    line = (
        _key_line(lines, str(location[2]), header, end) if len(location) > 2 else None
    ) or header
    return f"{path.name} line {line}, environment #{index + 1}{which}, field {field}"


def _key_line(lines: list[str], key: str, start: int, end: int) -> int | None:
    """The number of the line among lines[start:end] that sets `key` (bare or quoted), or the
    header of a table of that name."""
    pattern = re.compile(
        rf"""\s*(?:(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=|\[\[?\s*{re.escape(key)}\s*\]?\])"""
    )
    return next((n for n in range(start + 1, end + 1) if pattern.match(lines[n - 1])), None)


def shard(environments: list[Environment], spec: str | None) -> list[Environment]:
    """The I-th of N stable slices ("I/N"): an environment's slice depends on its name only."""
    if spec is None:
        return environments
    match = re.fullmatch(r"(\d+)/(\d+)", spec)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise BadInput(f"'{spec}' is not a shard like 2/5.", hint="Give I/N with 1 <= I <= N.")
    index, count = int(match.group(1)), int(match.group(2))
    return [
        e
        for e in environments
        if int(hashlib.sha256(e.name.encode()).hexdigest(), 16) % count == index - 1
    ]


class Selection(BaseModel):
    """Which environments of the inventory a command works on."""

    model_config = ConfigDict(frozen=True)

    inventory: Path
    names: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    everything: bool = False
    shard: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.names or self.groups or self.everything)

    def environments(self) -> tuple[list[Environment], int]:
        """The environments of this selection's shard, and how many the selection holds
        before sharding. A shard may be empty (a CI matrix wider than the fleet); a selection
        may not."""
        chosen = load_inventory(self.inventory).select(self.names, self.groups, self.everything)
        if not chosen:
            raise BadInput(
                "No environment is selected.",
                hint="Check --env, --group or --all against the inventory.",
            )
        return shard(chosen, self.shard), len(chosen)
