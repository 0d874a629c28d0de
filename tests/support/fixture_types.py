"""The types of the suite's fixtures (tests/conftest.py), for the tests' own annotations: a test
module imports them from here, never from a conftest."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.support.cli import CliResult
from tests.support.sandboxes import Sandbox

StartSandbox = Callable[..., Sandbox]
RunCli = Callable[..., CliResult]
SignIn = Callable[[Sandbox], httpx.Client]
