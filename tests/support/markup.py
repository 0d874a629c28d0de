"""Read what a user would see in sandbox HTML: visible text, link captions, alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"input", "br", "img", "meta", "link", "hr"}
_INLINE = {"a", "span", "label", "b", "strong", "em"}
_HIDDEN = {"script", "style", "title", "head"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Descendants (and self) with this tag and these exact attribute values."""
        matches = tag in (None, self.tag) and all(self.attrs.get(k) == v for k, v in attrs.items())
        found = [self] if matches else []
        for child in self.children:
            if isinstance(child, Element):
                found += child.find_all(tag, **attrs)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        (element,) = self.find_all(tag, **attrs)
        return element

    def text(self) -> str:
        """Visible text; block elements on their own lines, like inner_text."""
        if self.tag in _HIDDEN or "hidden" in self.attrs:
            return ""
        inner = "".join(c if isinstance(c, str) else c.text() for c in self.children)
        return inner if self.tag in _INLINE else f"\n{inner}\n"

    def lines(self) -> list[str]:
        return [" ".join(line.split()) for line in self.text().splitlines() if line.strip()]

    def links(self) -> list[str]:
        return [" ".join(a.text().split()) for a in self.find_all("a")]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while len(self.stack) > 1 and self.stack.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    return builder.root


def alerts(html: str) -> list[str]:
    """The text of every role="alert" element, lines joined by newlines."""
    return ["\n".join(e.lines()) for e in parse(html).find_all(role="alert")]
