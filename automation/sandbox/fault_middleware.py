"""The faults that touch every Service Center request: delays, 403s and expiring sessions."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from automation.sandbox.state import SandboxState
from automation.sandbox.web import BASE, not_authorized


class FaultMiddleware:
    """Applies SandboxState.faults before a request under /ServiceCenter reaches its page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not (path == BASE or path.startswith(f"{BASE}/")):
            await self.app(scope, receive, send)
            return
        state: SandboxState = scope["app"].state.sandbox
        faults = state.faults
        page = path.rsplit("/", 1)[-1]
        # Static files are left alone: IIS serves them, the slowness of a server is in its pages.
        delay = 0.0 if path.startswith(f"{BASE}/_static/") else faults.delay_s(page)
        if delay > 0:
            await asyncio.sleep(delay)
        held = faults.holds.get(page)
        if held is not None:
            await held.wait()
        if faults.not_authorized:
            await not_authorized()(scope, receive, send)
            return
        if faults.expire_session_on is not None and faults.expire_session_on == page:
            faults.expire_session_on = None
            state.expire_sessions()
        if faults.expire_session_after != page:
            await self.app(scope, receive, send)
            return

        def expire_once() -> None:
            if faults.expire_session_after == page:
                faults.expire_session_after = None
                state.expire_sessions()

        async def expire_before_the_last_byte(message: Message) -> None:
            # Before the browser has the whole page, so its next request finds no session.
            if message["type"] == "http.response.body" and not message.get("more_body"):
                expire_once()
            await send(message)

        try:
            await self.app(scope, receive, expire_before_the_last_byte)
        finally:
            expire_once()  # a response cut short (backup_body=truncated) never ends
