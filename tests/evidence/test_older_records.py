"""Runs recorded before approval, reason and identity were: they still load, report and chain;
and heads signed before signatures were chained: they still verify, saying what they cannot
prove."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from automation.evidence.chain import LogEntry
from automation.evidence.head import head_path
from automation.evidence.records import load_record
from automation.evidence.report import render_report
from tests.support.in_process import run_in_process
from tests.support.recordings import state_folder

OLDER_RUN = {
    "tool": "sc-license",
    "tool_version": "0.1.0",
    "flow": "install",
    "environment": "prod",
    "url": "http://prod.example.com/ServiceCenter",
    "user": "admin",
    "operator": "alice",
    "started_at": "2026-01-05T10:00:00Z",
    "finished_at": "2026-01-05T10:00:09Z",
    "outcome": "installed",
    "exit_code": 0,
    "message": "Installed new.lic on prod.",
}
OLDER_LOG_LINE = (
    '{"run":"20260105T100000Z-prod-install","event":"sealed","run_json_sha256":"'
    + "a" * 64
    + '","report_sha256":null,"outcome":"installed","sealed_at":"2026-01-05T10:00:10Z",'
    '"previous":"' + "0" * 64 + '"}'
)


def test_a_run_recorded_before_approvals_were_loads_and_reports_as_it_did(tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text(json.dumps(OLDER_RUN))

    record = load_record(tmp_path)
    report = " ".join(render_report(tmp_path).split())

    assert record.operator == "alice"
    assert record.actor is None and record.approval is None and record.signed_in is None
    assert "<th>Signed in as</th><td>admin</td>" in report
    assert "Approval" not in report  # nothing is claimed that was never recorded
    assert record.profile is None and "Site profile" not in report


def _as_signed_before_signatures_were_chained(root: Path, private_key: Path) -> None:
    """Rewrite the signature file as sc-license wrote it before: no sequence, no previous
    signature's hash, each entry signed over the fields it had then; and the head as it was
    kept then, noting no signature."""
    key = serialization.load_pem_private_key(private_key.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    kept = json.loads((root / "audit-head.sig.json").read_text())
    for entry in kept["signatures"]:
        for newer in ("sequence", "previous_sha256", "signature"):
            entry.pop(newer, None)
        payload = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()
        entry["signature"] = base64.b64encode(key.sign(payload)).decode()
    (root / "audit-head.sig.json").write_text(json.dumps(kept, indent=2))
    path = head_path(state_folder(), root)
    head = json.loads(path.read_text())
    for newer in ("signatures", "last_signature_sha256"):
        head.pop(newer, None)
    path.write_text(json.dumps(head))


def test_a_head_signed_before_signatures_were_chained_verifies_saying_what_it_cannot_prove(
    copy: Callable[[], Path], tmp_path: Path
) -> None:
    root = copy()
    run_in_process(["audit", "keygen", str(tmp_path / "auditor")], cwd=tmp_path)
    sign = ["audit", "sign", "--key", str(tmp_path / "auditor.key"), "--out", str(root)]
    assert run_in_process(sign, cwd=root.parent).exit_code == 0
    _as_signed_before_signatures_were_chained(root, tmp_path / "auditor.key")

    plain = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)
    keyed = run_in_process(
        ["audit", "verify", "--out", str(root), "--key", str(tmp_path / "auditor.pub")],
        cwd=root.parent,
    )

    assert plain.exit_code == 0, plain.stderr
    assert keyed.exit_code == 0, keyed.stderr
    said = " ".join(keyed.stdout.split())
    assert "1 signed head(s)" in said
    assert "made before sc-license numbered and chained its signatures" in said
    assert "one of them removed would leave no trace" in said


def test_the_next_signature_chains_on_from_one_made_before_signatures_were_chained(
    copy: Callable[[], Path], tmp_path: Path
) -> None:
    root = copy()
    run_in_process(["audit", "keygen", str(tmp_path / "auditor")], cwd=tmp_path)
    sign = ["audit", "sign", "--key", str(tmp_path / "auditor.key"), "--out", str(root)]
    run_in_process(sign, cwd=root.parent)
    _as_signed_before_signatures_were_chained(root, tmp_path / "auditor.key")

    assert run_in_process(sign, cwd=root.parent).exit_code == 0
    keyed = run_in_process(
        ["audit", "verify", "--out", str(root), "--key", str(tmp_path / "auditor.pub")],
        cwd=root.parent,
    )
    path = root / "audit-head.sig.json"
    kept = json.loads(path.read_text())
    path.write_text(json.dumps({"signatures": kept["signatures"][1:]}))  # the older one taken
    taken = run_in_process(["audit", "verify", "--out", str(root)], cwd=root.parent)

    assert keyed.exit_code == 0, keyed.stderr
    assert "the newest, #2, at line 2" in " ".join(keyed.stdout.split())
    assert taken.exit_code == 7
    assert "the one before it was removed or changed" in " ".join(taken.stderr.split())


def test_an_audit_log_line_written_before_approvals_were_still_parses() -> None:
    entry = LogEntry.model_validate_json(OLDER_LOG_LINE)

    assert entry.outcome == "installed"
    assert entry.actor is None and entry.change is None and entry.approval is None
