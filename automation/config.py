"""Settings that cross a boundary: the target environment and how to drive the browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from automation.errors import BadInput

SERVICE_CENTER_PATH = "/ServiceCenter"

# pytest-playwright's words for when to keep a trace or a video.
Keep = Literal["on", "off", "retain-on-failure"]


class Target(BaseModel):
    """One Service Center to work on, and who signs in."""

    model_config = ConfigDict(frozen=True)

    name: str
    url: str  # Service Center's address, e.g. http://host/ServiceCenter
    user: str
    password: SecretStr


class LaunchOptions(BaseModel):
    """Which browser, and how it runs: headed for supervision, headless for CI."""

    model_config = ConfigDict(frozen=True)

    headed: bool = False
    slow_mo_ms: int = 0
    executable: Path | None = None
    endpoint: str | None = None  # a remote browser to use instead of launching one


class PageOptions(BaseModel):
    """How pages of one environment are reached and waited for; an inventory entry may
    set its own."""

    model_config = ConfigDict(frozen=True)

    navigation_timeout_ms: int = 30_000
    action_timeout_ms: int = 15_000
    ignore_https_errors: bool = False
    proxy: str | None = None


class EvidenceOptions(BaseModel):
    """What a run keeps besides its screenshots, and where runs go."""

    model_config = ConfigDict(frozen=True)

    out: Path = Path("recordings")
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

    @property
    def supervised(self) -> bool:
        """Show the current step and highlight each element acted on (headed runs)."""
        return self.launch.headed


def service_center_url(url: str) -> str:
    """Normalise what an operator types into Service Center's address, or refuse it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInput(
            f"'{url}' is not a web address.",
            hint="Give Service Center's address with its scheme, e.g. "
            "https://myenvironment.example.com/ServiceCenter.",
        )
    if parts.username or parts.password:
        raise BadInput(
            "The address holds a user name or password; it would be written into the evidence.",
            hint="Give the address without them: the user with --user, the password in its "
            "environment variable.",
        )
    path = parts.path.rstrip("/")
    if path.lower().startswith(SERVICE_CENTER_PATH.lower()):
        path = ""
    if path:
        raise BadInput(
            f"'{url}' does not point to Service Center.",
            hint="Give the environment's address, e.g. "
            f"{parts.scheme}://{parts.netloc}{SERVICE_CENTER_PATH}.",
        )
    return f"{parts.scheme}://{parts.netloc}{SERVICE_CENTER_PATH}"


def environment_label(url: str) -> str:
    """A name for an environment that has none: its host and port, safe for a folder name."""
    return slug(urlsplit(url).netloc) or "environment"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def keeps(setting: Keep, failed: bool) -> bool:
    """Whether a trace or video is kept, by pytest-playwright's rule."""
    return setting == "on" or (setting == "retain-on-failure" and failed)
