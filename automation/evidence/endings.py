"""How a run that failed ended, in run.json's words: an expected failure, an interrupt, or
something unexpected."""

from __future__ import annotations

from pathlib import Path

from automation.errors import ExitCode, ScLicenseError
from automation.evidence.commands import Recall, restore_command, status_command
from automation.evidence.records import ErrorRecord, NextCommand, RunRecord
from automation.evidence.screenshots import first_line
from automation.outcomes import Outcome


def ending(
    error: BaseException,
    record: RunRecord,
    current_step: str | None,
    *,
    changing: bool = False,
    folder: Path | None = None,
    recall: Recall | None = None,
) -> tuple[ErrorRecord, Outcome, int]:
    """The error record, outcome and exit code of a run that `error` ended; `changing`: the
    upload had begun, so the license may have changed; `recall`: how to name the environment
    again in the commands to run next."""
    failed = next((s.name for s in record.steps if s.status == "failed"), None)
    if isinstance(error, ScLicenseError):
        said = ErrorRecord(
            kind=error.kind,
            message=error.message,
            hint=error.hint,
            step=failed,
            commands=[NextCommand(says=says, command=line) for says, line in error.commands],
        )
        return said, error.outcome, error.exit_code
    if isinstance(error, KeyboardInterrupt):
        last = record.steps[-1].name if record.steps else None
        if current_step:
            message = f"Interrupted during the step “{current_step}”."
        elif last:
            message = f"Interrupted after the step “{last}”."
        else:
            message = "Interrupted before the first step."
        if record.backup:
            message += f" The backup taken is kept: {record.backup.file}."
        hint = ""
        commands: list[NextCommand] = []
        code = ExitCode.INTERRUPTED
        if changing:
            # Stopped before the change was seen through: the license may be the new one shown
            # invalid, or half rolled back. Unknown is treated as not valid: act now.
            message += (
                " The upload had begun and the license was not verified: it may not be valid."
            )
            code = ExitCode.ROLLBACK_FAILED
            recall = recall or recall_of(record, folder)
            hint = "Check what is installed now."
            commands.append(NextCommand(says="Check it", command=status_command(recall)))
            if record.backup and folder is not None:
                backup = folder / record.backup.file
                hint += " If it is not valid, restore the backup."
                commands.append(
                    NextCommand(says="Restore the backup", command=restore_command(recall, backup))
                )
        said = ErrorRecord(
            kind="interrupted",
            message=message,
            hint=hint,
            step=current_step or last,
            commands=commands,
        )
        return said, "interrupted", code
    said = ErrorRecord(kind="unexpected", message=describe(error), step=failed)
    return said, "failed", ExitCode.UNEXPECTED


def describe(error: BaseException) -> str:
    """An error in one line, for run.json and the terminal."""
    if isinstance(error, ScLicenseError):
        return error.message
    return first_line(error)


def recall_of(record: RunRecord, folder: Path | None) -> Recall:
    """How to name a run's environment again when the command line's words are not known."""
    out = folder.parent if folder is not None else Path("recordings")
    profile = Path(record.profile.path) if record.profile else None
    return Recall(
        environment=record.environment, url=record.url, user=record.user, out=out, profile=profile
    )
