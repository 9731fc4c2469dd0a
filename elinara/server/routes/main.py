"""Main API (`/api/v1`): auth, users, processes, saved cloud files, connection e-mails."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from quart import Blueprint, Response, g, jsonify, request
from quart_schema import document_request

from elinara import accounts
from elinara.agent import lifecycle
from elinara.agent.checks import TRIGGER_TYPES
from elinara.cloud import DRIVE_PROVIDERS
from elinara.errors import BadInput, NotFound
from elinara.server import security
from elinara.server.realtime import disconnect_session
from elinara.server.web import (
    add_connection_email_routes,
    ctx,
    current_user,
    disconnect_provider,
    ok,
    one_of,
    parse_body,
    public,
    require_admin,
)
from elinara.user_export import export_parts
from elinara.views import (
    process_view,
    user_view,
)

bp = Blueprint("main", __name__, url_prefix="/api/v1")
log = logging.getLogger("elinara.server")


EMAIL = {"format": "email"}


class LoginBody(BaseModel):
    username: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class RegisterBody(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "authEmail": "ana.silva@example.pt",
                    "authPassword": "Str0ng!pass",
                    "firstName": "Ana",
                    "lastName": "Silva",
                    "countryName": "Portugal",
                    "countryTelCode": "+351",
                    "phoneNumber": "912345678",
                }
            ]
        }
    )
    authEmail: str = Field(min_length=3, max_length=254, json_schema_extra=EMAIL)
    authPassword: str = Field(min_length=1, max_length=1024, description=accounts.PASSWORD_POLICY)
    firstName: str = Field(default="", max_length=100)
    lastName: str = Field(default="", max_length=100)
    countryName: str = Field(default="", max_length=100)
    countryTelCode: str = Field(default="", max_length=10)
    phoneNumber: str = Field(default="", max_length=40)


class UserFields(BaseModel):
    """Editable user fields; anything else the frontend sends back is ignored."""

    model_config = ConfigDict(extra="ignore")
    email: str | None = Field(default=None, max_length=254, json_schema_extra=EMAIL)
    username: str | None = Field(default=None, min_length=1, max_length=64)
    firstname: str | None = Field(default=None, max_length=100)
    lastname: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=40)
    country: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=20)
    is_administrator: bool | None = None


class NewUser(UserFields):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {"email": "rita.costa@example.pt", "password": "Str0ng!pass", "firstname": "Rita"}
            ]
        },
    )
    email: str = Field(max_length=254, json_schema_extra=EMAIL)  # type: ignore[assignment]
    password: str = Field(min_length=1, max_length=1024, description=accounts.PASSWORD_POLICY)


class ProcessBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=120)
    trigger_type: str = Field(default="manual", json_schema_extra={"enum": list(TRIGGER_TYPES)})
    config_snapshot: dict[str, Any] = Field(default_factory=dict)


class ProcessUpdate(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str | None = Field(default=None, min_length=1, max_length=120)
    trigger_type: str | None = one_of(TRIGGER_TYPES, optional=True)
    config_snapshot: dict[str, Any] | None = None


class CloudFile(BaseModel):
    id: str = Field(min_length=1, max_length=300)
    name: str = Field(min_length=1, max_length=300)
    provider: str = one_of(DRIVE_PROVIDERS)


class CloudFilesBody(BaseModel):
    files: list[CloudFile]


class ConnectionEmails(BaseModel):
    connection_emails: list[str]


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _too_many(what: str, wait: int) -> tuple[dict[str, str], int, dict[str, str]]:
    return (
        {"msg": f"Too many {what}; try again in {wait} seconds."},
        429,
        {"Retry-After": str(wait)},
    )


# -- auth --------------------------------------------------------------------------------------
@bp.post("/auth/login")
@public
@document_request(LoginBody)
async def login() -> Any:
    c = ctx()
    body = await parse_body(LoginBody, json_only=True)
    address = _client_address()
    user = await asyncio.to_thread(c.store.users.by_login, body.username)
    # One account, one count: its username and its e-mail share the attempts.
    account = f"user:{user.id}" if user is not None else f"name:{body.username.strip().lower()}"
    wait = await asyncio.to_thread(c.throttle.retry_after, account, address)
    if wait:
        return _too_many("failed sign-ins", wait)
    if user is None or not user.password_hash:  # the same cost: timing tells no account apart
        valid = await asyncio.to_thread(accounts.verify_dummy, body.password)
    else:
        valid = await asyncio.to_thread(accounts.verify_password, user.password_hash, body.password)
    if user is None or not valid:
        await asyncio.to_thread(c.throttle.failed, account, address)
        return {"success": False, "msg": "Invalid username or password"}, 400
    await asyncio.to_thread(c.throttle.succeeded, account)
    response = jsonify(
        {
            "success": True,
            "status_code": 200,
            "msg": "Login successful",
            "user": user_view(c.store, user),
        }
    )
    security.set_session_cookies(response, c.settings, user.id, user.is_administrator)
    return response


@bp.post("/auth/logout")
@public
async def logout() -> Any:
    c = ctx()
    token = request.cookies.get(security.ACCESS_COOKIE)
    claims = security.decode_token(c.settings, token, verify_exp=False) if token else None
    if claims is not None:
        if not security.csrf_ok(request.headers.get(security.CSRF_HEADER), claims.csrf):
            return {"msg": "CSRF token missing or incorrect", "code": "CSRF_ERROR"}, 403
        await asyncio.to_thread(c.store.revoked_tokens.revoke, claims.jti, claims.expires_at)
        await _disconnect_sockets(claims)
    body, status = ok("Logged out")
    response = jsonify(body)
    response.status_code = status
    security.clear_session_cookies(response, c.settings)
    return response


async def _disconnect_sockets(session: security.Session) -> None:
    """The logged-out session's sockets stop receiving its user's events at once."""
    sio = ctx().extras.get("sio")
    if sio is None:  # the HTTP app alone (tests, scripts): no sockets
        return

    try:
        await disconnect_session(sio, session.user_id, session.jti)
    except Exception:  # the logout itself succeeded; the socket check catches up later
        log.exception("cid=%s disconnecting the session's sockets failed", g.get("cid", "-"))


@bp.post("/auth/disconnect/<provider>")
async def disconnect(provider: str) -> Any:
    return await disconnect_provider(provider)


@bp.post("/user/register")
@public
@document_request(RegisterBody)
async def register() -> Any:
    c = ctx()
    body = await parse_body(RegisterBody, json_only=True)
    email_key = body.authEmail.strip().lower()
    wait = await asyncio.to_thread(c.register_throttle.retry_after, email_key, _client_address())
    if wait:
        return _too_many("registrations", wait)
    await asyncio.to_thread(  # every attempt counts
        c.register_throttle.failed, email_key, _client_address()
    )
    accounts.check_password_policy(body.authPassword, field="authPassword")
    email = accounts.normalize_email(body.authEmail, field="authEmail")
    phone = f"{body.countryTelCode} {body.phoneNumber}".strip() if body.phoneNumber else ""
    await asyncio.to_thread(  # hashes the password
        accounts.create_user,
        c.store,
        email,
        body.authPassword,
        profile={
            "firstname": body.firstName.strip(),
            "lastname": body.lastName.strip(),
            "country": body.countryName.strip(),
            "phone": phone,
        },
    )
    return ok("Registration successful; you can sign in now", status=201)


# -- users ---------------------------------------------------------------------------------------
@bp.get("/admin/user")
@public
async def whoami() -> Any:
    user = g.get("user")
    if g.get("session") is None or user is None:
        return {"success": False, "user": None}
    return {"success": True, "user": await asyncio.to_thread(user_view, ctx().store, user)}


def _target_user(user_id: int) -> Any:
    me = current_user()
    if user_id != me.id and not me.is_administrator:
        raise NotFound(f"User {user_id} not found.")
    user = ctx().store.users.get(user_id)
    if user is None:
        raise NotFound(f"User {user_id} not found.")
    return user


@bp.post("/user/dao")
@document_request(NewUser)
async def create_user() -> Any:
    require_admin()
    body = await parse_body(NewUser)
    profile = {k: getattr(body, k) or "" for k in accounts.PROFILE_FIELDS}
    user = await asyncio.to_thread(  # hashes the password
        accounts.create_user,
        ctx().store,
        body.email,
        body.password,
        username=body.username,
        is_administrator=bool(body.is_administrator),
        profile=profile,
    )
    return {"status_code": 201, "user": await asyncio.to_thread(user_view, ctx().store, user)}, 201


@bp.get("/user/dao/<int:user_id>")
async def get_user(user_id: int) -> Any:
    user = await asyncio.to_thread(_target_user, user_id)
    view = await asyncio.to_thread(user_view, ctx().store, user)
    return {"success": True, "status_code": 200, "user": view}


@bp.put("/user/dao/<int:user_id>")
@document_request(UserFields)
async def update_user(user_id: int) -> Any:
    store = ctx().store
    user = await asyncio.to_thread(_target_user, user_id)
    body = await parse_body(UserFields)
    me = current_user()
    updated = await asyncio.to_thread(accounts.update_user, store, me, user, body.model_dump())
    return {
        "success": True,
        "status_code": 200,
        "user": await asyncio.to_thread(user_view, store, updated),
    }


@bp.delete("/user/dao/<int:user_id>")
async def delete_user(user_id: int) -> Any:
    user = await asyncio.to_thread(_target_user, user_id)
    c = ctx()
    await asyncio.to_thread(lifecycle.delete_user, c.store, c.settings, c.bus, user.id)
    return ok(f"Deleted user {user.username}")


@bp.get("/user/export")
async def export_user() -> Any:
    """Streamed: each piece is read from the store on a worker thread (elinara/user_export.py)."""
    parts = export_parts(ctx().store, ctx().settings, current_user())

    async def chunks() -> AsyncIterator[bytes]:
        while (part := await asyncio.to_thread(next, parts, None)) is not None:
            yield part.encode()

    return Response(chunks(), mimetype="application/json")


@bp.get("/user/manager")
async def list_users() -> Any:
    require_admin()
    store = ctx().store
    users = await asyncio.to_thread(lambda: [user_view(store, u) for u in store.users.list()])
    return {"status_code": 200, "users": users}


# -- agents (the wire's "processes") -------------------------------------------------------------
@bp.get("/admin/processes")
async def list_processes() -> Any:
    me = current_user()
    found = await asyncio.to_thread(ctx().store.agents.list, None if me.is_administrator else me.id)
    return jsonify([process_view(p) for p in found])


@bp.post("/admin/processes")
@document_request(ProcessBody)
async def create_process() -> Any:
    c = ctx()
    body = await parse_body(ProcessBody)
    agent = await asyncio.to_thread(
        lifecycle.create_agent,
        c.store,
        c.settings,
        current_user().id,
        body.name,
        body.trigger_type,
        body.config_snapshot,
    )
    return process_view(agent), 201


def _owned(agent_id: int) -> Any:
    me = current_user()
    return lifecycle.owned_agent(ctx().store, agent_id, me.id, me.is_administrator)


@bp.get("/admin/processes/<int:process_id>")
async def get_process(process_id: int) -> Any:
    return process_view(await asyncio.to_thread(_owned, process_id))


@bp.put("/admin/processes/<int:process_id>")
@document_request(ProcessUpdate)
async def update_process(process_id: int) -> Any:
    agent = await asyncio.to_thread(_owned, process_id)  # the wire's name for an agent id
    body = await parse_body(ProcessUpdate)
    updated = await asyncio.to_thread(lifecycle.update_agent, ctx().store, agent, body.model_dump())
    return process_view(updated)


@bp.delete("/admin/processes/<int:process_id>")
async def delete_process(process_id: int) -> Any:
    agent = await asyncio.to_thread(_owned, process_id)  # the wire's name for an agent id
    c = ctx()
    await asyncio.to_thread(lifecycle.delete_agent, c.store, c.settings, c.bus, agent)
    return {"msg": f"Deleted agent {agent.name}"}


# -- saved cloud files ------------------------------------------------------------------------
@bp.get("/cloud-files")
async def saved_cloud_files() -> Any:
    files = await asyncio.to_thread(ctx().store.cloud_files.list, current_user().id)
    return {"success": True, "files": files}


@bp.post("/cloud-files")
@document_request(CloudFilesBody)
async def save_cloud_files() -> Any:
    body = await parse_body(CloudFilesBody)
    for index, item in enumerate(body.files):
        if item.provider not in DRIVE_PROVIDERS:
            raise BadInput(
                f"files[{index}].provider must be google or microsoft.",
                errors={f"files.{index}.provider": "google or microsoft"},
            )
    files = [f.model_dump() for f in body.files]
    added = await asyncio.to_thread(ctx().store.cloud_files.merge, current_user().id, files)
    return ok(f"Saved {len(body.files)} file(s), {added} new")


add_connection_email_routes(bp)
