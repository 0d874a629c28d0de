"""What a release is: the sdist and wheel `uv build` makes of this checkout, and a virtual
environment holding that wheel alone, as a team installs it beside their own suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    if found is None:
        pytest.skip("uv builds the wheel and its environment; it is not on the PATH")
    return found


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder `uv build` fills: the sdist, then the wheel built from it, as for a release."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [uv(), "build", "--quiet", "--out-dir", str(out), str(ROOT)], check=True, timeout=300
    )
    return out


@pytest.fixture(scope="session")
def wheel(dist: Path) -> Path:
    [found] = dist.glob("sc_license-*.whl")
    return found


@dataclass(frozen=True)
class WheelVenv:
    """A virtual environment with the wheel, pytest and pytest-playwright in it, and nothing of
    the checkout: its commands run without PYTHONPATH, from the folder they are given."""

    python: Path
    bin: Path

    def run(self, program: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        """`program` from the environment's bin ("sc-license", "python", "pytest") in `cwd`."""
        found = shutil.which(program, path=str(self.bin))
        assert found is not None, f"{program} is not in {self.bin}"
        kept = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        return subprocess.run(
            [found, *args],
            cwd=cwd,
            env={**kept, "PATH": os.pathsep.join([str(self.bin), kept.get("PATH", "")])},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )


@pytest.fixture(scope="session")
def wheel_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> WheelVenv:
    """The wheel installed with its `pytest` and `signing` extras in a fresh environment, as a
    team installs it into its own suite's (`pip install 'sc-license[pytest]'`; signing, so that
    every module imports), at uv.lock's versions and nothing of the dev group. Offline, from
    uv's cache, which `uv sync` filled: a pylock.toml names each file, where a requirements
    list would need the index's pages, which the cache may not hold."""
    folder = tmp_path_factory.mktemp("wheel-venv")
    pylock = folder / "pylock.toml"
    venv = folder / "venv"
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    export = [uv(), "export", "--locked", "--quiet", "--format", "pylock.toml", "--no-emit-project"]
    export += ["--no-dev", "--extra", "pytest", "--extra", "signing"]
    install = [uv(), "pip", "install", "--offline", "--quiet", "--python", str(python)]
    for command in (
        [*export, "--output-file", str(pylock)],
        [uv(), "venv", "--quiet", "--python", sys.executable, str(venv)],
        [*install, "--requirements", str(pylock)],
        [*install, f"sc-license[pytest,signing] @ {wheel.as_uri()}"],
    ):
        subprocess.run(command, cwd=ROOT, check=True, timeout=300)
    return WheelVenv(python=python, bin=python.parent)
