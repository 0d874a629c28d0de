"""Reading finished runs: the backup a run took, and a fleet's members, for restore; and
every run in brief, for `audit list`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from automation.errors import BadInput
from automation.evidence.files import sha256_of
from automation.evidence.records import RunRecord, load_record
from automation.identity import Actor
from automation.outcomes import Headline, fleet_headline_of, nothing_to_do


def _record(path: Path, hint: str) -> RunRecord:
    try:
        return load_record(path)
    except (OSError, ValidationError):
        raise BadInput(
            f"{path} is not a run folder: it has no readable run.json.", hint=hint
        ) from None


def find_backup(path: Path) -> Path:
    """The license file to restore from PATH; a run folder's backup must match its hash."""
    if not path.is_dir():
        _check_against_its_run(path)
        return path  # a .lic file, read and checked like any license file
    record = _record(path, "Give a run folder under recordings/, or the backup .lic file itself.")
    if record.backup is None:
        raise BadInput(
            f"The run {path.name} took no backup.",
            hint="Pick a run whose run.json lists a backup (install or backup runs).",
        )
    backup = path / record.backup.file
    if not backup.is_file() or sha256_of(backup.read_bytes()) != record.backup.sha256:
        raise BadInput(
            f"The backup {backup} is missing or differs from what the run recorded "
            f"(SHA-256 {record.backup.sha256}); it will not be restored.",
            hint="Find an intact copy of the backup, or restore from another run.",
        )
    return backup


def _check_against_its_run(path: Path) -> None:
    """A backup file given by itself, still in the run folder that took it, must still be
    what that run recorded."""
    try:
        record = load_record(path.parent)
    except (OSError, ValidationError):
        return  # a file from elsewhere: checked like any license file
    if record.backup is None or record.backup.file != path.name:
        return
    if not path.is_file() or sha256_of(path.read_bytes()) != record.backup.sha256:
        raise BadInput(
            f"The backup {path} differs from what its run recorded (SHA-256 "
            f"{record.backup.sha256}); it will not be restored.",
            hint="Find an intact copy of the backup, or restore from another run.",
        )


def fleet_folders(path: Path) -> dict[str, Path]:
    """Each environment's run folder, from a fleet run's summary run.json."""
    record = _record(
        path, "Give the fleet run folder (recordings/<time>-fleet-backup or -install)."
    )
    if record.fleet is None:
        raise BadInput(
            f"{path} is the run of one environment, not of a fleet.",
            hint="With --env/--group/--all, --from takes a fleet run folder.",
        )
    return {
        entry.environment: path.parent / entry.run_folder
        for entry in record.fleet
        if entry.run_folder
    }


class ListedMember(BaseModel):
    """A fleet's environment, as `audit list` needs it: which, and how it ended."""

    environment: str
    outcome: str = "running"
    exit_code: int | None = None


class ListedRun(BaseModel):
    """What `audit list` shows of a run: read from its run.json, the rest of it passed over,
    so that listing many runs holds little of each."""

    started_at: datetime
    environment: str
    flow: str
    outcome: str = "running"
    exit_code: int | None = None
    operator: str = "unknown"
    actor: Actor | None = None  # None in runs recorded before it was: operator alone
    change: str | None = None
    reason: str | None = None
    fleet: list[ListedMember] | None = None  # a fleet's summary: its environments
    fleet_run: str | None = None  # a fleet's member: the summary's folder

    @property
    def headline(self) -> Headline | None:
        """A fleet's headline, from its environments' endings (its own outcome says only how
        it ended as a whole: done, attention, interrupted or failed); None for a single run."""
        endings = None if self.fleet is None else [(m.outcome, m.exit_code) for m in self.fleet]
        return fleet_headline_of(endings, self.outcome)

    @property
    def nothing_to_do(self) -> bool:
        """A fleet that ended with no environment to run (an empty shard)."""
        return nothing_to_do(self.fleet, self.outcome)


def listed_runs(root: Path) -> list[tuple[Path, ListedRun]]:
    """Every run folder under root with a readable run.json, newest first (as the index),
    each fleet's members right after it."""
    runs = []
    for folder in root.iterdir() if root.is_dir() else []:
        try:
            runs.append((folder, ListedRun.model_validate_json((folder / "run.json").read_bytes())))
        except (OSError, ValueError):
            continue  # not a run folder, or not one this tool can read: audit verify says so
    return grouped(sorted(runs, key=lambda item: (item[1].started_at, item[0].name), reverse=True))


def grouped(runs: list[tuple[Path, ListedRun]]) -> list[tuple[Path, ListedRun]]:
    """Runs in their order, each fleet's members (in their order) moved to right after it; a
    member whose fleet is not among them stays where it was."""
    fleets = {folder.name for folder, run in runs if run.fleet is not None}
    members: dict[str, list[tuple[Path, ListedRun]]] = {}
    for folder, run in runs:
        if run.fleet_run is not None and run.fleet_run in fleets:
            members.setdefault(run.fleet_run, []).append((folder, run))
    ordered = []
    for folder, run in runs:
        if run.fleet_run not in fleets:
            ordered += [(folder, run), *members.get(folder.name, [])]
    return ordered
