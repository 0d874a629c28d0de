"""The wheel's one package: `automation/` and `flows/` moved under `sc_license/`, with the
imports and module names in their code rewritten to match.

In the repository the code lives in the top-level packages `automation` and `flows`. Installed
under those names they would clash with a team's own `automation` or `flows` package, so a
standard wheel holds them as `sc_license.automation` and `sc_license.flows`. An editable
install (`uv sync`) is left alone: it puts the checkout on sys.path, as before.
"""

from __future__ import annotations

import ast
import io
import shutil
import tempfile
import tokenize
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pathspec
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TOP = "sc_license"
MOVED = ("automation", "flows")
# Where each top-level folder of the checkout goes in the wheel.
LAYOUT = {TOP: TOP, **{name: f"{TOP}/{name}" for name in MOVED}}
SKIPPED = {"__pycache__"}


class MoveUnderScLicense(BuildHookInterface):
    """Stages the rewritten copy in a temporary folder and has hatchling ship that alone."""

    staged: tempfile.TemporaryDirectory[str] | None = None

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version != "standard":
            return
        # Removed in finalize, or when the build fails before it, on exit.
        self.staged = tempfile.TemporaryDirectory(prefix="sc-license-wheel-")
        stage = Path(self.staged.name)
        root = Path(self.root)
        ignored = ignored_by_git(root)
        for source, target in LAYOUT.items():
            copy_package(root / source, stage / target, lambda path: ignored(path, root))
        build_data["force_include"][str(stage / TOP)] = TOP

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self.staged is not None:
            self.staged.cleanup()


def ignored_by_git(root: Path) -> Callable[[Path, Path], bool]:
    """Whether a file is one the repository's .gitignore leaves out (a local
    environments.toml, say): such a file is never shipped, as hatchling's own selection
    would not ship it."""
    gitignore = root / ".gitignore"
    lines = gitignore.read_text().splitlines() if gitignore.is_file() else []
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return lambda path, base: spec.match_file(path.relative_to(base).as_posix())


def copy_package(source: Path, target: Path, ignored: Callable[[Path], bool]) -> None:
    """Copy the package at `source` to `target`, every file but bytecode and what git
    ignores, with each `.py` file's references to `automation` and `flows` rewritten."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        skipped = SKIPPED & set(relative.parts) or path.suffix == ".pyc"
        if not path.is_file() or skipped or ignored(path):
            continue
        copy = target / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".py":
            copy.write_bytes(rewrite_file(path.read_bytes(), str(path)))
        else:
            shutil.copy2(path, copy)


def rewrite_file(data: bytes, name: str) -> bytes:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return rewrite(data.decode(encoding), name).encode(encoding)


def rewrite(source: str, name: str) -> str:
    """`source` with `sc_license.` put before each import of `automation`/`flows` and each
    string literal naming one of their modules; nothing else changes, byte for byte."""
    # Lines as tokenize numbers them, their line endings untouched.
    lines = io.StringIO(source, newline="").readlines()
    tokens = tokenize.generate_tokens(iter(lines).__next__)
    for row, column in sorted(insertions(tokens, name), reverse=True):
        line = lines[row - 1]
        lines[row - 1] = f"{line[:column]}{TOP}.{line[column:]}"
    return "".join(lines)


def insertions(tokens: Iterable[tokenize.TokenInfo], name: str) -> list[tuple[int, int]]:
    """Where `sc_license.` goes: before the first name of an imported module, and after the
    opening quote of a string naming a module."""
    found: list[tuple[int, int]] = []
    statement = ""  # "import" or "from" while in an import statement
    expect_module = False  # the next name starts a module's dotted name
    unaliased: tokenize.TokenInfo | None = None
    previous: tokenize.TokenInfo | None = None
    for token in tokens:
        if token.type in (tokenize.COMMENT, tokenize.NL):
            continue
        kind, text = token.type, token.string
        if kind == tokenize.NEWLINE or text == ";":
            refuse_unaliased(unaliased, name)
            statement, expect_module, unaliased = "", False, None
        elif kind == tokenize.NAME and text == "import" and statement != "from":
            statement, expect_module = "import", True
        elif kind == tokenize.NAME and text == "from" and starts_statement(previous):
            # Not `yield from` or `raise ... from`: those follow an expression or `yield`.
            statement, expect_module = "from", True
        elif expect_module:
            # A relative `from . import x` starts with a dot: it is left alone.
            if kind == tokenize.NAME and text in MOVED:
                found.append(token.start)
                unaliased = token if statement == "import" else None
            expect_module = False
        elif statement == "import" and text == ",":
            refuse_unaliased(unaliased, name)
            expect_module, unaliased = True, None
        elif statement == "import" and text == "as":
            unaliased = None
        elif kind == tokenize.STRING and names_a_module(text):
            prefix = len(text) - len(text.lstrip("rRuU"))
            quote = 3 if text[prefix : prefix + 3] in ('"""', "'''") else 1
            found.append((token.start[0], token.start[1] + prefix + quote))
        previous = token
    return found


def starts_statement(previous: tokenize.TokenInfo | None) -> bool:
    if previous is None:
        return True
    return previous.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) or (
        previous.string in (";", ":")
    )


def names_a_module(literal: str) -> bool:
    """A plain string literal whose value is `automation`, `flows` or a module in them."""
    if literal.lstrip("rRuU")[:1] not in ("'", '"'):
        return False  # bytes, f-strings and template strings are not module names
    value = ast.literal_eval(literal)
    return any(value == package or value.startswith(f"{package}.") for package in MOVED)


def refuse_unaliased(token: tokenize.TokenInfo | None, name: str) -> None:
    """`import automation.x` binds the name `automation`, which the rewritten
    `import sc_license.automation.x` would not: such an import needs an `as`."""
    if token is not None:
        raise ValueError(
            f"{name}:{token.start[0]}: `import {token.string}...` needs `as` (or use `from ... "
            f"import`) to be moved under {TOP}; the wheel would otherwise lose the name"
        )
