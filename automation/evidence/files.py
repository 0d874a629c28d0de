"""Files of the evidence: written whole or not at all, and known by their SHA-256."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from automation.evidence.records import Artifact


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def artifact_of(path: Path, role: str) -> Artifact:
    """A file of the run folder as run.json records it."""
    data = path.read_bytes()
    return Artifact(file=path.name, role=role, size=len(data), sha256=sha256_of(data))


def write_atomically(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write then rename, so a crash never leaves a half-written file that looks complete."""
    if exclusive and path.exists():
        raise FileExistsError(f"{path} exists; evidence is never overwritten")
    # Named for the writer: runs in parallel threads may write the same index at once.
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.partial")
    try:
        with temporary.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)  # no half-written file is left behind
        raise
