"""The one module that reaches into Playwright's private parts refuses a Playwright outside the
versions it was written for, and says what to install."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from automation.browser.playwright_adapter import (
    WRITTEN_FOR,
    UnsupportedPlaywright,
    check_version,
)


@pytest.mark.parametrize("installed", ["1.64.0", "1.65.2", "1.99.1", "1.70.0a1"])
def test_a_playwright_in_the_range_is_used(installed: str) -> None:
    check_version(installed)


@pytest.mark.parametrize("installed", ["1.63.9", "1.9.0", "2.0.0", "3.1.0", "unknown"])
def test_a_playwright_outside_the_range_is_refused_with_what_to_install(installed: str) -> None:
    with pytest.raises(UnsupportedPlaywright) as refused:
        check_version(installed)
    said = str(refused.value)
    assert f"Playwright {installed} is installed" in said
    assert f"pip install 'playwright{WRITTEN_FOR}'" in said


def test_the_installed_playwright_is_in_the_range() -> None:
    check_version(version("playwright"))  # else pyproject.toml and the adapter disagree


def test_the_range_is_the_one_the_project_depends_on() -> None:
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert f"playwright{WRITTEN_FOR}" in project["project"]["dependencies"]
