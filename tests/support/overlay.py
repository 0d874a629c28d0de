"""What the supervision overlay shows, read as the browser lays it out: the overlay sits in a
closed shadow root that page scripts and locators cannot enter, so its label is found in the
page's accessibility tree and measured by the DevTools protocol."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float
    width: float
    height: float


def step_label(page: Page) -> Label | None:
    """The step label as drawn on the page, or None when there is none."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
        for node in nodes:
            name = str(node.get("name", {}).get("value", ""))
            if node.get("role", {}).get("value") == "StaticText" and name.startswith("Step "):
                box = session.send("DOM.getBoxModel", {"backendNodeId": node["backendDOMNodeId"]})
                xs, ys = box["model"]["border"][0::2], box["model"]["border"][1::2]
                return Label(name, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        return None
    finally:
        session.detach()
