"""CPU-seconds (the machine's, while each fleet runs: Python, Playwright's driver, Chromium,
the sandboxes) and wall time of fleets. Run it on a quiet machine: every process counts.

python benchmarks/fleet_cpu.py SIZE ROUNDS CONTENDER[,CONTENDER...] [latency]
CONTENDER: tool:N (`install --all --parallel N`) or bare:N (bare_fleet.py, N at a time).
Run the tool from another checkout by setting PYTHONPATH to its folder.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import bench


def cpu_seconds() -> float:
    """CPU-seconds the machine has spent (bench.busy_cpu_seconds: a process tree's own count
    misses a third of Chromium's)."""
    return bench.busy_cpu_seconds()


def main() -> None:
    size, rounds, contenders = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(",")
    faults = bench.latency_faults if sys.argv[4:] == ["latency"] else None
    chromium = bench.chromium_executable(None)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        with bench.stages(size, work, faults) as made:
            for _ in range(rounds):
                for contender in contenders:  # interleaved
                    kind, parallel = contender.split(":")
                    before = cpu_seconds()
                    if kind == "bare":
                        wall = bench.bare_fleet(made, work, chromium, int(parallel))
                    else:
                        wall = bench.fleet_install(made, work, int(parallel))
                    used = cpu_seconds() - before
                    print(
                        f"{contender:8} wall {wall:6.1f} s  CPU {used:6.1f} s  "
                        f"CPU per environment {used / size:5.2f} s",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
