"""CSRF (docs/api.md, Conventions), derived from the app's own URL map: every unsafe method of every route
that needs a session refuses a missing or wrong X-CSRF-Token with 403 CSRF_ERROR, never 401, and
does nothing."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from bson import ObjectId
from server_helpers import (
    CSRF_ERROR,
    UNSAFE,
    body,
    build_app,
    sign_up,
    store_of,
)

pytestmark = pytest.mark.anyio

PUBLIC_UNSAFE = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/user/register"),
}


def unsafe_rules(app: Any) -> list[tuple[str, Any, bool]]:
    """(method, rule, public) for every unsafe method the app routes."""
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        public = bool(getattr(view, "_elinara_public", False))
        for method in sorted(set(rule.methods or ()) & set(UNSAFE)):
            found.append((method, rule, public))
    return found


def fill(rule: Any, values: dict[str, Any]) -> str:
    """The rule's path with each parameter replaced by a plausible value."""
    params = {}
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        params[name] = values.get(name, 1 if converter == "IntegerConverter" else "x")
    path = rule.rule
    for name, value in params.items():
        for pattern in (f"<int:{name}>", f"<path:{name}>", f"<{name}>"):
            path = path.replace(pattern, str(value))
    assert "<" not in path, path
    return path


def test_the_route_table_is_not_empty_and_only_auth_is_public() -> None:
    app = build_app()
    rules = unsafe_rules(app)
    assert len([r for r in rules if not r[2]]) >= 20
    public = {(method, rule.rule) for method, rule, is_public in rules if is_public}
    assert public == PUBLIC_UNSAFE


async def test_every_unsafe_session_route_needs_the_csrf_header(app) -> None:
    store = store_of(app)
    owner = await sign_up(app)
    other = await sign_up(app)
    agent = await body(await owner.post("/api/v1/admin/processes", json={"name": "mine"}))
    created = await body(
        await owner.post(
            "/api/datasources",
            json={
                "platform": "google_drive",
                "resource_identifier": "drive-file-1",
                "resource_name": "leads.xlsx",
                "process_id": agent["id"],
            },
        )
    )
    source_id = created["datasource"]["id"]
    upload = await owner.post(
        "/api/files",
        files={"file": _file("leads.csv", b"Empresa,NIF\nA,500000000\n")},
    )
    assert upload.status_code == 201
    values = {
        "user_id": owner.id,
        "process_id": agent["id"],
        "source_id": source_id,
        "task_id": str(uuid.uuid4()),
        "name": "leads.csv",
        "provider": "google",
    }
    checked = []
    for method, rule, public in unsafe_rules(app):
        if public:
            continue
        path = fill(rule, values)
        for label, headers in (
            ("missing", {}),
            ("wrong", {"X-CSRF-Token": "not-the-token"}),
            ("another session's", {"X-CSRF-Token": other.csrf}),
            ("empty", {"X-CSRF-Token": ""}),
        ):
            response = await owner.request(
                method, path, csrf=False, headers=headers, json={"name": "x", "ids": [source_id]}
            )
            assert response.status_code == 403, (method, path, label, response.status_code)
            assert await body(response) == CSRF_ERROR, (method, path, label)
        checked.append((method, rule.rule))
    assert ("DELETE", "/api/v1/user/dao/<int:user_id>") in checked
    assert ("POST", "/api/agent/control") in checked
    assert ("POST", "/api/files") in checked

    # nothing happened: the user, the agent, the data source and the upload are all still there
    assert store.users.get(owner.id) is not None
    assert store.agents.get(agent["id"]) is not None
    assert store.datasources.get(source_id) is not None
    assert [f["name"] for f in await body(await owner.get("/api/files"))] == ["leads.csv"]
    assert store.runs.list() == []


async def test_the_right_token_in_any_header_case_passes(app) -> None:
    """The control of the test above: with the token, no route answers the CSRF error (the ids
    name nothing, so nothing is changed; an admin, so admin-only routes answer too)."""
    owner = await sign_up(app, admin=True)
    values = {
        "user_id": 999_999,
        "process_id": 999_999,
        "source_id": str(ObjectId()),
        "task_id": str(uuid.uuid4()),
        "name": "absent.csv",
        "provider": "google",
    }
    for method, rule, public in unsafe_rules(app):
        if public:
            continue
        path = fill(rule, values)
        for header in ("X-CSRF-Token", "x-csrf-token", "X-CSRF-TOKEN"):
            response = await owner.request(method, path, csrf=False, headers={header: owner.csrf})
            assert response.status_code not in (401, 403), (method, path, response.status_code)
            assert (await body(response)).get("code") != "CSRF_ERROR"


async def test_csrf_is_checked_before_anything_else(app) -> None:
    """Even a request that would be refused for its body or its target gets the CSRF answer:
    the frontend must never see 401 or 404 for a missing header."""
    owner = await sign_up(app)
    for method, path in (
        ("POST", "/api/v1/admin/processes"),
        ("DELETE", "/api/v1/admin/processes/424242"),
        ("POST", "/api/v1/user/dao"),  # admin only
    ):
        response = await owner.request(
            method, path, csrf=False, data=b"{broken", headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 403
        assert await body(response) == CSRF_ERROR


async def test_without_a_session_the_answer_is_401_not_csrf(app) -> None:
    client = app.test_client()
    response = await client.post("/api/v1/admin/processes", json={"name": "x"})
    assert response.status_code == 401
    assert (await body(response)).get("code") != "CSRF_ERROR"


def _file(name: str, content: bytes) -> Any:
    import io

    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(content), filename=name)


def reads_no_body(rule: Any) -> bool:
    """Logout and provider disconnects take no body (and logout would end the session)."""
    return rule.rule.endswith("/logout") or "/disconnect/" in rule.rule


WRONG_TYPES = json.dumps(
    {  # every field a route reads, each with a type it does not take
        "action": ["start"],
        "agent_id": [1],
        "process_id": {"id": 1},
        "execution_mode": 3,
        "execution_interval": [60],
        "name": 7,
        "trigger_type": ["manual"],
        "config_snapshot": [1],
        "email": 5,
        "username": ["x"],
        "password": 6,
        "is_administrator": "maybe",
        "authEmail": 1,
        "authPassword": 2,
        "model": {},
        "provider": [],
        "filename": 9,
        "phone": [],
        "ids": "not-a-list",
        "files": "not-a-list",
        "connection_emails": 5,
        "platform": 5,
        "config": "nope",
    }
).encode()


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"\xff\xfe",
        b'{"a": [1, 2}',
        b"[1, 2]",
        b"42",
        b"true",
        b"null",
        b'{"action": 5, "agent_id": {}}',
        b'{"action": "start", "agent_id": [1]}',
        b'{"action": "start", "execution_mode": 5}',
        WRONG_TYPES,
    ],
)
async def test_malformed_json_is_400_on_every_route(app, raw) -> None:
    """With a valid session and token, a broken JSON body, or one whose values have the wrong
    types, is a 400 JSON answer wherever a body is read (404 where the target does not exist),
    never a 500."""
    owner = await sign_up(app, admin=True)
    values = {
        "user_id": 999_999,
        "process_id": 999_999,
        "source_id": str(ObjectId()),
        "task_id": str(uuid.uuid4()),
        "name": "absent.csv",
        "provider": "google",
    }
    for method, rule, _public in unsafe_rules(app):
        if reads_no_body(rule):
            continue
        path = fill(rule, values)
        response = await owner.request(
            method, path, data=raw, headers={"Content-Type": "application/json"}
        )
        data = await body(response)
        expected = (400,) if not rule.arguments else (400, 404)
        assert response.status_code in expected, (method, path, response.status_code, data)
        assert data["msg"], (method, path)
