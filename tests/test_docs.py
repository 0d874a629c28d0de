"""The README and docs/ as a newcomer reads them: a short README that starts with the two
commands and goes probe, dry run, install; every link between the pages leads somewhere;
examples for an installed sc-license; every option of every command in the reference; and no
rehearsal that leaves a license file in the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperGroup, TyperOption

from automation.cli.app import app

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def prose(text: str) -> str:
    """The text outside code blocks and inline code, where a link is a link."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", text))


def code_lines(text: str) -> Iterator[str]:
    """Each command of the page's code blocks, its continued lines (`\\`) joined."""
    for block in FENCE.findall(text):
        yield from re.sub(r"\\\n\s*", " ", block).splitlines()[1:-1]


def slug(heading: str, seen: dict[str, int]) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens,
    and -1, -2... after a repeated one."""
    base = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
    count = seen.get(base, 0)
    seen[base] = count + 1
    return f"{base}-{count}" if count else base


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    headings = re.findall(r"^#{1,6} (.+)$", FENCE.sub("", page.read_text()), re.MULTILINE)
    return {slug(heading, seen) for heading in headings}


def broken_links(page: Path) -> list[str]:
    """Each relative link of the page that leads to no file, or to no heading of it."""
    broken = []
    for target in LINK.findall(prose(page.read_text())):
        if re.match(r"^[a-z]+:", target):  # https:, mailto:: the web's, not ours
            continue
        path, _, anchor = target.partition("#")
        found = (page.parent / path).resolve() if path else page
        if not found.exists():
            broken.append(f"{target}: no such file")
        elif anchor and (found.suffix != ".md" or anchor not in anchors(found)):
            broken.append(f"{target}: no heading #{anchor} in {found.name}")
    return broken


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_relative_link_leads_to_a_file_and_a_heading(page: Path) -> None:
    assert broken_links(page) == []


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[a](#the-two-commands)", []),
        ("[a](#no-such-heading)", ["#no-such-heading: no heading #no-such-heading in X.md"]),
        ("[a](docs/nowhere.md)", ["docs/nowhere.md: no such file"]),
        ("[a](X.md#what-audit-verify-proves-and-what-it-cannot)", []),
        ("`[not a link](nowhere.md)` and [the web](https://example.com/x)", []),
    ],
)
def test_the_link_check_finds_what_leads_nowhere(
    text: str, said: list[str], tmp_path: Path
) -> None:
    page = tmp_path / "X.md"
    headings = "## The two commands\n\n## What `audit verify` proves, and what it cannot"
    page.write_text(f"# X\n\n{headings}\n\n{text}\n")
    assert broken_links(page) == said


def test_the_readme_is_short_and_starts_with_the_two_commands() -> None:
    text = README.read_text()
    assert len(text.splitlines()) < 250
    sections = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert sections[0] == "The two commands"
    first = text.split("\n## ")[1]
    assert "make demo " in first and "make test " in first


def test_the_readme_goes_probe_then_dry_run_then_install_then_review() -> None:
    commands = list(code_lines(README.read_text()))

    def first(pattern: str) -> int:
        found = [i for i, line in enumerate(commands) if re.search(pattern, line)]
        assert found, f"the README shows no {pattern!r}"
        return found[0]

    probe = first(r"sc-license probe ")
    dry_run = first(r"sc-license install .*--dry-run")
    install = first(r"sc-license install (?!.*--dry-run)")
    verify = first(r"sc-license audit verify")
    assert probe < dry_run < install < verify


# Every page but the one for developers, which works in a checkout.
FOR_OPERATORS = [page for page in PAGES if page.name != "developers.md"]


@pytest.mark.parametrize("page", FOR_OPERATORS, ids=[page.name for page in FOR_OPERATORS])
def test_the_examples_run_an_installed_sc_license(page: Path) -> None:
    """`uv run sc-license` only in a block that sets up a checkout (`uv sync`)."""
    for block in FENCE.findall(page.read_text()):
        if "uv sync" not in block:
            assert "uv run sc-license" not in block, block


def test_the_readme_says_once_how_a_checkout_runs_them() -> None:
    said = " ".join(README.read_text().split())
    assert "in a checkout, `uv run sc-license` (or `make`) runs it" in said


def commands(group: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every command of sc-license as typer builds it for --help, with its name."""
    group = group or typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    for name in group.list_commands(typer.Context(group)):
        found = group.get_command(typer.Context(group), name)
        if isinstance(found, TyperGroup):
            yield from commands(found, (*path, name))
        else:
            yield " ".join((*path, name)), found


def test_the_reference_names_every_option_of_every_command() -> None:
    reference = (ROOT / "docs" / "reference.md").read_text()
    missing = [
        f"{name} {flag}"
        for name, command in commands()
        for parameter in command.params
        if isinstance(parameter, TyperOption)
        for flag in parameter.opts
        if flag.startswith("--") and flag != "--help"
        if not re.search(f"`{re.escape(flag)}(?![\\w-])", reference)
    ]
    assert missing == []


def test_a_license_file_left_at_the_repository_root_is_not_committed() -> None:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(
        [git, "check-ignore", "--no-index", "-q", "new.lic"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0


def test_the_rehearsal_writes_its_license_file_outside_the_current_folder() -> None:
    written = [
        re.search(r"--out (\S+)", line)
        for page in PAGES
        for line in code_lines(page.read_text())
        if re.match(r"(uv run )?sc-license sandbox license ", line)
    ]
    assert written
    assert [m.group(1) for m in written if m and not m.group(1).startswith(("~", "/", "$"))] == []
