"""The commands a run's ending tells the operator to run next: whole, with every option that
names the environment again (its name, password variable, inventory, site profile, evidence
folder), and quoted for the shell, so that copied and pasted as printed they work.

On Windows a word is put in double quotes as the C runtime reads them (backslashes as they
are, but before a quote): `"C:\\Users\\Jane Doe\\backup.lic"` is one word in cmd and in
PowerShell alike. Elsewhere it is quoted for a POSIX shell."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from automation.config import Target

Shell = Literal["posix", "windows"]
THIS_SHELL: Shell = "windows" if os.name == "nt" else "posix"


def quoted(word: str, shell: Shell = THIS_SHELL) -> str:
    """One word for the operator's shell, quoted only if it needs to be."""
    if shell == "windows":
        return _windows_quoted(word)
    return shlex.quote(word)


def _windows_quoted(word: str) -> str:
    """Bare if every character is plain, else in double quotes, so that neither cmd (& | < >
    ^ ( )) nor PowerShell (; , { } @) reads a character as its own; a quote inside is
    escaped with a backslash, and the backslashes before it and at the end are doubled.
    ($ and ` in PowerShell, %NAME% in cmd, still mean something inside; paths seldom hold them.)"""
    if re.fullmatch(r"[\w+=:./\\-]+", word):
        return word
    escaped = re.sub(r'(\\*)"', r'\1\1\\"', word)
    return '"' + re.sub(r"(\\+)$", r"\1\1", escaped) + '"'


def command_line(words: list[str], shell: Shell = THIS_SHELL) -> str:
    return " ".join(quoted(word, shell) for word in words)


class Recall(BaseModel):
    """How an operator names a run's environment again on a command line."""

    model_config = ConfigDict(frozen=True)

    environment: str
    url: str
    user: str
    out: Path
    password_env: str | None = None
    inventory: Path | None = None
    profile: Path | None = None  # the site profile it was read with, to read it the same way

    @classmethod
    def of(cls, target: Target, out: Path) -> Recall:
        return cls(
            environment=target.name,
            url=target.url,
            user=target.user,
            out=out.absolute(),
            password_env=target.password_env,
            inventory=target.inventory,
            profile=Path(target.profile.path).absolute() if target.profile.path else None,
        )

    def options(self, *, inventory: bool = True) -> list[str]:
        """The options that reach the same environment, with the same password and the same
        name in evidence, from any folder: by the inventory it came from, if any and
        `inventory`, else by its address."""
        if inventory and self.inventory is not None:
            words = ["--env", self.environment, "--inventory", str(self.inventory)]
        else:
            words = ["--url", self.url, "--user", self.user, "--env-name", self.environment]
        if self.password_env:
            words += ["--password-env", self.password_env]
        if self.profile:
            words += ["--profile", str(self.profile)]
        return [*words, "--out", str(self.out)]


def status_command(recall: Recall, shell: Shell = THIS_SHELL) -> str:
    """The command that shows what is installed on the run's environment now."""
    return command_line(["sc-license", "status", *recall.options()], shell)


def restore_command(recall: Recall, backup: Path, shell: Shell = THIS_SHELL) -> str:
    """The command that puts a backup back on the run's environment: by its address, as with
    an inventory --from takes a fleet's run folder, not a backup."""
    words = [*recall.options(inventory=False), "--from", str(backup.resolve())]
    return command_line(["sc-license", "restore", *words], shell)
