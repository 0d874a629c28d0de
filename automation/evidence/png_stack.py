"""Two PNG images of one width stacked into one, losslessly, without decoding either into
pixels: their filtered rows are joined and compressed again. Only the lower image's first row
is rewritten (its filter may refer to the row above, which it did not have)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
BYTES_PER_PIXEL = {2: 3, 6: 4}  # 8-bit RGB, 8-bit RGBA: what Chromium's screenshots are


@dataclass(frozen=True)
class Png:
    width: int
    height: int
    colour_type: int
    rows: bytes  # every row, its filter byte first, as the image's IDAT chunks hold them


def read_png(data: bytes) -> Png | None:
    """The image's rows; None for a PNG this module does not join (not 8-bit RGB or RGBA,
    interlaced, or not a PNG)."""
    if not data.startswith(SIGNATURE):
        return None
    at, header, compressed = len(SIGNATURE), b"", []
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed.append(body)
        at += 12 + length
    if len(header) != 13:
        return None
    width, height, depth, colour, method, filtering, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in BYTES_PER_PIXEL or (method, filtering, interlace) != (0, 0, 0):
        return None
    try:
        rows = zlib.decompress(b"".join(compressed))
    except zlib.error:
        return None
    if len(rows) != height * (1 + width * BYTES_PER_PIXEL[colour]):
        return None
    return Png(width, height, colour, rows)


def stack(top: bytes, bottom: bytes) -> bytes | None:
    """`top` above `bottom`, pixel for pixel; None when they cannot be joined so (another
    width or pixel format), for the caller to compose them another way."""
    upper, lower = read_png(top), read_png(bottom)
    if upper is None or lower is None:
        return None
    if (upper.width, upper.colour_type) != (lower.width, lower.colour_type):
        return None
    size = 1 + lower.width * BYTES_PER_PIXEL[lower.colour_type]
    first = unfiltered_first_row(lower.rows[:size], BYTES_PER_PIXEL[lower.colour_type])
    rows = upper.rows + b"\x00" + first + lower.rows[size:]
    header = struct.pack(
        ">IIBBBBB", upper.width, upper.height + lower.height, 8, upper.colour_type, 0, 0, 0
    )
    return b"".join(
        [SIGNATURE, _chunk(b"IHDR", header), _chunk(b"IDAT", zlib.compress(rows)), _chunk(b"IEND")]
    )


def unfiltered_first_row(row: bytes, bpp: int) -> bytes:
    """An image's first row as its pixels' bytes: there the row above counts as zeros, so
    Up is no filter, Paeth is Sub, and Average adds half the byte to the left."""
    kind, out = row[0], bytearray(row[1:])
    if kind in (1, 3, 4):  # Sub, Average, Paeth
        for i in range(bpp, len(out)):
            left = out[i - bpp]
            out[i] = (out[i] + (left // 2 if kind == 3 else left)) & 0xFF
    return bytes(out)


def _chunk(kind: bytes, body: bytes = b"") -> bytes:
    checksum = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", checksum)
