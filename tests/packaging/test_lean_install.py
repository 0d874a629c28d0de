"""The default install, without the extras (video's ffmpeg, signing's cryptography), does the
tool's job; what needs an extra says which to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from automation.errors import ExitCode
from automation.installation import add_extra
from tests.support.in_process import invoke

# sc-license's entry point, with the extras' packages as if not installed.
WITHOUT_EXTRAS = (
    "import sys; sys.modules['cryptography'] = sys.modules['imageio_ffmpeg'] = None; "
    "from automation.cli import main; sys.argv[0] = 'sc-license'; main()"
)


def test_the_demo_runs_without_the_extras(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRAS, "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "installed:" in done.stdout


def test_the_sandbox_over_https_without_cryptography_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "cryptography", None)
    done = invoke(["sandbox", "serve", "--tls", "--port", "9"])
    assert done.exit_code == ExitCode.BAD_INPUT
    assert "--tls needs the Python package 'cryptography'" in done.text
    assert add_extra("signing") in " ".join(done.text.split())  # as this copy was installed
