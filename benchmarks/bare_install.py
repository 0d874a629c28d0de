"""The contender: the same clicks as `sc-license install`, with no evidence and no checks.

python benchmarks/bare_install.py URL USER LICENSE [CHROMIUM] (password in SC_LICENSE_PASSWORD)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright


def main() -> None:
    url, user, license_file = sys.argv[1:4]
    executable = sys.argv[4] if len(sys.argv) > 4 else None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_context(accept_downloads=True).new_page()
        page.goto(url)
        page.get_by_label("Username").fill(user)
        page.get_by_label("Password").fill(os.environ["SC_LICENSE_PASSWORD"])
        page.get_by_role("button", name="Login").click()
        page.get_by_role("link", name="Administration", exact=True).first.click()
        page.get_by_role("link", name="Licensing", exact=True).first.click()
        with page.expect_download() as download:
            page.get_by_role("link", name="Backup License").first.click()
        download.value.save_as(Path(tempfile.mkdtemp()) / "backup.lic")
        page.get_by_role("link", name="Upload New License").first.click()
        page.locator("input[type=file]").set_input_files(license_file)
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_text("Your license is valid")).to_be_visible()
        browser.close()


if __name__ == "__main__":
    main()
