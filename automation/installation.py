"""How this copy of sc-license was installed, and so the commands that fit it: how to add an
extra (signing, video) to it, and how to run it again. Read from its distribution's metadata
(direct_url.json, INSTALLER) and the environment it runs in, never guessed from a name: a
`uv tool install 'sc-license[signing]'` fails for anyone who installed from a wheel file.

Every hint that names such a command asks here: the missing-cryptography and video hints,
`setup`'s, and the commands a run's ending tells the operator to run next."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import sysconfig
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from automation.shell import THIS_SHELL, Shell, command_line

DISTRIBUTION = "sc-license"
PROGRAM = "sc-license"

# How a copy was installed: the repository's own checkout (`uv sync`, `make setup`), a
# `uv tool install`, a pipx install, or pip/uv pip into a virtual environment or a Python.
Kind = Literal["checkout", "uv tool", "pipx", "venv", "system"]

# `name>=1; extra == "signing"`: a requirement an extra brings.
EXTRA_REQUIREMENT = re.compile(
    r"""^(?P<requirement>[^;]+?)\s*;.*\bextra\s*==\s*['"](?P<extra>[^'"]+)['"]"""
)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Installation:
    """Where this copy came from and what installed it."""

    kind: Kind
    # What it was installed from: a wheel's or a folder's path, or "git+URL@COMMIT"; None:
    # a package index, by name.
    source: str | None = None
    editable: bool = False
    root: Path | None = None  # a checkout's folder
    installer: str = ""  # the distribution's INSTALLER: "pip", "uv", ...; "" when unknown
    python: str = sys.executable  # the interpreter of the environment it is installed in
    # Each extra's requirements ("cryptography>=42"), and the extras whose requirements are
    # installed now (kept when it is installed again with another).
    extras: dict[str, tuple[str, ...]] = field(default_factory=dict)
    installed_extras: frozenset[str] = frozenset()

    def spec(self, extras: list[str]) -> str:
        """What to give an installer for this copy with `extras`: its wheel or folder with
        the extras, a direct reference to its repository, or its name on an index."""
        brackets = f"[{','.join(extras)}]" if extras else ""
        if self.source is None:
            return f"{DISTRIBUTION}{brackets}"
        if self.source.startswith(("git+", "hg+", "svn+", "bzr+")):
            return f"{DISTRIBUTION}{brackets} @ {self.source}"
        return f"{self.source}{brackets}"

    @property
    def source_gone(self) -> bool:
        """Whether the wheel or folder it was installed from is no longer there."""
        local = self.source is not None and not self.source.startswith(("git+", "hg+", "svn+"))
        return local and not Path(str(self.source)).exists()


def installation_of(
    direct_url: str | None,
    installer: str,
    requires: list[str],
    installed: frozenset[str],
    prefix: Path,
    base_prefix: Path,
    python: str = sys.executable,
) -> Installation:
    """How a copy was installed, from its distribution's direct_url.json (None: from an
    index), INSTALLER, Requires-Dist, the names of the distributions installed beside it, and
    its environment's prefix."""
    source, editable = _source(direct_url)
    extras = _extras(requires)
    have = frozenset(
        name for name, needs in extras.items() if all(_name(need) in installed for need in needs)
    )
    root = Path(source) if editable and source else None
    if root is not None and (root / "uv.lock").is_file() and prefix.is_relative_to(root):
        kind: Kind = "checkout"  # the repository's own environment, synced by uv
    elif (prefix / "uv-receipt.toml").is_file():
        kind = "uv tool"  # uv writes its receipt into each tool's environment
    elif (prefix / "pipx_metadata.json").is_file():
        kind = "pipx"
    else:
        kind = "venv" if prefix != base_prefix else "system"
    return Installation(
        kind=kind,
        source=source,
        editable=editable,
        root=root if kind == "checkout" else None,
        installer=installer.strip().lower(),
        python=python,
        extras=extras,
        installed_extras=have,
    )


def _source(direct_url: str | None) -> tuple[str | None, bool]:
    """What direct_url.json says a copy was installed from (PEP 610), and whether editable."""
    if not direct_url:
        return None, False
    try:
        data = json.loads(direct_url)
        url = str(data["url"])
    except (ValueError, KeyError, TypeError):
        return None, False
    if "vcs_info" in data:
        info = data["vcs_info"]
        commit = info.get("commit_id") or info.get("requested_revision")
        return f"{info.get('vcs', 'git')}+{url}" + (f"@{commit}" if commit else ""), False
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return url, False  # a wheel or an archive at an address
    path = url2pathname(unquote(parsed.path))
    if parsed.netloc and parsed.netloc != "localhost":  # a Windows share: file://server/share
        path = f"//{parsed.netloc}{path}"
    editable = bool(data.get("dir_info", {}).get("editable"))
    return path, editable


def _extras(requires: list[str]) -> dict[str, tuple[str, ...]]:
    extras: dict[str, list[str]] = {}
    for line in requires:
        found = EXTRA_REQUIREMENT.match(line)
        if found:
            extras.setdefault(found["extra"], []).append(found["requirement"].strip())
    return {name: tuple(needs) for name, needs in extras.items()}


def _name(requirement: str) -> str:
    found = NAME.match(requirement)
    return _normal(found.group() if found else requirement)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def this_installation() -> Installation:
    """How the copy running now was installed."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return Installation(kind="venv" if sys.prefix != sys.base_prefix else "system")
    installed = frozenset(
        _normal(d.metadata["Name"]) for d in metadata.distributions() if d.metadata["Name"]
    )
    return installation_of(
        dist.read_text("direct_url.json"),
        dist.read_text("INSTALLER") or "",
        dist.requires or [],
        installed,
        Path(sys.prefix),
        Path(sys.base_prefix),
    )


def extra_command(extra: str, how: Installation | None = None, shell: Shell = THIS_SHELL) -> str:
    """The command that adds `extra` to this copy, as it was installed; the extras installed
    now are kept where the command installs it again."""
    how = how or this_installation()
    extras = sorted(how.installed_extras | {extra})
    if how.kind == "checkout":
        words = ["uv", "sync", *(word for name in extras for word in ("--extra", name))]
        if how.root is not None:
            words[2:2] = ["--project", str(how.root)]
        return command_line(words, shell)
    if how.kind == "pipx":  # into the environment pipx made for it, whatever it came from
        needs = how.extras.get(extra) or (f"{DISTRIBUTION}[{extra}]",)
        return command_line(["pipx", "inject", DISTRIBUTION, *needs], shell)
    if how.kind == "uv tool":
        return command_line(["uv", "tool", "install", "--force", how.spec(extras)], shell)
    if how.source_gone:  # the wheel it came from has gone: what the extra brings, by name
        wanted = list(how.extras.get(extra) or (f"{DISTRIBUTION}[{extra}]",))
    else:
        wanted = [how.spec([extra])]
    if how.editable:
        wanted = ["-e", *wanted]
    if how.installer == "uv":  # a uv-made environment may have no pip
        return command_line(["uv", "pip", "install", "--python", how.python, *wanted], shell)
    return command_line([how.python, "-m", "pip", "install", *wanted], shell)


def add_extra(extra: str, how: Installation | None = None, shell: Shell = THIS_SHELL) -> str:
    """The command that adds `extra`, in backquotes, for a sentence; where it installs from a
    wheel that is no longer where it was, saying so."""
    how = how or this_installation()
    said = f"`{extra_command(extra, how, shell)}`"
    if how.kind == "uv tool" and how.source_gone:
        said += f" (with the path of the file it was installed from, no longer at {how.source})"
    return said


def run_as(
    *,
    typed: Path | None,
    beside: Path | None,
    on_path: Path | None,
    by_uv_run: bool,
    project: Path | None,
    cwd: Path,
) -> list[str]:
    """The words a command to run this copy again starts with. `typed`: the sc-license the
    operator ran (sys.argv[0]; None when it runs inside another program, e.g. pytest);
    `beside`: the one installed with this Python; `on_path`: what the PATH finds; `by_uv_run`:
    whether `uv run` started it, in `project` (the checkout, or a project whose .venv holds it).

    Run by `uv run`, `uv run sc-license` (with --project from another folder): `uv run` put the
    project's sc-license on the PATH for this process only. Else `sc-license` when that is this
    copy, else the absolute path of this copy's."""
    if typed is not None and by_uv_run and project is not None:
        if cwd.is_relative_to(project):
            return ["uv", "run", PROGRAM]
        return ["uv", "run", "--project", str(project), PROGRAM]
    program = typed or beside
    if program is None or (on_path is not None and _same(program, on_path)):
        return [PROGRAM]
    return [str(program)]


def _same(one: Path, other: Path) -> bool:
    try:
        return os.path.normcase(one.resolve()) == os.path.normcase(other.resolve())
    except OSError:
        return False


@cache
def this_program() -> list[str]:
    """The words a command to run this copy again starts with, as it runs now (see run_as)."""
    return run_as(
        typed=_typed(sys.argv[0] if sys.argv else ""),
        beside=_beside(),
        on_path=_on_path(),
        by_uv_run=_started_by_uv_run(),
        project=this_installation().root or _project_of(Path(sys.prefix)),
        cwd=Path.cwd(),
    )


def this_command(*words: str) -> str:
    """A command running this copy again, as the shell takes it: e.g. `uv run sc-license
    setup` in a checkout run with uv run, `sc-license setup` where that is on the PATH."""
    return command_line([*this_program(), *words])


def _project_of(prefix: Path) -> Path | None:
    """The project whose environment `prefix` is (uv's `.venv` beside its pyproject.toml)."""
    if prefix.name == ".venv" and (prefix.parent / "pyproject.toml").is_file():
        return prefix.parent
    return None


def _typed(argv0: str) -> Path | None:
    """The sc-license executable this process was started as; None if it was another program."""
    if not argv0 or not Path(argv0).name.lower().startswith(PROGRAM):
        return None
    path = Path(argv0)
    if not path.exists() and path.with_name(path.name + ".exe").exists():  # Windows' launcher
        path = path.with_name(path.name + ".exe")
    return path.absolute()


def _beside() -> Path | None:
    found = shutil.which(PROGRAM, path=sysconfig.get_path("scripts"))
    return Path(found) if found else None


def _on_path() -> Path | None:
    found = shutil.which(PROGRAM)
    return Path(found) if found else None


def _started_by_uv_run() -> bool:
    """Whether this process's parent is uv (`uv run`, which changes the PATH it passes on)."""
    try:
        import psutil

        parent = psutil.Process().parent()
        return parent is not None and parent.name().lower() in ("uv", "uv.exe")
    except Exception:  # no answer means no: the PATH is then taken as it is
        return False
