"""Who runs the tool and why, and how a change was approved: the models run.json keeps."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

# How a change was approved: at the prompt, by --yes, or with no question asked (no terminal).
ApprovedHow = Literal[
    "typed the serial number's last group",
    "--yes, unattended",
    "not asked",
    "--sc-allow-changes, in a pytest run",
]


# What a pipeline passes where the CI system does not tell the job (docs/ci/): who approved
# the deployment, and (GitHub Actions) the environment the job ran in.
APPROVED_BY = "SC_LICENSE_CI_APPROVED_BY"
ENVIRONMENT = "SC_LICENSE_CI_ENVIRONMENT"


class CiIdentity(BaseModel):
    """The CI system a run was started from, who started it there, and a link to that run;
    the deployment environment the job ran in and who approved it, where it was told."""

    model_config = ConfigDict(frozen=True)

    system: str  # e.g. "GitHub Actions"
    actor: str  # "unknown" when the system does not say
    run_url: str | None = None
    # The CI's own environment (GitLab's CI_ENVIRONMENT_NAME, or as the pipeline passed it)
    # and who approved the job there; absent from the record when the job was not told.
    environment: str | None = None
    approved_by: str | None = None

    @model_serializer(mode="wrap")
    def _told(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        data: dict[str, object] = handler(self)
        for name in ("environment", "approved_by"):
            if data.get(name) is None:
                data.pop(name, None)
        return data


def ci_approval(ci: CiIdentity) -> str:
    """Where a change's approval in CI is, in plain words: by whom, as the pipeline passed
    it; else the environment the job ran in, saying that the system does not tell the job
    who approved it; else that the job knows of neither. No CI system tells a job who
    approved its deployment."""
    page = ci.run_url or "the run's page in the CI system"
    where = f" for the environment {ci.environment}" if ci.environment else ""
    if ci.approved_by:
        return f"approved by {ci.approved_by}{where}, as the pipeline passed it ({APPROVED_BY})"
    if ci.environment:
        return (
            f"the job ran in the {ci.system} environment {ci.environment}; where that "
            f"environment requires approval, it was given before the job started, but "
            f"{ci.system} does not tell the job by whom: see {page}"
        )
    return f"no deployment environment or approver is known to the job: see {page}"


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
    # In CI: where the change's approval is (ci_approval), said when the record is made.
    in_ci: str | None = None

    @model_validator(mode="after")
    def _said_in_ci(self) -> ApprovalRecord:
        if self.in_ci is None and self.by.ci is not None:
            self.in_ci = ci_approval(self.by.ci)
        return self


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
