"""A report printed by Chromium itself: the PDF a reviewer files, as the print stylesheet
lays it out on A4, each page headed with what ran where and footed with the run and its
page number, so that a loose page still says whose it is."""

from __future__ import annotations

from html import escape
from pathlib import Path

from automation.browser.session import open_browser, start_playwright
from automation.config import LaunchOptions
from automation.errors import EvidenceNotWritten

# Chromium draws these in the page's top and bottom margins (the report's @page rule leaves
# room): in a template of its own, unstyled by the report, with its own font size.
EDGE = (
    '<div style="width: 100%; margin: 0 12mm; display: flex; justify-content: space-between; '
    'gap: 8mm; font: 8pt system-ui, sans-serif; color: #555;">{}</div>'
)
TEXT = '<span style="white-space: nowrap; overflow: hidden; text-overflow: ellipsis;">{}</span>'
PAGE_OF = (
    '<span style="white-space: nowrap;">page <span class="pageNumber"></span> of '
    '<span class="totalPages"></span></span>'
)


def header(title: str) -> str:
    """What heads each page: the report's title (the flow, the environment, the outcome)."""
    return EDGE.format(TEXT.format(escape(title)))


def footer(run: str) -> str:
    """What foots each page: the run folder's name (the run's id) and "page X of Y"."""
    return EDGE.format(TEXT.format(f"sc-license run {escape(run)}") + PAGE_OF)


def print_pdf(html: Path, pdf: Path, launch: LaunchOptions) -> Path:
    """Open `html` from disk in a local headless Chromium and print it to `pdf` (A4)."""
    local = launch.model_copy(update={"endpoint": None, "headed": False})  # it reads local files
    with start_playwright() as playwright, open_browser(playwright, local) as (browser, _):
        page = browser.new_page()
        page.goto(html.resolve().as_uri())
        page.emulate_media(media="print")
        data = page.pdf(
            format="A4",
            print_background=True,
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template=header(page.title()),
            footer_template=footer(html.parent.name),
        )
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
