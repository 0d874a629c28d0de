"""Tables that read at the terminal's width: each column at least as wide as its longest word
(a serial, an activation code, a run folder), so no such token is cut across lines; where
that does not fit, the same rows as a list of `column  value` lines instead. The same for
rows printed a batch at a time (`audit list`'s, however many runs there are)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text


def longest_word(cells: list[Text]) -> int:
    return max((len(word) for cell in cells for word in cell.plain.split()), default=0)


def fitted(title: str, headers: list[str], rows: list[list[Text]], width: int) -> RenderableType:
    """A table of `rows` under `headers` if each column fits its longest word within `width`;
    else a list: each row's first cell, then its other cells one a line, named."""
    widths = [
        max(len(header), longest_word([row[n] for row in rows])) for n, header in enumerate(headers)
    ]
    if 1 + sum(w + 3 for w in widths) <= width:
        table = Table(title=title)
        for header, least in zip(headers, widths, strict=True):
            table.add_column(header, min_width=least, overflow="fold")
        for row in rows:
            table.add_row(*row)
        return table
    blocks: list[RenderableType] = [Text(title, style="italic")]
    for row in rows:
        block = Table.grid(padding=(0, 2))
        block.add_column(no_wrap=True)
        block.add_column(overflow="fold")
        block.add_row(Text.assemble(row[0], style="bold"), "")
        for header, cell in zip(headers[1:], row[1:], strict=True):
            block.add_row(f"  {header}", cell)
        blocks.append(block)
    return Group(*blocks)


Cells = list[tuple[str, str]]  # each column's text, as it is shown, and its style
GAP = 2  # spaces between two columns of lines


def streamed(headers: Sequence[str], rows: list[Cells], width: int, batch: int) -> Iterator[Text]:
    """Many rows, a batch of them at a time (each batch one text to print): lines of columns
    as wide as their widest value, under `headers`, if they fit within `width`; else each
    row as a list, as `fitted` makes it. Either way no value is cut across lines."""
    widths = [max([len(h), *(len(row[n][0]) for row in rows)]) for n, h in enumerate(headers)]
    fit = sum(widths) + GAP * (len(widths) - 1) <= width
    if fit:
        yield _lines([[(header, "bold") for header in headers]], widths)
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        yield _lines(chunk, widths) if fit else _listed(headers, chunk)


def _lines(rows: list[Cells], widths: list[int]) -> Text:
    """Rows as lines of one text, each cell padded to its column's width and styled."""
    text = Text()
    for cells in rows:
        for n, (value, style) in enumerate(cells):
            text.append(value, style)
            text.append("\n" if n == len(cells) - 1 else " " * (widths[n] - len(value) + GAP))
    text.rstrip()
    return text


def _listed(headers: Sequence[str], rows: list[Cells]) -> Text:
    """Each row as a list: its first cell, in bold, then its other cells one a line, named."""
    named = max(len(header) for header in headers[1:])
    text = Text()
    for (first, style), *others in rows:
        text.append(first, f"bold {style}".strip())
        for header, (value, style) in zip(headers[1:], others, strict=True):
            text.append(f"\n  {header:<{named}}" + " " * GAP)
            text.append(value, style)
        text.append("\n")
    text.rstrip()
    return text
