"""A PDF as Chromium prints it, read back: its pages and the text on each, as a reader would
copy it (no PDF library is a dependency; Chromium's PDFs are regular enough for this)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

OBJECT = re.compile(rb"(\d+) 0 obj\b")
STREAM = re.compile(rb">>\s*stream\r?\n")
REFERENCE = rb"(\d+) 0 R"
# What a content stream says, in order: names, numbers, strings, arrays' brackets, operators.
TOKEN = re.compile(rb"/[^\s/<>\[\]()]+|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\[|\]|[^\s/<>\[\]()]+")
HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


@dataclass
class Font:
    """Which characters a font's codes stand for (its ToUnicode map)."""

    width: int = 1  # bytes per code
    chars: dict[int, str] = field(default_factory=dict)

    def text(self, codes: bytes) -> str:
        step = self.width
        numbers = [int.from_bytes(codes[i : i + step], "big") for i in range(0, len(codes), step)]
        return "".join(self.chars.get(n, "") for n in numbers)


@dataclass
class Pdf:
    objects: dict[int, bytes]  # each object's text up to its stream, if it has one
    streams: dict[int, bytes]  # each stream's bytes, as stored

    @classmethod
    def read(cls, data: bytes) -> Pdf:
        """The objects of `data`, each stream taken by its /Length: its bytes may hold any
        word, "endobj" too."""
        objects, streams = {}, {}
        at = 0
        while found := OBJECT.search(data, at):
            number, start = int(found.group(1)), found.end()
            end = data.find(b"endobj", start)
            opened = STREAM.search(data, start, end)
            length = re.search(rb"/Length (\d+)(?!\s+\d+\s+R)", data[start:end])
            if opened is not None and length is not None:
                streams[number] = data[opened.end() : opened.end() + int(length.group(1))]
                end = data.find(b"endobj", opened.end() + int(length.group(1)))
                objects[number] = data[start : opened.start()]
            else:
                objects[number] = data[start:end]
            at = end + len(b"endobj")
        return cls(objects, streams)

    def stream(self, number: int) -> bytes:
        data = self.streams.get(number, b"")
        return zlib.decompress(data) if b"/FlateDecode" in self.objects[number] else data

    def pages(self) -> list[int]:
        """The pages' object numbers, in order."""
        [root] = [n for n, body in self.objects.items() if self._is(body, b"/Pages", parent=False)]
        return self._kids(root)

    def _kids(self, number: int) -> list[int]:
        body = self.objects[number]
        if not self._is(body, b"/Pages"):
            return [number]
        kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
        found = [int(n) for n in re.findall(REFERENCE, kids.group(1))] if kids else []
        return [page for kid in found for page in self._kids(kid)]

    @staticmethod
    def _is(body: bytes, kind: bytes, *, parent: bool | None = None) -> bool:
        typed = re.search(rb"/Type\s*" + re.escape(kind) + rb"(?![A-Za-z])", body) is not None
        return typed and (parent is None or (b"/Parent" in body) == parent)

    def texts(self) -> list[str]:
        """The text of each page, a line of it a line (its spaces are characters of its own)."""
        return [self._text(page) for page in self.pages()]

    def _text(self, page: int) -> str:
        body = self.objects[page]
        contents = re.search(rb"/Contents\s*(\[.*?\]|" + REFERENCE + rb")", body, re.S)
        numbers = [int(n) for n in re.findall(REFERENCE, contents.group(1))] if contents else []
        fonts = self._fonts(body)
        lines: list[list[str]] = []
        font, y, last_y = Font(), 0.0, None
        operands: list[bytes] = []
        for token in TOKEN.findall(b"\n".join(self.stream(n) for n in numbers)):
            if token[:1] in b"/<([]" or re.fullmatch(rb"[-+.\d]+", token):
                operands.append(token)
                continue
            if token == b"Tf" and len(operands) >= 2:
                font = fonts.get(operands[-2][1:].decode(), Font())
            elif token == b"Tm" and len(operands) >= 6:
                y = float(operands[-1])
            elif token in (b"Td", b"TD") and len(operands) >= 2:
                y += float(operands[-1])
            elif token in (b"Tj", b"TJ", b"'", b'"'):
                shown = "".join(font.text(_bytes(s)) for s in operands if s[:1] in b"<(")
                if last_y is None or abs(y - last_y) > 0.5 or not lines:
                    lines.append([])
                lines[-1].append(shown)
                last_y = y
            operands = []
        return "\n".join("".join(line) for line in lines)

    def _fonts(self, page: bytes) -> dict[str, Font]:
        resources = re.search(rb"/Resources\s*" + REFERENCE, page)
        holder = self.objects[int(resources.group(1))] if resources else page
        listed = re.search(rb"/Font\s*(<<.*?>>|" + REFERENCE + rb")", holder, re.S)
        if listed is None:
            return {}
        table = listed.group(1)
        if not table.startswith(b"<<"):
            table = self.objects[int(re.findall(REFERENCE, table)[0])]
        fonts = {}
        for name, number in re.findall(rb"/([^\s/<>]+)\s*" + REFERENCE, table):
            to_unicode = re.search(rb"/ToUnicode\s*" + REFERENCE, self.objects[int(number)])
            if to_unicode:
                fonts[name.decode()] = _cmap(self.stream(int(to_unicode.group(1))))
        return fonts


def _cmap(data: bytes) -> Font:
    space = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", data)
    font = Font(width=len(space.group(1)) // 2 if space else 2)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, char in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            font.chars[int(code, 16)] = _utf16(char)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for first, last, target in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block
        ):
            start, end = int(first, 16), int(last, 16)
            if target.startswith(b"["):
                for offset, char in enumerate(HEX.findall(target)):
                    font.chars[start + offset] = _utf16(char)
            else:
                base = int(target[1:-1], 16)
                for code in range(start, end + 1):
                    font.chars[code] = chr(base + code - start)
    return font


def _utf16(hex_digits: bytes) -> str:
    return bytes.fromhex(hex_digits.decode()).decode("utf-16-be", errors="replace")


def _bytes(string: bytes) -> bytes:
    """The bytes a PDF string holds: <hex> or (literal, with escapes)."""
    if string.startswith(b"<"):
        return bytes.fromhex(re.sub(rb"\s", b"", string[1:-1]).decode())
    literal = string[1:-1]
    return re.sub(
        rb"\\([0-7]{1,3}|.)",
        lambda m: (
            bytes([int(m.group(1), 8)])
            if m.group(1)[:1].isdigit()
            else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1))
        ),
        literal,
        flags=re.S,
    )
