"""A run's report is rendered from templates compiled by an earlier run, and reads the same;
a cache that cannot be used costs only the compiling."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from jinja2 import DictLoader, Environment

from automation.evidence.template_cache import TemplateCache
from tests.support.recordings import FinishedRuns

# A process of its own, as each run is: the templates compiled in it are gone with it.
RENDER = """
import sys
from pathlib import Path
from automation.evidence.report import render_report
sys.stdout.write(render_report(Path(sys.argv[1])))
"""


def report_in_new_process(folder: Path, temporary: Path) -> str:
    """The report of `folder` as a new process renders it, with `temporary` as its TMPDIR."""
    return subprocess.run(
        [sys.executable, "-c", RENDER, str(folder)],
        env={**os.environ, "TMPDIR": str(temporary)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


def test_templates_compiled_by_one_run_serve_the_next_and_the_report_reads_the_same(
    runs: FinishedRuns, tmp_path: Path
) -> None:
    written = (runs.installed / "report.html").read_text()

    first = report_in_new_process(runs.installed, tmp_path)
    kept = sorted(tmp_path.glob("_jinja2-cache-*/*"))
    second = report_in_new_process(runs.installed, tmp_path)

    assert kept, "the first run kept no compiled template for the next"
    assert first == second == written


def test_a_garbled_or_unusable_template_cache_only_costs_the_compiling(
    runs: FinishedRuns, tmp_path: Path
) -> None:
    written = (runs.installed / "report.html").read_text()
    garbled, unusable = tmp_path / "garbled", tmp_path / "unusable"
    garbled.mkdir()
    unusable.mkdir()
    report_in_new_process(runs.installed, garbled)
    for compiled in garbled.glob("_jinja2-cache-*/*"):
        compiled.write_bytes(compiled.read_bytes()[:40])  # cut short, as by a full disk
    (unusable / f"_jinja2-cache-{os.getuid()}").write_text("not a folder")

    assert report_in_new_process(runs.installed, garbled) == written
    assert report_in_new_process(runs.installed, unusable) == written


def test_a_template_compiled_under_other_options_is_compiled_again(tmp_path: Path) -> None:
    """An upgrade that makes every printed value plain must not be undone by code an older
    release compiled and kept: the same source, other options, another entry."""

    def environment(finalize: Callable[[object], str] | None = None) -> Environment:
        loader = DictLoader({"t.html": "{{ value }}"})
        cache = TemplateCache(str(tmp_path))
        return Environment(loader=loader, bytecode_cache=cache, finalize=finalize)

    before = environment().get_template("t.html").render(value="a\x1bb")
    after = environment(finalize=lambda v: str(v).replace("\x1b", "")).get_template("t.html")

    assert before == "a\x1bb"
    assert after.render(value="a\x1bb") == "ab"
