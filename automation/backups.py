"""Find the backup to restore: a .lic file, or the backup a run folder recorded."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from automation.errors import BadInput
from automation.licenses import sha256_of
from automation.records import load_record


def find_backup(path: Path) -> Path:
    """The license file to restore from PATH; a run folder's backup must match its hash."""
    if not path.is_dir():
        return path  # a .lic file, read and checked like any license file
    try:
        record = load_record(path)
    except (OSError, ValidationError):
        raise BadInput(
            f"{path} is not a run folder: it has no readable run.json.",
            hint="Give a run folder under recordings/, or the backup .lic file itself.",
        ) from None
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
