"""Who runs the tool: the process's OS account, and the CI system, actor and run it was
started from, read from the standard variables each CI system sets; and the approval of a
change in CI: the deployment environment and its approver where the system tells the job,
else where to look, said plainly.

No CI system tells a job who approved its deployment (GitHub's required reviewers, GitLab's
protected environments, Azure's approvals and checks, Jenkins' input step): a pipeline that
knows it (e.g. from GitHub's approvals API, or an input step's submitter) passes it as
SC_LICENSE_CI_APPROVED_BY, and GitHub's environment name, which a job is not told either, as
SC_LICENSE_CI_ENVIRONMENT (docs/ci/). The approval record says plainly which it was told
(automation/identity.py's ci_approval)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from urllib.parse import quote

from automation.identity import APPROVED_BY, ENVIRONMENT, Actor, CiIdentity, os_account

UNKNOWN = "unknown"


def current_actor() -> Actor:
    """The account this process runs as, and its CI identity when it runs in CI."""
    return Actor(os_user=os_account(), ci=ci_identity(os.environ))


def ci_identity(env: Mapping[str, str]) -> CiIdentity | None:
    """The first CI system whose marker variable is set, with who started the run there and
    a link to it; None outside CI."""
    for marker, read in SYSTEMS:
        if env.get(marker, "").strip():
            return read(env)
    return None


def _github(env: Mapping[str, str]) -> CiIdentity:
    # GITHUB_TRIGGERING_ACTOR started this attempt (a re-run); GITHUB_ACTOR the first one.
    actor = _first(env, "GITHUB_TRIGGERING_ACTOR", "GITHUB_ACTOR")
    server, repository, run = (
        _first(env, name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    url = None
    if server and repository and run:
        url = f"{server.rstrip('/')}/{repository}/actions/runs/{run}"
        attempt = _first(env, "GITHUB_RUN_ATTEMPT")
        url += f"/attempts/{attempt}" if attempt else ""
    return _approved(
        CiIdentity(system="GitHub Actions", actor=actor or UNKNOWN, run_url=url),
        env,
        environment=_first(env, ENVIRONMENT),
    )


def _gitlab(env: Mapping[str, str]) -> CiIdentity:
    # GITLAB_USER_LOGIN: who started the pipeline, or who started this job by hand.
    found = CiIdentity(
        system="GitLab CI",
        actor=_first(env, "GITLAB_USER_LOGIN") or UNKNOWN,
        run_url=_first(env, "CI_JOB_URL", "CI_PIPELINE_URL"),
    )
    return _approved(found, env, environment=_first(env, "CI_ENVIRONMENT_NAME", ENVIRONMENT))


def _azure(env: Mapping[str, str]) -> CiIdentity:
    name, email = _first(env, "BUILD_REQUESTEDFOR"), _first(env, "BUILD_REQUESTEDFOREMAIL")
    actor = f"{name} <{email}>" if name and email else (name or email or UNKNOWN)
    collection, project, build = (
        _first(env, variable)
        for variable in ("SYSTEM_COLLECTIONURI", "SYSTEM_TEAMPROJECT", "BUILD_BUILDID")
    )
    url = None
    if collection and project and build:
        url = f"{collection.rstrip('/')}/{quote(project)}/_build/results?buildId={quote(build)}"
    # A deployment job's environment: the predefined variable Environment.Name.
    return _approved(
        CiIdentity(system="Azure Pipelines", actor=actor, run_url=url),
        env,
        environment=_first(env, "ENVIRONMENT_NAME", ENVIRONMENT),
    )


def _jenkins(env: Mapping[str, str]) -> CiIdentity:
    # BUILD_USER_ID and BUILD_USER are set only by the build-user-vars plugin.
    return _approved(
        CiIdentity(
            system="Jenkins",
            actor=_first(env, "BUILD_USER_ID", "BUILD_USER") or UNKNOWN,
            run_url=_first(env, "BUILD_URL"),
        ),
        env,
        environment=_first(env, ENVIRONMENT),
    )


def _approved(found: CiIdentity, env: Mapping[str, str], *, environment: str | None) -> CiIdentity:
    """`found` with the deployment environment it ran in and who approved it there, as the
    pipeline passed it (APPROVED_BY), where the job was told."""
    return found.model_copy(
        update={"environment": environment, "approved_by": _first(env, APPROVED_BY)}
    )


def _first(env: Mapping[str, str], *names: str) -> str | None:
    """The first of these variables that holds something."""
    return next((env[name].strip() for name in names if env.get(name, "").strip()), None)


SYSTEMS: list[tuple[str, Callable[[Mapping[str, str]], CiIdentity]]] = [
    ("GITHUB_ACTIONS", _github),
    ("GITLAB_CI", _gitlab),
    ("TF_BUILD", _azure),
    ("JENKINS_URL", _jenkins),
]
