"""Look for a secret in every byte of a run folder, zipped traces included."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus


@dataclass(frozen=True)
class Hit:
    """Where a form of the secret was found: file (and member inside a zip), and which form."""

    place: str
    form: str


def secret_forms(secret: str) -> dict[str, bytes]:
    """The secret as it could be written: plain, URL-encoded, base64 at any alignment."""
    raw = secret.encode()
    forms = {"plain": raw, "url-encoded": quote(secret, safe="").encode()}
    forms["form-encoded"] = quote_plus(secret).encode()
    # Quoted as JSON or YAML write it (an ARIA snapshot, a trace): \" and \\ escaped.
    forms["escaped"] = json.dumps(secret, ensure_ascii=False)[1:-1].encode()
    for offset in range(3):
        # Inside a longer base64 text the secret can start at any of 3 byte alignments;
        # keep only the characters that depend on the secret's bytes alone.
        data = b"\0" * offset + raw
        first = -(-offset * 8 // 6)
        last = len(data) * 8 // 6
        for name, encode in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            needle = encode(data)[first:last]
            if len(needle) >= 4:
                forms[f"{name} (offset {offset})"] = needle
    return {name: form for name, form in forms.items() if form}


def scan(folder: Path, secret: str) -> list[Hit]:
    """Every place in the folder where any form of the secret appears."""
    forms = secret_forms(secret)
    hits = []
    for place, data in _contents(folder):
        for form, needle in forms.items():
            if needle in data:
                hits.append(Hit(place, form))
    return hits


def _contents(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        name = str(path.relative_to(folder))
        yield name, data
        yield from _unzipped(name, data)


def _unzipped(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            content = archive.read(member)
            yield f"{name}:{member}", content
            yield from _unzipped(f"{name}:{member}", content)
