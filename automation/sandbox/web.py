"""Shared plumbing for the sandbox's pages: templates, the sign-in guard and the frame."""

from __future__ import annotations

import base64
import functools
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from automation.sandbox import messages
from automation.sandbox.captions import caption, nbsp_label
from automation.sandbox.state import SandboxState, Session

BASE = "/ServiceCenter"
HOME = f"{BASE}/Applications.aspx"
LOGIN = f"{BASE}/Login.aspx"
LICENSING = f"{BASE}/Licensing.aspx"
SESSION_COOKIE = "ASP.NET_SessionId"
HERE = Path(__file__).parent

TABS = (
    ("Factory", "Applications.aspx"),
    ("Monitoring", "Errors.aspx"),
    ("Administration", "Users.aspx"),
    ("Analytics", "Analytics.aspx"),
)
ADMINISTRATION = (
    ("Users", "Users.aspx"),
    ("Roles", "Roles.aspx"),
    ("Environment Configuration", "EnvironmentConfiguration.aspx"),
    ("Security", "Security.aspx"),
    ("Deployment Zones", "DeploymentZones.aspx"),
    ("Servers", "Servers.aspx"),
    ("Database Catalogs", "DatabaseCatalogs.aspx"),
    ("Database Connections", "DatabaseConnections.aspx"),
    ("Email", "Email.aspx"),
    ("Certificates", "Certificates.aspx"),
    ("SEO URLs", "SEOURLs.aspx"),
    ("Licensing", "Licensing.aspx"),
)
DISPLAY_NAMES = {"admin": "Administrator"}

Endpoint = Callable[[Request], Awaitable[Response]]
SignedInEndpoint = Callable[[Request, Session], Awaitable[Response]]


def _js_string(value: str) -> Markup:
    """Escape a value for a single-quoted JavaScript string inside a <script> block."""
    escaped = value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
    # Markup: a <script> body is raw text, so HTML entities there would corrupt the value.
    return Markup(escaped.replace("\r", "\\r").replace("<", "\\x3C").replace(">", "\\x3E"))


templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters["js_string"] = _js_string
templates.env.filters["nbsp_label"] = nbsp_label
templates.env.globals["caption"] = caption


def sandbox(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def osvstate() -> str:
    """A fresh opaque view state, as every OutSystems Traditional Web form posts one."""
    return base64.b64encode(secrets.token_bytes(24)).decode()


def signed_in(endpoint: SignedInEndpoint) -> Endpoint:
    """Send visitors without a valid session to Login.aspx, remembering where they were going."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        session = sandbox(request).session(request.cookies.get(SESSION_COOKIE))
        if session is None:
            original = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"{LOGIN}?OriginalURL={quote(original, safe='')}", 302)
        return await endpoint(request, session)

    return guarded


def frame_context(
    request: Request, session: Session, title: str, tab: str, submenu: str | None = None
) -> dict[str, Any]:
    """What base.html needs: tabs, submenu, the sidebar facts and recent items."""
    state = sandbox(request)
    lic = state.installed_license
    page = request.url.path
    with state.lock:
        session.recent = [(title, page), *[r for r in session.recent if r[1] != page][:4]]
        recent = list(session.recent)
        feedback, session.feedback = session.feedback, []
    return {
        "title": title,
        "base": BASE,
        "tabs": TABS,
        "active_tab": tab,
        "submenu": ADMINISTRATION if tab == "Administration" else (),
        "active_submenu": submenu,
        "user_display_name": DISPLAY_NAMES.get(session.user, session.user),
        "config": state.config,
        "edition": lic.edition_name if lic else "",
        "organization": lic.organization_name if lic else "",
        "purpose": f"{lic.license_type} purpose" if lic and lic.license_type else "",
        "clock": state.now().strftime("%H:%M %a %Y-%m-%d"),
        "recent": recent,
        "feedback": feedback,
        "osvstate": osvstate(),
    }


def add_feedback(request: Request, session: Session, kind: str, text: str) -> None:
    """Queue a feedback message for the next framed page this session sees."""
    with sandbox(request).lock:
        session.feedback.append((kind, text))


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """A page from a template; every template sees the sandbox's `config` (its variants)."""
    context = {"config": sandbox(request).config, **context}
    return templates.TemplateResponse(request, template, context, status_code=status)


def bare_page(
    title: str, lines: tuple[str, ...], status: int, headers: dict[str, str] | None = None
) -> Response:
    """A page without the Service Center frame, as IIS or ASP.NET answer when things go wrong."""
    html = templates.get_template("bare.html").render(title=title, lines=lines)
    return HTMLResponse(html, status_code=status, headers=headers)


def server_error(status: int = 500, headers: dict[str, str] | None = None) -> Response:
    return bare_page(messages.SERVER_ERROR_TITLE, (messages.SERVER_ERROR,), status, headers)


def not_authorized() -> Response:
    return bare_page(messages.NOT_AUTHORIZED, (messages.NOT_AUTHORIZED_DETAIL,), 403)
