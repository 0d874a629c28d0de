"""The pytest plugin as a team uses it: the README's example suite (examples/pytest) run by
pytest in its own process against sandbox Service Centers, judged by what that run prints
and leaves on disk; and a suite that uses none of it, which the plugin leaves alone."""

from __future__ import annotations

import json
import os
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.support.fixture_types import StartSandbox

INVENTORY = ("--sc-inventory", "environments.toml")
OUT = ("--sc-out", "runs")


def evidence_named(run: pytest.RunResult) -> list[Path]:
    """The run folders the failure output points to ("sc-license evidence: FOLDER")."""
    return [Path(m) for m in re.findall(r"^sc-license evidence: (.+)$", run.stdout.str(), re.M)]


def collected(run: pytest.RunResult) -> list[str]:
    """The test ids `--collect-only -q` lists."""
    return [line for line in run.stdout.lines if "::" in line]


def report_of(run: pytest.RunResult) -> list[str]:
    """What pytest printed from collection on, without timings."""
    lines = run.stdout.lines
    start = next(n for n, line in enumerate(lines) if line.startswith("collected"))
    return [re.sub(r" in [\d.]+s", "", line) for line in lines[start:]]


@pytest.mark.usefixtures("fleet")
def test_a_good_license_passes_the_example_suite_from_one_reading(
    example_suite: pytest.Pytester,
) -> None:
    run = example_suite.runpytest_subprocess(*INVENTORY, "--sc-env", "prod", *OUT, "-v")

    run.assert_outcomes(passed=3)
    assert "test_the_license_is_for_this_server[prod] PASSED" in run.stdout.str()
    [record] = (example_suite.path / "runs").glob("*/run.json")
    assert record.parent.name.endswith("-prod-status")
    assert json.loads(record.read_text())["outcome"] == "reported"
    [line] = (example_suite.path / "runs" / "audit-log.jsonl").read_text().splitlines()
    assert json.loads(line)["run"] == record.parent.name


@pytest.mark.usefixtures("fleet")
def test_an_ending_and_an_invalid_license_fail_naming_environment_and_evidence(
    example_suite: pytest.Pytester,
) -> None:
    run = example_suite.runpytest_subprocess(
        *INVENTORY, "--sc-env", "expiring", "--sc-env", "invalid", *OUT
    )

    run.assert_outcomes(passed=4, failed=2)
    said = run.stdout.str()
    assert "FAILED test_license_health.py::test_the_license_has_time_left[expiring]" in said
    ends = date.today() + timedelta(days=10)
    assert f"expiring's license ends {ends}, in 10 days: renew it" in said
    assert "FAILED test_license_health.py::test_the_license_is_valid[invalid]" in said
    assert "<invalid's license: NOT valid, serial " in said and "; “Your license " in said
    folders = evidence_named(run)
    assert [f.name.split("-", 1)[1] for f in folders] == ["expiring-status", "invalid-status"]
    assert all((folder / "run.json").is_file() for folder in folders)


@pytest.mark.usefixtures("fleet")
def test_a_failed_test_gets_the_readings_trace_and_screenshot_without_the_password(
    example_suite: pytest.Pytester,
) -> None:
    """The failing test is not the one that read the license (the reading is shared): its
    folder under --output still gets the reading's screenshot, ARIA snapshot and trace, and
    the trace holds no password (pytest-playwright's own would: it records typed values)."""
    run = example_suite.runpytest_subprocess(
        *INVENTORY,
        *("--sc-env", "expiring", *OUT),
        *("--tracing", "retain-on-failure", "--screenshot", "only-on-failure"),
        *("--output", "artifacts", "--junitxml", "junit.xml", "-o", "junit_logging=all"),
    )

    run.assert_outcomes(passed=2, failed=1)
    [evidence] = (example_suite.path / "runs").glob("*-expiring-status")
    [artifacts] = (example_suite.path / "artifacts").iterdir()  # the failed test's folder
    assert artifacts.name.endswith("test-the-license-has-time-left-expiring")
    assert {p.name for p in artifacts.iterdir()} == {
        f"sc-license-{evidence.name}.png",
        f"sc-license-{evidence.name}.aria.txt",
        f"sc-license-{evidence.name}.trace.zip",
    }
    aria = (artifacts / f"sc-license-{evidence.name}.aria.txt").read_text()
    assert "This server license will expire within 10 days" in aria
    password = os.environ["SC_LICENSE_PASSWORD_EXPIRING"].encode()
    with zipfile.ZipFile(artifacts / f"sc-license-{evidence.name}.trace.zip") as trace:
        assert trace.namelist()
        assert not [name for name in trace.namelist() if password in trace.read(name)]
    junit = ElementTree.parse(example_suite.path / "junit.xml")
    [case] = [c for c in junit.iter("testcase") if c.find("failure") is not None]
    assert case.get("name") == "test_the_license_has_time_left[expiring]"
    assert f"sc-license evidence: {evidence}" in (case.findtext("system-out") or "")


@pytest.mark.usefixtures("fleet")
def test_a_missing_password_fails_setup_naming_its_variable_before_any_browser_run(
    example_suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SC_LICENSE_PASSWORD_PROD")

    run = example_suite.runpytest_subprocess(*INVENTORY, "--sc-env", "prod", *OUT)

    run.assert_outcomes(errors=3)
    said = run.stdout.str()
    assert "No password for prod: SC_LICENSE_PASSWORD_PROD or SC_LICENSE_PASSWORD" in said
    assert "What to do: Set SC_LICENSE_PASSWORD_PROD in the test job's environment" in said
    assert "During handling of the above exception" not in said  # said once, plainly
    assert not (example_suite.path / "runs").exists()


@pytest.mark.browser  # starts the sandbox and the browser in the inner run
def test_the_sandbox_option_checks_a_sandbox_started_for_the_run(
    example_suite: pytest.Pytester,
) -> None:
    run = example_suite.runpytest_subprocess("--sc-sandbox", *OUT, "-v")

    run.assert_outcomes(passed=3)
    assert "test_the_license_is_valid[sandbox] PASSED" in run.stdout.str()


@pytest.mark.usefixtures("fleet")
def test_environments_are_selected_by_group_or_k_and_an_unknown_name_is_refused(
    example_suite: pytest.Pytester,
) -> None:
    # Collecting is enough to see the selection, and runs nothing a browser needs.
    by_group = example_suite.runpytest_inprocess(
        *INVENTORY, "--sc-group", "production", "--collect-only", "-q"
    )
    by_k = example_suite.runpytest_inprocess(*INVENTORY, "-k", "expiring", "--collect-only", "-q")
    unknown = example_suite.runpytest_inprocess(*INVENTORY, "--sc-env", "nosuch")

    assert collected(by_group) == [
        "test_license_health.py::test_the_license_is_valid[prod]",
        "test_license_health.py::test_the_license_is_for_this_server[prod]",
        "test_license_health.py::test_the_license_has_time_left[prod]",
    ]
    assert [test.split("[")[1] for test in collected(by_k)] == ["expiring]"] * 3
    assert unknown.ret == pytest.ExitCode.USAGE_ERROR  # before collection: no test ran
    unknown.stderr.fnmatch_lines(
        ["ERROR: sc-license: No environment named nosuch in the inventory. Known: expiring, *"]
    )


def test_a_suite_without_license_checks_runs_as_without_the_plugin(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_plain="def test_adds():\n    assert 1 + 1 == 2\n\n"
        "def test_fails():\n    print('said by the test')\n    assert 1 + 1 == 3\n"
    )

    with_plugin = pytester.runpytest_subprocess()
    without = pytester.runpytest_subprocess("-p", "no:sc_license")

    assert with_plugin.parseoutcomes() == without.parseoutcomes() == {"passed": 1, "failed": 1}
    assert report_of(with_plugin) == report_of(without)
    assert "sc-license" not in "\n".join(report_of(with_plugin))
    assert not (pytester.path / "recordings").exists()


def test_pytest_help_lists_the_options_and_the_fixtures(example_suite: pytest.Pytester) -> None:
    options = example_suite.runpytest_inprocess("--help").stdout.str()
    fixtures = example_suite.runpytest_inprocess("--fixtures").stdout.str()

    assert "sc-license: OutSystems Service Center license checks:" in options
    assert "--sc-inventory=SC_INVENTORY" in options and "--sc-allow-changes" in options
    for name in ("sc_environment", "installed_license", "sc_install", "licensing_page"):
        assert re.search(rf"^{name}( \[session scope\])? -- .*pytest_plugin.py", fixtures, re.M)


SIGNED_IN_OVER_HTTPS = """
import pytest


def test_signed_in(service_center):
    assert service_center.page.url.startswith("https://")


@pytest.mark.browser_context_args(locale="fr-FR")
def test_signed_in_with_the_tests_own_context_arguments(service_center):
    assert service_center.page.evaluate("navigator.language") == "fr-FR"
"""


def test_service_center_takes_the_inventorys_https_setting_with_the_tests_own_on_top(
    pytester: pytest.Pytester, start_sandbox: StartSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = start_sandbox(tls=True)  # a certificate from a throwaway CA no one trusts
    (pytester.path / "environments.toml").write_text(
        f'[[environment]]\nname = "internal"\nurl = "{sandbox.url}"\nuser = "{sandbox.user}"\n'
        "ignore_https_errors = true\n"
    )
    monkeypatch.setenv("SC_LICENSE_PASSWORD_INTERNAL", sandbox.password)
    pytester.makepyfile(test_https=SIGNED_IN_OVER_HTTPS)

    run = pytester.runpytest_subprocess(*INVENTORY, *OUT)

    run.assert_outcomes(passed=2)
