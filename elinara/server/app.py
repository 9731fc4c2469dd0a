"""The ASGI application: Quart for HTTP, python-socketio for Socket.IO, one app for both APIs."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import uuid
from pathlib import Path
from typing import Any

from quart import Quart, Response, current_app, g, request, send_from_directory
from quart_schema import QuartSchema
from werkzeug.exceptions import HTTPException, NotFound

from elinara import __version__
from elinara.agent.events import EventBus
from elinara.config import Settings
from elinara.errors import BadInput, ElinaraError
from elinara.server import limits, security
from elinara.server.contract import ContractProvider
from elinara.server.routes import register_routes
from elinara.server.web import (
    ServerContext,
    ctx,
    ids_in_range,
    origin_allowed,
    public,
)
from elinara.store import Store, open_store
from elinara.store.throttle import StoredThrottle

log = logging.getLogger("elinara.server")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def http_app(settings: Settings, store: Store | None = None) -> Quart:
    """The HTTP half of the server: routes, sessions, errors; no sockets, no background services.

    ``elinara.server.asgi.create_app`` (what `elinara serve` runs) wraps it; REST tests and
    scripts drive it alone."""

    app = Quart("elinara")
    app.config["MAX_CONTENT_LENGTH"] = settings.upload_max_mb * 1024 * 1024 + 64 * 1024
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = True
    QuartSchema(
        app,
        openapi_provider_class=ContractProvider,
        openapi_path="/api/openapi.json",
        swagger_ui_path="/api/docs",
        redoc_ui_path=None,
        scalar_ui_path=None,
        info={"title": "Elinara API", "version": __version__},
    )
    # After QuartSchema, which installs its own JSON provider: keep the order of keys (a
    # pipeline's six stages are ordered, docs/events.md).
    app.json.sort_keys = False  # type: ignore[attr-defined]
    store = store or open_store(settings.database_url)
    app.extensions["elinara"] = ServerContext(
        settings=settings,
        store=store,
        bus=EventBus(store),
        throttle=StoredThrottle(store.db, "login", per_account=5, per_address=20),
        register_throttle=StoredThrottle(store.db, "register", per_account=5, per_address=20),
    )

    register_routes(app)
    app.before_request(_load_session)
    app.asgi_app = limits.BodyLimit(  # type: ignore[method-assign]
        app.asgi_app, settings.upload_max_mb * 1024 * 1024
    )
    app.after_request(_finish_response)
    app.register_error_handler(ElinaraError, _elinara_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _internal_error)

    @app.get("/api/health")
    @public
    async def health() -> dict[str, Any]:
        try:
            await asyncio.to_thread(ctx().store.db.ping)
            database = ctx().store.kind
        except ElinaraError:
            database = "unreachable"
        return {
            "status": "ok" if database != "unreachable" else "degraded",
            "version": __version__,
            "database": database,
        }

    return app


def serve_frontend(app: Quart, folder: Path) -> None:
    """Serve a built single-page app at `/` (unknown paths fall back to index.html)."""
    root = folder.resolve()

    @app.get("/")
    @app.get("/<path:path>")
    @public
    async def frontend(path: str = "index.html") -> Response:
        if path.split("/", 1)[0] in ("api", "auth2", "socket.io"):
            raise NotFound()  # an unknown API path answers JSON 404, not the app
        target = (root / path).resolve()  # symlinks followed: one pointing out is refused
        if not target.is_relative_to(root) or not target.is_file():
            if "." in path.rsplit("/", 1)[-1]:
                raise NotFound()  # a missing asset (/index.css): 404, not the page
            target = root / "index.html"
        return await send_from_directory(root, target.relative_to(root).as_posix())


# -- hooks -----------------------------------------------------------------------------------
def _cors_headers(response: Response) -> None:
    origin = request.headers.get("Origin")
    if origin and origin in ctx().settings.cors_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers.add("Vary", "Origin")
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = (
                "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            )
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, X-CSRF-Token"
            response.headers["Access-Control-Max-Age"] = "600"


def _token_from_request() -> tuple[str | None, bool]:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), True
    return request.cookies.get(security.ACCESS_COOKIE), False


# Views an extension registers (quart-schema's), which cannot carry the ``public`` mark: the
# API documents the README sends people to, without a login.
PUBLIC_ENDPOINTS = frozenset({"openapi", "swagger_ui"})


async def _load_session() -> Any:
    g.cid = uuid.uuid4().hex[:12]
    g.started = time.perf_counter()
    if request.method == "OPTIONS":
        return Response("", status=204)
    c = ctx()
    limits.check_request_text(request.path, request.args, request.view_args)
    token, via_bearer = _token_from_request()
    found = None
    if token:  # store reads: off the event loop
        found = await asyncio.to_thread(security.valid_session, c.settings, c.store, token)
    if found is not None:
        g.session = dataclasses.replace(found[0], via_bearer=via_bearer)
        g.user = found[1]
    view = current_app_view()
    if view is None:
        return None
    if getattr(view, "_elinara_public", False) or request.endpoint in PUBLIC_ENDPOINTS:
        if request.method in UNSAFE and not origin_allowed():
            log.warning("cid=%s refused a cross-site %s %s", g.cid, request.method, request.path)
            return {"msg": "Cross-site request refused."}, 403
        return None
    if found is None:
        return {"msg": "Not signed in or the session expired; please sign in."}, 401
    sent = request.headers.get(security.CSRF_HEADER)
    if request.method in UNSAFE and not via_bearer and not security.csrf_ok(sent, found[0].csrf):
        return {"msg": "CSRF token missing or incorrect", "code": "CSRF_ERROR"}, 403
    if not ids_in_range():
        return {"msg": "Not found."}, 404
    return None


def current_app_view() -> Any:

    if request.url_rule is None:
        return None
    return current_app.view_functions.get(request.url_rule.endpoint)


async def _finish_response(response: Response) -> Response:
    c = ctx()
    session: security.Session | None = g.get("session")
    if (
        session is not None
        and not session.via_bearer
        and response.status_code < 400
        and not g.get("session_replaced")
        and security.needs_renewal(c.settings, session)
    ):
        user = g.get("user")
        if user is not None:
            security.set_session_cookies(response, c.settings, user.id, user.is_administrator)
    _cors_headers(response)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    log.info(
        "%s %s %s %.1fms cid=%s",
        request.method,
        request.path,
        response.status_code,
        elapsed,
        g.get("cid", "-"),
    )
    return response


# -- errors ----------------------------------------------------------------------------------
async def _elinara_error(exc: ElinaraError) -> tuple[dict[str, Any], int]:
    body: dict[str, Any] = {"msg": exc.message}
    if isinstance(exc, BadInput) and exc.errors:
        body["errors"] = exc.errors
    status = exc.http_status
    if status >= 500:
        log.error("cid=%s %s", g.get("cid", "-"), exc.message)
    return body, status


_HTTP_MESSAGES = {
    404: "Not found.",
    405: "Method not allowed on this path.",
    413: "The request is too large.",
    400: "Malformed request.",
}


async def _http_error(exc: HTTPException) -> tuple[dict[str, Any], int]:
    code = exc.code or 500
    return {"msg": _HTTP_MESSAGES.get(code, exc.description or exc.name)}, code


async def _internal_error(exc: Exception) -> tuple[dict[str, Any], int]:
    cid = g.get("cid", uuid.uuid4().hex[:12])
    log.exception("cid=%s unhandled error", cid)
    return {"msg": "Internal error", "id": cid}, 500
