"""A headed fleet's windows are tiled over the screen, each whole in a cell of its own (scaled
down as far as it must be), whatever the screen's size; the evidence is taken as before."""

from __future__ import annotations

import itertools
import struct

import pytest
from playwright.sync_api import Playwright

from automation.browser.discovery import find_browser
from automation.browser.session import VIEWPORT, open_browser
from automation.browser.windows import (
    SMALLEST_SCALE,
    WINDOW,
    TiledLaunch,
    cell,
    grid,
    screen_in,
    tiled,
    window_args,
)
from automation.config import LaunchOptions


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height, from its header."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


@pytest.mark.parametrize(
    ("screen", "windows", "shape", "scale"),
    [
        ((1600, 1000), 1, (1, 1), 1.0),
        ((1600, 1000), 2, (2, 1), 0.62),
        ((1600, 1000), 4, (2, 2), 0.5),
        ((1920, 1080), 4, (2, 2), 0.54),
        ((1920, 1080), 6, (3, 2), 0.49),
        ((1600, 1000), 12, (4, 3), 0.31),
        ((3840, 2160), 4, (2, 2), 1.0),
        ((1440, 900), 24, (6, 4), SMALLEST_SCALE),  # too many to show whole: they overlap
    ],
)
def test_windows_are_tiled_in_the_shape_that_shows_them_largest(
    screen: tuple[int, int], windows: int, shape: tuple[int, int], scale: float
) -> None:
    assert grid(screen, windows) == shape
    assert {cell(screen, windows, index).scale for index in range(windows)} == {scale}


@pytest.mark.parametrize(
    ("screen", "windows"),
    [((1600, 1000), 4), ((1600, 1000), 5), ((1366, 768), 3), ((2560, 1440), 12)],
)
def test_each_window_is_whole_on_the_screen_and_covers_no_other(
    screen: tuple[int, int], windows: int
) -> None:
    boxes = []
    for index in range(windows):
        place = cell(screen, windows, index)
        width, height = WINDOW[0] * place.scale, WINDOW[1] * place.scale
        assert place.x + width <= screen[0] and place.y + height <= screen[1]
        boxes.append((place.x, place.y, place.x + width, place.y + height))
    for (ax, ay, aright, abottom), (bx, by, bright, bbottom) in itertools.combinations(boxes, 2):
        assert aright <= bx or bright <= ax or abottom <= by or bbottom <= ay


@pytest.mark.parametrize(
    ("said", "size"),
    [
        (
            "Screen 0: minimum 8 x 8, current 3520 x 1080, maximum 32767 x 32767\n"
            "HDMI-1 connected 1920x1080+1600+0 (normal left inverted) 527mm x 296mm\n"
            "eDP-1 connected primary 1600x1000+0+0 (normal left inverted) 302mm x 189mm\n",
            (1600, 1000),
        ),
        (
            "Screen 0: minimum 8 x 8, current 1920 x 1080, maximum 32767 x 32767\n"
            "Virtual-1 connected 1920x1080+0+0 0mm x 0mm\n",
            (1920, 1080),
        ),
        ("Screen 0: minimum 1 x 1, current 1280 x 1024, maximum 1280 x 1024\n", (1280, 1024)),
        ("", None),
    ],
)
def test_the_screen_is_the_primary_monitor_xrandr_names(
    said: str, size: tuple[int, int] | None
) -> None:
    assert screen_in(said) == size


@pytest.mark.parametrize(
    ("launch", "args"),
    [
        (LaunchOptions(), []),
        (LaunchOptions(window_position=(10, 20)), ["--window-position=10,20"]),
        (
            TiledLaunch(window_position=(800, 500), window_scale=0.5),
            ["--window-position=1600,1000", "--force-device-scale-factor=0.5"],
        ),
        (TiledLaunch(window_position=(0, 0), window_scale=1.0), ["--window-position=0,0"]),
    ],
)
def test_chromium_is_told_the_windows_place_in_its_own_scaled_pixels(
    launch: LaunchOptions, args: list[str]
) -> None:
    assert window_args(launch) == args


def test_a_headless_fleet_has_no_window_to_place() -> None:
    launch = LaunchOptions(headed=False)
    assert tiled(launch, 3, 4) is launch


def test_a_scaled_window_opens_in_its_place_and_the_evidence_keeps_its_size(
    playwright: Playwright,
) -> None:
    # Headless here (no display), on the full Chromium a headed run uses: the headless shell
    # has no windows to place.
    full = find_browser(playwright, None, headless=False)
    assert full is not None
    launch = TiledLaunch(executable=full.executable, window_position=(800, 500), window_scale=0.5)
    with open_browser(playwright, launch) as (browser, _):
        page = browser.new_context(viewport=VIEWPORT).new_page()  # type: ignore[arg-type]
        bounds = page.context.new_cdp_session(page).send("Browser.getWindowForTarget")["bounds"]
        page.set_content("<h1>Licensing</h1>")
        shot = page.screenshot()
    # Chromium's pixels, half the screen's each: on the screen, at (800, 500), half size.
    assert (bounds["left"], bounds["top"]) == (1600, 1000)
    assert png_size(shot) == (VIEWPORT["width"], VIEWPORT["height"])
