"""After a failed browser search, the advice fits how the tool was installed; a failed
download is one line, not Playwright's stack traces."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.browser.hints import no_browser_hint
from automation.browser.playwright_install import failure_line
from automation.installation import installation_of


def layout(root: Path, *files: str) -> Path:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).touch()
    return root


# An editable install of the repository, as `uv sync` makes it (PEP 610's direct_url.json).
EDITABLE = '{{"url": "file://{root}", "dir_info": {{"editable": true}}}}'


@pytest.mark.parametrize(
    ("files", "prefix", "editable", "expected"),
    [
        (["repo/uv.lock", "repo/pyproject.toml"], "repo/.venv", "repo", "checkout"),
        (["tool/uv-receipt.toml"], "tool", None, "uv tool"),
        (["venvs/sc/pipx_metadata.json"], "venvs/sc", None, "pipx"),
        (["env/pyvenv.cfg"], "env", None, "venv"),
    ],
)
def test_how_the_tool_was_installed_is_read_from_the_folders_around_it(
    tmp_path: Path, files: list[str], prefix: str, editable: str | None, expected: str
) -> None:
    layout(tmp_path, *files)
    direct_url = EDITABLE.format(root=tmp_path / editable) if editable else None

    def kind(prefix: Path, base: Path) -> str:
        return installation_of(direct_url, "uv", [], frozenset(), prefix, base).kind

    assert kind(tmp_path / prefix, Path("/usr")) == expected
    if expected == "venv":
        assert kind(Path("/usr"), Path("/usr")) == "system"


def test_a_checkout_is_told_make_setup_and_an_installed_tool_sc_license_setup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Run by its full path (not on the PATH): the hint names that path, not a bare sc-license.
    program = "/home/jane/.local/share/uv/tools/sc-license/bin/sc-license"
    monkeypatch.setattr("automation.installation.this_program", lambda: [program])
    checkout = no_browser_hint("checkout", "/repo/.venv/bin/python", "linux")
    tool = no_browser_hint(
        "uv tool", "/home/jane/.local/share/uv/tools/sc-license/bin/python", "linux"
    )

    assert "`make setup`" in checkout and "`uv run playwright install chromium`" in checkout
    assert "make" not in tool and "uv run" not in tool
    assert f"`{program} setup`" in tool  # as this copy is run
    assert (
        "`/home/jane/.local/share/uv/tools/sc-license/bin/python -m playwright install chromium`"
        " (the uv tool's own Playwright)" in tool
    )
    assert "sudo apt-get install chromium chromium-headless-shell" in tool


def test_on_windows_the_command_quotes_a_path_with_spaces_and_edge_is_suggested() -> None:
    python = r"C:\Users\Jane Doe\pipx\venvs\sc-license\Scripts\python.exe"

    hint = no_browser_hint("pipx", python, "win32")

    assert f'`"{python}" -m playwright install chromium`' in hint
    assert "Microsoft Edge or Google Chrome" in hint and "apt-get" not in hint


PLAYWRIGHT_OUTPUT = """\
Downloading Chrome for Testing 159.0.8154.6 (playwright chromium v1255)\x1b[2m from https://cdn.example/chrome-linux64.zip\x1b[22m
Error: getaddrinfo ENOTFOUND cdn.example
    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:120:26) {
  errno: -3008,
  code: 'ENOTFOUND'
}
Failed to install browsers
Error: Failed to download Chrome for Testing 159.0.8154.6 (playwright chromium v1255), caused by
Error: Download failure, code=1
    at ChildProcess.<anonymous> (/site-packages/playwright/driver/package/lib/coreBundle.js:1:1)
"""


def test_a_failed_download_is_told_in_one_line_with_its_reason() -> None:
    assert failure_line(PLAYWRIGHT_OUTPUT, "chromium") == (
        "could not download Chrome for Testing 159.0.8154.6 (playwright chromium v1255): "
        "getaddrinfo ENOTFOUND cdn.example"
    )
    page = "Error: Download failed: server returned code 404 body '<!DOCTYPE HTML>\n<html>"
    assert failure_line(page, "chromium") == (
        "could not download chromium: Download failed: server returned code 404"
    )
