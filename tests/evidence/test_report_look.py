"""How a report looks to a reviewer in a real Chromium: severity colours, large screenshots
with captions, a lightbox to step through them, a printable A4 page and a PDF."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.in_process import run_in_process
from tests.support.markup import parse
from tests.support.recordings import FinishedRuns

GREEN, AMBER = "rgb(46, 125, 50)", "rgb(138, 83, 0)"


def colour(page: Page, selector: str) -> str:
    return str(page.locator(selector).evaluate("e => getComputedStyle(e).color"))


def test_index_colours_each_run_by_what_it_means(page: Page, runs: FinishedRuns) -> None:
    page.goto((runs.root / "index.html").as_uri())
    installed = f"#runs tr:has(a[href^='{runs.installed.name}']) td.sev"
    refused = f"#runs tr:has(a[href^='{runs.refused.name}']) td.sev"
    expect(page.locator(installed)).to_have_class(re.compile("sev-done"))
    assert colour(page, installed) == GREEN
    # A wrong password changed nothing: amber, not the red of a failed rollback.
    expect(page.locator(refused)).to_have_class(re.compile("sev-unchanged"))
    assert colour(page, refused) == AMBER


def test_report_heads_with_the_severity_and_highlights_changed_fields(
    runs: FinishedRuns,
) -> None:
    installed = parse((runs.installed / "report.html").read_text())
    outcome = installed.find(id="outcome")
    assert "sev-done" in outcome.attrs["class"]
    assert "Done as intended" in outcome.lines()[0]
    changed = [cell.text().strip() for cell in installed.find_all("td", **{"class": "changed"})]
    record = json.loads((runs.installed / "run.json").read_text())
    assert record["license_after"]["activation_code"] in changed
    refused = parse((runs.refused / "report.html").read_text())
    assert "sev-unchanged" in refused.find(id="outcome").attrs["class"]
    assert "Nothing changed" in refused.find(id="outcome").lines()[0]


def test_screenshots_are_shown_large_with_their_caption(page: Page, runs: FinishedRuns) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto((runs.installed / "report.html").as_uri())
    record = json.loads((runs.installed / "run.json").read_text())
    shots = page.locator("#steps figure.shot")
    expect(shots).to_have_count(len(record["steps"]))
    for shot in shots.all():
        box = shot.locator("img").bounding_box()
        assert box is not None and box["width"] >= 900, box
    first = record["steps"][0]
    expect(shots.first.locator("figcaption")).to_have_text(
        re.compile(f"Step 1 · {first['name']} · passed · {first['screenshot']} · SHA-256 ")
    )
    expect(shots.first.locator("figcaption")).to_contain_text(first["screenshot_sha256"])


def test_the_lightbox_steps_through_screenshots_and_escape_returns_where_the_reader_was(
    page: Page, runs: FinishedRuns
) -> None:
    page.goto((runs.installed / "report.html").as_uri())
    third = page.locator("#step-3 img")
    third.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 0
    third.click()
    lightbox = page.get_by_role("dialog", name="Screenshot")
    expect(lightbox).to_be_visible()
    expect(lightbox).to_contain_text("Step 3 · ")
    page.keyboard.press("ArrowRight")
    expect(lightbox).to_contain_text("Step 4 · ")
    lightbox.get_by_role("button", name="Previous screenshot").click()
    expect(lightbox).to_contain_text("Step 3 · ")
    lightbox.get_by_role("button", name="Next screenshot").click()
    expect(lightbox).to_contain_text("Step 4 · ")
    page.keyboard.press("Escape")
    expect(lightbox).to_be_hidden()
    assert page.evaluate("window.scrollY") == before
    assert page.evaluate("document.activeElement.closest('#step-3') !== null")


def test_a_failed_run_links_to_its_first_failure(page: Page, runs: FinishedRuns) -> None:
    page.goto((runs.refused / "report.html").as_uri())
    page.get_by_role("link", name=re.compile("Jump to the first failure")).click()
    assert page.url.endswith("#step-2")
    expect(page.locator("#step-2")).to_be_in_viewport()
    expect(page.locator("#step-2 .step-name")).to_have_text("Sign in")


def test_printed_on_a4_two_screenshots_fit_a_page_and_no_lightbox_shows(
    page: Page, runs: FinishedRuns
) -> None:
    page.set_viewport_size({"width": 703, "height": 1123})  # A4 less its margins, at 96 dpi
    page.emulate_media(media="print")
    page.goto((runs.installed / "report.html").as_uri())
    width = page.evaluate("document.querySelector('main').clientWidth")
    for image in page.locator("#steps figure.shot img").all():
        box = image.bounding_box()
        # At most 84 mm high (318 px): two steps, their captions and names, to a page.
        assert box is not None and box["height"] <= 318 and box["width"] >= 0.5 * width, box
    expect(page.locator("#lightbox")).to_be_hidden()
    expect(page.locator("nav.links")).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    breaks = page.locator("figure.shot").first.evaluate("e => getComputedStyle(e).breakInside")
    assert breaks == "avoid"


def test_audit_report_pdf_prints_the_report_and_verify_still_passes(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    done = run_in_process(
        ["audit", "report", runs.installed.name, "--out", str(root), "--pdf"], cwd=root.parent
    )
    assert done.exit_code == 0, done.stderr
    pdf = (root / runs.installed.name / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2  # the steps' screenshots need pages
    assert "report.pdf" in done.stdout
    verified = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert verified.exit_code == 0, verified.stderr  # the PDF is derived, not sealed


def test_a_report_shows_everything_without_javascript(
    page: Page, runs: FinishedRuns, browser_name: str
) -> None:
    context = page.context.browser.new_context(java_script_enabled=False)  # type: ignore[union-attr]
    plain = context.new_page()
    plain.goto((runs.installed / "report.html").as_uri())
    record = json.loads((runs.installed / "run.json").read_text())
    expect(plain.locator("#steps figure.shot img")).to_have_count(len(record["steps"]))
    expect(plain.locator("#lightbox")).to_be_hidden()
    plain.locator("#step-1 a.shot-link").click()
    assert plain.url.endswith(record["steps"][0]["screenshot"])  # the image itself opens
    context.close()
