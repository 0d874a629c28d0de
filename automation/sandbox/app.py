"""The sandbox Service Center as a Starlette application."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from automation.sandbox import auth, licensing, placeholders
from automation.sandbox.fault_middleware import FaultMiddleware
from automation.sandbox.state import SandboxConfig, SandboxState, UploadAttempt
from automation.sandbox.web import BASE, HERE

__all__ = ["SandboxConfig", "SandboxState", "UploadAttempt", "create_app"]


def create_app(config: SandboxConfig) -> Starlette:
    """A new Service Center with its own state, at /ServiceCenter; app.state.sandbox holds it."""
    routes: list[BaseRoute] = [
        *auth.routes,
        *licensing.routes,
        *placeholders.routes,
        Mount(f"{BASE}/_static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(FaultMiddleware)])
    app.state.sandbox = SandboxState(config)
    return app
