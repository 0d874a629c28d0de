"""A report printed by Chromium itself: the PDF a reviewer files, as the print stylesheet
lays it out on A4."""

from __future__ import annotations

from pathlib import Path

from automation.browser.session import open_browser, start_playwright
from automation.config import LaunchOptions
from automation.errors import EvidenceNotWritten


def print_pdf(html: Path, pdf: Path, launch: LaunchOptions) -> Path:
    """Open `html` from disk in a local headless Chromium and print it to `pdf` (A4)."""
    local = launch.model_copy(update={"endpoint": None, "headed": False})  # it reads local files
    with start_playwright() as playwright, open_browser(playwright, local) as (browser, _):
        page = browser.new_page()
        page.goto(html.resolve().as_uri())
        page.emulate_media(media="print")
        data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        page.close()
    partial = pdf.with_name(f".{pdf.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(pdf)  # never half a PDF where a reviewer looks for one
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise EvidenceNotWritten(
            f"{pdf} could not be written ({error.strerror or error}); report.html is as it was.",
            hint="Free some space in the run's folder, or make it writable, then run again.",
        ) from None
    return pdf
