"""The defaults a command's options show in --help, kept apart from the models that carry them
(automation/config.py) so that the help loads no models."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

NAVIGATION_TIMEOUT_MS = 30_000
ACTION_TIMEOUT_MS = 15_000
# Where runs go, under the working folder.
OUT = Path("recordings")

# pytest-playwright's words for when to keep a trace or a video.
Keep = Literal["on", "off", "retain-on-failure"]
