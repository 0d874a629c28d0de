"""One change at a time per environment: an OS file lock under the recordings root.

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


@contextmanager
def environment_lock(root: Path, url: str, run_folder: Path) -> Iterator[Path]:
    """Hold the lock for the environment at `url` (its host and port) while a change runs;
    refuse at once, naming the holder, if another run holds it."""
    folder = root / ".locks"
    folder.mkdir(parents=True, exist_ok=True)
    key = slug(urlsplit(url).netloc) or "environment"
    path = folder / f"{key}.lock"
    holder = folder / f"{key}.holder.json"
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        other = _read(holder)
        raise Refused(
            f"Another run is changing {url}: {other.get('run_folder', '?')} "
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
                    "url": url,
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
