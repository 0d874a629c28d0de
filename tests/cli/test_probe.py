"""`sc-license probe` as an operator runs it first on a new Service Center: what it does not
recognise exits 5 with a site profile proposed, and that profile lets the install through."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.support.fixture_types import RunCli, StartSandbox


def test_a_probe_of_other_words_proposes_the_profile_the_install_then_uses(
    run_cli: RunCli,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(words="other-release")
    target = ["--url", sandbox.url, "--user", sandbox.user]

    probed = run_cli(["probe", *target], password=sandbox.password)

    assert probed.exit_code == 5, probed.stderr
    said = " ".join(probed.stdout.split())
    assert "not recognised: Licensing page: license status; Licensing page: Serial Number" in said
    assert "“Serial”: " + sandbox.serial in said
    assert re.search(r"Probe report: recordings/\S+/probe\.md", said)
    proposal = re.search(r"Proposed site profile: (recordings/\S+/profile-proposal\.toml)", said)
    assert proposal is not None
    assert sandbox.state.uploads == []

    new = write_license(sandbox.serial, end_date=date(date.today().year + 2, 12, 31))
    installed = run_cli(
        ["install", *target, "--license", str(new), "--profile", proposal.group(1)],
        password=sandbox.password,
    )

    assert installed.exit_code == 0, installed.stderr
    assert sandbox.state.installed_bytes == new.read_bytes()
