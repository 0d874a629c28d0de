"""One change at a time per environment: OS file locks in the machine's state folder, one
for the environment's address and one for its serial number, whatever folder the evidence
goes to and however the address is spelled.

The operating system releases the lock when its process ends, however it ends, so a lock
left by a crashed run never blocks the next one. A small file beside it names the holder.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from filelock import FileLock, Timeout

from automation.config import slug
from automation.errors import Refused


def address_key(url: str) -> str:
    """One key per Service Center address, however it is spelled: scheme, host in lower
    case, and the port, written out when it is the scheme's default."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return slug(f"{parts.scheme} {(parts.hostname or '').lower()} {port}") or "environment"


def serial_key(serial: str) -> str:
    """One key per environment, whatever its address: its Serial Number."""
    return f"serial-{slug(serial)}"


@contextmanager
def environment_lock(folder: Path, key: str, what: str, run_folder: Path) -> Iterator[Path]:
    """Hold the lock `key` while a change runs; refuse at once, naming the holder, if another
    run holds it. `what` names the environment in the refusal."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.lock"
    holder = folder / f"{key}.holder.json"
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        other = _read(holder)
        raise Refused(
            f"Another run is changing {what}: {other.get('run_folder', '?')} "
            f"(process {other.get('pid', '?')} on {other.get('host', '?')}, "
            f"since {other.get('since', '?')}). Nothing was done.",
            hint="Wait for it to finish; the lock goes with its process.",
        ) from None
    try:
        holder.write_text(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "run_folder": str(run_folder),
                    "environment": what,
                    "since": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            )
        )
        yield path
    finally:
        holder.unlink(missing_ok=True)
        lock.release()


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
