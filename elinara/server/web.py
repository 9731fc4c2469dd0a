"""What every route shares: the server context, the caller's session, bodies and replies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from quart import current_app, g, request

from elinara.agent.events import EventBus
from elinara.config import Settings
from elinara.errors import BadInput, Forbidden
from elinara.models import User
from elinara.server.security import LoginThrottle, Session
from elinara.store import Store

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=BaseModel)


@dataclass
class ServerContext:
    settings: Settings
    store: Store
    bus: EventBus
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
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


async def json_body(default: Any = None) -> Any:
    """The request's JSON body; a missing body gives ``default``; malformed JSON is a 400."""
    raw = await request.get_data(as_text=False)
    if not raw or not raw.strip():
        return default
    import json

    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadInput("The request body is not valid JSON.") from None


async def parse_body(model: type[M], default: Any = None) -> M:
    """Validate the JSON body against a declared schema; errors become 400 with an errors map."""
    data = await json_body(default if default is not None else {})
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
    if value < minimum or (maximum is not None and value > maximum):
        raise BadInput(f"{name} is out of range.", errors={name: "out of range"})
    return value


def ok(msg: str, status: int = 200, **extra: Any) -> tuple[dict[str, Any], int]:
    return {"status_code": status, "msg": msg, "message": msg, **extra}, status
