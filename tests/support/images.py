"""Reading the evidence's PNGs as a reviewer sees them, with the browser's own decoder."""

from __future__ import annotations

import base64

from playwright.sync_api import Page


def pixel(page: Page, png: bytes, x: int, y: int) -> list[int]:
    """One pixel's red, green and blue."""
    rgb: list[int] = page.evaluate(
        """async ([data, x, y]) => {
            const image = new Image();
            image.src = 'data:image/png;base64,' + data;
            await image.decode();
            const canvas = new OffscreenCanvas(image.width, image.height);
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            return Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
        }""",
        [base64.b64encode(png).decode(), x, y],
    )
    return rgb


def pixels_of_colour(page: Page, png: bytes, rgb: tuple[int, int, int]) -> int:
    """How many pixels are exactly this colour."""
    return int(
        page.evaluate(
            """async ([data, r, g, b]) => {
                const image = new Image();
                image.src = 'data:image/png;base64,' + data;
                await image.decode();
                const canvas = new OffscreenCanvas(image.width, image.height);
                const context = canvas.getContext('2d');
                context.drawImage(image, 0, 0);
                const d = context.getImageData(0, 0, image.width, image.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) {
                    if (d[i] === r && d[i + 1] === g && d[i + 2] === b) n++;
                }
                return n;
            }""",
            [base64.b64encode(png).decode(), *rgb],
        )
    )


def pixels_differing(page: Page, first: bytes, second: bytes, tolerance: int = 0) -> int:
    """How many pixels differ where both images have one (the top-left area they share), by
    more than `tolerance` in a colour (anti-aliased edges may differ by 1 from one frame of the
    same page to the next)."""
    return int(
        page.evaluate(
            """async ([a, b, t]) => {
                const load = async (data) => {
                    const image = new Image();
                    image.src = 'data:image/png;base64,' + data;
                    await image.decode();
                    return image;
                };
                const [one, two] = [await load(a), await load(b)];
                const w = Math.min(one.width, two.width), h = Math.min(one.height, two.height);
                const read = (image) => {
                    const canvas = new OffscreenCanvas(w, h);
                    const context = canvas.getContext('2d');
                    context.drawImage(image, 0, 0);
                    return context.getImageData(0, 0, w, h).data;
                };
                const [x, y] = [read(one), read(two)];
                let n = 0;
                for (let i = 0; i < x.length; i += 4) {
                    const off = (k) => Math.abs(x[i + k] - y[i + k]) > t;
                    if (off(0) || off(1) || off(2)) n++;
                }
                return n;
            }""",
            [base64.b64encode(first).decode(), base64.b64encode(second).decode(), tolerance],
        )
    )
