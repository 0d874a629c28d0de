"""docs/ci: the GitHub Actions and GitLab CI examples are valid YAML, every `sc-license`
command in them parses against the real CLI, and they pass the passwords the tool reads."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.core import TyperGroup

from automation.cli.app import app
from automation.inventory import load_inventory

ROOT = Path(__file__).parents[2]
EXAMPLES = {"github": ROOT / "docs/ci/github-actions.yml", "gitlab": ROOT / "docs/ci/gitlab-ci.yml"}
RUN = "uv run --locked sc-license "  # how the examples call it
VARIABLE = re.compile(r"\$\{\{[^}]*\}\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def commands(document: Any) -> list[list[str]]:
    """Every `uv run --locked sc-license ...` in the document's scripts, as the arguments
    after the name, with each CI variable replaced by a placeholder value."""
    found = []
    for text in strings(document):
        for line in text.replace("\\\n", " ").splitlines():
            if RUN not in line or line.lstrip().startswith("#"):
                continue
            command = line.split(RUN, 1)[1].split(" | ")[0]
            found.append(shlex.split(VARIABLE.sub("X", command)))
    return found


def parse(args: list[str]) -> tuple[str, dict[str, Any]]:
    """The command's name and its parameters, as the real CLI parses them (an unknown
    option, a missing value or a bad one raises)."""
    command = typer.main.get_command(app)
    names: list[str] = []
    while isinstance(command, TyperGroup):
        name, *args = args
        found = command.get_command(typer.Context(command), name)
        assert found is not None, f"no command {' '.join([*names, name])}"
        command, names = found, [*names, name]
    context = command.make_context(" ".join(names), args)
    return " ".join(names), context.params


def load(name: str) -> Any:
    return yaml.safe_load(EXAMPLES[name].read_text())


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_sc_license_command_in_the_ci_examples_parses(name: str) -> None:
    parsed = [parse(args) for args in commands(load(name))]

    by_name = {command: params for command, params in parsed}
    assert by_name["status"]["warn_days"] == 30 and by_name["status"]["all_"]
    installs = [params for command, params in parsed if command == "install"]
    assert any(p["dry_run"] for p in installs) and any(p["yes"] for p in installs)
    assert all(p["change"] and p["reason"] and p["junit_xml"] for p in installs)
    assert all(params["junit_xml"] for command, params in parsed if command != "audit verify")


def test_the_ci_examples_pass_each_environments_password_variable_from_a_secret() -> None:
    inventory = load_inventory(ROOT / "automation/cli/environments.example.toml")
    expected = {environment.password_variable for environment in inventory.environment}

    github = load("github")
    passed = {
        variable: value
        for job in github["jobs"].values()
        for block in [job.get("env", {}), *(step.get("env", {}) for step in job["steps"])]
        for variable, value in block.items()
    }
    for variable in expected:
        assert passed[variable] == f"${{{{ secrets.{variable} }}}}"
    gitlab = EXAMPLES["gitlab"].read_text()
    assert all(variable in gitlab for variable in expected)


def test_the_ci_examples_keep_the_recordings_and_the_junit_files() -> None:
    github = load("github")
    uploads = [
        step["with"]["path"]
        for job in github["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/upload-artifact")
    ]
    assert len(uploads) == len(github["jobs"])
    assert all("recordings/" in path and "junit/" in path for path in uploads)

    gitlab = load("gitlab")
    assert {"recordings/", "junit/"} <= set(gitlab[".evidence"]["artifacts"]["paths"])
    for job in ("expiry-watch", "change"):
        assert gitlab[job]["extends"] == ".evidence"
        assert gitlab[job]["artifacts"]["reports"]["junit"].startswith("junit/")
        assert any("Audit head" in line for line in gitlab[job]["after_script"])
    assert gitlab["change"]["environment"]["name"] == "$SC_ENV"
