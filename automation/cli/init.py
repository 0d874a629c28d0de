"""`sc-license init`: an environments.toml to start from, written from the example the
package ships, and never over a file that is already there."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from automation.cli.consoles import console
from automation.cli.display import expected_errors
from automation.cli.literal import markup
from automation.cli.options import INVENTORY
from automation.errors import BadInput
from automation.evidence.commands import command_line
from automation.inventory import load_inventory

EXAMPLE = "environments.example.toml"


def example() -> bytes:
    """The example inventory, as shipped inside the package."""
    return files("automation.cli").joinpath(EXAMPLE).read_bytes()


def write_new(path: Path, content: bytes) -> Path:
    """Write `content` to a new file at `path` (its folders made as needed), or refuse: an
    existing file is the operator's and is left as it is."""
    target = path.absolute()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as file:
            file.write(content)
    except FileExistsError:
        if not target.exists():
            raise _unwritable(path, f"{target.parent} is not a folder") from None
        raise BadInput(
            f"{path} already exists; init never writes over a file.",
            hint="Edit that one, or give init --path OTHER.toml to start another "
            "(commands then read it with --inventory OTHER.toml).",
        ) from None
    except OSError as error:
        raise _unwritable(path, error.strerror or str(error)) from None
    return target


def _unwritable(path: Path, why: str) -> BadInput:
    return BadInput(
        f"{path} cannot be written: {why}.",
        hint="Give --path a file in a folder this user can write to.",
    )


def init(
    path: Annotated[
        Path,
        typer.Option("--path", metavar="FILE", help="Where to write it."),
    ] = INVENTORY,
) -> None:
    """Write an example environments.toml (the inventory) to describe your environments in."""
    with expected_errors():
        written = write_new(path, example())
        environments = load_inventory(written).environment
    names = ", ".join(e.name for e in environments)
    variables = ", ".join(e.password_variable for e in environments)
    status = ["sc-license", "status", "--all"]
    if written != INVENTORY.absolute():
        status += ["--inventory", str(written)]
    console.print(
        markup("Wrote {}: an example of {} environments ({}).", written, len(environments), names)
    )
    console.print("Next:")
    console.print("  1. Describe your environments in it: each one's name, url, user and groups.")
    console.print(
        markup("  2. Set each one's password variable (the example's: {}).", variables),
        soft_wrap=True,
    )
    console.print(markup("  3. Run {}", command_line(status)), soft_wrap=True)
