"""A report read on a laptop, on a narrow screen and on paper: no serial, activation code,
address, option or run folder cut across two lines (at 1400 and 800 px, and as printed); a
rollback's PDF two steps to a page, each page headed and footed with what ran, where, the run
and "page X of Y"; a fleet's PDF with its table as lists that fit the page."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automation.browser.pdf import print_pdf
from automation.config import LaunchOptions
from automation.evidence.files import write_atomically
from automation.evidence.records import FleetEntry, RunRecord, load_record
from automation.evidence.report import build_report
from automation.sandbox.licenses import issue_license, render_license
from tests.support import sandboxes
from tests.support.cli import environment_for
from tests.support.in_process import own_process, run_in_process
from tests.support.pdf import Pdf

ENVIRONMENT = "prod-eu-west-environment"
FLEET = [ENVIRONMENT, "acceptance-north-america-2", "dev"]
# A rollback's report printed on 18 pages when it held one step a page: now 10 at most.
MOST_PAGES = 10

# For each string, whether any occurrence of it in the page is laid out over more than one
# line, or past the page's right edge.
CUT = """(tokens) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push([node, text.length]);
    text += node.data;
  }
  const at = (index) => {
    let found = nodes[0];
    for (const entry of nodes) { if (entry[1] <= index) found = entry; else break; }
    return [found[0], index - found[1]];
  };
  const right = document.documentElement.clientWidth;
  const cut = [];
  for (const token of tokens) {
    for (let index = text.indexOf(token); index >= 0; index = text.indexOf(token, index + 1)) {
      const range = document.createRange();
      range.setStart(...at(index));
      range.setEnd(...at(index + token.length - 1));
      range.setEnd(range.endContainer, range.endOffset + 1);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      if (!rects.length) continue;  // not shown (a lightbox, a print-only note)
      const tops = new Set(rects.map((r) => Math.round(r.top + r.height / 2)));
      const lines = [...tops].filter((t) => ![...tops].some((u) => u < t && t - u < 4));
      if (lines.length > 1 || rects.some((r) => r.right > right + 1)) cut.push(token);
    }
  }
  return cut;
}"""


@pytest.fixture(scope="module")
def rollback(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real install whose new license and rollback Service Center shows invalid: 14 steps."""
    work = tmp_path_factory.mktemp("paper")
    sandbox = sandboxes.start(invalid_after_uploads=2)
    try:
        (work / "new.lic").write_bytes(render_license(issue_license(sandbox.serial)))
        done = run_in_process(
            [
                *("install", "--url", sandbox.url, "--user", sandbox.user),
                *("--license", "new.lic", "--env-name", ENVIRONMENT, "--yes", "--json"),
            ],
            cwd=work,
            env={"SC_LICENSE_PASSWORD": sandbox.password},
        )
        assert done.exit_code == 6, done.stderr
        yield work / json.loads(done.stdout)["run_folder"]
    finally:
        sandbox.server.stop()


@pytest.fixture(scope="module")
def fleet(rollback: Path) -> Path:
    """A fleet's summary of three environments that each ended as `rollback` did."""
    record = load_record(rollback)
    entries = [
        FleetEntry.of(record.model_copy(update={"environment": name}), rollback.name)
        for name in FLEET
    ]
    summary: RunRecord = record.model_copy(
        update={
            "environment": "fleet",
            "fleet": entries,
            "steps": [],
            "artifacts": [],
            "checks": [],
            "license_before": None,
            "license_file": None,
            "license_uploaded": None,
            "license_after": None,
        }
    )
    folder = rollback.parent / "20991231T000000Z-fleet-install"
    folder.mkdir()
    write_atomically(folder / "run.json", summary.model_dump_json(indent=2).encode())
    build_report(folder)
    return folder


def tokens_of(folder: Path) -> list[str]:
    """What a reader copies whole from a report: serials, codes, addresses, folders, options."""
    record = load_record(folder)
    shown = [record.license_before, record.license_file, record.license_after]
    address = re.match(r"https?://[^/]+/", record.url)
    codes = {license.activation_code for license in shown if license}
    return [
        str(record.license_before.serial_number if record.license_before else ""),
        *(code for code in codes if code),
        *(address.group() if address else record.url, folder.name),
        *("--env-name", "--password-env", "--from"),
        *(artifact.file for artifact in record.artifacts if artifact.file.startswith("backup-")),
        record.outcome,  # one word, in a fleet's narrow Outcome column too
    ]


# A laptop, a window half a screen wide, a narrow screen, and A4 less its margins at 96 dpi.
@pytest.mark.parametrize(
    ("media", "width"), [("screen", 1400), ("screen", 1000), ("screen", 800), ("print", 703)]
)
@pytest.mark.parametrize("report", ["rollback", "fleet"])
def test_no_serial_code_address_option_or_run_folder_is_cut_across_lines(
    page: Page, request: pytest.FixtureRequest, rollback: Path, report: str, media: str, width: int
) -> None:
    folder: Path = request.getfixturevalue(report)
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(media="print" if media == "print" else "screen")
    page.goto((folder / "report.html").as_uri())
    tokens = tokens_of(rollback)
    shown = page.inner_text("body")
    assert tokens[0] in shown and rollback.name in shown  # the serial, the run folder

    assert page.evaluate(CUT, tokens) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(("media", "width"), [("screen", 1400), ("screen", 800), ("print", 703)])
def test_the_index_keeps_each_run_folder_and_environment_whole(
    page: Page, rollback: Path, fleet: Path, media: str, width: int
) -> None:
    """The list of runs as wide or as narrow as the report: its values are never cut either
    (on a narrow screen, and on paper, each run becomes a list of its values)."""
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(media="print" if media == "print" else "screen")
    page.goto((rollback.parent / "index.html").as_uri())
    tokens = [rollback.name, ENVIRONMENT, load_record(rollback).started_at.strftime("%Y-%m-%d")]
    assert rollback.name in page.inner_text("body")

    assert page.evaluate(CUT, tokens) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_rollback_prints_two_steps_a_page_each_page_headed_and_footed_with_the_run(
    rollback: Path,
) -> None:
    done = run_in_process(
        ["audit", "report", rollback.name, "--pdf", "--out", str(rollback.parent)],
        cwd=rollback.parent.parent,
    )
    assert done.exit_code == 0, done.stderr
    pages = [
        " ".join(unicodedata.normalize("NFKC", text).split())
        for text in Pdf.read((rollback / "report.pdf").read_bytes()).texts()
    ]

    assert len(pages) <= MOST_PAGES
    for number, text in enumerate(pages, 1):
        assert f"install on {ENVIRONMENT} — rollback-failed" in text
        assert f"sc-license run {rollback.name}" in text
        assert f"page {number} of {len(pages)}" in text
    steps = len(load_record(rollback).steps)
    shots = [len(re.findall(r"Step \d+ · ", text)) for text in pages]
    assert sum(shots) == steps and max(shots) == 2
    assert shots.count(2) >= steps // 2 - 2


def test_a_fleets_pdf_lists_each_environment_with_its_values_whole(
    fleet: Path, rollback: Path, tmp_path: Path
) -> None:
    with own_process(tmp_path, environment_for(None, None)):  # the tests' Playwright driver
        pdf = print_pdf(fleet / "report.html", tmp_path / "fleet.pdf", LaunchOptions())
    lines = [
        " ".join(unicodedata.normalize("NFKC", line).split())
        for text in Pdf.read(pdf.read_bytes()).texts()
        for line in text.splitlines()
    ]
    serial = tokens_of(rollback)[0]

    for name in FLEET:
        assert f"Environment: {name}" in lines, lines
    assert lines.count(f"Report: {rollback.name}") == len(FLEET)
    assert sum(serial in line for line in lines) >= len(FLEET)
