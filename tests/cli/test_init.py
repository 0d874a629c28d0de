"""`sc-license init`: an operator's first environments.toml, from the example the package
ships, never written over one that is already there."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from automation.errors import ExitCode
from automation.inventory import load_inventory
from tests.support.fixture_types import RunCli

EXAMPLE_NAMES = ["dev", "test", "prod"]


def test_init_in_an_empty_folder_writes_an_inventory_that_status_all_reads(
    run_cli: RunCli, tmp_path: Path
) -> None:
    done = run_cli(["init"])

    assert done.exit_code == 0, done.stderr
    written = tmp_path / "environments.toml"
    assert [e.name for e in load_inventory(written).environment] == EXAMPLE_NAMES
    said = " ".join(done.stdout.split())
    assert f"Wrote {written}" in said
    assert "SC_LICENSE_PASSWORD_DEV" in said and "PROD_SC_PASSWORD" in said
    assert "sc-license status --all" in said
    # The inventory is read and accepted: status goes on to ask for the first password.
    status = run_cli(["status", "--all"])
    assert status.exit_code == ExitCode.BAD_INPUT
    assert "No password for dev" in status.stderr


def test_init_refuses_to_write_over_an_existing_inventory(run_cli: RunCli, tmp_path: Path) -> None:
    mine = tmp_path / "environments.toml"
    mine.write_text("# my environments\n")

    done = run_cli(["init"])

    assert done.exit_code == ExitCode.BAD_INPUT
    assert mine.read_text() == "# my environments\n"
    said = " ".join(done.stderr.split())
    assert "environments.toml already exists" in said
    assert "What to do:" in said and "--path" in said


def test_init_path_writes_the_file_there_and_names_it_in_the_next_command(
    run_cli: RunCli, tmp_path: Path
) -> None:
    done = run_cli(["init", "--path", "inventories/production.toml"])

    assert done.exit_code == 0, done.stderr
    written = tmp_path / "inventories" / "production.toml"
    assert [e.name for e in load_inventory(written).environment] == EXAMPLE_NAMES
    said = " ".join(done.stdout.split())
    assert f"sc-license status --all --inventory {written}" in said


def test_init_where_no_file_can_be_written_is_refused_with_what_to_do(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("")

    done = run_cli(["init", "--path", "a-file/environments.toml"])

    assert done.exit_code == ExitCode.BAD_INPUT
    assert "Traceback" not in done.stderr
    assert "cannot be written" in done.stderr and "What to do:" in done.stderr


def test_a_missing_inventory_points_to_init(run_cli: RunCli) -> None:
    done = run_cli(["status", "--all"])

    assert done.exit_code == ExitCode.BAD_INPUT
    assert "sc-license init" in " ".join(done.stderr.split())


def test_the_example_inventory_ships_inside_the_package() -> None:
    example = files("automation.cli").joinpath("environments.example.toml")

    assert "[[environment]]" in example.read_text(encoding="utf-8")
