"""Where a headed fleet's windows go: one place per worker, in a grid over the screen, so
they do not open on top of each other."""

from __future__ import annotations

import math

from automation.config import LaunchOptions

# A guess: the smallest screen an operator is likely to supervise from. Each window keeps
# the page size the evidence is taken at (1280x900; Playwright sizes the window to fit), so
# on a smaller grid cell the windows overlap, each showing its top left: the title, and the
# step label with the environment's name.
SCREEN = (1920, 1080)


def tiled(launch: LaunchOptions, worker: int, workers: int) -> LaunchOptions:
    """The launch options of one worker of a fleet: its window's place on the screen."""
    columns = math.ceil(math.sqrt(workers))
    rows = math.ceil(workers / columns)
    width, height = SCREEN[0] // columns, SCREEN[1] // rows
    place = ((worker % columns) * width, (worker // columns) * height)
    return launch.model_copy(update={"window_position": place})


def window_args(launch: LaunchOptions) -> list[str]:
    """Chromium's switch for the window's place (a headless window has one too, unseen)."""
    if launch.window_position is None:
        return []
    x, y = launch.window_position
    return [f"--window-position={x},{y}"]
