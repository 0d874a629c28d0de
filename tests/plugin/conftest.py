"""The README's example suite in pytester's folder, and the Service Centers it checks."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from automation.sandbox.licenses import issue_license, random_serial
from tests.support.fixture_types import StartSandbox

EXAMPLE_SUITE = Path(__file__).parents[2] / "examples" / "pytest"


@pytest.fixture
def example_suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """pytester's folder, holding examples/pytest as a team would copy it."""
    for source in EXAMPLE_SUITE.glob("*.py"):
        shutil.copy(source, pytester.path / source.name)
    return pytester


@pytest.fixture
def fleet(
    example_suite: pytest.Pytester, start_sandbox: StartSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three Service Centers in the suite's environments.toml, each with its `serial =` and
    its password in SC_LICENSE_PASSWORD_<NAME>: prod (group production) with a good license,
    expiring (group test) whose license ends in 10 days, and invalid (group test) showing a
    license issued for another server."""
    expiring = random_serial()
    sandboxes = {
        "prod": start_sandbox(),
        "expiring": start_sandbox(
            expiring, license=issue_license(expiring, end_date=date.today() + timedelta(days=10))
        ),
        "invalid": start_sandbox(license=issue_license(random_serial())),
    }
    groups = {"prod": "production", "expiring": "test", "invalid": "test"}
    entries = [
        f'[[environment]]\nname = "{name}"\nurl = "{sandbox.url}"\nuser = "{sandbox.user}"\n'
        f'serial = "{sandbox.serial}"\ngroups = ["{groups[name]}"]\n'
        for name, sandbox in sandboxes.items()
    ]
    (example_suite.path / "environments.toml").write_text("\n".join(entries))
    monkeypatch.delenv("SC_LICENSE_PASSWORD", raising=False)  # no fallback from the caller's
    for name, sandbox in sandboxes.items():
        monkeypatch.setenv(f"SC_LICENSE_PASSWORD_{name.upper()}", sandbox.password)
