"""Login.aspx and logout: the sandbox's single administrator account and its sessions."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from automation.sandbox.web import BASE, HOME, LOGIN, SESSION_COOKIE, osvstate, render, sandbox

USER_FIELD = "wt12$wtMainContent$wtUserNameInput"
PASSWORD_FIELD = "wt12$wtMainContent$wtPasswordInput"


def _safe_target(original: str | None) -> str:
    """Only same-site Service Center paths are followed after login."""
    if not original:
        return HOME
    parts = urlsplit(original)
    if parts.scheme or parts.netloc or "\\" in original or not parts.path.startswith(f"{BASE}/"):
        return HOME
    if parts.path in (LOGIN, f"{BASE}/Logout.aspx"):
        return HOME
    return original


def _login_page(request: Request, username: str = "", error: str | None = None) -> Response:
    config = sandbox(request).config
    context = {
        "config": config,
        "username": username,
        "error": error,
        "original_url": request.query_params.get("OriginalURL", ""),
        "osvstate": osvstate(),
        "base": BASE,
    }
    return render(request, "login.html", context)


async def login(request: Request) -> Response:
    if request.method == "GET":
        return _login_page(request)
    form = await request.form()
    username = str(form.get(USER_FIELD, ""))
    password = str(form.get(PASSWORD_FIELD, ""))
    session = sandbox(request).sign_in(username, password)
    if isinstance(session, str):
        return _login_page(request, username=username, error=session)
    response = RedirectResponse(_safe_target(request.query_params.get("OriginalURL")), 303)
    response.set_cookie(SESSION_COOKIE, session.token, path=BASE, httponly=True, samesite="lax")
    return response


async def logout(request: Request) -> Response:
    sandbox(request).sign_out(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(LOGIN, 303)
    response.delete_cookie(SESSION_COOKIE, path=BASE)
    return response


routes = [
    Route(f"{BASE}/Login.aspx", login, methods=["GET", "POST"]),
    Route(f"{BASE}/Logout.aspx", logout),
]
