"""How big an operator's install is: the wheel built from this checkout, installed as a tool
(`uv tool install --compile-bytecode`, the README's way) into a folder of its own, measured,
then run from an empty folder (`--help`, `demo`). `make install-size` runs it.

Exits 1 when the install without the video extra is over the limit (issue 17: 210 MB, of
which Playwright alone is about 160) or a command fails. Needs uv; nothing else of the
project's environment.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
LIMIT_MB = 210.0


def size_mb(folder: Path) -> float:
    """The room the files under `folder` take, each file once however many links it has."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in folder.rglob("*"):
        info = path.lstat()
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            total += info.st_size
    return total / 2**20


def install(uv: str, wheel: Path, work: Path, extra: str) -> tuple[Path, float]:
    """The wheel (with `extra`, if any) as a tool under `work`: its command and its size."""
    env = {**os.environ, "UV_TOOL_DIR": str(work / "tools"), "UV_TOOL_BIN_DIR": str(work / "bin")}
    spec = f"sc-license[{extra}] @ {wheel.as_uri()}" if extra else str(wheel)
    subprocess.run(
        [uv, "tool", "install", "--quiet", "--compile-bytecode", spec], env=env, check=True
    )
    command = work / "bin" / ("sc-license.exe" if os.name == "nt" else "sc-license")
    return command, size_mb(work / "tools" / "sc-license")


def runs(command: Path, *args: str) -> bool:
    """`sc-license ARGS` from an empty folder, with a state folder of its own."""
    with tempfile.TemporaryDirectory(prefix="sc-license-empty-") as empty:
        env = {**os.environ, "SC_LICENSE_STATE_DIR": str(Path(empty) / ".state")}
        done = subprocess.run(
            [str(command), *args], cwd=empty, env=env, capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        print(f"`sc-license {' '.join(args)}` exited {done.returncode}:\n{done.stderr[-2000:]}")
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uv", default=os.environ.get("UV") or shutil.which("uv") or "uv")
    parser.add_argument("--no-demo", action="store_true", help="measure only")
    given = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sc-license-size-") as temporary:
        work = Path(temporary)
        subprocess.run(
            [given.uv, "build", "--wheel", "--quiet", "--out-dir", str(work / "dist"), str(ROOT)],
            check=True,
        )
        [wheel] = (work / "dist").glob("sc_license-*.whl")
        command, lean = install(given.uv, wheel, work / "lean", "")
        ok = lean <= LIMIT_MB
        if not given.no_demo:
            ok = runs(command, "--help") and runs(command, "demo") and ok
        _, video = install(given.uv, wheel, work / "video", "video")
    verdict = "met" if lean <= LIMIT_MB else "NOT met"
    print("| install (uv tool install --compile-bytecode) | size | limit |")
    print("| --- | --- | --- |")
    print(f"| sc-license | {lean:.0f} MB | {LIMIT_MB:.0f} MB: {verdict} |")
    print(f"| sc-license[video] | {video:.0f} MB | - |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
