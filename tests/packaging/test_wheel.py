"""The wheel as a package index shows it and an installer reads it: what it needs, what it
is, and a description whose links lead somewhere off the repository too."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
# A Markdown link or picture and where it points.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]*)\)")


@pytest.fixture(scope="module")
def metadata(tmp_path_factory: pytest.TempPathFactory) -> Message:
    """The METADATA of the wheel `uv build` makes of this checkout."""
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv is None:
        pytest.skip("uv builds the wheel; it is not on the PATH")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [uv, "build", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT)],
        check=True,
        timeout=300,
    )
    [wheel] = out.glob("sc_license-*.whl")
    with zipfile.ZipFile(wheel) as files:
        [name] = [n for n in files.namelist() if n.endswith(".dist-info/METADATA")]
        return Parser().parsestr(files.read(name).decode())


def test_ffmpeg_for_video_comes_only_with_the_video_extra(metadata: Message) -> None:
    needs = metadata.get_all("Requires-Dist") or []
    assert [n for n in needs if n.startswith("imageio-ffmpeg")] == [
        "imageio-ffmpeg>=0.5; extra == 'video'"
    ]
    assert "video" in (metadata.get_all("Provides-Extra") or [])


def test_the_wheel_says_what_it_is_whose_and_under_which_license(metadata: Message) -> None:
    assert metadata["License-Expression"]
    assert metadata["Author"]
    assert "outsystems" in metadata["Keywords"]
    classifiers = metadata.get_all("Classifier") or []
    assert "Intended Audience :: System Administrators" in classifiers
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert metadata["Requires-Python"] == ">=3.11"


def test_the_long_description_holds_no_link_into_the_repository(metadata: Message) -> None:
    description = metadata.get_payload()
    assert isinstance(description, str)
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert "## Exit codes" in description and "docs/ci/github-actions.yml" in description
    targets = LINK.findall(description)
    assert targets, "the README's links to the web stay"
    assert [t for t in targets if not t.startswith(("https://", "http://", "#"))] == []
