"""Another user's objects are 404, never revealed (docs/api.md, Conventions); admin-only routes are 403."""

from __future__ import annotations

import io

import pytest
from server_helpers import PASSWORD, body, leads_csv, new_email, sign_up, store_of
from werkzeug.datastructures import FileStorage

pytestmark = pytest.mark.anyio


async def test_user_b_cannot_reach_anything_of_user_a(app) -> None:
    store = store_of(app)
    alice = await sign_up(app)
    bob = await sign_up(app)
    agent = await body(await alice.post("/api/v1/admin/processes", json={"name": "alice"}))
    aid = agent["id"]
    source = (
        await body(
            await alice.post(
                "/api/datasources",
                json={"platform": "google_drive", "resource_identifier": "f", "process_id": aid},
            )
        )
    )["datasource"]
    await alice.post("/api/config/update", json={"agent_id": aid, "min_score": 33})
    name = (
        await body(
            await alice.post(
                "/api/files",
                files={"file": FileStorage(io.BytesIO(leads_csv(2).encode()), filename="a.csv")},
            )
        )
    )["file"]["name"]
    task_id = (
        await body(await alice.post("/api/agent/task", json={"filename": name, "agent_id": aid}))
    )["task_id"]

    refused = [
        ("GET", f"/api/v1/admin/processes/{aid}", None),
        ("PUT", f"/api/v1/admin/processes/{aid}", {"name": "taken"}),
        ("DELETE", f"/api/v1/admin/processes/{aid}", None),
        ("GET", f"/api/datasources/{source['id']}", None),
        ("PUT", f"/api/datasources/{source['id']}", {"resource_name": "taken"}),
        ("DELETE", f"/api/datasources/{source['id']}", None),
        ("GET", f"/api/datasources?process_id={aid}", None),
        (
            "POST",
            "/api/datasources",
            {"platform": "google_drive", "resource_identifier": "x", "process_id": aid},
        ),
        ("GET", f"/api/config/update?agent_id={aid}", None),
        ("POST", "/api/config/update", {"agent_id": aid, "min_score": 1}),
        ("GET", f"/api/agent/status?agent_id={aid}", None),
        ("POST", "/api/agent/control", {"action": "start", "agent_id": aid}),
        ("POST", "/api/agent/config", {"model": "m", "agent_id": aid}),
        ("POST", "/api/agent/task", {"filename": name, "agent_id": aid}),
        ("POST", "/api/agent/task", {"filename": name}),  # B's default agent, A's file
        ("GET", f"/api/agent/task/{task_id}", None),
        ("GET", f"/api/agent/tasks?agent_id={aid}", None),
        ("GET", f"/api/agent/matches?agent_id={aid}", None),
        ("DELETE", f"/api/files/{name}", None),
        ("GET", f"/api/v1/user/dao/{alice.id}", None),
        ("PUT", f"/api/v1/user/dao/{alice.id}", {"firstname": "taken"}),
        ("DELETE", f"/api/v1/user/dao/{alice.id}", None),
    ]
    for method, path, payload in refused:
        response = await bob.request(method, path, json=payload)
        data = await body(response)
        assert response.status_code == 404, (method, path, response.status_code, data)
        assert data["msg"], (method, path)
        assert "alice" not in str(data).lower()

    # listings without an agent id cover only B's own things
    assert await body(await bob.get("/api/agent/tasks")) == []
    assert await body(await bob.get("/api/agent/matches")) == []
    assert await body(await bob.get("/api/user/datasources")) == []
    assert await body(await bob.get("/api/files")) == []
    assert [p["user_id"] for p in await body(await bob.get("/api/v1/admin/processes"))] in (
        [],
        [bob.id],
    )
    response = await bob.delete("/api/datasources", json={"ids": [source["id"]]})
    assert (await body(response))["deleted"] == 0

    # and nothing of A's changed
    assert store.agents.get(aid).name == "alice"
    assert store.datasources.get(source["id"]).resource_name == "f"
    assert store.settings.get(aid).min_score == 33
    assert store.users.get(alice.id).firstname == "Ana"
    assert [r.id for r in store.runs.list(agent_ids=[aid])] == [task_id]
    assert [f["name"] for f in await body(await alice.get("/api/files"))] == [name]
    assert (await alice.get(f"/api/agent/task/{task_id}")).status_code == 200


async def test_admin_only_routes(app) -> None:
    user = await sign_up(app)
    admin = await sign_up(app, admin=True)
    response = await user.get("/api/v1/user/manager")
    assert response.status_code == 403 and (await body(response))["msg"]
    response = await user.post(
        "/api/v1/user/dao", json={"email": new_email(), "password": PASSWORD}
    )
    assert response.status_code == 403 and (await body(response))["msg"]
    # a user cannot make themselves an administrator
    data = await body(
        await user.put(f"/api/v1/user/dao/{user.id}", json={"is_administrator": True})
    )
    assert data["user"]["is_administrator"] is False
    assert (await admin.get("/api/v1/user/manager")).status_code == 200
