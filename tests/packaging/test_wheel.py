"""The wheel as a package index shows it and an installer reads it: what it needs, what it
is, a description whose links lead somewhere off the repository too, and its one package,
sc_license, holding the checkout's automation/ and flows/ with their imports moved under it
(hatch_build.py)."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import tarfile
import tokenize
import zipfile
from configparser import ConfigParser
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, uv

# A Markdown link or picture and where it points.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]*)\)")
MOVED = ("automation", "flows")
# What the hook puts before a moved package's name; taken out, the checkout's text is left.
PREFIX = re.compile(r"sc_license\.(?=(?:automation|flows)\b)")


@pytest.fixture(scope="module")
def files(wheel: Path) -> dict[str, bytes]:
    """Every file in the wheel, by its path there."""
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def metadata(files: dict[str, bytes]) -> Message:
    [name] = [n for n in files if n.endswith(".dist-info/METADATA")]
    return Parser().parsestr(files[name].decode())


@pytest.fixture(scope="module")
def modules(files: dict[str, bytes]) -> dict[str, str]:
    """The wheel's Python files, by path, as text."""
    return {name: data.decode() for name, data in files.items() if name.endswith(".py")}


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


def test_the_wheel_holds_one_package_sc_license(files: dict[str, bytes], metadata: Message) -> None:
    top = {name.split("/")[0] for name in files}
    assert top == {"sc_license", f"sc_license-{metadata['Version']}.dist-info"}
    assert "sc_license/automation/__init__.py" in files
    assert "sc_license/flows/__init__.py" in files


def test_every_module_compiles_and_names_automation_and_flows_under_sc_license(
    modules: dict[str, str],
) -> None:
    bare = []
    for name, source in modules.items():
        compile(source, name, "exec")
        for node in ast.walk(ast.parse(source, name)):
            if isinstance(node, ast.Import):
                named = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                named = [node.module or ""]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                named = [node.value]
            else:
                continue
            bare += [f"{name}:{node.lineno}: {n}" for n in named if moved_module(n)]
    assert bare == []


def test_the_modules_are_the_checkouts_but_for_the_moved_names(modules: dict[str, str]) -> None:
    for name, source in modules.items():
        original = (ROOT / checkout_path(name)).read_text(encoding="utf-8")
        assert PREFIX.sub("", source) == PREFIX.sub("", original), name
        assert comments(source) == comments(original), name
    assert "sc_license.automation.cli.change:install" in modules["sc_license/automation/cli/app.py"]


def test_every_file_of_the_packages_is_in_the_wheel(files: dict[str, bytes]) -> None:
    shipped = {checkout_path(n): data for n, data in files.items() if n.startswith("sc_license/")}
    for package in ("automation", "flows", "sc_license"):
        for path in (ROOT / package).rglob("*"):
            relative = path.relative_to(ROOT).as_posix()
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                assert relative in shipped, f"{relative} is not in the wheel"
                if path.suffix != ".py":
                    assert shipped[relative] == path.read_bytes(), relative
    for data in (
        "automation/cli/environments.example.toml",
        "automation/evidence/templates/report.html",
        "automation/sandbox/templates/login.html",
        "automation/browser/supervision.js",
        "automation/evidence/capture.js",
        "sc_license/py.typed",  # the public API is typed for a team's mypy
    ):
        assert data in shipped


def test_the_command_and_the_pytest_plugin_are_sc_licenses(files: dict[str, bytes]) -> None:
    [name] = [n for n in files if n.endswith(".dist-info/entry_points.txt")]
    entry_points = ConfigParser()
    entry_points.read_string(files[name].decode())
    assert entry_points["console_scripts"]["sc-license"] == "sc_license.cli:main"
    assert entry_points["pytest11"]["sc_license"] == "sc_license.pytest_plugin"


def test_the_sdist_holds_what_the_wheel_is_built_from(dist: Path) -> None:
    [sdist] = dist.glob("sc_license-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"hatch_build.py", "pyproject.toml", "README.md"} <= names
    for package in ("automation/__init__.py", "flows/__init__.py", "sc_license/__init__.py"):
        assert package in names


def test_a_wheel_built_straight_from_the_checkout_holds_the_same_files(
    files: dict[str, bytes], tmp_path: Path
) -> None:
    subprocess.run(
        [uv(), "build", "--wheel", "--quiet", "--out-dir", str(tmp_path), str(ROOT)],
        check=True,
        timeout=300,
    )
    [straight] = tmp_path.glob("sc_license-*.whl")
    with zipfile.ZipFile(straight) as archive:
        assert sorted(archive.namelist()) == sorted(files)


def moved_module(name: str) -> bool:
    return any(name == package or name.startswith(f"{package}.") for package in MOVED)


def checkout_path(name: str) -> str:
    """Where a file of the wheel comes from in the checkout."""
    for package in MOVED:
        if name.startswith(f"sc_license/{package}/"):
            return name.removeprefix("sc_license/")
    return name


def comments(source: str) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [token.string for token in tokens if token.type == tokenize.COMMENT]
