"""Where a headed fleet's windows go: tiled over the screen, one cell each, each window scaled
to fit its cell whole, so that none covers another; each is titled with its environment (the
supervision script names it in the page's title)."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache

from automation.config import LaunchOptions

# Used when the screen's size cannot be read: a common laptop's, small enough that the windows
# fit on most screens (a window that would not fit its cell is scaled down, never cut).
DEFAULT_SCREEN = (1440, 900)
# A run's window: the page the evidence is taken at (1280x900, automation/browser/session.py)
# and Chromium's frame and toolbar around it, as Playwright sizes the window to fit the page.
WINDOW = (1288, 985)
# Below this a page's words cannot be made out: windows that many share a screen overlap.
SMALLEST_SCALE = 0.25


class TiledLaunch(LaunchOptions):
    """A headed fleet worker's launch: its window's place on the screen (window_position, in
    screen pixels) and how far the window is scaled down to fit its cell."""

    window_scale: float = 1.0


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    scale: float


def grid(screen: tuple[int, int], windows: int) -> tuple[int, int]:
    """Columns and rows of the tiling that shows `windows` windows largest."""
    return max(
        ((columns, math.ceil(windows / columns)) for columns in range(1, max(windows, 1) + 1)),
        key=lambda shape: _scale(screen, *shape),
    )


def _scale(screen: tuple[int, int], columns: int, rows: int) -> float:
    return min(1.0, screen[0] / columns / WINDOW[0], screen[1] / rows / WINDOW[1])


def cell(screen: tuple[int, int], windows: int, index: int) -> Cell:
    """The `index`-th window's place (its top left, in screen pixels) and scale, row by row."""
    columns, rows = grid(screen, windows)
    width, height = screen[0] // columns, screen[1] // rows
    scale = max(SMALLEST_SCALE, math.floor(_scale(screen, columns, rows) * 100) / 100)
    return Cell((index % columns) * width, (index // columns) * height, scale)


def tiled(launch: LaunchOptions, worker: int, workers: int) -> LaunchOptions:
    """The launch options of one worker of a headed fleet: its window's cell on the screen.
    A headless fleet's launch is left as it is: it has no window to place."""
    if not launch.headed:
        return launch
    place = cell(screen_size(), workers, worker)
    return TiledLaunch(
        **launch.model_dump(exclude={"window_position"}),
        window_position=(place.x, place.y),
        window_scale=place.scale,
    )


def window_args(launch: LaunchOptions) -> list[str]:
    """Chromium's switches for the window's place and scale. Chromium takes the place in
    its own (scaled) pixels: a window scaled to half at x=800 on the screen is at x=1600."""
    if launch.window_position is None:
        return []
    scale = launch.window_scale if isinstance(launch, TiledLaunch) else 1.0
    x, y = (round(at / scale) for at in launch.window_position)
    args = [f"--window-position={x},{y}"]
    if scale != 1.0:
        args.append(f"--force-device-scale-factor={scale:g}")
    return args


@cache
def screen_size() -> tuple[int, int]:
    """The screen's size in pixels, as the display says (the primary one where there are
    several); DEFAULT_SCREEN where it cannot be asked."""
    if sys.platform == "win32":
        import ctypes

        metrics = ctypes.windll.user32.GetSystemMetrics  # type: ignore[attr-defined]
        return int(metrics(16)), int(metrics(17))  # the work area: the taskbar left out
    xrandr = shutil.which("xrandr")
    if xrandr is None:
        return DEFAULT_SCREEN
    try:
        said = subprocess.run(
            [xrandr, "--current"], capture_output=True, text=True, timeout=5, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return DEFAULT_SCREEN  # no display to ask
    return screen_in(said) or DEFAULT_SCREEN


def screen_in(xrandr: str) -> tuple[int, int] | None:
    """The primary monitor's size in `xrandr --current`'s output, else the first connected
    one's, else the whole screen's."""
    for pattern in (
        r" connected primary (\d+)x(\d+)\+",
        r" connected (\d+)x(\d+)\+",
        r"current (\d+) x (\d+)",
    ):
        found = re.search(pattern, xrandr)
        if found:
            return int(found.group(1)), int(found.group(2))
    return None
