"""Fixtures of the sandbox's own tests (the sandboxes themselves come from tests/conftest.py)."""

from __future__ import annotations

import pytest

from automation.sandbox.licenses import SandboxLicense, issue_license
from tests.support.sandboxes import Sandbox


@pytest.fixture
def another_license(sandbox: Sandbox) -> SandboxLicense:
    """A fresh license for the running sandbox, with a new activation code."""
    return issue_license(sandbox.serial, organization_name="Renewed Org")
