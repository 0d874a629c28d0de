"""The audit trail as a reviewer uses it: report, index, integrity checks, no secrets."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.evidence.secret_scan import scan
from tests.support.in_process import run_in_process
from tests.support.recordings import FinishedRuns


def test_report_shows_every_step_and_screenshot_as_run_json_says(
    page: Page, runs: FinishedRuns
) -> None:
    record = json.loads((runs.installed / "run.json").read_text())
    page.goto((runs.installed / "report.html").as_uri())
    expect(page.locator("#outcome")).to_contain_text("installed")
    expect(page.locator("#outcome")).to_contain_text("The new license is installed")
    names = page.locator(".step-name").all_inner_texts()
    assert names == [step["name"] for step in record["steps"]]
    images = page.locator("#steps .step figure img")
    expect(images).to_have_count(len(record["steps"]))
    for image in images.all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), image
    for step in record["steps"]:
        expect(page.locator("#artifacts")).to_contain_text(step["screenshot_sha256"])
    page.locator("#steps .step img").first.click()
    expect(page.locator("#lightbox img")).to_be_visible()


def test_a_failed_run_still_gets_a_report_that_says_where_it_failed(
    page: Page, runs: FinishedRuns
) -> None:
    page.goto((runs.refused / "report.html").as_uri())
    expect(page.locator("#outcome")).to_contain_text("refused the sign-in of 'admin'")
    expect(page.get_by_text("At step: Sign in")).to_be_visible()
    failed = page.locator(".step", has=page.locator(".failed"))
    expect(failed.locator(".step-name")).to_have_text("Sign in")
    assert failed.locator("img").evaluate("img => img.naturalWidth > 0")


def test_index_lists_every_run_newest_first(page: Page, runs: FinishedRuns) -> None:
    page.goto((runs.root / "index.html").as_uri())
    rows = page.locator("#runs tr").filter(has=page.locator("td"))
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("status")
    expect(rows.nth(1)).to_contain_text("install")
    rows.nth(1).get_by_role("link").click()
    expect(page.locator("#outcome")).to_contain_text("installed")


def test_audit_list_prints_the_same_runs(runs: FinishedRuns) -> None:
    done = run_in_process(["audit", "list", "--json"], cwd=runs.root.parent)
    assert done.exit_code == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [(r["flow"], r["outcome"]) for r in listed] == [
        ("status", "failed"),
        ("install", "installed"),
    ]
    table = run_in_process(["audit", "list"], cwd=runs.root.parent)
    assert runs.installed.name in table.stdout and "installed" in table.stdout


def test_untouched_evidence_verifies(runs: FinishedRuns) -> None:
    done = run_in_process(["audit", "verify"], cwd=runs.root.parent)
    assert done.exit_code == 0, done.stderr
    assert "2 run(s) verified" in done.stdout


@pytest.mark.parametrize(
    ("tamper", "finding"),
    [
        (
            lambda run: (run / "04-open-the-licensing-submenu.png").write_bytes(b"\x89PNG swapped"),
            "04-open-the-licensing-submenu.png was changed",
        ),
        (lambda run: (run / "02-sign-in.png").unlink(), "02-sign-in.png is missing"),
        (
            lambda run: (run / "run.json").write_text(
                (run / "run.json").read_text().replace('"installed"', '"rolled-back"', 1)
            ),
            "run.json was changed after the run",
        ),
        (
            lambda run: (run / "notes.txt").write_text("added later"),
            "notes.txt is not part of the run",
        ),
        (
            lambda run: (run / "report.html").write_text(
                (run / "report.html").read_text().replace("installed", "rolled-back")
            ),
            "report.html was changed after the run",
        ),
        (lambda run: (run / "run.json").unlink(), "run.json is missing or unreadable"),
        (
            lambda run: (run / "run.json").write_text(
                (run / "run.json").read_text().replace('"installed"', '"running"', 1)
            ),
            "run.json was changed after the run",
        ),
    ],
    ids=[
        "screenshot-swapped",
        "screenshot-deleted",
        "run-json-edited",
        "file-added",
        "report-edited",
        "run-json-deleted",
        "marked-running-to-dodge-the-log",
    ],
)
def test_tampering_with_a_run_is_reported_by_name(
    runs: FinishedRuns, copy: Callable[[], Path], tamper: Callable[[Path], object], finding: str
) -> None:
    root = copy()
    tamper(root / runs.installed.name)
    done = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert done.exit_code == 7
    assert finding in " ".join(done.stderr.split())


def test_deleting_a_whole_run_is_noticed(runs: FinishedRuns, copy: Callable[[], Path]) -> None:
    root = copy()
    shutil.rmtree(root / runs.refused.name)
    done = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert done.exit_code == 7
    assert f"{runs.refused.name}: in audit-log.jsonl, but its folder is gone" in " ".join(
        done.stderr.split()
    )


def test_editing_an_old_line_of_the_audit_log_breaks_the_chain(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    log = root / "audit-log.jsonl"
    lines = log.read_text().splitlines()
    lines[0] = lines[0].replace('"installed"', '"failed"')
    log.write_text("\n".join(lines) + "\n")
    done = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert done.exit_code == 7
    assert "audit-log.jsonl line 2" in done.stderr and "does not follow line 1" in done.stderr


def test_report_can_be_rebuilt(runs: FinishedRuns, copy: Callable[[], Path]) -> None:
    root = copy()
    (root / runs.installed.name / "report.html").unlink()
    done = run_in_process(
        ["audit", "report", runs.installed.name, "--out", str(root)], cwd=root.parent
    )
    assert done.exit_code == 0, done.stderr
    assert (root / runs.installed.name / "report.html").is_file()
    verified = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    assert verified.exit_code == 0, verified.stderr  # a rebuild is logged, not a tampering
    assert '"event":"report rebuilt"' in (root / "audit-log.jsonl").read_text()


def test_trace_and_video_are_kept_and_listed(runs: FinishedRuns) -> None:
    record = json.loads((runs.installed / "run.json").read_text())
    roles = {artifact["role"]: artifact["file"] for artifact in record["artifacts"]}
    assert roles["trace"] == "trace.zip" and roles["video"] == "video.webm"
    assert (runs.installed / "video.webm").read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # WebM
    with zipfile.ZipFile(runs.installed / "trace.zip") as trace:
        entries = [json.loads(line) for line in trace.read("trace.network").splitlines()]
    requests = [
        (e["snapshot"]["request"]["method"], e["snapshot"]["request"]["url"].rsplit("/", 1)[-1])
        for e in entries
        if "snapshot" in e
    ]
    # The trace records the licensing steps, upload included, and starts after the sign-in.
    assert ("GET", "Licensing.aspx") in requests
    assert ("POST", "LicenseUpload.aspx") in requests
    assert not [r for r in requests if r[1].startswith("Login.aspx")]


def test_the_password_is_in_no_file_no_trace_and_no_output(runs: FinishedRuns) -> None:
    assert scan(runs.root, runs.password) == []
    assert runs.password not in runs.output
    done = run_in_process(
        ["audit", "scan", runs.installed.name, "--secret-env", "SECRET"],
        cwd=runs.root.parent,
        env={"SECRET": runs.password},
    )
    assert done.exit_code == 0, done.stderr
    assert "appears nowhere" in done.stdout


def test_the_scan_does_find_a_secret_that_is_there(runs: FinishedRuns) -> None:
    record = json.loads((runs.installed / "run.json").read_text())
    done = run_in_process(
        ["audit", "scan", runs.installed.name, "--secret-env", "SECRET"],
        cwd=runs.root.parent,
        env={"SECRET": record["license_after"]["activation_code"]},
    )
    assert done.exit_code == 7
    assert "FOUND the secret in run.json" in done.stderr
    assert "trace.zip:" in done.stderr
