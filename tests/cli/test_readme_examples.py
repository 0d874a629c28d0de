"""The documented expiry watches and CI shard examples (README.md and docs/), run as written
against sandboxes, so the documentation cannot drift from what the tool does."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from tests.cli.test_expiry_watch import ending_in
from tests.cli.test_fleet import inventory
from tests.support.fixture_types import RunCli, StartSandbox

ROOT = Path(__file__).parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NAMES = ["dev", "test", "prod"]


def documented(pattern: str) -> list[str]:
    """The documented command lines running `sc-license` that match pattern, as arguments."""
    found = []
    for page in PAGES:
        for line in re.sub(r"\\\n\s*", " ", page.read_text()).splitlines():
            command = line.split("#")[0].strip().removeprefix("- run: ")
            if command.startswith("sc-license "):
                args = command.removeprefix("sc-license ")
                if re.search(pattern, args):
                    found.append(args)
    assert found, f"the documentation shows no command matching {pattern!r}"
    return found


def fleet_summaries(recordings: Path) -> list[dict[str, object]]:
    folders = sorted(recordings.glob("*-fleet-status*"))
    return [json.loads((folder / "run.json").read_text()) for folder in folders]


def test_the_documented_expiry_watches_exit_8_for_a_license_ending_soon(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {"dev": start_sandbox(), "test": start_sandbox()}
    sandboxes["prod"] = ending_in(start_sandbox, 10)
    path, passwords = inventory(tmp_path, sandboxes)
    watches = [c for c in documented(r"^status .*--warn-days") if "--shard" not in c]
    assert watches

    for number, command in enumerate(watches):
        recordings = tmp_path / f"watch-{number}"
        args = [*shlex.split(command), "--out", str(recordings)]
        done = run_cli(args, env={**passwords, "SC_LICENSE_INVENTORY": str(path)})

        assert done.exit_code == 8, (command, done.stderr)
        (summary,) = fleet_summaries(recordings)
        assert summary["outcome"] == "attention"


def test_the_documented_ci_shards_cover_every_environment_once(
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
    summaries = fleet_summaries(tmp_path / "recordings")
    ran = [entry["environment"] for s in summaries for entry in s["fleet"]]  # type: ignore[attr-defined]
    assert sorted(ran) == sorted(NAMES)
