"""One change at a time per environment: OS file locks in the machine's state folder, one
for the environment's address and one for its serial number, whatever folder the evidence
goes to and however the address is spelled.

The operating system releases the lock when its process ends, however it ends, so a lock
left by a crashed run never blocks the next one. A small file beside it names the holder.
Both files go when the run ends: the lock's is removed while it is still held, and a run that
finds it has locked a file so removed tries again on the file now at that path.
"""

from __future__ import annotations

import hashlib
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
    case, and the port, written out when it is the scheme's default. A file name: readable,
    and a hash of the address, as hosts that differ only in punctuation slug alike."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{port}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:12]
    return f"{slug(address)[:60].strip('-') or 'environment'}-{digest}"


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
    try:
        lock = _acquire(path)
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
                    "run_folder": str(run_folder.absolute()),  # from any folder
                    "environment": what,
                    "since": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            ),
            encoding="utf-8",
        )
        yield path
    finally:
        holder.unlink(missing_ok=True)
        _release(lock, path)


def _acquire(path: Path) -> FileLock:
    """The lock on the file at `path` now: a run that opened the file before its holder
    removed it may lock the removed file, which locks nothing; then it tries again."""
    while True:
        lock = FileLock(path, timeout=0)
        lock.acquire()
        if _locks_the_file_at(lock, path) is not False:
            return lock
        lock.release()


def _release(lock: FileLock, path: Path) -> None:
    """Release, leaving no file behind. On POSIX the file is removed while still locked (a
    run waiting on it then sees it was removed, see _acquire); Windows cannot remove an open
    file, and filelock removes it there after the release."""
    try:
        if os.name != "nt" and _locks_the_file_at(lock, path) is True:
            path.unlink(missing_ok=True)
    finally:
        lock.release()


def _locks_the_file_at(lock: FileLock, path: Path) -> bool | None:
    """Whether the file `lock` holds is the one at `path`; None where filelock does not show
    its descriptor (then the file is kept, as filelock keeps it)."""
    descriptor = getattr(getattr(lock, "_context", None), "lock_file_fd", None)
    if not isinstance(descriptor, int):
        return None
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except OSError:
        return False


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
