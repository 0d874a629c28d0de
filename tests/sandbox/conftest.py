"""Fixtures of the sandbox's own tests (the sandboxes themselves come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from automation.sandbox.licenses import SandboxLicense, issue_license
from tests.support.sandboxes import Sandbox


@pytest.fixture
def another_license(sandbox: Sandbox) -> SandboxLicense:
    """A fresh license for the running sandbox, with a new activation code."""
    return issue_license(sandbox.serial, organization_name="Renewed Org")


@pytest.fixture
def sandbox_page(browser: Browser) -> Iterator[Page]:
    """A page of its own, with a short timeout: the sandbox answers at once."""
    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()
