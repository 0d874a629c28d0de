"""Captions as the templates write them: the documented words, or those words decorated."""

from __future__ import annotations

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

# The documented words -> the HTML a decorating Service Center writes (captions=decorated).
# An icon glyph, a non-breaking or zero-width space, an arrow: the words stay inside.
DECORATED = {
    "Factory": "Factory ▾",
    "Monitoring": "Monitoring ▾",
    "Administration": "Administration ▾",
    "Analytics": "Analytics ▾",
    "Upload New License": "Upload&#8203; New License »",
    "Backup License": "⤓ Backup&nbsp;License",
    "Request a New License": "Request a New License ↗",
    "Audit License": "⤓ Audit&nbsp;License",
    "End-User Sessions": "End-User Sessions »",
    "Application Objects": "Application Objects »",
    "End-Users Configuration": "End-Users Configuration »",
    "Modules Source Code": "Modules Source Code »",
    "Contact OutSystems": "Contact OutSystems »",
    "Login": "Log in →",
    "Upload": "Upload ✓",
    "Cancel": "✕ Cancel",
    "Browse...": "📂 Browse...",
}
# The counters a decorating Service Center shows beside each Administration item.
COUNTERS = {
    "Users": 38,
    "Roles": 4,
    "Servers": 1,
    "Database Connections": 2,
    "Email": 1,
    "Certificates": 3,
    "SEO URLs": 0,
    "Licensing": 1,
}


@pass_context
def caption(context: Context, words: str) -> Markup:
    """`words` as this sandbox writes them (the template's `config.captions`)."""
    if not _decorated(context):
        return escape(words)
    if words in COUNTERS:
        return Markup('{} <span class="Counter">({})</span>').format(words, COUNTERS[words])
    return Markup(DECORATED.get(words, escape(words)))


def nbsp_label(words: str) -> Markup:
    """A label as a <dt> of the nbsp-dl layout writes it: `Serial&nbsp;Number:`."""
    return Markup("&nbsp;").join(escape(word) for word in words.split(" ")) + Markup(":")


def _decorated(context: Context) -> bool:
    config = context.get("config")
    return config is not None and config.captions == "decorated"
