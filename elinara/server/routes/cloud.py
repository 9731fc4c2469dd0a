"""OAuth routes (`/api/v1/auth2/...` and bare `/auth2/...`) and the drives (`/api/v1/drive/...`,
`/api/v1/cloud/files`): docs/cloud.md and docs/api.md (Cloud files). The flows are in ``elinara.server.oauth``,
the drives in ``elinara.cloud``; these are the edges."""

from __future__ import annotations

import asyncio
import hmac
import logging
from datetime import UTC, datetime
from typing import Any

from quart import Blueprint, Response, g, request

from elinara.cloud import DRIVE_PROVIDERS, OAUTH_PROVIDERS, PROVIDER_LABELS, drives
from elinara.errors import BadInput, ConfigError, ElinaraError, NotFound
from elinara.server import oauth, security
from elinara.server.limits import MAX_CLOUD_ID
from elinara.server.web import ctx, current_user, disconnect_provider, public

log = logging.getLogger("elinara.server.oauth")

api_auth = Blueprint("auth2_api", __name__, url_prefix="/api/v1/auth2")
bare_auth = Blueprint("auth2", __name__, url_prefix="/auth2")
bp = Blueprint("cloud", __name__, url_prefix="/api/v1")


def _provider(name: str) -> str:
    if name not in OAUTH_PROVIDERS:
        raise NotFound(f"Unknown sign-in provider {name!r}: google, microsoft or github.")
    return name


def _redirect_uri(provider: str) -> str:
    base = str(ctx().settings.public_url or "").rstrip("/") or request.host_url.rstrip("/")
    return f"{base}/auth2/{provider}/callback"


def _frontend_login() -> str:
    return str(ctx().settings.frontend_url or "").rstrip("/") + "/#/login"


def _redirect(location: str) -> Response:
    return Response("", status=302, headers={"Location": location})


def _set_flow_cookie(response: Response, provider: str, value: str) -> None:
    settings = ctx().settings
    response.set_cookie(
        oauth.flow_cookie(provider),
        value,
        max_age=oauth.FLOW_TTL,
        path="/",
        secure=security.cookie_secure(settings, request.scheme, request.host),
        httponly=True,
        samesite="Lax",
    )


def _clear_flow_cookie(response: Response, provider: str) -> None:
    settings = ctx().settings
    response.set_cookie(
        oauth.flow_cookie(provider),
        "",
        max_age=0,
        expires=0,
        path="/",
        secure=security.cookie_secure(settings, request.scheme, request.host),
        httponly=True,
        samesite="Lax",
    )


# -- sign-in -----------------------------------------------------------------------------------
@public
async def login(provider: str) -> Any:
    provider = _provider(provider)
    settings = ctx().settings
    if not oauth.is_configured(settings, provider):
        return oauth.not_configured(provider), 503
    try:
        url, flow = await oauth.start(settings, provider, _redirect_uri(provider))
    except ConfigError as exc:
        return {"msg": exc.message}, 503
    except ElinaraError as exc:
        log.warning("%s sign-in could not start: %s", provider, exc.message)
        return {"msg": f"{PROVIDER_LABELS[provider]} sign-in is unavailable: {exc.message}"}, 502
    except Exception as exc:  # msal/authlib refusing the configuration
        log.warning("%s sign-in could not start: %s", provider, type(exc).__name__)
        return {"msg": f"{PROVIDER_LABELS[provider]} sign-in is unavailable right now."}, 502
    session: security.Session | None = g.get("session")
    if session is not None and not session.via_bearer:
        # "Connect Drive": remember who asked (the session cookie is SameSite=Strict, so the
        # browser will not send it back from the provider's site).
        flow["link"] = {
            "user_id": session.user_id,
            "jti": session.jti,
            "exp": session.expires_at.timestamp(),
        }
    response = _redirect(url)
    _set_flow_cookie(response, provider, oauth.encode_flow(settings, flow))
    return response


@public
async def github_signin() -> Any:
    return await login("github")


def _linking_user(flow: dict[str, Any]) -> int | None:
    """The user to link the provider to: the session that came with the callback, else a
    still-valid session recorded when the flow started."""
    user = g.get("user")
    if g.get("session") is not None and user is not None:
        return int(user.id)
    link = flow.get("link")
    if not isinstance(link, dict):
        return None
    store = ctx().store
    try:
        user_id, jti, exp = int(link["user_id"]), str(link["jti"]), float(link["exp"])
    except (KeyError, TypeError, ValueError):
        return None
    if exp < datetime.now(UTC).timestamp() or store.revoked_tokens.is_revoked(jti):
        return None
    return user_id if store.users.get(user_id) is not None else None


@public
async def callback(provider: str) -> Any:
    provider = _provider(provider)
    c = ctx()
    try:
        if not oauth.is_configured(c.settings, provider):
            raise oauth.OAuthFailure("the provider is not configured")
        flow = oauth.decode_flow(
            c.settings, request.cookies.get(oauth.flow_cookie(provider)), provider
        )
        if flow is None:
            raise oauth.OAuthFailure("no sign-in in progress in this browser (or it expired)")
        sent_state = request.args.get("state", "")
        if not sent_state or not hmac.compare_digest(sent_state, str(flow.get("state", ""))):
            raise oauth.OAuthFailure("the state does not match")
        identity = await oauth.finish(c.settings, provider, flow, dict(request.args))
        linking = await asyncio.to_thread(_linking_user, flow)  # store reads: off the loop
        user = await asyncio.to_thread(oauth.sign_in, c.store, c.settings, identity, linking)
    except Exception as exc:  # any failure: back to the login page with nothing set
        reason = str(exc) if isinstance(exc, oauth.OAuthFailure) else type(exc).__name__
        if isinstance(exc, ElinaraError):
            reason = exc.message
        log.warning("%s sign-in failed: %s", provider, reason)
        response = _redirect(_frontend_login())
        _clear_flow_cookie(response, provider)
        g.session_replaced = True  # no session cookie, not even a renewal
        return response
    response = _redirect(_frontend_login())
    _clear_flow_cookie(response, provider)
    security.set_session_cookies(response, c.settings, user.id, user.is_administrator)
    log.info("%s sign-in: user %s", provider, user.id)
    return response


async def google_logout() -> Any:
    return await disconnect_provider("google")


async def github_logout() -> Any:
    return await disconnect_provider("github")


def _add_auth_routes(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/github/signin", "github_signin", github_signin, methods=["GET"])
    blueprint.add_url_rule("/google/logout", "google_logout", google_logout, methods=["GET"])
    blueprint.add_url_rule("/github/logout", "github_logout", github_logout, methods=["POST"])
    blueprint.add_url_rule("/<provider>/login", "login", login, methods=["GET"])
    blueprint.add_url_rule("/<provider>/callback", "callback", callback, methods=["GET"])


_add_auth_routes(api_auth)
_add_auth_routes(bare_auth)


# -- drives ------------------------------------------------------------------------------------
def _folder_arg() -> str | None:
    folder = request.args.get("folder_id") or None
    if folder is not None and len(folder) > MAX_CLOUD_ID:
        raise BadInput("folder_id is too long.", errors={"folder_id": "too long"})
    return folder


def _file_id(file_id: str) -> str:
    if not file_id or len(file_id) > MAX_CLOUD_ID:
        raise BadInput("The file id is malformed.", errors={"id": "malformed"})
    return file_id


class _Unavailable(ElinaraError):
    http_status = 503


async def _drive_call(func: Any, *args: Any) -> Any:
    """Run a (blocking) drive operation in a thread; a misconfiguration is a 503, not a 500."""
    try:
        return await asyncio.to_thread(func, *args)
    except ConfigError as exc:
        raise _Unavailable(exc.message) from None


async def _listing(provider: str) -> dict[str, Any]:
    c = ctx()
    folder = _folder_arg()
    files = await _drive_call(
        drives.list_folder, c.store, c.settings, current_user().id, provider, folder
    )
    return {"success": True, "data": {"files": files, "folder_id": folder or "root"}}


@bp.get("/drive/files")
async def google_files() -> Any:
    return await _listing("google")


@bp.get("/drive/microsoft/files")
async def microsoft_files() -> Any:
    return await _listing("microsoft")


@bp.get("/drive/file/<path:file_id>")
async def google_file(file_id: str) -> Any:
    c = ctx()
    return await _drive_call(
        drives.file_details, c.store, c.settings, current_user().id, "google", _file_id(file_id)
    )


@bp.get("/drive/microsoft/file/<path:file_id>")
async def microsoft_file(file_id: str) -> Any:
    c = ctx()
    return await _drive_call(
        drives.file_details, c.store, c.settings, current_user().id, "microsoft", _file_id(file_id)
    )


@bp.get("/cloud/files")
async def cloud_files() -> Any:
    c = ctx()
    user_id = current_user().id

    async def one(provider: str) -> dict[str, Any]:
        try:
            files = await asyncio.to_thread(
                drives.summaries, c.store, c.settings, user_id, provider
            )
        except ElinaraError as exc:
            return {"provider": provider, "status": "error", "message": exc.message, "files": []}
        except Exception:
            log.exception("cid=%s listing %s failed", g.get("cid", "-"), provider)
            return {
                "provider": provider,
                "status": "error",
                "message": "Internal error while listing this drive.",
                "files": [],
            }
        return {"provider": provider, "status": "success", "files": files}

    results = await asyncio.gather(*(one(p) for p in DRIVE_PROVIDERS))
    return {"count": sum(len(r["files"]) for r in results), "data": list(results)}
