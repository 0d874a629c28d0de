"""The file checked is the file uploaded: whoever writes into the recordings folder cannot swap
what is sent to Service Center, and run.json records the hash of what was sent."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from automation.config import EvidenceOptions
from automation.errors import Refused
from automation.evidence.files import sha256_of
from automation.evidence.records import Artifact
from automation.evidence.run import Run
from automation.sandbox.licenses import issue_license, random_serial, render_license
from flows.install_license import install_license, private_folder, take_file
from tests.flows.test_flows import new_run, target_for
from tests.support.sandboxes import Sandbox


def test_the_checked_file_is_uploaded_though_its_copy_in_the_run_folder_is_swapped(
    page: Page, sandbox: Sandbox, write_license: Callable[..., Path], tmp_path: Path
) -> None:
    checked = write_license(sandbox.serial, end_date=date(date.today().year + 2, 12, 31))
    # What the checks would refuse: it ends earlier than the installed license, for another
    # organization.
    refused = render_license(
        issue_license(
            sandbox.serial,
            end_date=date.today() + timedelta(days=60),
            organization_name="Another Organization",
        )
    )
    run = new_run(tmp_path, sandbox, "install", page)
    swapped: list[str] = []

    def swap_the_copy_as_soon_as_it_appears(route: Route) -> None:
        if not swapped:
            [copy] = [a.file for a in run.record.artifacts if a.role == "uploaded license"]
            other = run.folder / f"{copy}.other"
            other.write_bytes(refused)
            other.replace(run.folder / copy)
            swapped.append(copy)
        route.continue_()

    page.route("**/*", swap_the_copy_as_soon_as_it_appears)
    result = install_license(page, run, target_for(sandbox), checked)

    assert swapped, "the copy in the run folder was never swapped"
    assert result.outcome == "installed"
    sent = checked.read_bytes()
    assert sandbox.state.installed_bytes == sent
    assert [(u.size, u.accepted) for u in sandbox.state.uploads] == [(len(sent), True)]
    record = json.loads((run.folder / "run.json").read_text())
    assert record["license_file"]["sha256"] == sha256_of(sent)
    [copy] = [a for a in record["artifacts"] if a["role"] == "uploaded license"]
    assert copy["sha256"] == sha256_of(sent)  # written and compared before the swap


def new_record(tmp_path: Path) -> Run:
    return Run.create(
        EvidenceOptions(out=tmp_path / "recordings"),
        flow="install",
        environment="e",
        url="http://x",
        user="u",
    )


def test_the_file_is_checked_and_uploaded_from_a_private_copy_removed_at_the_end(
    write_license: Callable[..., Path], tmp_path: Path
) -> None:
    given = write_license(random_serial())
    run = new_record(tmp_path)
    with private_folder() as private:
        checked, license_file = take_file(run, given, private)
        assert checked.parent == private and stat.S_IMODE(private.stat().st_mode) == 0o700
        assert checked.read_bytes() == given.read_bytes()
        assert license_file.sha256 == sha256_of(given.read_bytes())
        assert checked.name == given.name  # the name Service Center is sent, as given
    assert not private.exists()


def test_a_copy_changed_in_the_run_folder_as_it_is_written_stops_the_run(
    write_license: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = new_record(tmp_path)
    recorded = run.add_file

    def changed_then_recorded(path: Path, role: str) -> Artifact:
        if role == "uploaded license":
            path.write_bytes(b"another writer's file")
        return recorded(path, role)

    monkeypatch.setattr(run, "add_file", changed_then_recorded)
    with private_folder() as private, pytest.raises(Refused, match="changed as it was written"):
        take_file(run, write_license(random_serial()), private)
