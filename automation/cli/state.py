"""Where sc-license keeps what must not live beside the recordings: the audit trail's heads,
and the one-change-at-a-time locks (SC_LICENSE_STATE_DIR chooses another folder, e.g. one
shared by the operators of a jump host)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from platformdirs import user_state_dir

from automation.errors import BadInput

STATE_DIR_VARIABLE = "SC_LICENSE_STATE_DIR"


def state_folder() -> Path:
    """SC_LICENSE_STATE_DIR, else the per-user state folder as platformdirs knows it:
    %LOCALAPPDATA%\\sc-license on Windows, ~/Library/Application Support/sc-license on macOS,
    $XDG_STATE_HOME/sc-license, else ~/.local/state/sc-license, elsewhere."""
    given = os.environ.get(STATE_DIR_VARIABLE)
    if given:
        return Path(given).expanduser().absolute()
    xdg = os.environ.get("XDG_STATE_HOME")
    if xdg and not Path(xdg).is_absolute() and sys.platform not in ("win32", "darwin"):
        # The XDG spec: a relative path there is to be ignored (platformdirs would take it).
        return Path.home() / ".local" / "state" / "sc-license"
    return Path(user_state_dir("sc-license", appauthor=False))


def usable_state_folder() -> Path:
    """The state folder, if this user can write in it, or a clear refusal before any run
    starts: a run whose lock and audit head cannot be kept must not begin."""
    folder = state_folder()
    problem = writing_refused(folder)
    if problem is not None:
        raise BadInput(
            f"sc-license's state folder {folder} (audit heads and locks) cannot be written: "
            f"{problem}. Nothing was done.",
            hint=f"Set {STATE_DIR_VARIABLE} to a folder this user can write to, "
            "or fix the permissions of this one.",
        )
    return folder


def writing_refused(folder: Path) -> str | None:
    """Why this user cannot make files in `folder` (made later if it is missing), or None:
    tried for real, as the operating system's permissions and ACLs decide."""
    try:
        absolute = folder.absolute()
        existing = next(path for path in (absolute, *absolute.parents) if path.exists())
        if not existing.is_dir():
            return f"{existing} is a file, not a folder"
        os.rmdir(tempfile.mkdtemp(prefix=".sc-license-", dir=existing))
    except OSError as error:
        return str(error.strerror or error)
    return None
