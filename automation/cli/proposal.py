"""The change shown before it is made: the license fields side by side (or as a list where a
table would not fit), and the approval prompt."""

from __future__ import annotations

from collections.abc import Iterator

import typer
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from automation.cli.consoles import console, errors
from automation.cli.literal import markup, shown
from automation.licenses import FIELD_LABELS, LicenseFields, Proposal
from automation.text import plain

Columns = list[tuple[str, LicenseFields]]
SHORT_TITLES = {"Installed before": "before", "New file": "new file", "Installed after": "after"}


def license_table(
    before: LicenseFields | None,
    new: LicenseFields | None = None,
    after: LicenseFields | None = None,
    *,
    width: int | None = None,
) -> RenderableType:
    """The license fields side by side (installed before, the new file, installed after),
    each value that differs from before highlighted; where a table of whole values would not
    fit in `width` (the terminal's), a list of the fields instead. A serial or an activation
    code is never cut across lines."""
    columns: Columns = [
        (title, fields)
        for title, fields in (
            ("Installed before", before),
            ("New file", new),
            ("Installed after", after),
        )
        if fields is not None
    ]
    widths = [column_width(title, fields) for title, fields in columns]
    needed = 1 + (max(map(len, FIELD_LABELS.values())) + 3) + sum(w + 3 for w in widths)
    if needed <= (width or console.width):
        return side_by_side(columns, widths)
    return field_list(columns)


def column_width(title: str, fields: LicenseFields) -> int:
    """The widest whole value of a column (the Status banner wraps between words)."""
    values = [plain(getattr(fields, field) or "") for field in FIELD_LABELS]
    words = plain(getattr(fields, "banner", "") or "").split()
    return max([len(title), *map(len, values), *map(len, words)])


def cell(columns: Columns, n: int, field: str) -> Text:
    """A column's value of `field`, bold yellow where it differs from the first column's."""
    value = getattr(columns[n][1], field, "") or ""
    changed = n > 0 and value and value != (getattr(columns[0][1], field, "") or "")
    return shown(value, "bold yellow" if changed else "")


def rows(columns: Columns) -> Iterator[tuple[str, str]]:
    yield from FIELD_LABELS.items()
    if any(getattr(fields, "banner", "") for _, fields in columns):
        yield "banner", "Status"


def side_by_side(columns: Columns, widths: list[int]) -> Table:
    table = Table(title="License")
    table.add_column("Field", no_wrap=True)
    for (title, _), width in zip(columns, widths, strict=True):
        table.add_column(title, width=width, overflow="fold")
    for field, label in rows(columns):
        table.add_row(label, *[cell(columns, n, field) for n in range(len(columns))])
    return table


def field_list(columns: Columns) -> Table:
    """One line a field where every column agrees; else one line a value, naming the columns
    that show it (e.g. "new file, after")."""
    table = Table.grid(padding=(0, 2))
    table.title = "License"
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="dim")
    table.add_column(overflow="fold")
    for field, label in rows(columns):
        showing: dict[str, list[int]] = {}
        for n, (_, fields) in enumerate(columns):
            if value := getattr(fields, field, "") or "":
                showing.setdefault(value, []).append(n)
        for k, shown_in in enumerate(showing.values()):
            titles = ", ".join(SHORT_TITLES[columns[n][0]] for n in shown_in)
            which = "" if len(showing) == 1 else titles
            table.add_row(label if k == 0 else "", which, cell(columns, shown_in[0], field))
    return table


def ask_approval(proposal: Proposal) -> bool:
    """Show where, what the checks found and what changes; then have the operator type the
    serial number's last group (not shown in the question: it is the answer)."""
    errors.print(
        markup("[bold]Upload to {}[/] ({})", proposal.environment, proposal.url), soft_wrap=True
    )
    for name, passed, detail in proposal.checks:
        mark = "[green]ok[/]" if passed else "[red]refused[/]"
        errors.print(markup(f"Check {{}}: {mark} - {{}}", name, detail))
    errors.print(license_table(proposal.installed, proposal.new, width=errors.width))
    installed = proposal.installed.serial_number or ""
    last_group = installed.rsplit("-", 1)[-1]
    answer = typer.prompt(
        "Type the last group of the serial number to upload, or press Enter to cancel",
        default="",
        show_default=False,
        err=True,
    )
    return bool(last_group) and answer.strip().upper() == last_group
