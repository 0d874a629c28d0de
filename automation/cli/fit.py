"""Tables that read at the terminal's width: each column at least as wide as its longest word
(a serial, an activation code, a run folder), so no such token is cut across lines; where
that does not fit, the same rows as a list of `column  value` lines instead."""

from __future__ import annotations

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
