"""How fast and how heavy a run is, against a bare Playwright script and as the fleet grows.

`make bench` runs it; results go to benchmarks/RESULTS.md. Contenders are interleaved so
machine noise hits both alike, and medians are reported. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from automation.browser.debugging import chromium_executable
from automation.cli.options import DEFAULT_PARALLEL
from automation.inventory import password_variable
from automation.sandbox.licenses import issue_license, random_serial, render_license

HERE = Path(__file__).parent
SC_LICENSE = Path(sys.executable).parent / "sc-license"
BARE = HERE / "bare_install.py"
BARE_FLEET = HERE / "bare_fleet.py"


@dataclass
class Stage:
    """A sandbox and two licenses for it, installed in turn so every run changes something.
    Each sandbox is a process of its own, as each Service Center is a server of its own."""

    process: subprocess.Popen[bytes]
    port: int
    password: str
    licenses: tuple[Path, Path]
    turn: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/ServiceCenter"

    def next_license(self) -> Path:
        self.turn += 1
        return self.licenses[self.turn % 2]


@contextmanager
def stages(count: int, folder: Path) -> Iterator[list[Stage]]:
    made: list[Stage] = []
    try:
        for index in range(count):
            serial, password = random_serial(), secrets.token_urlsafe(12)
            files = []
            for which in ("installed", "a", "b"):
                path = folder / f"{index}-{which}.lic"
                path.write_bytes(render_license(issue_license(serial)))
                files.append(path)
            port = free_port()
            process = subprocess.Popen(
                [
                    str(SC_LICENSE),
                    "sandbox",
                    "serve",
                    "--port",
                    str(port),
                    "--serial",
                    serial,
                    "--license",
                    str(files[0]),
                ],
                env={**os.environ, "SC_SANDBOX_PASSWORD": password},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            made.append(Stage(process, port, password, (files[1], files[2])))
        for stage in made:
            wait_listening(stage.port)
        yield made
    finally:
        for stage in made:
            stage.process.terminate()
            stage.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_listening(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"no sandbox on port {port}")


def timed(
    command: list[str], env: dict[str, str], cwd: Path, memory: bool = False
) -> tuple[float, int]:
    """Wall time of a command; with `memory`, the peak PSS of its whole process tree (bytes),
    in a run of its own, since reading it costs time."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    peak = 0
    watched = psutil.Process(process.pid)
    while memory and process.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            # PSS: shared pages counted once across the browser's many processes.
            peak = max(peak, sum(p.memory_full_info().pss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    process.wait()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{command[:3]} exited {process.returncode}")
    return elapsed, peak


def tool_install(stage: Stage, cwd: Path, *extra: str, memory: bool = False) -> tuple[float, int]:
    env = {**os.environ, "SC_LICENSE_PASSWORD": stage.password}
    return timed(
        [
            str(SC_LICENSE),
            "install",
            "--url",
            stage.url,
            "--user",
            "admin",
            "--license",
            str(stage.next_license()),
            *extra,
        ],
        env,
        cwd,
        memory,
    )


def bare_install(
    stage: Stage, cwd: Path, chromium: Path, memory: bool = False
) -> tuple[float, int]:
    env = {**os.environ, "SC_LICENSE_PASSWORD": stage.password}
    return timed(
        [sys.executable, str(BARE), stage.url, "admin", str(stage.next_license()), str(chromium)],
        env,
        cwd,
        memory,
    )


def fleet_install(group: list[Stage], cwd: Path) -> float:
    inventory = cwd / "environments.toml"
    licenses = cwd / "licenses"
    licenses.mkdir(exist_ok=True)
    for old in licenses.glob("*.lic"):
        old.unlink()
    lines, env = [], dict(os.environ)
    for index, stage in enumerate(group):
        name = f"env{index}"
        lines += ["[[environment]]", f'name = "{name}"', f'url = "{stage.url}"', ""]
        env[password_variable(name)] = stage.password
        (licenses / f"{name}.lic").write_bytes(stage.next_license().read_bytes())
    inventory.write_text("\n".join(lines))
    elapsed, _ = timed(
        [
            str(SC_LICENSE),
            "install",
            "--all",
            "--licenses",
            str(licenses),
            "--inventory",
            str(inventory),
        ],
        env,
        cwd,
    )
    return elapsed


def bare_fleet(group: list[Stage], cwd: Path, chromium: Path, parallel: int) -> float:
    """The same clicks for the whole group in one browser, `parallel` at a time: the floor a
    fleet of these clicks has on this machine, with no evidence."""
    jobs = [
        {"url": s.url, "user": "admin", "password": s.password, "license": str(s.next_license())}
        for s in group
    ]
    (cwd / "jobs.json").write_text(json.dumps(jobs))
    command = [sys.executable, str(BARE_FLEET), str(cwd / "jobs.json"), str(chromium)]
    elapsed, _ = timed([*command, "--parallel", str(parallel)], dict(os.environ), cwd)
    return elapsed


def one_environment(stage: Stage, cwd: Path, chromium: Path, repeat: int) -> dict[str, Any]:
    """`sc-license install` against the bare script on the same browser, interleaved: wall
    time and CPU-seconds of each whole command (its browser included), and where the tool's
    time went, from each run's run.json."""
    same = ("--browser", str(chromium))
    tool_install(stage, cwd, *same)  # warm caches once, unmeasured
    tool: list[tuple[float, float]] = []
    bare: list[tuple[float, float]] = []
    splits = []
    for _ in range(repeat):
        tool.append(with_cpu(lambda: tool_install(stage, cwd, *same)))
        splits.append(time_split(newest_run(cwd), tool[-1][0]))
        bare.append(with_cpu(lambda: bare_install(stage, cwd, chromium)))
    return {
        "browser": chromium.name,  # its name only: no path of this machine in RESULTS.md
        "tool": [wall for wall, _ in tool],
        "bare": [wall for wall, _ in bare],
        "tool_cpu": [cpu for _, cpu in tool],
        "bare_cpu": [cpu for _, cpu in bare],
        "breakdown": {part: [split.get(part, 0.0) for split in splits] for part in SPLIT},
        "tool_peak": tool_install(stage, cwd, *same, memory=True)[1],
        "bare_peak": bare_install(stage, cwd, chromium, memory=True)[1],
    }


def only_one(raw: Path, out: Path, repeat: int, browser: Path | None) -> None:
    """Run the one-environment race alone and put its section in RESULTS.md, in place of the
    one there; the other sections, and the targets table (whose fleet ratios need the one
    environment of the same run), stay as `make bench` wrote them."""
    with tempfile.TemporaryDirectory() as temporary, stages(1, Path(temporary)) as made:
        chromium = chromium_executable(browser)
        one = one_environment(made[0], Path(temporary), chromium, repeat)
    one["when"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    results = json.loads(raw.read_text())
    results["one_alone"] = one
    raw.write_text(json.dumps(results, indent=2) + "\n")
    text = out.read_text()
    start, end = text.index("## One environment"), text.index("## Fleets")
    out.write_text(text[:start] + "\n".join(one_section(one)) + "\n" + text[end:])
    print("\n".join(breakdown_lines(one)))


def with_cpu(command: Callable[[], tuple[float, int]]) -> tuple[float, float]:
    """A command's wall time, and the CPU-seconds of its process tree (every descendant is
    waited for by its parent, so each one's time reaches ours)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _ = command()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


# A run's time, in the order it is spent: the process starting (imports, the command read),
# the browser started, each part of the steps (see automation/evidence/timing.py), the flow's
# work between steps, the browser closed, then what comes after run.json is final (the
# report, the audit log, the index, the process's exit).
SPLIT = (
    "start_up",
    "before_steps",
    "page",
    "screenshot",
    "caption",
    "page_text",
    "files",
    "waited",
    "other",
    "between_steps",
    "after_steps",
    "sealed_and_exit",
)


def time_split(folder: Path, wall: float) -> dict[str, float]:
    record = json.loads((folder / "run.json").read_text())
    timing = record["timing"]
    split = {
        "start_up": timing["start_up"] or 0.0,
        "before_steps": timing["before_steps"],
        **timing["steps"],
        "between_steps": timing["between_steps"],
        "after_steps": timing["after_steps"],
    }
    split["sealed_and_exit"] = max(0.0, wall - sum(split.values()))
    return split


def one_section(one: dict[str, Any]) -> list[str]:
    """RESULTS.md's section on one environment, up to the next section."""
    tool, bare = statistics.median(one["tool"]), statistics.median(one["bare"])
    return [
        "## One environment: `sc-license install` against a bare Playwright script",
        "",
        "Same clicks, same browser; the bare script (`bare_install.py`) keeps no evidence and "
        "checks nothing. Interleaved runs, wall time of the whole command (Python start-up "
        "included).",
        "",
        "| contender | runs (s) | median (s) |",
        "| --- | --- | --- |",
        f"| sc-license install | {', '.join(f'{t:.2f}' for t in one['tool'])} | {tool:.2f} |",
        f"| bare script | {', '.join(f'{t:.2f}' for t in one['bare'])} | {bare:.2f} |",
        *breakdown_lines(one),
        "",
        f"Peak memory (PSS, whole process tree with the browser, a run of its own): sc-license "
        f"{one['tool_peak'] / 2**20:.0f} MiB, bare script {one['bare_peak'] / 2**20:.0f} MiB.",
        "",
    ]


def breakdown_lines(one: dict[str, Any]) -> list[str]:
    """The one-environment race with CPU-seconds, and the tool's time split into its parts."""
    tool, bare = statistics.median(one["tool"]), statistics.median(one["bare"])
    if "tool_cpu" not in one:
        return []
    tool_cpu, bare_cpu = statistics.median(one["tool_cpu"]), statistics.median(one["bare_cpu"])
    pairs = [t / b for t, b in zip(one["tool"], one["bare"], strict=False)]
    lines = [
        "",
        f"Same browser for both: `{one['browser']}`"
        + (f", measured {one['when']} (`bench.py --one`)" if "when" in one else "")
        + f". Median of the pairs' ratios: {statistics.median(pairs):.2f}.",
        "",
        "| contender | wall (s) | CPU-seconds, whole process tree | wall - CPU (s) |",
        "| --- | --- | --- | --- |",
        f"| sc-license install | {tool:.2f} | {tool_cpu:.2f} | {tool - tool_cpu:.2f} |",
        f"| bare script | {bare:.2f} | {bare_cpu:.2f} | {bare - bare_cpu:.2f} |",
        f"| ratio | {tool / bare:.2f} | {tool_cpu / bare_cpu:.2f} | |",
        "",
        "### Where sc-license's time goes",
        "",
        "Each run's run.json splits its steps (`steps[].timing`) and the run (`timing`); the "
        "rest of the wall time is the report, the audit log, the index and the process's exit. "
        "Medians over the runs above, in seconds (the medians need not add up to the median "
        "wall time).",
        "",
        "| part | median (s) | share of the wall time |",
        "| --- | --- | --- |",
    ]
    for part, spent in one["breakdown"].items():
        if any(spent):
            median = statistics.median(spent)
            lines.append(f"| {part.replace('_', ' ')} | {median:.3f} | {median / tool:.0%} |")
    return lines


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def newest_run(cwd: Path) -> Path:
    return max((cwd / "recordings").glob("*-install"), key=lambda p: p.stat().st_mtime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of the one-run race")
    parser.add_argument("--fleets", default="1,5,20", help="fleet sizes to measure")
    parser.add_argument("--suite-seconds", type=float, help="the test suite's wall time, if known")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--render", action="store_true", help="only write RESULTS.md again from results.json"
    )
    parser.add_argument(
        "--browser", type=Path, help="the Chromium both contenders use (default: as found)"
    )
    parser.add_argument(
        "--one",
        action="store_true",
        help="only the one-environment race and its breakdown; the rest of results.json kept",
    )
    options = parser.parse_args()
    raw = HERE / "results.json"
    if options.render:
        write_results(options.out, json.loads(raw.read_text()), options.suite_seconds)
        return
    if options.one:
        only_one(raw, options.out, options.repeat, options.browser)
        return
    chromium = chromium_executable(options.browser)
    sizes = [int(size) for size in options.fleets.split(",")]
    results: dict[str, Any] = {
        "when": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}",
        "parallel": DEFAULT_PARALLEL,
    }
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        with stages(max(sizes), work) as made:
            one = made[0]
            results["one"] = one_environment(one, work, chromium, options.repeat)
            plain = folder_size(newest_run(work))
            tool_install(one, work, "--trace", "on", "--video", "on")
            full = folder_size(newest_run(work))
            results["evidence"] = {"plain": plain, "trace_and_video": full}
            fleets = {}
            for size in sizes:
                group = made[:size]
                fleet = fleet_install(group, work)
                floor = bare_fleet(group, work, chromium, DEFAULT_PARALLEL)
                sequence = sum(bare_install(stage, work, chromium)[0] for stage in group)
                fleets[size] = {"fleet": fleet, "bare_fleet": floor, "bare_sequence": sequence}
            results["fleets"] = fleets
    raw.write_text(json.dumps(results, indent=2) + "\n")
    write_results(options.out, results, options.suite_seconds)
    print(options.out.read_text())


def write_results(path: Path, results: dict[str, Any], suite: float | None) -> None:
    one, evidence = results["one"], results["evidence"]
    fleets = {int(size): row for size, row in results["fleets"].items()}
    tool, bare = statistics.median(one["tool"]), statistics.median(one["bare"])
    largest = max(fleets)
    big = fleets[largest]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {results['when']} by `make bench` on {results['machine']}, headless "
        "Chromium, sandboxes on loopback (each a process of its own).",
        "",
        "## Against the targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
        f"| one environment: at most 1.15 times the bare script on the same browser | "
        f"{tool / bare:.2f} times ({tool:.2f} s against {bare:.2f} s) | "
        f"{_met(tool / bare <= 1.15)} |",
        f"| {largest} environments: at most 4 times one environment | "
        f"{big['fleet'] / tool:.1f} times ({big['fleet']:.1f} s) | "
        f"{_met(big['fleet'] / tool <= 4)} |",
        f"| {largest} environments: at least 4 times faster than the bare script run "
        f"{largest} times | {big['bare_sequence'] / big['fleet']:.2f} times faster | "
        f"{_met(big['bare_sequence'] / big['fleet'] >= 4)} |",
        f"| at most 2 MB of evidence per run | {evidence['plain'] / 1e6:.2f} MB | "
        f"{_met(evidence['plain'] <= 2e6)} |",
        "",
        "Why a target is missed here, and which cannot be met on this machine by any fleet "
        "of these clicks, is under *Reading the figures*.",
        "",
        *one_section(one),
        "## Fleets",
        "",
        f"`install --all` (default `--parallel`, {results['parallel']} here) against two "
        "contenders: the bare script once per environment in sequence, and `bare_fleet.py`, the "
        "same clicks for every environment in one browser, as many at a time, with no "
        "evidence: the fastest these clicks go here.",
        "",
        "| environments | sc-license fleet (s) | bare fleet (s) | bare in sequence (s) "
        "| fleet / one environment | bare in sequence / fleet |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for size, row in sorted(fleets.items()):
        lines.append(
            f"| {size} | {row['fleet']:.1f} | {row['bare_fleet']:.1f} | "
            f"{row['bare_sequence']:.1f} | {row['fleet'] / tool:.2f} | "
            f"{row['bare_sequence'] / row['fleet']:.2f} |"
        )
    lines += [
        "",
        "## Evidence per run",
        "",
        f"- screenshots, report, run.json, backup and uploaded file: "
        f"{evidence['plain'] / 2**20:.2f} MiB (target: at most 2 MB)",
        f"- with `--trace on --video on`: {evidence['trace_and_video'] / 2**20:.2f} MiB",
        "",
        "## Test suite",
        "",
        f"- `make test` wall time: {suite:.0f} s" if suite else "- `make test`: not measured here",
        "",
        *READING,
        "",
        "Raw figures:",
        "",
        "```json",
        json.dumps(results, indent=2, default=str),
        "```",
    ]
    path.write_text("\n".join(lines) + "\n")


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


READING = (HERE / "reading.md").read_text().splitlines()


if __name__ == "__main__":
    main()
