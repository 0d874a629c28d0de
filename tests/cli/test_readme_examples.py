"""The README's expiry watch and CI shard examples, run as documented against sandboxes, so
the README cannot drift from what the tool does."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from tests.cli.test_expiry_watch import ending_in
from tests.cli.test_fleet import inventory
from tests.support.fixture_types import RunCli, StartSandbox

README = Path(__file__).parents[2] / "README.md"
NAMES = ["dev", "test", "prod"]


def documented(pattern: str) -> list[str]:
    """The README's command lines running `sc-license` that match pattern, as arguments."""
    found = []
    for line in README.read_text().splitlines():
        command = line.split("#")[0].strip().removeprefix("- run: ")
        if command.startswith("uv run sc-license "):
            args = command.removeprefix("uv run sc-license ")
            if re.search(pattern, args):
                found.append(args)
    assert found, f"the README shows no command matching {pattern!r}"
    return found


def fleet_summaries(cwd: Path) -> list[dict[str, object]]:
    folders = sorted((cwd / "recordings").glob("*-fleet-status*"))
    return [json.loads((folder / "run.json").read_text()) for folder in folders]


def test_the_readmes_expiry_watch_exits_8_for_a_license_ending_soon(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {"dev": start_sandbox(), "test": start_sandbox()}
    sandboxes["prod"] = ending_in(start_sandbox, 10)
    path, passwords = inventory(tmp_path, sandboxes)
    (command,) = [c for c in documented(r"^status .*--warn-days") if "--shard" not in c]

    done = run_cli(shlex.split(command), env={**passwords, "SC_LICENSE_INVENTORY": str(path)})

    assert done.exit_code == 8, done.stderr
    (summary,) = fleet_summaries(tmp_path)
    assert summary["outcome"] == "attention"


def test_the_readmes_ci_shards_cover_every_environment_once(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {name: start_sandbox() for name in NAMES}
    path, passwords = inventory(tmp_path, sandboxes)
    (command,) = documented(r"--shard")
    count = int(re.search(r"--shard .*?/(\d+)", command).group(1))  # type: ignore[union-attr]

    codes = []
    for index in range(1, count + 1):
        args = shlex.split(re.sub(r"\$\{\{ *matrix\.shard *\}\}", str(index), command))
        done = run_cli(args, env={**passwords, "SC_LICENSE_INVENTORY": str(path)})
        codes.append((done.exit_code, done.stderr))

    assert all(code in (0, 8) for code, _ in codes), codes
    summaries = fleet_summaries(tmp_path)
    ran = [entry["environment"] for s in summaries for entry in s["fleet"]]  # type: ignore[attr-defined]
    assert sorted(ran) == sorted(NAMES)
