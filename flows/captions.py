"""What each proving screenshot's strip says: the file chosen, the file downloaded, the
license read, in the words a reviewer checks them by."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from automation.evidence.files import sha256_of
from automation.evidence.records import Artifact
from automation.licenses import InstalledLicense
from automation.pages.dialogs import DialogSeen


def chosen(path: Path) -> str:
    """The file in the form's file input, before Upload is clicked."""
    data = path.read_bytes()
    return (
        f"File chosen, not yet uploaded: {path.name} ({len(data)} bytes)\nSHA-256 {sha256_of(data)}"
    )


def downloaded(backup: Artifact) -> str:
    """The file Backup License downloaded, as kept in the run folder."""
    return (
        f"Downloaded by Backup License: {backup.file} ({backup.size} bytes)\n"
        f"SHA-256 {backup.sha256}"
    )


def read(shown: InstalledLicense, at: datetime, how: str) -> str:
    """What was read off the Licensing page, and when."""
    return (
        f"Read at {at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC, {how}:\n"
        f"Serial Number {shown.serial_number or '-'} · End Date {shown.end_date or '-'} · "
        f"Activation Code {shown.activation_code or '-'}\n"
        f"Status: {shown.banner}"
    )


def dialogs(seen: list[DialogSeen]) -> str:
    """The dialogs Service Center raised in answer to the Upload click."""
    return "\n".join(f"Service Center's {one.kind}: “{one.message}” ({one.answer})" for one in seen)
