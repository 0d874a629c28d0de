"""The contender: the same clicks as `sc-license install`, with no checks.

python benchmarks/bare_install.py URL USER LICENSE [CHROMIUM] [--evidence DIR]
(password in SC_LICENSE_PASSWORD)

Plain, it keeps no evidence. With `--evidence DIR` it keeps what `sc-license install` keeps, the
plain way: after each of the tool's nine steps a lossless PNG of the same 1280x900 viewport
(`page.screenshot`, animations stopped, as the tool takes them) and the page's ARIA snapshot;
the Licensing page's text read before the change and after loading Licensing again, as the tool
verifies; the backup kept in DIR. No caption strips (the tool joins each to its capture's PNG
rows with code of its own, png_stack, which a plain script would not have), no masking of
password boxes, no hashes, no run.json, no report, no audit log.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from tempfile import mkdtemp

from playwright.sync_api import Locator, Page, expect, sync_playwright


class Evidence:
    """The numbered screenshot and page text after each step, into `folder`; none without."""

    def __init__(self, page: Page, folder: Path | None) -> None:
        self.page, self.folder, self.number = page, folder, 0

    def step(self, shown: Locator | None = None) -> None:
        """After a step: once `shown` is on the page, its picture and its text."""
        if self.folder is None:
            return
        if shown is not None:
            shown.wait_for(state="attached")
        self.number += 1
        stem = self.folder / f"{self.number:02d}"
        self.page.screenshot(path=stem.with_suffix(".png"), animations="disabled")
        text = self.page.locator("body").aria_snapshot()
        stem.with_suffix(".aria.txt").write_text(text)

    def read_licensing(self, name: str) -> None:
        if self.folder is not None:
            (self.folder / name).write_text(self.page.locator("body").inner_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("user")
    parser.add_argument("license", type=Path)
    parser.add_argument("chromium", nargs="?")
    parser.add_argument("--evidence", type=Path, help="keep the same evidence, the plain way")
    options = parser.parse_args()
    folder: Path | None = options.evidence
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=options.chromium,
            args=[
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        # The tool's viewport with evidence; Playwright's default without, as before.
        viewport = {"width": 1280, "height": 900} if folder else None
        context = browser.new_context(accept_downloads=True, viewport=viewport)  # type: ignore[arg-type]
        page = context.new_page()
        kept = Evidence(page, folder)
        page.goto(options.url)
        kept.step()  # 1. Open Service Center
        page.get_by_label("Username").fill(options.user)
        page.get_by_label("Password").fill(os.environ["SC_LICENSE_PASSWORD"])
        page.get_by_role("button", name="Login").click()
        administration = page.get_by_role("link", name="Administration", exact=True).first
        kept.step(administration)  # 2. Sign in
        administration.click()
        licensing = page.get_by_role("link", name="Licensing", exact=True).first
        kept.step(licensing)  # 3. Click the Administration tab
        licensing.click()
        backup = page.get_by_role("link", name="Backup License").first
        if folder is not None:
            backup.wait_for()
            kept.read_licensing("licensing-before.txt")
        kept.step()  # 4. Open the Licensing submenu
        licensing_url = page.url
        with page.expect_download() as download:
            backup.click()
        download.value.save_as((folder or Path(mkdtemp())) / "backup.lic")
        kept.step()  # 5. Back up the installed license
        page.get_by_role("link", name="Upload New License").first.click()
        file_input = page.locator("input[type=file]")
        kept.step(file_input)  # 6. Click Upload New License
        file_input.set_input_files(options.license)
        kept.step()  # 7. Choose the new license file
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_text("Your license is valid")).to_be_visible()
        kept.step()  # 8. Upload the new license file
        if folder is not None:  # 9. Verify, on Licensing loaded again
            page.goto(licensing_url)
            expect(page.get_by_text("Your license is valid")).to_be_visible()
            kept.read_licensing("licensing-after.txt")
            kept.step()
        browser.close()


if __name__ == "__main__":
    main()
