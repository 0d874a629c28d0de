"""A fleet's summary report as a reviewer reads it: headed by its most severe group with
counts, a table that fits the page, a reason per environment, links both ways."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Page, expect

from automation.evidence.records import FleetEntry, RunRecord
from automation.evidence.report import render_report
from automation.sandbox.licenses import issue_license, random_serial, render_license
from tests.cli.test_fleet import by_name, inventory
from tests.support.fixture_types import RunCli, StartSandbox
from tests.support.markup import parse


def test_a_fleet_summary_reads_as_counts_fits_the_page_and_links_both_ways(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path, page: Page
) -> None:
    sandboxes = {"alpha": start_sandbox(), "beta": start_sandbox()}
    sandboxes["flaky"] = start_sandbox(invalid_after_uploads=1)
    licenses = tmp_path / "licenses"
    licenses.mkdir()
    for name, sandbox in sandboxes.items():
        (licenses / f"{name}.lic").write_bytes(render_license(issue_license(sandbox.serial)))
    (licenses / "for-nobody.lic").write_bytes(render_license(issue_license(random_serial())))
    path, passwords = inventory(tmp_path, sandboxes)

    args = ["--inventory", str(path), "--licenses", str(licenses), "--all", "--parallel", "2"]
    done = run_cli(["install", *args], env=passwords)

    assert done.exit_code == 4, done.stderr
    # The terminal heads the fleet as the report does: the most severe group, with counts.
    assert "Partly done: 2 installed, 1 rolled back." in " ".join(done.stdout.split())
    recordings = tmp_path / "recordings"
    summary_folder = next(recordings.glob("*-fleet-install"))
    summary = json.loads((summary_folder / "run.json").read_text())
    entries = by_name(summary)
    for entry in entries.values():  # each member says which fleet it was part of
        member = json.loads((recordings / entry["run_folder"] / "run.json").read_text())
        assert member["fleet_run"] == summary_folder.name

    html = parse((summary_folder / "report.html").read_text())
    outcome = html.find(id="outcome")
    assert "sev-unchanged" in outcome.attrs["class"]  # a rollback: nothing changed there
    assert "2 installed, 1 rolled back" in " ".join(outcome.lines())
    assert "The run failed" not in " ".join(outcome.lines())
    text = "\n".join(html.lines())
    for placeholder in ("local browser", "Signed in as", "Browser"):
        assert placeholder not in text
    headings = [h.text().strip() for h in html.find_all("h2")]
    assert "Steps" not in headings and "Files and their SHA-256" not in headings
    warning = next(w for w in summary["warnings"] if "for-nobody.lic" in w)
    assert text.count(warning) == 1
    header = [th.text().strip() for th in html.find(id="fleet").find_all("tr")[0].find_all("th")]
    assert "Reason" in header
    flaky = html.find("tr", **{"data-environment": "flaky"})
    reason = flaky.find("td", **{"class": "reason"}).text().strip()
    assert reason and reason != "rolled-back"
    assert "Environments" in text and "Workers" in text

    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto((summary_folder / "report.html").as_uri())
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    expect(page.locator("#fleet tr[data-environment='flaky'] td.sev")).to_have_class(
        "sev sev-unchanged"
    )
    page.get_by_role("link", name=entries["beta"]["run_folder"]).click()
    expect(page.locator("h1")).to_contain_text("beta")
    page.get_by_role("link", name="Fleet summary").click()
    expect(page.locator("#fleet")).to_be_visible()
    page.get_by_role("link", name="All runs (index)").click()
    expect(page.locator("#runs")).to_contain_text(summary_folder.name)
    fleet_row = page.locator(f"#runs tr:has(a[href^='{summary_folder.name}'])")
    expect(fleet_row.locator("td.sev")).to_have_text(
        "Partly done: 2 installed, 1 rolled back"
    )  # as audit list says
    expect(fleet_row.locator("td.sev")).to_have_class("sev sev-unchanged")
    expect(fleet_row.locator("td.sev")).not_to_have_attribute("title", re.compile("failed"))


def test_run_json_from_before_fleets_were_linked_still_loads() -> None:
    old = {
        "flow": "install",
        "environment": "fleet",
        "url": "local browser",
        "user": "-",
        "operator": "someone",
        "started_at": "2026-11-01T10:00:00Z",
        "fleet": [
            {
                "environment": "a",
                "url": "https://a",
                "outcome": "refused",
                "exit_code": 3,
                "message": "Refused.",
            }
        ],
    }
    record = RunRecord.model_validate(old)
    assert record.fleet_run is None and record.workers is None
    assert record.fleet == [FleetEntry.model_validate(old["fleet"][0])]


def test_a_fleet_cut_off_before_its_end_still_reads_as_a_fleet(tmp_path: Path) -> None:
    folder = tmp_path / "20261101T100000Z-fleet-install"
    folder.mkdir()
    cut_off = RunRecord(
        flow="install",
        environment="fleet",
        url="local browser",
        user="-",
        operator="someone",
        started_at=datetime(2026, 11, 1, 10, tzinfo=UTC),
        fleet=[],
        workers=2,
    )
    (folder / "run.json").write_text(cut_off.model_dump_json())
    html = parse(render_report(folder))
    text = "\n".join(html.lines())
    assert "local browser" not in text and "Signed in as" not in text
    assert "none recorded: the fleet did not finish" in text
    assert "sev-act-now" in html.find(id="outcome").attrs["class"]  # it may have been mid-change
