"""How an interrupt that stopped a run at once is recorded: before the change, as interrupted
(exit 130); during it, as "act now" (exit 6) with the commands that check and restore."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from automation.errors import ExitCode
from automation.evidence.endings import ending
from automation.evidence.records import Artifact, RunRecord


def record() -> RunRecord:
    return RunRecord(
        flow="install",
        environment="prod",
        url="https://sc.example/ServiceCenter",
        user="admin",
        started_at=datetime.now(UTC),
        backup=Artifact(file="backup.lic", role="backup", size=1, sha256="0" * 64),
    )


def test_an_interrupt_before_the_upload_is_an_interrupt() -> None:
    said, outcome, code = ending(KeyboardInterrupt(), record(), "Click Upload New License")

    assert (outcome, code) == ("interrupted", ExitCode.INTERRUPTED)
    assert said.commands == []


def test_a_stop_at_once_during_the_change_is_act_now_with_both_commands(tmp_path: Path) -> None:
    said, outcome, code = ending(
        KeyboardInterrupt(),
        record(),
        "Roll back: Upload the backup file",
        changing=True,
        folder=tmp_path / "run",
    )

    assert (outcome, code) == ("interrupted", ExitCode.ROLLBACK_FAILED)
    assert "may not be valid" in said.message
    commands = [c.command for c in said.commands]
    assert commands[0].startswith("sc-license status --url https://sc.example/ServiceCenter")
    assert commands[1].startswith("sc-license restore --url") and "backup.lic" in commands[1]
