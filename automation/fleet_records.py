"""Reading a fleet's summary run: each environment's own run folder, for restore."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from automation.errors import BadInput
from automation.records import load_record


def fleet_folders(path: Path) -> dict[str, Path]:
    """Each environment's run folder, from a fleet run's summary run.json."""
    try:
        record = load_record(path)
    except (OSError, ValidationError):
        raise BadInput(
            f"{path} is not a run folder: it has no readable run.json.",
            hint="Give the fleet run folder (recordings/<time>-fleet-backup or -install).",
        ) from None
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
