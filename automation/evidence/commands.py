"""The commands a run's ending tells the operator to run next: whole, with every option that
names the environment again (its name, password variable, inventory, site profile, evidence
folder), quoted for the shell (automation/shell.py), and starting with how this copy is run
(automation/installation.py: `sc-license`, its path, or `uv run sc-license` in a checkout), so
that copied and pasted as printed they work."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from automation.config import Target
from automation.installation import this_program
from automation.shell import THIS_SHELL, Shell, command_line, quoted

__all__ = ["Recall", "command_line", "quoted", "restore_command", "status_command"]


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


def status_command(
    recall: Recall, shell: Shell = THIS_SHELL, program: list[str] | None = None
) -> str:
    """The command that shows what is installed on the run's environment now; `program`:
    the words that run sc-license (by default, as this copy runs now)."""
    return command_line([*(program or this_program()), "status", *recall.options()], shell)


def restore_command(
    recall: Recall, backup: Path, shell: Shell = THIS_SHELL, program: list[str] | None = None
) -> str:
    """The command that puts a backup back on the run's environment: by its address, as with
    an inventory --from takes a fleet's run folder, not a backup."""
    words = [*recall.options(inventory=False), "--from", str(backup.resolve())]
    return command_line([*(program or this_program()), "restore", *words], shell)
