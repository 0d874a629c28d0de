"""A signed trail checks itself whole: signatures are numbered and chained, so none can be
taken from among them unnoticed; the head in the state folder notes the newest, so removing it
fails plain `audit verify` too; a signature file damaged or brought from other recordings
fails plain `audit verify`; and `audit verify --key` names the runs logged after the newest
signature, which no signature vouches for."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from automation.evidence.audit import seal
from automation.evidence.head import head_path
from automation.evidence.report import build_report
from tests.support.cli import CliResult
from tests.support.in_process import run_in_process
from tests.support.recordings import (
    FinishedRuns,
    copy_recordings,
    edit_record,
    log_lines,
    move_the_head,
    rechain,
    state_folder,
    write_log,
)

SIGNATURES = "audit-head.sig.json"
REASON = "Renewal, ticket CHG-7"


@dataclass
class Signed:
    """Recordings signed at 2 lines (#1), then a later run sealed, then signed again (#2)."""

    root: Path
    keys: Path  # PREFIX of auditor.key and auditor.pub
    later: str  # the run sealed between the two signatures
    head_after_first: str  # the head in the state folder right after signature #1


def _sign(root: Path, keys: Path) -> CliResult:
    return run_in_process(
        ["audit", "sign", "--key", f"{keys}.key", "--out", str(root)], cwd=root.parent
    )


def _verify(root: Path, *args: str) -> CliResult:
    return run_in_process(["audit", "verify", "--out", str(root), *args], cwd=root.parent)


def _seal_another_run(root: Path, runs: FinishedRuns, name: str) -> str:
    """A run sealed as sc-license seals one: its report built, its line chained, the head moved."""
    folder = root / name
    shutil.copytree(root / runs.installed.name, folder)
    (folder / "report.html").unlink()
    edit_record(folder, lambda r: r.update(reason=REASON))
    seal(root, folder, state_folder())
    return name


@pytest.fixture
def signed(runs: FinishedRuns, copy: Callable[[], Path], tmp_path: Path) -> Signed:
    root = copy()
    keys = tmp_path / "auditor"
    assert run_in_process(["audit", "keygen", str(keys)], cwd=tmp_path).exit_code == 0
    assert _sign(root, keys).exit_code == 0
    head_after_first = head_path(state_folder(), root).read_text()
    later = _seal_another_run(root, runs, f"{runs.installed.name}-later")
    done = _sign(root, keys)
    assert done.exit_code == 0, done.stderr
    return Signed(root, keys, later, head_after_first)


def _signatures(root: Path) -> dict[str, list[dict[str, object]]]:
    kept: dict[str, list[dict[str, object]]] = json.loads((root / SIGNATURES).read_text())
    return kept


def _keep(root: Path, kept: dict[str, list[dict[str, object]]]) -> None:
    (root / SIGNATURES).write_text(json.dumps(kept, indent=2))


def _remove_the_newest_signature(signed: Signed) -> None:
    kept = _signatures(signed.root)
    kept["signatures"].pop()
    _keep(signed.root, kept)


def _forge_as_in_issue_23(signed: Signed) -> None:
    """Sign at 2 lines, seal a run, sign again; then remove the second signature, edit the
    later run's reason in its run.json, recompute the chain and move the head to its end."""
    _remove_the_newest_signature(signed)
    edit_record(signed.root / signed.later, lambda r: r.update(reason="Routine, no ticket"))
    rechain(signed.root, signed.later)
    move_the_head(signed.root)


def _remove_a_signature_from_among_them(signed: Signed) -> None:
    assert _sign(signed.root, signed.keys).exit_code == 0  # #3
    kept = _signatures(signed.root)
    del kept["signatures"][1]
    _keep(signed.root, kept)


def _cut_the_file_short(signed: Signed) -> None:
    path = signed.root / SIGNATURES
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _delete_the_file(signed: Signed) -> None:
    (signed.root / SIGNATURES).unlink()


def _bring_the_file_from_other_recordings(signed: Signed) -> None:
    """Other recordings, made from these and gone on (one more run), were signed: their
    signature file is copied over this one."""
    other = copy_recordings(signed.root, signed.root.parent / "other")
    (other / SIGNATURES).unlink()
    head = head_path(state_folder(), other)
    kept = json.loads(head.read_text())
    kept.pop("signatures", None)
    kept.pop("last_signature_sha256", None)
    head.write_text(json.dumps(kept))
    shutil.copytree(other / signed.later, other / f"{signed.later}-2")
    seal(other, other / f"{signed.later}-2", state_folder())
    assert _sign(other, signed.keys).exit_code == 0
    shutil.copyfile(other / SIGNATURES, signed.root / SIGNATURES)


@dataclass
class Tampering:
    change: Callable[[Signed], None]
    findings: tuple[str, ...]


TAMPERINGS = {
    "the-newest-signature-removed-a-run-edited-the-chain-and-head-recomputed": Tampering(
        _forge_as_in_issue_23,
        (
            f"{SIGNATURES} holds 1 signature(s), but not #2, the newest the head notes",
            "run.json says otherwise than its line in audit-log.jsonl (reason)",
            "report.html does not show what run.json says (reason)",
        ),
    ),
    "the-newest-signature-removed": Tampering(
        _remove_the_newest_signature,
        (f"{SIGNATURES} holds 1 signature(s), but not #2, the newest the head notes",),
    ),
    "a-signature-removed-from-among-them": Tampering(
        _remove_a_signature_from_among_them,
        ("signature #3", "the one before it was removed or changed"),
    ),
    "the-signature-file-cut-short": Tampering(
        _cut_the_file_short, (f"{SIGNATURES} is damaged", "cannot be checked")
    ),
    "the-signature-file-deleted": Tampering(
        _delete_the_file, (f"{SIGNATURES} is gone, but the head notes 2 signature(s)",)
    ),
    "a-signature-file-from-other-recordings": Tampering(
        _bring_the_file_from_other_recordings,
        ("or audit-head.sig.json comes from other recordings",),
    ),
}


@pytest.mark.parametrize("tampering", TAMPERINGS.values(), ids=TAMPERINGS.keys())
@pytest.mark.parametrize("with_key", [False, True], ids=["plain", "key"])
def test_a_signed_trail_changed_fails_verify(
    tampering: Tampering, with_key: bool, signed: Signed
) -> None:
    tampering.change(signed)

    key = ["--key", f"{signed.keys}.pub"] if with_key else []
    done = _verify(signed.root, *key)

    said = " ".join(done.stderr.split())
    assert done.exit_code == 7, done.stdout
    for finding in tampering.findings:
        assert finding in said
    assert "never signed" not in said


def test_a_signed_trail_verifies_and_says_how_far_it_is_signed(signed: Signed) -> None:
    done = _verify(signed.root, "--key", f"{signed.keys}.pub")

    said = " ".join(done.stdout.split())
    assert done.exit_code == 0, done.stderr
    assert "2 signed head(s)" in said
    assert "the newest, #2, at line 3" in said
    assert "not signed" not in said


def test_a_run_logged_after_the_newest_signature_is_named_not_signed(
    runs: FinishedRuns, signed: Signed
) -> None:
    after = _seal_another_run(signed.root, runs, f"{runs.installed.name}-after")

    done = _verify(signed.root, "--key", f"{signed.keys}.pub")
    as_data = json.loads(_verify(signed.root, "--key", f"{signed.keys}.pub", "--json").stdout)

    said = " ".join(done.stdout.split())
    assert done.exit_code == 0, done.stderr
    assert f"Not signed: {after}" in said
    assert signed.later not in said
    assert as_data["unsigned"] == [after]


def test_what_a_writer_of_everything_can_still_do_is_named_not_signed(signed: Signed) -> None:
    """Whoever can write the recordings and the state folder can remove the newest signature
    and forge everything after the one before, leaving nothing inconsistent: no key can show
    that, but the forged run is named as vouched for by no signature."""
    _remove_the_newest_signature(signed)
    edit_record(signed.root / signed.later, lambda r: r.update(reason="Routine, no ticket"))
    report = build_report(signed.root / signed.later)
    lines = log_lines(signed.root)
    entry = json.loads(lines[-1])
    entry["reason"] = "Routine, no ticket"
    entry["report_sha256"] = hashlib.sha256(report.read_bytes()).hexdigest()
    write_log(signed.root, [*lines[:-1], json.dumps(entry)])
    rechain(signed.root, signed.later)
    head_path(state_folder(), signed.root).write_text(signed.head_after_first)
    move_the_head(signed.root)

    done = _verify(signed.root, "--key", f"{signed.keys}.pub")

    said = " ".join(done.stdout.split())
    assert done.exit_code == 0, done.stderr  # the limit the README states
    assert f"Not signed: {signed.later}" in said


def test_a_signature_file_from_a_copy_of_the_same_recordings_fails_verify(
    runs: FinishedRuns, copy: Callable[[], Path], tmp_path: Path
) -> None:
    """Every head it names is in this log too, but this folder's head noted no signature."""
    root = copy()
    keys = tmp_path / "auditor"
    run_in_process(["audit", "keygen", str(keys)], cwd=tmp_path)
    other = copy_recordings(runs.root, tmp_path / "other")
    assert _sign(other, keys).exit_code == 0
    shutil.copyfile(other / SIGNATURES, root / SIGNATURES)

    done = _verify(root)

    assert done.exit_code == 7, done.stdout
    assert f"{SIGNATURES} holds 1 signature(s) that the head does not note" in " ".join(
        done.stderr.split()
    )
