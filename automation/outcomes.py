"""How a run can end, in one word for run.json and in plain words for a reviewer."""

from __future__ import annotations

from typing import Literal

Outcome = Literal[
    "running",
    "installed",
    "unchanged",
    "dry-run",
    "backed-up",
    "no-license",
    "reported",
    "refused",
    "no-license-file",
    "not-started",
    "aborted",
    "rejected",
    "verification-failed",
    "rolled-back",
    "rollback-failed",
    "interrupted",
    "failed",
    "done",
]

# The outcome of a run in plain words, for someone who was not there.
PLAIN_OUTCOMES: dict[Outcome, str] = {
    "running": "The run did not finish (it is still running, or it was killed).",
    "installed": "The new license is installed and Service Center shows it as valid.",
    "unchanged": "The license was already installed; nothing was uploaded.",
    "dry-run": "Dry run: every check passed; nothing was uploaded.",
    "backed-up": "The installed license was backed up.",
    "no-license": "No license is installed, so there was nothing to back up.",
    "no-license-file": "No license file was given for this environment's serial; left as it is.",
    "not-started": "Not started: too many environments had failed already.",
    "done": "Every environment ended as intended.",
    "reported": "The installed license was read.",
    "refused": "Refused before any change; nothing was uploaded.",
    "aborted": "The operator did not approve the change; nothing was uploaded.",
    "rejected": "Service Center rejected the license; the previous license is still installed.",
    "verification-failed": "The license was uploaded but Service Center does not show it.",
    "rolled-back": "The new license did not verify; the previous license was put back.",
    "rollback-failed": "The new license did not verify and the rollback failed: act now.",
    "interrupted": "The run was interrupted.",
    "failed": "The run failed.",
}
