"""This machine's state folder for sc-license: what must hold across evidence folders, such
as the one-change-at-a-time locks. SC_LICENSE_STATE_DIR chooses another (e.g. one shared by
the operators of a jump host)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

VARIABLE = "SC_LICENSE_STATE_DIR"


def state_dir() -> Path:
    explicit = os.environ.get(VARIABLE)
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "sc-license"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "sc-license"
    xdg = os.environ.get("XDG_STATE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "state") / "sc-license"
