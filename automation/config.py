"""Settings that cross a boundary: the target environment and how to drive the browser."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from automation.defaults import ACTION_TIMEOUT_MS, NAVIGATION_TIMEOUT_MS, OUT, Keep
from automation.errors import BadInput
from automation.identity import Attribution
from automation.profile import NO_PROFILE, SiteProfile
from automation.proxy import ProxyOptions, environment_proxy

SERVICE_CENTER_PATH = "/ServiceCenter"
# A host name, or an IP address (v6 in brackets), and the port if one is given.
AUTHORITY = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[^\[\]:@\s\x00-\x1f\x7f]+)(?::(?P<port>[^:]*))?")
# The longest environment name: names become run folder names and password variables.
MAX_NAME = 64


class Target(BaseModel):
    """One Service Center to work on, and who signs in."""

    model_config = ConfigDict(frozen=True)

    name: str
    url: str  # Service Center's address, e.g. http://host/ServiceCenter
    user: str
    password: SecretStr
    # How an operator names it again on a command line, for the recovery commands printed
    # when a change's result is uncertain: the variable its password came from, and the
    # inventory it came from (then `name` is its --env), if any.
    password_env: str | None = None
    # The variables read first that were not set, when the password came from a later one
    # (SC_LICENSE_PASSWORD for want of SC_LICENSE_PASSWORD_PROD): a refused sign-in names
    # them, since a fallback may hold another environment's password.
    password_passed_over: tuple[str, ...] = ()
    inventory: Path | None = None
    # Its own words, taught by the operator (--profile, or `profile =` in the inventory).
    profile: SiteProfile = NO_PROFILE
    # Another origin the sign-in page may be on (a separate sign-in host), allowed by the
    # operator in the inventory; the password goes to no other but the address's own.
    sign_in_origin: str | None = None


class LaunchOptions(BaseModel):
    """Which browser, and how it runs: headed for supervision, headless for CI."""

    model_config = ConfigDict(frozen=True)

    headed: bool = False
    slow_mo_ms: int = 0
    executable: Path | None = None
    channel: Literal["msedge", "chrome"] | None = None  # an installed Edge or Chrome
    endpoint: str | None = None  # a remote browser to use instead of launching one
    window_position: tuple[int, int] | None = None  # headed: where the window opens (a fleet)
    # CA certificates (PEM or DER files) the launched browser trusts besides its own, with
    # verification on (--ca-file, the inventory's ca_file; automation/browser/trust.py).
    ca_files: tuple[Path, ...] = ()


class PageOptions(BaseModel):
    """How pages of one environment are reached and waited for; an inventory entry may
    set its own."""

    model_config = ConfigDict(frozen=True)

    navigation_timeout_ms: int = NAVIGATION_TIMEOUT_MS
    action_timeout_ms: int = ACTION_TIMEOUT_MS
    ignore_https_errors: bool = False
    proxy: ProxyOptions | None = None  # --proxy or the inventory's: wins over the variables
    # HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY (either case) as the CLI found them;
    # for_address() applies them to an address as Chromium does.
    proxy_variables: dict[str, str] = {}

    def for_address(self, url: str) -> PageOptions:
        """These options for pages at `url`: the proxy they go through, if any, decided."""
        proxy = self.proxy or environment_proxy(url, self.proxy_variables)
        return self.model_copy(update={"proxy": proxy, "proxy_variables": {}})


class EvidenceOptions(BaseModel):
    """What a run keeps besides its screenshots, and where runs go."""

    model_config = ConfigDict(frozen=True)

    out: Path = OUT
    tracing: Keep = "off"
    video: Keep = "off"
    # Where the audit trail's head is kept, outside `out` (the CLI gives the per-user state
    # folder). Without one no head is kept, and `audit verify` says so.
    state: Path | None = None


class RunOptions(BaseModel):
    """Everything about how one run is carried out, from the options every command shares."""

    model_config = ConfigDict(frozen=True)

    launch: LaunchOptions = LaunchOptions()
    page: PageOptions = PageOptions()
    evidence: EvidenceOptions = EvidenceOptions()
    pause_on_failure: bool = False  # headed: keep the browser open on failure, to look
    # Headed: keep the browser open at the end until the operator presses Enter, or for
    # hold_seconds when given.
    hold: bool = False
    hold_seconds: float | None = None
    # Where the one-change-at-a-time locks live: the machine's state folder (the CLI's
    # choice); None keeps them beside the evidence, in <out>/.locks.
    locks: Path | None = None
    attribution: Attribution = Attribution()  # who runs it and why, for the record

    @property
    def supervised(self) -> bool:
        """Show the current step and highlight each element acted on (headed runs)."""
        return self.launch.headed


def service_center_url(url: str) -> str:
    """Normalise what an operator types into Service Center's address, or refuse it."""
    if holds_credentials(url):  # before any message that would repeat the address
        raise BadInput(
            "The address holds a user name or password; it would be written into the evidence.",
            hint="Give the address without them: the user with --user, the password in its "
            "environment variable.",
        )
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. a host in brackets that is no IPv6 address
        parts = None
    authority = AUTHORITY.fullmatch(parts.netloc) if parts else None
    if parts is None or parts.scheme not in ("http", "https") or authority is None:
        raise BadInput(
            f"'{url}' is not a web address.",
            hint="Give Service Center's address with its scheme, e.g. "
            "https://myenvironment.example.com/ServiceCenter.",
        )
    port = authority["port"]
    if port is not None and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise BadInput(
            f"The port in '{url}' is not a number from 1 to 65535.",
            hint="Give the port Service Center listens on, or none for the scheme's own "
            "(80 for http, 443 for https).",
        )
    path = parts.path.rstrip("/")
    if path and path.lower() != SERVICE_CENTER_PATH.lower():
        raise BadInput(
            f"'{url}' does not point to Service Center.",
            hint="Give the environment's address, e.g. "
            f"{parts.scheme}://{parts.netloc}{SERVICE_CENTER_PATH}.",
        )
    return f"{parts.scheme}://{parts.netloc}{SERVICE_CENTER_PATH}"


def holds_credentials(url: str) -> bool:
    """Whether an address has a user name or password in it (user:password@host), whatever
    its scheme, or with none."""
    rest = re.sub(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:", "", url)
    return "@" in re.split(r"[/?#]", rest.lstrip("/\\"), maxsplit=1)[0]


def environment_label(url: str) -> str:
    """A name for an environment that has none: its host and port, safe for a folder name."""
    return slug(urlsplit(url).netloc) or "environment"


def environment_name(name: str) -> str:
    """A name an operator gives an environment, or a clear refusal: it names run folders and
    password variables, and is shown in every message about the environment."""
    if not name.strip():
        problem = "is empty"
    elif len(name) > MAX_NAME:
        problem = f"has {len(name)} characters; at most {MAX_NAME} are allowed"
    elif not name.isprintable():
        problem = "holds a control or invisible character"
    else:
        return name
    shown = name if len(name) <= MAX_NAME else f"{name[:MAX_NAME]}..."
    raise BadInput(
        f"The environment name '{shown}' {problem}: it names run folders and password variables.",
        hint="Give another name with --env-name, e.g. prod-eu.",
    )


def slug(text: str) -> str:
    """Lower-case letters, digits and dashes, for file and variable names, at most MAX_NAME
    long. A name with none of those (in another script, say), or a longer one, gets a short
    hash of itself, so that different names stay apart."""
    plain = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if (plain or not text.strip()) and len(plain) <= MAX_NAME:
        return plain
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{plain[: MAX_NAME - len(digest) - 1].rstrip('-')}-{digest}".lstrip("-")


def keeps(setting: Keep, failed: bool) -> bool:
    """Whether a trace or video is kept, by pytest-playwright's rule."""
    return setting == "on" or (setting == "retain-on-failure" and failed)
