"""Files of the evidence: written whole or not at all, and known by their SHA-256."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from automation.evidence.records import Artifact

Replace = Callable[[Path, Path], None]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def artifact_of(path: Path, role: str) -> Artifact:
    """A file of the run folder as run.json records it."""
    data = path.read_bytes()
    return Artifact(file=path.name, role=role, size=len(data), sha256=sha256_of(data))


def replace_with_retry(source: Path, target: Path, replace: Replace = os.replace) -> None:
    """Rename `source` over `target`. On Windows a file another process has open for a moment
    (a browser showing the index, a virus scanner, a fleet's other thread) refuses it with a
    sharing violation, a PermissionError: tried again for about a second, then raised."""
    for attempt in Retrying(
        retry=retry_if_exception_type(PermissionError),
        stop=stop_after_attempt(6),
        wait=wait_exponential(multiplier=0.02, max=0.5),
        reraise=True,
    ):
        with attempt:
            replace(source, target)


def write_atomically(
    path: Path, data: bytes, *, exclusive: bool = False, replace: Replace = os.replace
) -> None:
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
        replace_with_retry(temporary, path, replace)
    except BaseException:
        temporary.unlink(missing_ok=True)  # no half-written file is left behind
        raise
