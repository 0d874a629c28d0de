"""Where sc-license keeps what must not live beside the recordings: the audit trail's heads,
and the one-change-at-a-time locks (SC_LICENSE_STATE_DIR chooses another folder, e.g. one
shared by the operators of a jump host)."""

from __future__ import annotations

import os
from pathlib import Path

STATE_DIR_VARIABLE = "SC_LICENSE_STATE_DIR"


def state_folder() -> Path:
    """SC_LICENSE_STATE_DIR, else the per-user state folder: %LOCALAPPDATA%\\sc-license on
    Windows, else $XDG_STATE_HOME/sc-license, else ~/.local/state/sc-license."""
    given = os.environ.get(STATE_DIR_VARIABLE)
    if given:
        return Path(given).expanduser().absolute()
    local = os.environ.get("LOCALAPPDATA")
    if os.name == "nt" and local:
        return Path(local) / "sc-license"
    xdg = os.environ.get("XDG_STATE_HOME")
    # The XDG spec: a relative path there is to be ignored.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "state"
    return base / "sc-license"
