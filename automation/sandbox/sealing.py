"""Opaque, binary and header-base64 license files: the text license encrypted, so no value
can be read in it.

A keystream from HMAC-SHA256 over the fixed sandbox key, a random nonce and a counter is
XORed with the signed text; the text's own signature still detects any change. This hides
values from readers of the file, as a real vendor's encryption would; it protects nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from typing import Literal

# A binary file starts with this header, then the nonce, then the encrypted license.
MAGIC = b"OSLIC\x00\x01"
# A header-base64 file starts with this line, then the base64 lines: with the header counted,
# its length without whitespace is never a multiple of 4, though nothing is missing.
HEADER = b"OSLIC2\n"
NONCE_BYTES = 16


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (
        hmac.digest(key, b"sandbox-license" + nonce + counter.to_bytes(4, "big"), "sha256")
        for counter in range(-(-length // hashlib.sha256().digest_size))
    )
    return b"".join(blocks)[:length]


def _xor(data: bytes, key: bytes, nonce: bytes) -> bytes:
    stream = _keystream(key, nonce, len(data))
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


Sealed = Literal["opaque", "binary", "header-base64"]


def seal(plain: bytes, key: bytes, encoding: Sealed) -> bytes:
    """The file bytes for `plain`, encrypted under a fresh nonce."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    blob = nonce + _xor(plain, key, nonce)
    if encoding == "binary":
        return MAGIC + blob
    header = HEADER if encoding == "header-base64" else b""
    return header + base64.encodebytes(blob)  # lines of 76 characters, as base64 usually has


def sealed_as(data: bytes) -> Sealed:
    """How a sealed file was written, by its first bytes."""
    if data.startswith(MAGIC):
        return "binary"
    return "header-base64" if data.startswith(HEADER) else "opaque"


def unseal(data: bytes, key: bytes) -> bytes | None:
    """What a sealed file holds (not yet checked); None when `data` is not sealed at all."""
    if data.startswith(MAGIC):
        blob = data[len(MAGIC) :]
    else:
        try:
            blob = base64.b64decode(b"".join(data.removeprefix(HEADER).split()), validate=True)
        except (binascii.Error, ValueError):
            return None
    if len(blob) <= NONCE_BYTES:
        return None
    return _xor(blob[NONCE_BYTES:], key, blob[:NONCE_BYTES])
