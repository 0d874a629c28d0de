"""Who runs the tool and why, and how a change was approved: the models run.json keeps."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

# How a change was approved: at the prompt, by --yes, or with no question asked (no terminal).
ApprovedHow = Literal[
    "typed the serial number's last group",
    "--yes, unattended",
    "not asked",
    "--sc-allow-changes, in a pytest run",
]


class CiIdentity(BaseModel):
    """The CI system a run was started from, who started it there, and a link to that run."""

    model_config = ConfigDict(frozen=True)

    system: str  # e.g. "GitHub Actions"
    actor: str  # "unknown" when the system does not say
    run_url: str | None = None


class Actor(BaseModel):
    """Who carries out a run: the operating system account of the process, and the CI
    identity when it runs in CI."""

    model_config = ConfigDict(frozen=True)

    os_user: str
    ci: CiIdentity | None = None

    def __str__(self) -> str:
        if self.ci is None:
            return self.os_user
        return f"{self.os_user} in {self.ci.system} for {self.ci.actor}"


class Attribution(BaseModel):
    """Who, and why: given by the CLI to every run it starts."""

    model_config = ConfigDict(frozen=True)

    actor: Actor | None = None  # None: the process's own account, with no CI identity
    reason: str | None = None  # --reason
    change: str | None = None  # --change, a change ticket's reference


class ApprovalRecord(BaseModel):
    """How the upload was approved, by whom and when. What was typed at the prompt is not
    kept, only whether it was the serial number's last group."""

    how: ApprovedHow
    approved: bool
    by: Actor
    at: datetime
    last_group_typed: bool | None = None  # None: no question was asked


def os_account() -> str:
    """The account this process runs as, asked of the system: $LOGNAME and $USER can say
    anything (getpass.getuser() reads them first)."""
    try:
        import pwd
    except ImportError:  # Windows: the system's own answer
        try:
            return os.getlogin()
        except OSError:
            return "unknown"
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a user id with no account, e.g. in a container
        return f"uid {os.getuid()}"
