"""The inventory is UTF-8 on every platform, as Notepad and PowerShell save it too: with a
byte-order mark and Windows line endings."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.errors import BadInput
from automation.inventory import load_inventory

INVENTORY = """# Umgebungen für die Lizenz
[[environment]]
name = "test"
url = "https://test.example.com/ServiceCenter"
user = "jürgen"
"""


def test_an_inventory_saved_by_notepad_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "environments.toml"
    path.write_bytes(b"\xef\xbb\xbf" + INVENTORY.replace("\n", "\r\n").encode("utf-8"))

    inventory = load_inventory(path)

    assert [(e.name, e.user) for e in inventory.environment] == [("test", "jürgen")]


def test_an_inventory_in_a_windows_code_page_is_refused_naming_utf_8(tmp_path: Path) -> None:
    path = tmp_path / "environments.toml"
    path.write_bytes(INVENTORY.encode("cp1252"))

    with pytest.raises(BadInput) as refused:
        load_inventory(path)

    assert "UTF-8" in str(refused.value)
    assert "UTF-8" in (refused.value.hint or "")
