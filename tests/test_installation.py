"""Hints that fit how this copy was installed: the command that adds an extra (signing, video)
to a wheel installed by uv tool, pip or uv pip, a pipx install, a git install or the checkout;
the words a recovery command starts with (`sc-license`, its path, `uv run sc-license`); and the
hints an operator reads, which ask the one function that knows."""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer

from automation.browser import ffmpeg
from automation.errors import BadInput
from automation.evidence import signing
from automation.evidence.commands import Recall, restore_command, status_command
from automation.installation import (
    Installation,
    add_extra,
    extra_command,
    installation_of,
    run_as,
    this_installation,
)
from automation.sandbox import cli as sandbox_cli

PYTHON = "/opt/venv/bin/python"
WHEEL = "sc_license-0.1.0-py3-none-any.whl"
REQUIRES = [
    "playwright<2,>=1.64",
    "cryptography>=42; extra == 'signing'",
    'imageio-ffmpeg>=0.5; extra == "video"',
]


@dataclass(frozen=True)
class Case:
    """How a copy was installed: what its metadata says and what its environment holds."""

    direct_url: str | None  # direct_url.json, with {folder} for the test's folder
    installer: str
    marker: str | None = None  # a file in the environment's prefix: uv's receipt, pipx's
    installed: tuple[str, ...] = ()  # extras' requirements installed beside it
    wheel_kept: bool = True
    checkout: bool = False  # the folder installed from is the repository, with its uv.lock


def wheel_url(folder: str = "{folder}") -> str:
    return json.dumps({"url": f"file://{folder}/dist/{WHEEL}", "archive_info": {}})


EDITABLE = json.dumps({"url": "file://{folder}/repo", "dir_info": {"editable": True}})
GIT = json.dumps(
    {
        "url": "https://github.com/acme/sc-license",
        "vcs_info": {"vcs": "git", "commit_id": "0123abc"},
    }
)

EXTRA_COMMANDS = [
    (
        "a wheel, by uv tool",
        Case(wheel_url(), "uv", marker="uv-receipt.toml"),
        "uv tool install --force '{folder}/dist/" + WHEEL + "[signing]'",
    ),
    (
        "a wheel with video, by uv tool: the video extra is kept",
        Case(wheel_url(), "uv", marker="uv-receipt.toml", installed=("imageio-ffmpeg",)),
        "uv tool install --force '{folder}/dist/" + WHEEL + "[signing,video]'",
    ),
    (
        "from the index, by uv tool",
        Case(None, "uv", marker="uv-receipt.toml"),
        "uv tool install --force 'sc-license[signing]'",
    ),
    (
        "a wheel, by pip into a virtual environment",
        Case(wheel_url(), "pip"),
        PYTHON + " -m pip install '{folder}/dist/" + WHEEL + "[signing]'",
    ),
    (
        "a wheel, by uv pip into a virtual environment (which may have no pip)",
        Case(wheel_url(), "uv"),
        "uv pip install --python " + PYTHON + " '{folder}/dist/" + WHEEL + "[signing]'",
    ),
    (
        "a wheel since moved, by pip: what the extra brings, by name",
        Case(wheel_url(), "pip", wheel_kept=False),
        PYTHON + " -m pip install 'cryptography>=42'",
    ),
    (
        "from the index, by pip",
        Case(None, "pip"),
        PYTHON + " -m pip install 'sc-license[signing]'",
    ),
    (
        "pipx, whatever it came from",
        Case(wheel_url(), "pip", marker="pipx_metadata.json"),
        "pipx inject sc-license 'cryptography>=42'",
    ),
    (
        "from git, by pip",
        Case(GIT, "pip"),
        PYTHON
        + " -m pip install 'sc-license[signing] @ git+https://github.com/acme/sc-license@0123abc'",
    ),
    (
        "an editable folder that is not the repository, by pip",
        Case(EDITABLE, "pip"),
        PYTHON + " -m pip install -e '{folder}/repo[signing]'",
    ),
    (
        "the repository's checkout, with both extras synced",
        Case(EDITABLE, "uv", installed=("cryptography", "imageio-ffmpeg"), checkout=True),
        "uv sync --project {folder}/repo --extra signing --extra video",
    ),
]


def installed_as(case: Case, folder: Path) -> Installation:
    """The installation `case` describes, laid out in `folder`."""
    (folder / "dist").mkdir()
    if case.wheel_kept:
        (folder / "dist" / WHEEL).write_bytes(b"PK")
    (folder / "repo").mkdir()
    if case.checkout:
        (folder / "repo" / "uv.lock").write_text("version = 1\n")
    prefix = folder / "repo" / ".venv" if case.checkout else folder / "venv"
    prefix.mkdir(parents=True)
    if case.marker:
        (prefix / case.marker).write_text("")
    direct_url = case.direct_url.replace("{folder}", str(folder)) if case.direct_url else None
    return installation_of(
        direct_url,
        case.installer,
        REQUIRES,
        frozenset(("sc-license", "playwright", *case.installed)),
        prefix,
        Path("/usr"),
        PYTHON,
    )


@pytest.mark.parametrize(
    ("case", "command"),
    [(c, cmd) for _, c, cmd in EXTRA_COMMANDS],
    ids=[i for i, *_ in EXTRA_COMMANDS],
)
def test_the_signing_extra_is_added_the_way_this_copy_was_installed(
    case: Case, command: str, tmp_path: Path
) -> None:
    how = installed_as(case, tmp_path)

    assert extra_command("signing", how, shell="posix") == command.replace(
        "{folder}", str(tmp_path)
    )


def test_a_uv_tool_whose_wheel_has_moved_is_told_to_give_the_wheel_again(tmp_path: Path) -> None:
    how = installed_as(
        Case(wheel_url(), "uv", marker="uv-receipt.toml", wheel_kept=False), tmp_path
    )

    said = add_extra("signing", how, shell="posix")

    assert said.startswith(f"`uv tool install --force '{tmp_path}/dist/{WHEEL}[signing]'`")
    assert f"no longer at {tmp_path}/dist/{WHEEL}" in said


def test_a_windows_wheel_path_with_spaces_is_one_word_at_the_windows_prompt() -> None:
    how = Installation(kind="uv tool", source="C:\\Users\\Jane Doe\\Downloads\\" + WHEEL)

    said = extra_command("video", how, shell="windows")

    assert said == rf'uv tool install --force "C:\Users\Jane Doe\Downloads\{WHEEL}[video]"'


@dataclass(frozen=True)
class Started:
    """How a copy was started: by which sc-license, what the PATH finds, by `uv run` or not."""

    typed: str | None  # sys.argv[0]: "bin" for the copy's own, "other" for another file
    on_path: str | None
    by_uv_run: bool = False
    checkout: bool = False  # in the checkout, or a project whose .venv holds it
    cwd: str = "elsewhere"  # "checkout": inside that folder
    beside: str | None = None  # the sc-license beside this Python, when argv[0] is not one


RUN_AS = [
    ("on the PATH: by its name", Started(typed="bin", on_path="bin"), ["sc-license"]),
    ("on the PATH by a link to it", Started(typed="bin", on_path="link"), ["sc-license"]),
    ("not on the PATH: by its path", Started(typed="bin", on_path=None), ["{bin}"]),
    ("another sc-license first on the PATH", Started(typed="bin", on_path="other"), ["{bin}"]),
    (
        "`uv run` in the checkout (or a project whose .venv holds it)",
        Started(typed="bin", on_path="bin", by_uv_run=True, checkout=True, cwd="checkout"),
        ["uv", "run", "sc-license"],
    ),
    (
        "`uv run --project` from another folder",
        Started(typed="bin", on_path="bin", by_uv_run=True, checkout=True),
        ["uv", "run", "--project", "{checkout}", "sc-license"],
    ),
    (
        "the checkout's own, typed by its path",
        Started(typed="bin", on_path=None, checkout=True, cwd="checkout"),
        ["{bin}"],
    ),
    (
        "inside another program (pytest), the one beside its Python on the PATH",
        Started(typed=None, on_path="bin", beside="bin", by_uv_run=True, checkout=True),
        ["sc-license"],
    ),
    (
        "inside another program, the one beside its Python not on the PATH",
        Started(typed=None, on_path=None, beside="bin"),
        ["{bin}"],
    ),
    ("nothing known", Started(typed=None, on_path=None), ["sc-license"]),
]


@pytest.mark.parametrize(
    ("started", "words"), [(s, w) for _, s, w in RUN_AS], ids=[i for i, *_ in RUN_AS]
)
def test_a_recovery_command_starts_the_way_this_copy_is_run(
    started: Started, words: list[str], tmp_path: Path
) -> None:
    checkout = tmp_path / "checkout"
    files = {
        "bin": checkout / ".venv" / "bin" / "sc-license",
        "other": tmp_path / "other" / "sc-license",
        "link": tmp_path / "local-bin" / "sc-license",
    }
    for path in (files["bin"], files["other"]):
        path.parent.mkdir(parents=True)
        path.write_text("#!/bin/sh\n")
    files["link"].parent.mkdir()
    files["link"].symlink_to(files["bin"])

    began = run_as(
        typed=files[started.typed] if started.typed else None,
        beside=files[started.beside] if started.beside else None,
        on_path=files[started.on_path] if started.on_path else None,
        by_uv_run=started.by_uv_run,
        project=checkout if started.checkout else None,
        cwd=checkout if started.cwd == "checkout" else tmp_path,
    )

    named = {"{bin}": str(files["bin"]), "{checkout}": str(checkout)}
    assert began == [named.get(word, word) for word in words]


def test_the_printed_commands_start_with_the_words_that_run_this_copy(tmp_path: Path) -> None:
    recall = Recall(
        environment="prod", url="https://sc.example/ServiceCenter", user="admin", out=tmp_path
    )
    checkout = ["uv", "run", "--project", "/home/jane/sc license", "sc-license"]

    status = shlex.split(status_command(recall, "posix", program=checkout))
    restore = shlex.split(restore_command(recall, tmp_path / "b.lic", "posix", program=checkout))

    assert status[:6] == [*checkout, "status"]
    assert restore[:6] == [*checkout, "restore"]


def test_the_missing_cryptography_hints_name_this_copys_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "cryptography", None)  # as if it were not installed
    command = extra_command("signing", this_installation())

    with pytest.raises(BadInput) as refused:
        signing._need_cryptography()
    with pytest.raises(typer.Exit):
        sandbox_cli._need_cryptography()

    assert f"`{command}`" in refused.value.hint
    assert f"`{command}`" in " ".join(capsys.readouterr().err.split())


def test_the_video_hint_names_this_copys_command_and_setup(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))  # no ffmpeg there

    with pytest.raises(BadInput) as refused:
        ffmpeg.require_ffmpeg()

    assert f"`{extra_command('video', this_installation())}`" in refused.value.hint
    assert " setup`" in refused.value.hint


def test_setup_says_why_playwright_could_not_download_ffmpeg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    reason = (
        "could not download FFmpeg (playwright ffmpeg v1011): connect ECONNREFUSED 10.0.0.1:3128"
    )
    monkeypatch.setattr(ffmpeg, "playwright_install", lambda *targets: reason)
    monkeypatch.setattr(ffmpeg, "ffmpeg_elsewhere", lambda: None)
    said: list[str] = []

    found = ffmpeg.ensure_ffmpeg(said.append)

    assert found is None
    assert f"Playwright {reason}" in said
