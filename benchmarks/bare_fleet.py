"""The fleet contender: the bare script's clicks for many environments in one browser, a few
at a time, with no evidence and no checks. The fastest a fleet of these clicks can go here.

python benchmarks/bare_fleet.py JOBS.json [CHROMIUM] [--parallel N]
JOBS.json: [{"url": ..., "user": ..., "password": ..., "license": ...}, ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from pathlib import Path

from playwright.async_api import Browser, async_playwright, expect


async def install(browser: Browser, job: dict[str, str], gate: asyncio.Semaphore) -> None:
    async with gate:
        context = await browser.new_context(accept_downloads=True)
        page = await context.new_page()
        await page.goto(job["url"])
        await page.get_by_label("Username").fill(job["user"])
        await page.get_by_label("Password").fill(job["password"])
        await page.get_by_role("button", name="Login").click()
        await page.get_by_role("link", name="Administration", exact=True).first.click()
        await page.get_by_role("link", name="Licensing", exact=True).first.click()
        async with page.expect_download() as download:
            await page.get_by_role("link", name="Backup License").first.click()
        await (await download.value).save_as(Path(tempfile.mkdtemp()) / "backup.lic")
        await page.get_by_role("link", name="Upload New License").first.click()
        await page.locator("input[type=file]").set_input_files(job["license"])
        await page.get_by_role("button", name="Upload").click()
        await expect(page.get_by_text("Your license is valid")).to_be_visible()
        await context.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("jobs", type=Path)
    parser.add_argument("chromium", nargs="?")
    parser.add_argument("--parallel", type=int, default=4)
    options = parser.parse_args()
    jobs = json.loads(options.jobs.read_text())
    gate = asyncio.Semaphore(options.parallel)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=options.chromium)
        await asyncio.gather(*(install(browser, job, gate) for job in jobs))
        await browser.close()


if __name__ == "__main__":
    asyncio.run(main())
