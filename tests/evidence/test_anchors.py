"""A trail that survives a rewrite: the audit head printed after each run and a head signed
with the operator's key still tell a log whose chain was recomputed, and its head in the state
folder moved to match, from the log that was written."""

from __future__ import annotations

import hashlib
import json
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from automation.errors import BadInput
from automation.evidence.head import head_path
from automation.evidence.report import build_report
from automation.evidence.signing import keygen
from automation.installation import add_extra
from tests.support.cli import CliResult
from tests.support.in_process import run_in_process
from tests.support.recordings import (
    FinishedRuns,
    edit_record,
    log_lines,
    rechain,
    state_folder,
    write_log,
)


def _rewrite_everything_within_reach(root: Path, run: str) -> None:
    """The forgery of someone who can write the recordings and the state folder: a run edited,
    its report built again, the chain recomputed, the head moved to the new end. Only a head
    kept elsewhere sees it."""
    edit_record(root / run, lambda r: r.update(message="All good"))
    report = build_report(root / run)
    lines = log_lines(root)
    for number, line in enumerate(lines):
        entry = json.loads(line)
        if entry["run"] == run:
            entry["report_sha256"] = hashlib.sha256(report.read_bytes()).hexdigest()
        lines[number] = json.dumps(entry, separators=(",", ":"))
    write_log(root, lines)
    rechain(root, run)
    path = head_path(state_folder(), root)
    head = json.loads(path.read_text())
    head["last_line_sha256"] = _sha256(log_lines(root)[-1])
    path.write_text(json.dumps(head))


def _sha256(line: str) -> str:
    return hashlib.sha256(line.encode()).hexdigest()


def _verify(root: Path, *args: str) -> CliResult:
    return run_in_process(["audit", "verify", "--out", str(root), *args], cwd=root.parent)


def test_each_run_prints_the_audit_head_it_left(runs: FinishedRuns) -> None:
    lines = log_lines(runs.root)
    assert runs.heads == [
        {"lines": 1, "sha256": _sha256(lines[0])},
        {"lines": 2, "sha256": _sha256(lines[1])},
    ]


def test_verify_holds_the_log_to_a_head_printed_earlier(
    runs: FinishedRuns, copy: Callable[[], Path]
) -> None:
    root = copy()
    first, last = runs.heads
    assert _verify(root, "--head", str(first["sha256"])).exit_code == 0
    assert _verify(root, "--head", f"{last['lines']}:{last['sha256']}").exit_code == 0

    _rewrite_everything_within_reach(root, runs.installed.name)

    assert _verify(root).exit_code == 0  # the forgery is complete without a head from elsewhere
    done = _verify(root, "--head", f"{first['lines']}:{first['sha256']}", "--json")
    assert done.exit_code == 7
    result = json.loads(done.stdout)
    assert result["verified"] is False
    assert any("the log was rewritten" in problem for problem in result["problems"])


def test_a_head_that_is_no_head_is_bad_input(copy: Callable[[], Path]) -> None:
    done = _verify(copy(), "--head", "12:abc")
    assert done.exit_code == 2
    assert "is not an audit head" in done.stderr


def test_a_signed_head_verifies_until_the_log_is_rewritten(
    runs: FinishedRuns, copy: Callable[[], Path], tmp_path: Path
) -> None:
    root = copy()
    assert (
        run_in_process(["audit", "keygen", str(tmp_path / "auditor")], cwd=tmp_path).exit_code == 0
    )
    assert run_in_process(["audit", "keygen", str(tmp_path / "other")], cwd=tmp_path).exit_code == 0
    signed = run_in_process(
        ["audit", "sign", "--key", str(tmp_path / "auditor.key"), "--out", str(root)],
        cwd=root.parent,
    )
    assert signed.exit_code == 0, signed.stderr
    assert (root / "audit-head.sig.json").is_file()

    assert _verify(root, "--key", str(tmp_path / "auditor.pub")).exit_code == 0
    wrong = _verify(root, "--key", str(tmp_path / "other.pub"))
    assert wrong.exit_code == 7
    assert "holds no signature by the key" in " ".join(wrong.stderr.split())

    _rewrite_everything_within_reach(root, runs.installed.name)

    done = _verify(root, "--key", str(tmp_path / "auditor.pub"))
    assert done.exit_code == 7
    assert "the log was rewritten" in " ".join(done.stderr.split())


def test_a_forged_signature_fails_verify(copy: Callable[[], Path], tmp_path: Path) -> None:
    root = copy()
    run_in_process(["audit", "keygen", str(tmp_path / "auditor")], cwd=tmp_path)
    run_in_process(
        ["audit", "sign", "--key", str(tmp_path / "auditor.key"), "--out", str(root)],
        cwd=root.parent,
    )
    kept = json.loads((root / "audit-head.sig.json").read_text())
    kept["signatures"][0]["lines"] = 1  # claim an earlier head with the same signature
    (root / "audit-head.sig.json").write_text(json.dumps(kept))

    done = _verify(root, "--key", str(tmp_path / "auditor.pub"))

    assert done.exit_code == 7
    assert "is not genuine" in " ".join(done.stderr.split())


def test_keygen_makes_a_private_key_only_its_owner_can_read(tmp_path: Path) -> None:
    done = run_in_process(["audit", "keygen", str(tmp_path / "ops")], cwd=tmp_path)

    assert done.exit_code == 0, done.stderr
    assert stat.S_IMODE((tmp_path / "ops.key").stat().st_mode) == 0o600
    assert b"PUBLIC KEY" in (tmp_path / "ops.pub").read_bytes()
    again = run_in_process(["audit", "keygen", str(tmp_path / "ops")], cwd=tmp_path)
    assert again.exit_code == 2
    assert "exists already" in again.stderr


def test_keygen_makes_the_folder_its_keys_go_into(tmp_path: Path) -> None:
    done = run_in_process(["audit", "keygen", str(tmp_path / "keys" / "ops")], cwd=tmp_path)

    assert done.exit_code == 0, done.stderr
    assert stat.S_IMODE((tmp_path / "keys" / "ops.key").stat().st_mode) == 0o600
    assert b"PUBLIC KEY" in (tmp_path / "keys" / "ops.pub").read_bytes()


def test_recordings_that_do_not_verify_are_not_signed(
    runs: FinishedRuns, copy: Callable[[], Path], tmp_path: Path
) -> None:
    root = copy()
    run_in_process(["audit", "keygen", str(tmp_path / "auditor")], cwd=tmp_path)
    edit_record(root / runs.installed.name, lambda r: r.update(message="All good"))

    done = run_in_process(
        ["audit", "sign", "--key", str(tmp_path / "auditor.key"), "--out", str(root)],
        cwd=root.parent,
    )

    assert done.exit_code == 7
    assert "their audit head was not signed" in " ".join(done.stderr.split())
    assert not (root / "audit-head.sig.json").exists()


def test_without_cryptography_signing_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cryptography", None)  # as if it were not installed

    with pytest.raises(BadInput) as refused:
        keygen(tmp_path / "ops")

    assert "needs the Python package 'cryptography'" in refused.value.message
    assert add_extra("signing") in refused.value.hint  # as this copy was installed
    assert not (tmp_path / "ops.key").exists()
