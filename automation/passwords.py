"""Passwords come from an environment variable, or a hidden prompt; never an argument."""

from __future__ import annotations

import getpass
import os
import sys

from pydantic import SecretStr

from automation.errors import BadInput


def password(variables: list[str], what: str) -> SecretStr:
    """From the first of `variables` that is set, else asked for on a terminal."""
    for variable in variables:
        if os.environ.get(variable):
            return SecretStr(os.environ[variable])
    if sys.stdin.isatty():
        return SecretStr(getpass.getpass(f"Password for {what}: "))
    named = " or ".join(variables)
    raise BadInput(
        f"No password for {what}: {named} is not set and there is no terminal to ask on.",
        hint=f"Set {variables[0]} (or name another variable with --password-env).",
    )
