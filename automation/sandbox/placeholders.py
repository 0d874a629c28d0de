"""The rest of Service Center as simple placeholder pages, so every link in the frame works."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from automation.sandbox.state import Session
from automation.sandbox.web import (
    ADMINISTRATION,
    BASE,
    HOME,
    Endpoint,
    frame_context,
    render,
    signed_in,
)

# page -> (title, tab, submenu item)
PLACEHOLDERS: dict[str, tuple[str, str, str | None]] = {
    "Applications.aspx": ("Applications", "Factory", None),
    "Errors.aspx": ("Errors", "Monitoring", None),
    "Analytics.aspx": ("Analytics", "Analytics", None),
    "Search.aspx": ("Search", "Factory", None),
    "EndUserSessions.aspx": ("End-User Sessions", "Administration", "Licensing"),
    "ApplicationObjects.aspx": ("Application Objects", "Administration", "Licensing"),
    "EndUsersConfiguration.aspx": ("End-Users Configuration", "Administration", "Licensing"),
    "ModulesSourceCode.aspx": ("Modules Source Code", "Administration", "Licensing"),
    "ContactOutSystems.aspx": ("Contact OutSystems", "Administration", "Licensing"),
}
PLACEHOLDERS.update({page: (label, "Administration", label) for label, page in ADMINISTRATION[:-1]})


def _placeholder(title: str, tab: str, submenu: str | None) -> Endpoint:
    @signed_in
    async def page(request: Request, session: Session) -> Response:
        context = frame_context(request, session, title, tab, submenu)
        return render(request, "placeholder.html", context)

    return page


async def to_home(request: Request) -> Response:
    return RedirectResponse(HOME, 302)


async def outside_page(request: Request) -> Response:
    """LifeTime and the Licensing Portal live elsewhere; the sandbox keeps a stand-in for each."""
    title = "LifeTime" if request.url.path.startswith("/LifeTime") else "Licensing Portal"
    return render(request, "outside.html", {"title": title, "base": BASE})


def _routes() -> list[Route]:
    routes = [Route(BASE, to_home), Route(f"{BASE}/", to_home)]
    for page, (title, tab, submenu) in PLACEHOLDERS.items():
        routes.append(Route(f"{BASE}/{page}", _placeholder(title, tab, submenu)))
    routes += [Route("/LifeTime/", outside_page), Route("/LicensingPortal/", outside_page)]
    return routes


routes = _routes()
