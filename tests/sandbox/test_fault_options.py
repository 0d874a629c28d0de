"""`sandbox serve --fault NAME[=VALUE]`: every fault by name, and a clear error for a typo."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from automation.sandbox.cli import sandbox_app
from automation.sandbox.faults import SandboxFaults, parse_faults


def test_every_fault_can_be_named_on_the_command_line() -> None:
    faults = parse_faults(
        [
            "delay_ms=250",
            "delay_routes=Licensing.aspx:2000",
            "delay_routes=LicenseUpload.aspx:500",
            "error_500=upload",
            "error_500=licensing",
            "upload_ignored",
            "expire_session_on=LicenseUpload.aspx",
            "backup_body=html-error",
            "lock_after_failures=3",
            "locked",
            "not_authorized",
        ]
    )
    assert faults == SandboxFaults(
        delay_ms=250,
        delay_routes={"Licensing.aspx": 2000, "LicenseUpload.aspx": 500},
        error_500={"upload", "licensing"},
        upload_ignored=True,
        expire_session_on="LicenseUpload.aspx",
        backup_body="html-error",
        lock_after_failures=3,
        locked=True,
        not_authorized=True,
    )


def test_no_fault_options_mean_no_faults() -> None:
    assert parse_faults([]) == SandboxFaults()


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("delay_ms=soon", "'soon' is not a whole number of milliseconds"),
        ("delay_routes=2000", "expected PAGE:MS"),
        ("error_500=backup", "'backup' is not one of: upload, licensing"),
        ("backup_body=corrupt", "expected one of: normal, empty, truncated, html-error"),
        ("lock_after_failures=0", "'0' is not a number of failed sign-ins"),
        ("expire_session_on", "needs a value"),
    ],
)
def test_a_bad_fault_value_says_what_is_wrong(spec: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_faults([spec])


def test_serve_refuses_an_unknown_fault_and_lists_the_known_ones() -> None:
    result = CliRunner().invoke(sandbox_app, ["serve", "--fault", "slow_network"])
    assert result.exit_code == 2
    output = " ".join(result.output.replace("│", " ").split())
    assert "unknown fault 'slow_network'" in output
    known = "known faults: delay_ms, delay_routes, delay_upload_ms, error_500, upload_ignored"
    assert known in output
