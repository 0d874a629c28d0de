"""One change at a time per environment: a lock file under the recordings root."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import psutil

from automation.config import slug
from automation.errors import Refused


@contextmanager
def environment_lock(root: Path, url: str, run_folder: Path) -> Iterator[Path]:
    """Hold the lock for `url` while a change runs; refuse at once if another run holds it.

    A lock left by a process that is gone (same machine, pid no longer running) is stale
    and taken over.
    """
    folder = root / ".locks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug(url)}.lock"
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "run_folder": str(run_folder),
        "url": url,
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    # Written aside, then linked into place: a lock file is never seen half-written.
    mine = folder / f".{path.name}.{os.getpid()}"
    mine.write_text(json.dumps(holder))
    try:
        _take(path, mine, url)
    finally:
        mine.unlink()
    try:
        yield path
    finally:
        with suppress(FileNotFoundError):
            if _read(path).get("pid") == os.getpid():
                path.unlink()


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _alive(holder: dict[str, object]) -> bool:
    """Whether the process holding a lock still runs; unknown hosts count as alive."""
    pid = holder.get("pid")
    if not isinstance(pid, int):
        return False  # unreadable: no run can be holding it
    if holder.get("host") != socket.gethostname():
        return True
    return bool(psutil.pid_exists(pid))


def _take(path: Path, mine: Path, url: str) -> None:
    for _ in range(2):
        try:
            os.link(mine, path)
            return
        except FileExistsError:
            other = _read(path)
            if _alive(other):
                raise Refused(
                    f"Another run is changing {url}: {other.get('run_folder', '?')} "
                    f"(process {other.get('pid', '?')} on {other.get('host', '?')}, "
                    f"since {other.get('since', '?')}). Nothing was done.",
                    hint=f"Wait for it to finish. If you are sure it is gone, delete {path}.",
                ) from None
            path.unlink(missing_ok=True)  # stale: its process is gone
    raise Refused(f"Could not take the lock {path}.", hint="Try again.")
