"""Main API (docs/api.md: Users, Cloud files, Agents, Connection e-mails): users, processes, saved cloud
files, connection e-mails."""

from __future__ import annotations

import pytest
from server_helpers import PASSWORD, body, login, new_email, sign_up, store_of

pytestmark = pytest.mark.anyio

PROCESS_KEYS = {
    "id",
    "user_id",
    "name",
    "status",
    "trigger_type",
    "config_snapshot",
    "created_at",
    "updated_at",
}


# -- users -----------------------------------------------------------------------------------------
async def test_get_own_user(app) -> None:
    api = await sign_up(app)
    response = await api.get(f"/api/v1/user/dao/{api.id}")
    data = await body(response)
    assert response.status_code == 200
    assert data["success"] is True and data["status_code"] == 200
    assert data["user"]["id"] == api.id and data["user"]["email"] == api.user["email"]


async def test_put_applies_editable_fields_and_ignores_the_rest(app) -> None:
    api = await sign_up(app)
    sent = {
        **api.user,
        "id": 777,
        "firstname": "  Maria ",
        "phone": "+351 912 000 000",
        "postal_code": "4000-001",
        "address": "Rua A, 1",
        "country": "Portugal",
        "role": "admin",
        "is_administrator": True,
        "providers": {"google": {"connected": True, "email": "x@gmail.com"}},
        "has_drive_access": True,
        "created_at": "1999-01-01T00:00:00+00:00",
        "password": "Changed!123",
        "password_hash": "nope",
    }
    response = await api.put(f"/api/v1/user/dao/{api.id}", json=sent)
    data = await body(response)
    assert response.status_code == 200
    assert data["success"] is True and data["status_code"] == 200
    user = data["user"]
    assert user["id"] == api.id
    assert user["firstname"] == "Maria" and user["phone"] == "+351 912 000 000"
    assert user["postal_code"] == "4000-001" and user["address"] == "Rua A, 1"
    assert user["is_administrator"] is False and user["role"] == "user"
    assert user["providers"]["google"]["connected"] is False
    assert user["has_drive_access"] is False
    assert user["created_at"] == api.user["created_at"]
    # the password did not change
    await login(app, api.user["email"], PASSWORD)


async def test_put_changes_email_and_username(app) -> None:
    api = await sign_up(app)
    other = await sign_up(app)
    new_address = new_email("renamed")
    data = await body(
        await api.put(
            f"/api/v1/user/dao/{api.id}", json={"email": new_address, "username": "renamed"}
        )
    )
    assert data["user"]["email"] == new_address and data["user"]["username"] == "renamed"
    await login(app, "renamed")
    for change, field in (
        ({"email": other.user["email"]}, "email"),
        ({"username": other.user["username"]}, "username"),
        ({"email": "not an email"}, "email"),
    ):
        response = await api.put(f"/api/v1/user/dao/{api.id}", json=change)
        data = await body(response)
        assert response.status_code == 400, change  # a taken address or name too: 400
        assert data["msg"]
        assert field in data["errors"]


async def test_put_rejects_wrong_types(app) -> None:
    api = await sign_up(app)
    response = await api.put(f"/api/v1/user/dao/{api.id}", json={"firstname": ["a"]})
    data = await body(response)
    assert response.status_code == 400 and "firstname" in data["errors"]
    response = await api.put(f"/api/v1/user/dao/{api.id}", json=["not", "an", "object"])
    assert response.status_code == 400


async def test_delete_self_removes_everything(app) -> None:
    store = store_of(app)
    api = await sign_up(app)
    agent = await body(await api.post("/api/v1/admin/processes", json={"name": "a"}))
    await api.post(
        "/api/datasources",
        json={"platform": "google_drive", "resource_identifier": "f1", "process_id": agent["id"]},
    )
    await api.post("/api/config/update", json={"agent_id": agent["id"], "min_score": 40})
    await api.post(
        "/api/v1/cloud-files", json={"files": [{"id": "1", "name": "a.xlsx", "provider": "google"}]}
    )
    response = await api.delete(f"/api/v1/user/dao/{api.id}")
    data = await body(response)
    assert response.status_code == 200
    assert data["status_code"] == 200 and data["msg"] and data["message"]
    assert store.users.get(api.id) is None
    assert store.agents.list(api.id) == []
    assert store.datasources.list(user_id=api.id) == []
    assert store.settings.get(agent["id"]) is None
    assert store.cloud_files.list(api.id) == []
    assert (await api.get("/api/v1/admin/processes")).status_code == 401


async def test_users_cannot_see_or_change_each_other(app) -> None:
    alice = await sign_up(app)
    bob = await sign_up(app)
    for method, kwargs in (("GET", {}), ("PUT", {"json": {"firstname": "x"}}), ("DELETE", {})):
        response = await bob.request(method, f"/api/v1/user/dao/{alice.id}", **kwargs)
        assert response.status_code == 404, method
        assert (await body(response))["msg"]
    assert store_of(app).users.get(alice.id).firstname == "Ana"
    response = await bob.get("/api/v1/user/dao/424242")
    assert response.status_code == 404


async def test_admin_manages_users(app) -> None:
    admin = await sign_up(app, admin=True)
    assert admin.user["is_administrator"] is True and admin.user["role"] == "admin"
    alice = await sign_up(app)

    listed = await body(await admin.get("/api/v1/user/manager"))
    assert listed["status_code"] == 200
    assert {u["id"] for u in listed["users"]} == {admin.id, alice.id}
    assert all(isinstance(u["id"], int) for u in listed["users"])

    email = new_email("made")
    response = await admin.post(
        "/api/v1/user/dao",
        json={"email": email, "password": PASSWORD, "firstname": "Rui", "username": "rui"},
    )
    data = await body(response)
    assert response.status_code == 201
    assert data["status_code"] == 201 and data["user"]["email"] == email
    assert data["user"]["username"] == "rui" and data["user"]["is_administrator"] is False
    made = await login(app, email)

    got = await body(await admin.get(f"/api/v1/user/dao/{alice.id}"))
    assert got["user"]["id"] == alice.id
    data = await body(
        await admin.put(f"/api/v1/user/dao/{made.id}", json={"is_administrator": True})
    )
    assert data["user"]["is_administrator"] is True and data["user"]["role"] == "admin"
    assert (await admin.delete(f"/api/v1/user/dao/{alice.id}")).status_code == 200
    assert store_of(app).users.get(alice.id) is None


async def test_admin_create_user_validation(app) -> None:
    admin = await sign_up(app, admin=True)
    for payload, field in (
        ({"email": new_email()}, "password"),
        ({"password": PASSWORD}, "email"),
        ({"email": new_email(), "password": "weak"}, "password"),
        ({"email": "nope", "password": PASSWORD}, "email"),
    ):
        response = await admin.post("/api/v1/user/dao", json=payload)
        data = await body(response)
        assert response.status_code == 400, payload
        assert field in data["errors"], (payload, data)
    response = await admin.post(
        "/api/v1/user/dao", json={"email": admin.user["email"], "password": PASSWORD}
    )
    assert response.status_code == 409
    assert (await body(response))["msg"]


async def test_admin_only_routes_are_403_for_users(app) -> None:
    api = await sign_up(app)
    for method, path, kwargs in (
        ("GET", "/api/v1/user/manager", {}),
        ("POST", "/api/v1/user/dao", {"json": {"email": new_email(), "password": PASSWORD}}),
    ):
        response = await api.request(method, path, **kwargs)
        data = await body(response)
        assert response.status_code == 403, path
        assert data["msg"]
    assert store_of(app).users.count() == 1


async def test_export(app) -> None:
    api = await sign_up(app)
    agent = await body(await api.post("/api/v1/admin/processes", json={"name": "a"}))
    await api.post(
        "/api/datasources",
        json={"platform": "google_drive", "resource_identifier": "f", "process_id": agent["id"]},
    )
    response = await api.get("/api/v1/user/export")
    data = await body(response)
    assert response.status_code == 200
    assert response.headers.get("Content-Disposition") is None
    assert data["status_code"] == 200
    exported = data["data"]
    assert set(exported) == {"user", "processes", "datasources", "settings", "tasks", "matches"}
    assert exported["user"]["id"] == api.id
    assert [p["id"] for p in exported["processes"]] == [agent["id"]]
    assert len(exported["datasources"]) == 1 and len(exported["settings"]) == 1
    assert exported["tasks"] == [] and exported["matches"] == []
    assert "password_hash" not in str(data)


# -- processes, on both backends -------------------------------------------------------------------
async def test_process_lifecycle_on_each_backend(app_both) -> None:
    api = await sign_up(app_both)
    assert await body(await api.get("/api/v1/admin/processes")) == []
    response = await api.post(
        "/api/v1/admin/processes",
        json={"name": "Norte", "trigger_type": "interval", "config_snapshot": {"k": 1}},
    )
    created = await body(response)
    assert response.status_code == 201
    assert set(created) >= PROCESS_KEYS
    assert isinstance(created["id"], int) and created["user_id"] == api.id
    assert created["status"] == "idle" and created["trigger_type"] == "interval"
    assert created["config_snapshot"] == {"k": 1}

    listed = await body(await api.get("/api/v1/admin/processes"))
    assert isinstance(listed, list) and [p["id"] for p in listed] == [created["id"]]
    got = await body(await api.get(f"/api/v1/admin/processes/{created['id']}"))
    assert got == created

    response = await api.put(
        f"/api/v1/admin/processes/{created['id']}",
        json={**created, "name": "Centro", "trigger_type": "manual", "id": 99, "user_id": 99},
    )
    updated = await body(response)
    assert response.status_code == 200
    assert updated["name"] == "Centro" and updated["trigger_type"] == "manual"
    assert updated["id"] == created["id"] and updated["user_id"] == api.id

    response = await api.delete(f"/api/v1/admin/processes/{created['id']}")
    assert response.status_code == 200 and (await body(response))["msg"]
    assert (await api.get(f"/api/v1/admin/processes/{created['id']}")).status_code == 404
    assert await body(await api.get("/api/v1/admin/processes")) == []


async def test_process_validation(app) -> None:
    api = await sign_up(app)
    for payload, field in (
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x", "trigger_type": "hourly"}, "trigger_type"),
        ({"name": "x", "config_snapshot": []}, "config_snapshot"),
    ):
        response = await api.post("/api/v1/admin/processes", json=payload)
        data = await body(response)
        assert response.status_code == 400, payload
        assert field in data["errors"], (payload, data)
    created = await body(await api.post("/api/v1/admin/processes", json={"name": "ok"}))
    response = await api.put(
        f"/api/v1/admin/processes/{created['id']}", json={"trigger_type": "hourly"}
    )
    assert response.status_code == 400 and "trigger_type" in (await body(response))["errors"]
    for path in ("/api/v1/admin/processes/424242", "/api/v1/admin/processes/abc"):
        for method in ("GET", "PUT", "DELETE"):
            response = await api.request(method, path, json={"name": "y"})
            assert response.status_code == 404, (method, path)
            assert (await body(response))["msg"]


async def test_process_cap_is_409(make_app) -> None:
    app = make_app(max_processes_per_user=2)
    api = await sign_up(app)
    for name in ("a", "b"):
        assert (await api.post("/api/v1/admin/processes", json={"name": name})).status_code == 201
    response = await api.post("/api/v1/admin/processes", json={"name": "c"})
    assert response.status_code == 409
    assert (await body(response))["msg"]
    # the cap is per user
    other = await sign_up(app)
    assert (await other.post("/api/v1/admin/processes", json={"name": "c"})).status_code == 201


async def test_admin_sees_every_process(app) -> None:
    admin = await sign_up(app, admin=True)
    alice = await sign_up(app)
    mine = await body(await admin.post("/api/v1/admin/processes", json={"name": "admin's"}))
    hers = await body(await alice.post("/api/v1/admin/processes", json={"name": "alice's"}))
    listed = await body(await admin.get("/api/v1/admin/processes"))
    assert {p["id"] for p in listed} == {mine["id"], hers["id"]}
    assert [p["id"] for p in await body(await alice.get("/api/v1/admin/processes"))] == [hers["id"]]
    assert (await admin.get(f"/api/v1/admin/processes/{hers['id']}")).status_code == 200


async def test_deleting_a_process_removes_what_belongs_to_it(app) -> None:
    store = store_of(app)
    api = await sign_up(app)
    keep = await body(await api.post("/api/v1/admin/processes", json={"name": "keep"}))
    gone = await body(await api.post("/api/v1/admin/processes", json={"name": "gone"}))
    for agent in (keep, gone):
        await api.post(
            "/api/datasources",
            json={
                "platform": "google_drive",
                "resource_identifier": "f",
                "process_id": agent["id"],
            },
        )
        await api.post("/api/config/update", json={"agent_id": agent["id"], "min_score": 10})
    await api.post("/api/agent/control", json={"action": "start", "agent_id": gone["id"]})
    assert store.runs.list(agent_ids=[gone["id"]])
    assert (await api.delete(f"/api/v1/admin/processes/{gone['id']}")).status_code == 200
    assert store.datasources.list(agent_id=gone["id"]) == []
    assert store.settings.get(gone["id"]) is None
    assert store.runs.list(agent_ids=[gone["id"]]) == []
    assert len(store.datasources.list(agent_id=keep["id"])) == 1
    assert store.settings.get(keep["id"]) is not None


# -- saved cloud files -----------------------------------------------------------------------------
async def test_saved_cloud_files_merge_without_duplicates(app) -> None:
    api = await sign_up(app)
    data = await body(await api.get("/api/v1/cloud-files"))
    assert data == {"success": True, "files": []}
    first = [
        {"id": "g1", "name": "leads.xlsx", "provider": "google"},
        {"id": "m1", "name": "empresas.xlsx", "provider": "microsoft"},
    ]
    response = await api.post("/api/v1/cloud-files", json={"files": first})
    data = await body(response)
    assert response.status_code == 200
    assert data["status_code"] == 200 and data["msg"] and data["message"]
    second = [
        {"id": "g1", "name": "leads (renamed).xlsx", "provider": "google"},
        {"id": "g1", "name": "same id other drive", "provider": "microsoft"},
    ]
    assert (await api.post("/api/v1/cloud-files", json={"files": second})).status_code == 200
    files = (await body(await api.get("/api/v1/cloud-files")))["files"]
    assert sorted((f["provider"], f["id"]) for f in files) == [
        ("google", "g1"),
        ("microsoft", "g1"),
        ("microsoft", "m1"),
    ]
    assert all(set(f) == {"id", "name", "provider"} for f in files)
    other = await sign_up(app)
    assert (await body(await other.get("/api/v1/cloud-files")))["files"] == []


async def test_saved_cloud_files_validation(app) -> None:
    api = await sign_up(app)
    for payload in (
        {},
        {"files": "x"},
        {"files": [{"id": "1", "name": "a"}]},
        {"files": [{"id": "1", "name": "a", "provider": "dropbox"}]},
        [{"id": "1", "name": "a", "provider": "google"}],
    ):
        response = await api.post("/api/v1/cloud-files", json=payload)
        data = await body(response)
        assert response.status_code == 400, payload
        assert data["msg"]
    assert (await body(await api.get("/api/v1/cloud-files")))["files"] == []


# -- connection e-mails, on both APIs --------------------------------------------------------------
@pytest.mark.parametrize("prefix", ["/api/v1", "/api"])
async def test_connection_emails(app, prefix) -> None:
    api = await sign_up(app)
    path = f"{prefix}/config/connection-emails"
    assert await body(await api.get(path)) == {"connection_emails": []}
    response = await api.post(
        path, json={"connection_emails": ["A@x.pt", "a@x.pt", " b@y.pt ", "c@z.pt"]}
    )
    assert response.status_code == 200
    assert await body(response) == {"connection_emails": ["a@x.pt", "b@y.pt", "c@z.pt"]}
    response = await api.post(path, json={"connection_emails": ["only@x.pt"]})
    assert await body(response) == {"connection_emails": ["only@x.pt"]}
    other = "/api" if prefix == "/api/v1" else "/api/v1"
    assert await body(await api.get(f"{other}/config/connection-emails")) == {
        "connection_emails": ["only@x.pt"]
    }
    for payload in ({"connection_emails": ["not-an-email"]}, {}, {"connection_emails": 5}):
        response = await api.post(path, json=payload)
        data = await body(response)
        assert response.status_code == 400, payload
        assert data["msg"] and "connection_emails" in data["errors"]
    assert await body(await api.get(path)) == {"connection_emails": ["only@x.pt"]}


async def test_email_verified_cannot_be_set_and_is_reset_by_a_new_address(app) -> None:
    """Only a provider confirms an address (docs/cloud.md): a password sign-up's is not
    verified, a user cannot declare it, and changing a verified address unverifies it."""
    api = await sign_up(app)
    assert api.user["email_verified"] is False
    response = await api.put(
        f"/api/v1/user/dao/{api.id}", json={**api.user, "email_verified": True}
    )
    assert (await body(response))["user"]["email_verified"] is False

    store_of(app).users.update(api.id, {"email_verified": True})  # as a provider sign-in would
    response = await api.put(f"/api/v1/user/dao/{api.id}", json={"firstname": "Rita"})
    assert (await body(response))["user"]["email_verified"] is True  # the address did not change
    response = await api.put(f"/api/v1/user/dao/{api.id}", json={"email": new_email("moved")})
    data = await body(response)
    assert response.status_code == 200 and data["user"]["email_verified"] is False
    assert store_of(app).users.get(api.id).email_verified is False


async def test_admin_made_users_are_not_verified(app) -> None:
    admin = await sign_up(app, admin=True)
    response = await admin.post(
        "/api/v1/user/dao", json={"email": new_email(), "password": PASSWORD}
    )
    assert (await body(response))["user"]["email_verified"] is False
