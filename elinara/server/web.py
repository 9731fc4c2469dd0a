"""What every route shares: the server context, the caller's session, bodies and replies, and
the route bodies served under more than one blueprint."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, ValidationError
from quart import Blueprint, current_app, g, request

from elinara import accounts
from elinara.agent.events import EventBus
from elinara.cloud import OAUTH_PROVIDERS, tokens
from elinara.config import Settings
from elinara.errors import BadInput, ElinaraError, Forbidden, NotFound
from elinara.models import MAX_ID, User
from elinara.server import limits
from elinara.server.security import LoginThrottle, Session
from elinara.store import Store
from elinara.store.throttle import Throttle

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=BaseModel)
JSON_MAX_BYTES = limits.JSON_MAX_BYTES  # every body but an upload's (POST /api/files)


class TooLarge(ElinaraError):
    http_status = 413


class NotJson(ElinaraError):
    http_status = 415


def _register_throttle() -> LoginThrottle:
    return LoginThrottle(per_account=5, per_address=20)


@dataclass
class ServerContext:
    settings: Settings
    store: Store
    bus: EventBus
    # http_app gives both throttles a database (StoredThrottle): shared by processes.
    throttle: Throttle = field(default_factory=LoginThrottle)
    # Every registration counts (not only failures): per e-mail and per client address.
    register_throttle: Throttle = field(default_factory=_register_throttle)
    extras: dict[str, Any] = field(default_factory=dict)


def ctx() -> ServerContext:
    return current_app.extensions["elinara"]  # type: ignore[no-any-return]


def public(func: F) -> F:
    """Mark a route as reachable without a session (it then handles CSRF itself, if at all)."""
    func._elinara_public = True  # type: ignore[attr-defined]
    return func


def session() -> Session:
    found: Session | None = g.get("session")
    if found is None:  # the before-request hook already answered 401 for session routes
        raise RuntimeError("route needs a session but none was loaded")
    return found


def current_user() -> User:
    user: User | None = g.get("user")
    if user is None:
        raise RuntimeError("route needs a session but none was loaded")
    return user


def require_admin() -> User:
    user = current_user()
    if not user.is_administrator:
        raise Forbidden("Administrators only.")
    return user


def _origin(url: str | None) -> str | None:
    parts = urlsplit(str(url or "").strip())
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_allowed() -> bool:
    """No ``Origin`` header, or one of the configured CORS origins, the server's own origin, its
    public URL or the frontend's: a public unsafe route (login, register, logout) refuses any
    other (a cross-site form or script would sign the browser in or out: login CSRF)."""
    sent = request.headers.get("Origin")
    if sent is None:
        return True
    settings = ctx().settings
    allowed = {o.lower() for o in settings.cors_origins}
    allowed.add(f"{request.scheme}://{request.host}".lower())
    for url in (settings.public_url, settings.frontend_url):
        found = _origin(url)
        if found:
            allowed.add(found)
    return sent.strip().lower() in allowed


def ids_in_range() -> bool:
    """Every integer in the route's path fits a store id (a larger one is nobody's: 404)."""
    values = (request.view_args or {}).values()
    return all(v <= MAX_ID for v in values if isinstance(v, int) and not isinstance(v, bool))


async def json_body(default: Any = None, *, json_only: bool = False) -> Any:
    """The request's JSON body; a missing body gives ``default``; malformed JSON is a 400.

    ``json_only``: a body must come as ``application/json`` (415 otherwise), which a
    cross-site HTML form cannot send."""
    raw = await request.get_data(as_text=False)
    if len(raw) > JSON_MAX_BYTES:  # a chunked body (a declared length was checked earlier)
        raise TooLarge("The request body is too large (at most 1 MB).")
    if not raw or not raw.strip():
        return default
    if json_only and request.mimetype != "application/json":
        raise NotJson("Send the body as JSON (Content-Type: application/json).")
    return limits.loads(raw)


async def parse_body(model: type[M], default: Any = None, *, json_only: bool = False) -> M:
    """Validate the JSON body against a declared schema; errors become 400 with an errors map."""
    data = await json_body(default if default is not None else {}, json_only=json_only)
    if not isinstance(data, dict):
        raise BadInput("The request body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc) from None


def validation_error(exc: ValidationError) -> BadInput:
    errors: dict[str, str] = {}
    for item in exc.errors():
        key = ".".join(str(part) for part in item["loc"]) or "body"
        errors.setdefault(key, item["msg"])
    first = next(iter(errors.items()))
    return BadInput(f"Invalid {first[0]}: {first[1]}.", errors=errors)


def query_int(
    name: str, default: int | None = None, minimum: int = 0, maximum: int | None = None
) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadInput(f"{name} must be a whole number.", errors={name: "a whole number"}) from None
    maximum = MAX_ID if maximum is None else min(maximum, MAX_ID)
    if value < minimum or value > maximum:
        raise BadInput(f"{name} is out of range.", errors={name: "out of range"})
    return value


def one_of(values: tuple[str, ...], optional: bool = False) -> Any:
    """A request field the route checks itself (with its own message), declared in the OpenAPI
    document with the values it takes."""
    if optional:
        return Field(default=None, json_schema_extra={"enum": [*values, None]})
    return Field(json_schema_extra={"enum": list(values)})


def ok(msg: str, status: int = 200, **extra: Any) -> tuple[dict[str, Any], int]:
    return {"status_code": status, "msg": msg, "message": msg, **extra}, status


# -- route bodies served under more than one blueprint ------------------------------------------
async def disconnect_provider(provider: str) -> tuple[dict[str, Any], int]:
    """Forget the current user's tokens of ``provider`` and revoke its grant where the
    provider allows (every disconnect route)."""
    if provider not in OAUTH_PROVIDERS:
        raise NotFound(f"Unknown provider {provider!r}.")
    c = ctx()
    await asyncio.to_thread(tokens.forget, c.store, c.settings, current_user().id, provider)
    return ok(f"Disconnected {provider}")


# Connection e-mails (legacy): under both /api/v1 and /api.
async def connection_emails_get() -> Any:
    return {"connection_emails": list(current_user().connection_emails)}


async def connection_emails_post() -> Any:
    data = await json_body({})
    if not isinstance(data, dict) or "connection_emails" not in data:
        raise BadInput(
            'Send {"connection_emails": [...]}.', errors={"connection_emails": "required"}
        )
    emails = await asyncio.to_thread(
        accounts.set_connection_emails, ctx().store, current_user(), data["connection_emails"]
    )
    return {"connection_emails": emails}


def add_connection_email_routes(blueprint: Blueprint) -> None:
    blueprint.add_url_rule(
        "/config/connection-emails", "connection_emails_get", connection_emails_get, methods=["GET"]
    )
    blueprint.add_url_rule(
        "/config/connection-emails",
        "connection_emails_post",
        connection_emails_post,
        methods=["POST"],
    )
