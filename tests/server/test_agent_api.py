"""Agent API (docs/api.md, Agent control): status, control, config, tasks, matches, settings, data sources,
uploads."""

from __future__ import annotations

import io
import os
import re
from typing import Any

import pytest
from bson import ObjectId
from server_helpers import (
    body,
    copy_sample_calls,
    leads_csv,
    settings_of,
    sign_up,
    store_of,
)
from werkzeug.datastructures import FileStorage

pytestmark = pytest.mark.anyio

SETTINGS_KEYS = {
    "id",
    "user_id",
    "agent_id",
    "agent_status",
    "execution_mode",
    "execution_interval",
    "scheduled_time",
    "alert_emails",
    "llm_provider",
    "llm_model",
    "min_score",
}
STATUS_KEYS = {
    "id",
    "agent_id",
    "agent_status",
    "plan",
    "selected_model",
    "provider",
    "execution_mode",
    "next_run",
    "last_run",
    "pipeline",
}
STAGES = [
    "establish_connection",
    "loading_data",
    "email_alert",
    "cross_data",
    "send_results",
    "sending_email",
]
TASK_KEYS = {
    "id",
    "agent_id",
    "filename",
    "phone",
    "status",
    "progress",
    "message",
    "created_at",
    "updated_at",
}
DATASOURCE_KEYS = {
    "id",
    "user_id",
    "process_id",
    "agent_id",
    "agent_name",
    "platform",
    "resource_identifier",
    "resource_name",
    "resource_format",
    "config",
    "created_at",
    "updated_at",
}
ISO_WITH_ZONE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def upload(name: str, content: bytes = b"") -> dict[str, FileStorage]:
    return {"file": FileStorage(io.BytesIO(content or leads_csv(3).encode()), filename=name)}


async def new_agent(api: Any, name: str = "agent") -> dict[str, Any]:
    response = await api.post("/api/v1/admin/processes", json={"name": name})
    assert response.status_code == 201
    return await body(response)


# -- status, control, config -----------------------------------------------------------------------
async def test_status_of_a_new_user_creates_the_default_agent(app) -> None:
    api = await sign_up(app)
    response = await api.get("/api/agent/status")
    data = await body(response)
    assert response.status_code == 200
    assert set(data) >= STATUS_KEYS
    assert data["agent_status"] == "stopped" and data["plan"] == "Standard"
    assert data["provider"] == "offline" and data["execution_mode"] == "manual"
    assert list(data["pipeline"]) == STAGES
    agents = await body(await api.get("/api/v1/admin/processes"))
    assert [(p["id"], p["name"]) for p in agents] == [(data["agent_id"], "Default agent")]
    # asked again, the same default agent
    again = await body(await api.get("/api/agent/status"))
    assert again["agent_id"] == data["agent_id"]
    assert len(await body(await api.get("/api/v1/admin/processes"))) == 1


async def test_status_of_an_own_process_without_settings(app) -> None:
    api = await sign_up(app)
    agent = await new_agent(api)
    data = await body(await api.get(f"/api/agent/status?agent_id={agent['id']}"))
    assert data["agent_id"] == agent["id"] and data["agent_status"] == "stopped"
    for bad in ("424242", "abc"):
        response = await api.get(f"/api/agent/status?agent_id={bad}")
        assert response.status_code == 404
        assert (await body(response))["msg"]


async def test_control_start_manual_queues_one_run(app) -> None:
    store = store_of(app)
    api = await sign_up(app)
    agent = await new_agent(api)
    response = await api.post(
        "/api/agent/control",
        json={"action": "start", "agent_id": agent["id"], "user_id": 99999, "email": "x@y.pt"},
    )
    data = await body(response)
    assert response.status_code == 200
    assert data["msg"] and data["status"] == "active"
    assert set(data["agent_settings"]) >= SETTINGS_KEYS
    assert data["agent_settings"]["agent_status"] == "active"
    runs = store.runs.list(agent_ids=[agent["id"]])
    assert [(r.status, r.trigger, r.user_id) for r in runs] == [("queued", "manual", api.id)]
    # a second start does not queue a second run
    await api.post("/api/agent/control", json={"action": "start", "agent_id": agent["id"]})
    assert len(store.runs.list(agent_ids=[agent["id"]])) == 1
    status = await body(await api.get(f"/api/agent/status?agent_id={agent['id']}"))
    assert status["agent_status"] == "active"

    data = await body(
        await api.post("/api/agent/control", json={"action": "stop", "agent_id": agent["id"]})
    )
    assert data["status"] == "stopped"
    assert [r.status for r in store.runs.list(agent_ids=[agent["id"]])] == ["cancelled"]


async def test_control_accepts_a_bare_string_and_the_default_agent(app) -> None:
    store = store_of(app)
    api = await sign_up(app)
    response = await api.post("/api/agent/control", json="start")
    data = await body(response)
    assert response.status_code == 200 and data["status"] == "active"
    default = store.agents.first_of(api.id)
    assert default is not None and default.name == "Default agent"
    assert len(store.runs.list(agent_ids=[default.id])) == 1
    data = await body(await api.post("/api/agent/control", json="stop"))
    assert data["status"] == "stopped"


async def test_control_start_with_a_schedule_arms_it(app) -> None:
    store = store_of(app)
    api = await sign_up(app)
    agent = await new_agent(api)
    data = await body(
        await api.post(
            "/api/agent/control",
            json={"action": "start", "agent_id": agent["id"], "execution_mode": "interval"},
        )
    )
    assert data["status"] == "active"
    conf = data["agent_settings"]
    assert conf["execution_mode"] == "interval" and conf["next_run"]
    assert store.runs.list(agent_ids=[agent["id"]]) == []
    data = await body(
        await api.post("/api/agent/control", json={"action": "pause", "agent_id": agent["id"]})
    )
    assert data["status"] == "paused"
    data = await body(
        await api.post("/api/agent/control", json={"action": "resume", "agent_id": agent["id"]})
    )
    assert data["status"] == "active" and data["agent_settings"]["next_run"]
    data = await body(
        await api.post("/api/agent/control", json={"action": "stop", "agent_id": agent["id"]})
    )
    assert data["status"] == "stopped" and data["agent_settings"]["next_run"] is None


async def test_control_refuses_bad_requests(app) -> None:
    api = await sign_up(app)
    agent = await new_agent(api)
    for payload in (
        {"action": "explode"},
        {},
        "explode",
        {"action": "start", "execution_mode": "hourly"},
        ["start"],
        {"action": ["start"]},
    ):
        response = await api.post("/api/agent/control", json=payload)
        data = await body(response)
        assert response.status_code == 400, payload
        assert data["msg"]
    response = await api.post("/api/agent/control", json={"action": "start", "agent_id": 424242})
    assert response.status_code == 404
    assert store_of(app).runs.list(agent_ids=[agent["id"]]) == []


async def test_config_sets_the_model(app) -> None:
    api = await sign_up(app)
    agent = await new_agent(api)
    response = await api.post(
        "/api/agent/config",
        json={"model": "gemini-2.5-flash", "provider": "Gemini", "agent_id": agent["id"]},
    )
    data = await body(response)
    assert response.status_code == 200
    assert data["msg"] and data["selected_model"] == "gemini-2.5-flash"
    status = await body(await api.get(f"/api/agent/status?agent_id={agent['id']}"))
    assert status["selected_model"] == "gemini-2.5-flash" and status["provider"] == "gemini"
    for payload in ({}, {"model": 5}, {"model": "m", "provider": "skynet"}):
        response = await api.post("/api/agent/config", json=payload)
        assert response.status_code == 400, payload
        assert (await body(response))["msg"]


# -- settings ------------------------------------------------------------------------------------
async def test_settings_defaults_and_partial_updates(app) -> None:
    api = await sign_up(app)
    agent = await new_agent(api)
    response = await api.get(f"/api/config/update?agent_id={agent['id']}")
    data = await body(response)
    assert response.status_code == 200
    assert set(data) >= SETTINGS_KEYS
    assert data["agent_id"] == agent["id"] and data["user_id"] == api.id
    assert data["execution_mode"] == "manual" and data["execution_interval"] == 60
    assert data["scheduled_time"] == "08:00" and data["alert_emails"] == []
    assert data["llm_provider"] == "offline" and data["agent_status"] == "stopped"
    assert isinstance(data["min_score"], int)

    response = await api.post(
        "/api/config/update",
        json={
            "agent_id": agent["id"],
            "execution_mode": "Scheduled",
            "scheduled_time": "07:30",
            "alert_emails": ["Ops@Example.pt", "ops@example.pt"],
            "llm_provider": "OpenAI",
        },
    )
    data = await body(response)
    assert response.status_code == 200
    assert data["execution_mode"] == "scheduled" and data["scheduled_time"] == "07:30"
    assert data["alert_emails"] == ["ops@example.pt"] and data["llm_provider"] == "openai"
    data = await body(
        await api.post(
            "/api/config/update", json={"agent_id": agent["id"], "execution_interval": "15"}
        )
    )
    assert data["execution_interval"] == 15 and data["scheduled_time"] == "07:30"
    assert await body(await api.get(f"/api/config/update?agent_id={agent['id']}")) == data


async def test_settings_without_agent_id_act_on_the_default_agent(app) -> None:
    api = await sign_up(app)
    data = await body(await api.post("/api/config/update", json={"min_score": 70}))
    default = store_of(app).agents.first_of(api.id)
    assert data["agent_id"] == default.id and data["min_score"] == 70
    assert (await body(await api.get("/api/config/update")))["min_score"] == 70


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"execution_interval": 0}, "execution_interval"),
        ({"execution_interval": "often"}, "execution_interval"),
        ({"scheduled_time": "25:00"}, "scheduled_time"),
        ({"scheduled_time": "8h"}, "scheduled_time"),
        ({"execution_mode": "hourly"}, "execution_mode"),
        ({"alert_emails": ["nope"]}, "alert_emails"),
        ({"llm_provider": "skynet"}, "llm_provider"),
        ({"min_score": 101}, "min_score"),
    ],
)
async def test_settings_validation(app, change, field) -> None:
    api = await sign_up(app)
    response = await api.post("/api/config/update", json=change)
    data = await body(response)
    assert response.status_code == 400
    assert data["msg"] and field in data["errors"]
    stored = await body(await api.get("/api/config/update"))
    assert stored["execution_interval"] == 60 and stored["execution_mode"] == "manual"


# -- data sources, on both backends ----------------------------------------------------------------
async def test_datasource_lifecycle_on_each_backend(app_both) -> None:
    api = await sign_up(app_both)
    agent = await new_agent(api, "Leads Norte")
    response = await api.post(
        "/api/datasources",
        json={
            "platform": "google_drive",
            "resource_identifier": "1AbCdEf",
            "resource_name": "empresas.xlsx",
            "resource_format": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "process_id": str(agent["id"]),
        },
    )
    data = await body(response)
    assert response.status_code == 201
    assert data["msg"]
    source = data["datasource"]
    assert set(source) >= DATASOURCE_KEYS
    assert ObjectId.is_valid(source["id"]) and len(source["id"]) == 24
    assert source["user_id"] == api.id and source["process_id"] == str(agent["id"])
    assert source["agent_id"] == agent["id"] and source["agent_name"] == "Leads Norte"
    assert source["platform"] == "google_drive" and source["config"] == []

    response = await api.post(
        "/api/datasources",
        json=[
            {"platform": "onedrive", "resource_identifier": "od-1", "process_id": agent["id"]},
            {"platform": "external_api", "process_id": agent["id"]},
        ],
    )
    data = await body(response)
    assert response.status_code == 201
    assert [s["platform"] for s in data["datasources"]] == ["sharepoint", "external_api"]
    api_source = data["datasources"][1]
    assert api_source["config"][0]["query_url"].startswith("https://portugal2030.pt/")
    assert {"name", "query_url", "download_url"} <= set(api_source["config"][0])

    listed = await body(await api.get(f"/api/datasources?process_id={agent['id']}"))
    assert isinstance(listed, list) and len(listed) == 3
    assert len(await body(await api.get("/api/user/datasources"))) == 3
    assert await body(await api.get(f"/api/datasources/{source['id']}")) == source

    response = await api.put(
        f"/api/datasources/{source['id']}",
        json={**source, "resource_name": "renamed.xlsx", "user_id": 999, "id": "x"},
    )
    data = await body(response)
    assert response.status_code == 200
    assert data["msg"] and data["datasource"]["resource_name"] == "renamed.xlsx"
    assert data["datasource"]["id"] == source["id"] and data["datasource"]["user_id"] == api.id

    response = await api.delete(f"/api/datasources/{source['id']}")
    assert response.status_code == 200 and (await body(response))["msg"]
    assert (await api.get(f"/api/datasources/{source['id']}")).status_code == 404
    ids = [s["id"] for s in await body(await api.get("/api/user/datasources"))]
    response = await api.delete("/api/datasources", json={"ids": [*ids, str(ObjectId()), "bad"]})
    data = await body(response)
    assert response.status_code == 200 and data["msg"] and data["deleted"] == 2
    assert await body(await api.get("/api/user/datasources")) == []


async def test_datasource_batch_is_all_or_nothing(app) -> None:
    api = await sign_up(app)
    agent = await new_agent(api)
    response = await api.post(
        "/api/datasources",
        json=[
            {"platform": "google_drive", "resource_identifier": "ok", "process_id": agent["id"]},
            {"platform": "ftp", "resource_identifier": "x", "process_id": agent["id"]},
        ],
    )
    data = await body(response)
    assert response.status_code == 400
    assert "1" in data["msg"] and any(key.startswith("1") for key in data["errors"])
    assert await body(await api.get("/api/user/datasources")) == []


@pytest.mark.parametrize(
    "payload",
    [
        {"platform": "google_drive"},
        {"platform": "dropbox", "resource_identifier": "x"},
        {"platform": "local_file"},
        {"platform": "local_file", "resource_identifier": "../outside.csv"},
        {"platform": "local_file", "resource_identifier": "/etc/passwd"},
        {"platform": "external_api", "config": [{"name": "x", "query_url": "ftp://a/b"}]},
        {
            "platform": "external_api",
            "config": [
                {"name": "x", "query_url": "file:///etc/passwd", "download_url": "http://a"}
            ],
        },
        {"platform": "google_drive", "resource_identifier": "x", "config": "nope"},
    ],
)
async def test_datasource_validation(app, payload) -> None:
    api = await sign_up(app)
    response = await api.post("/api/datasources", json=payload)
    data = await body(response)
    assert response.status_code == 400, data
    assert data["msg"] and data["errors"]
    assert await body(await api.get("/api/user/datasources")) == []


async def test_local_file_sources_stay_inside_the_allowed_folder(app, tmp_path) -> None:
    api = await sign_up(app, admin=True)  # an operator: the shared folder is theirs to name
    files = settings_of(app).files_path
    files.mkdir(parents=True, exist_ok=True)
    calls = copy_sample_calls(files / "calls")
    (tmp_path / "secret.csv").write_text("x")
    os.symlink(tmp_path / "secret.csv", files / "escape.csv")
    response = await api.post(
        "/api/datasources", json={"platform": "local_file", "resource_identifier": "escape.csv"}
    )
    assert response.status_code == 400
    for identifier in ("calls/p2030_avisos.json", str(calls)):
        response = await api.post(
            "/api/datasources", json={"platform": "local_file", "resource_identifier": identifier}
        )
        data = await body(response)
        assert response.status_code == 201, data
        assert data["datasource"]["resource_identifier"] == str(calls.resolve())
        assert data["datasource"]["resource_name"] == "p2030_avisos.json"


async def test_datasource_for_an_unknown_agent_is_404_and_writes_nothing(app) -> None:
    api = await sign_up(app)
    agent = await new_agent(api)
    good = {"platform": "google_drive", "resource_identifier": "x", "process_id": agent["id"]}
    bad = {"platform": "google_drive", "resource_identifier": "x", "process_id": 424242}
    for payload in (bad, [good, bad]):
        response = await api.post("/api/datasources", json=payload)
        data = await body(response)
        assert response.status_code == 404, data
        assert data["msg"]
    assert "[1]" in data["msg"]
    assert await body(await api.get("/api/user/datasources")) == []


async def test_datasource_ids_that_are_not_object_ids_are_404(app) -> None:
    api = await sign_up(app)
    for source_id in ("nope", "123", str(ObjectId())):
        for method in ("GET", "PUT", "DELETE"):
            response = await api.request(method, f"/api/datasources/{source_id}", json={})
            assert response.status_code == 404, (method, source_id)
            assert (await body(response))["msg"]
    response = await api.get("/api/datasources?process_id=424242")
    assert response.status_code == 404


async def test_datasource_create_needs_a_body(app) -> None:
    api = await sign_up(app)
    for payload in (None, [], "x"):
        response = await api.post("/api/datasources", json=payload)
        assert response.status_code == 400, payload
        assert (await body(response))["msg"]
    response = await api.delete("/api/datasources", json={"ids": "x"})
    assert response.status_code == 400


# -- uploads and tasks -----------------------------------------------------------------------------
async def test_upload_list_and_delete(app) -> None:
    api = await sign_up(app)
    response = await api.post("/api/files", files=upload("Leads Norte (2026).csv"))
    data = await body(response)
    assert response.status_code == 201
    first = data["file"]
    assert data["msg"] and set(first) == {"name", "size", "uploaded_at"}
    assert first["size"] == len(leads_csv(3).encode())
    assert ISO_WITH_ZONE.match(first["uploaded_at"])
    assert re.fullmatch(r"[A-Za-z0-9._ -]+", first["name"]) and first["name"].endswith(".csv")

    second = (await body(await api.post("/api/files", files=upload("Leads Norte (2026).csv"))))[
        "file"
    ]
    assert second["name"] != first["name"] and second["name"].endswith(".csv")
    xlsx = (await body(await api.post("/api/files", files=upload("../../etc/empresas.XLSX"))))[
        "file"
    ]
    assert "/" not in xlsx["name"] and ".." not in xlsx["name"]
    assert xlsx["name"].lower().endswith(".xlsx")

    listed = await body(await api.get("/api/files"))
    assert isinstance(listed, list)
    assert sorted(f["name"] for f in listed) == sorted(
        [first["name"], second["name"], xlsx["name"]]
    )
    response = await api.delete(f"/api/files/{first['name']}")
    assert response.status_code == 200 and (await body(response))["msg"]
    assert first["name"] not in [f["name"] for f in await body(await api.get("/api/files"))]
    response = await api.delete(f"/api/files/{first['name']}")
    assert response.status_code == 404 and (await body(response))["msg"]


@pytest.mark.parametrize("name", ["virus.exe", "leads.csv.exe", "noextension", "notes.txt"])
async def test_upload_refuses_other_files(app, name) -> None:
    api = await sign_up(app)
    response = await api.post("/api/files", files=upload(name, b"MZ..."))
    data = await body(response)
    assert response.status_code == 400
    assert data["msg"]
    assert await body(await api.get("/api/files")) == []


async def test_upload_needs_the_file_field(app) -> None:
    api = await sign_up(app)
    response = await api.post(
        "/api/files",
        files={"document": FileStorage(io.BytesIO(b"a"), filename="leads.csv")},
    )
    data = await body(response)
    assert response.status_code == 400 and "file" in data["errors"]
    response = await api.post("/api/files", json={"file": "leads.csv"})
    assert response.status_code == 400


async def test_upload_size_cap(make_app) -> None:
    app = make_app(upload_max_mb=1)
    api = await sign_up(app)
    response = await api.post("/api/files", files=upload("big.csv", b"x" * (2 * 1024 * 1024)))
    assert response.status_code == 413
    assert (await body(response))["msg"]
    assert await body(await api.get("/api/files")) == []


async def test_task_with_an_unknown_file_is_404_at_submit(app) -> None:
    api = await sign_up(app)
    response = await api.post("/api/agent/task", json={"filename": "missing.xlsx", "phone": ""})
    data = await body(response)
    assert response.status_code == 404 and data["msg"]
    assert store_of(app).runs.list() == []
    for payload in ({}, {"filename": ""}, {"filename": 5}):
        response = await api.post("/api/agent/task", json=payload)
        assert response.status_code == 400, payload
        assert (await body(response))["msg"]


async def test_task_with_an_uploaded_file_is_queued(app) -> None:
    api = await sign_up(app)
    name = (await body(await api.post("/api/files", files=upload("leads.csv"))))["file"]["name"]
    response = await api.post(
        "/api/agent/task", json={"filename": name, "phone": "+351 912 345 678"}
    )
    data = await body(response)
    assert response.status_code == 202
    assert data["msg"] and isinstance(data["task_id"], str) and data["task_id"]

    task = await body(await api.get(f"/api/agent/task/{data['task_id']}"))
    assert set(task) >= TASK_KEYS
    assert task["id"] == data["task_id"] and task["filename"] == name
    assert task["phone"] == "+351 912 345 678" and task["status"] == "queued"
    assert task["progress"] == 0 and "result" not in task
    assert ISO_WITH_ZONE.match(task["created_at"]) and ISO_WITH_ZONE.match(task["updated_at"])
    default = store_of(app).agents.first_of(api.id)
    assert task["agent_id"] == default.id

    tasks = await body(await api.get("/api/agent/tasks"))
    assert [t["id"] for t in tasks] == [data["task_id"]]
    assert await body(await api.get(f"/api/agent/tasks?agent_id={default.id}")) == tasks
    assert await body(await api.get("/api/agent/tasks?status=completed")) == []
    assert len(await body(await api.get("/api/agent/tasks?status=queued&limit=5"))) == 1
    response = await api.get("/api/agent/task/not-a-task")
    assert response.status_code == 404 and (await body(response))["msg"]


async def test_tasks_are_listed_newest_first(app) -> None:
    api = await sign_up(app)
    name = (await body(await api.post("/api/files", files=upload("leads.csv"))))["file"]["name"]
    ids = []
    for _ in range(3):
        ids.append(
            (await body(await api.post("/api/agent/task", json={"filename": name})))["task_id"]
        )
    assert [t["id"] for t in await body(await api.get("/api/agent/tasks"))] == ids[::-1]
    assert len(await body(await api.get("/api/agent/tasks?limit=2"))) == 2
    response = await api.get("/api/agent/tasks?limit=zero")
    assert response.status_code == 400 and "limit" in (await body(response))["errors"]


async def test_matches_listing(app) -> None:
    from elinara.models import Match

    store = store_of(app)
    api = await sign_up(app)
    first = await new_agent(api, "first")
    second = await new_agent(api, "second")
    store.matches.upsert_many(
        [
            Match(
                id="",
                agent_id=agent["id"],
                aviso_id=f"NORTE2030-2026-{n}",
                lead_key=f"50000000{n}",
                company=f"Empresa {n}",
                title=f"Aviso {n}",
                match_score=score,
                eligible=True,
                reasoning="fits",
                provider="offline",
                model="",
                run_id=f"run-{agent['name']}",
                user_id=api.id,
            )
            for n, (agent, score) in enumerate(((first, 90), (second, 70), (first, 40)))
        ]
    )
    found = await body(await api.get("/api/agent/matches"))
    assert isinstance(found, list)
    assert [m["match_score"] for m in found] == [90, 70, 40]
    assert set(found[0]) >= {
        "id",
        "aviso_id",
        "title",
        "match_score",
        "reasoning",
        "matched_at",
        "task_id",
        "agent_id",
        "company",
        "nif",
        "eligible",
        "provider",
        "model",
    }
    assert ObjectId.is_valid(found[0]["id"])
    assert found[0]["aviso_id"] == "NORTE2030-2026-0" and found[0]["task_id"] == "run-first"
    by_agent = await body(await api.get(f"/api/agent/matches?agent_id={second['id']}"))
    assert [m["match_score"] for m in by_agent] == [70]
    assert len(await body(await api.get("/api/agent/matches?min_score=50"))) == 2
    assert len(await body(await api.get("/api/agent/matches?task_id=run-first"))) == 2
    page = await body(await api.get("/api/agent/matches?limit=1&offset=1"))
    assert [m["match_score"] for m in page] == [70]
    for query in ("min_score=abc", "min_score=101", "limit=0", "offset=-1"):
        response = await api.get(f"/api/agent/matches?{query}")
        assert response.status_code == 400, query
        assert (await body(response))["errors"]


async def test_task_status_filter_is_not_cut_by_the_limit(app) -> None:
    store = store_of(app)
    api = await sign_up(app)
    name = (await body(await api.post("/api/files", files=upload("leads.csv"))))["file"]["name"]
    ids = []
    for _ in range(3):
        ids.append(
            (await body(await api.post("/api/agent/task", json={"filename": name})))["task_id"]
        )
    store.runs.finish(ids[0], None, {"status": "completed", "counts": {"leads": 3}})
    store.runs.update(ids[1], {"status": "running"})
    done = await body(await api.get("/api/agent/tasks?status=completed&limit=1"))
    assert [t["id"] for t in done] == [ids[0]]
    assert done[0]["result"] == {"leads": 3, "calls": 0, "matches": 0}
    processing = await body(await api.get("/api/agent/tasks?status=processing&limit=1"))
    assert [t["id"] for t in processing] == [ids[1]]
    queued = await body(await api.get("/api/agent/tasks?status=queued"))
    assert [t["id"] for t in queued] == [ids[2]]


async def test_task_with_a_saved_cloud_file(app) -> None:
    api = await sign_up(app)
    await api.post(
        "/api/v1/cloud-files",
        json={"files": [{"id": "drive-9", "name": "Empresas.xlsx", "provider": "google"}]},
    )
    response = await api.post("/api/agent/task", json={"filename": "Empresas.xlsx"})
    assert response.status_code == 202
    task = await body(await api.get(f"/api/agent/task/{(await body(response))['task_id']}"))
    assert task["filename"] == "Empresas.xlsx" and task["status"] == "queued"


async def test_saving_settings_of_an_armed_agent_rearms_it(app) -> None:
    store = store_of(app)
    api = await sign_up(app)
    await api.post(
        "/api/config/update", json={"execution_mode": "interval", "execution_interval": 30}
    )
    started = await body(await api.post("/api/agent/control", json={"action": "start"}))
    first_next = started["agent_settings"]["next_run"]
    assert first_next
    data = await body(await api.post("/api/config/update", json={"execution_interval": 300}))
    assert data["agent_status"] == "active" and data["next_run"] > first_next
    # switching an armed agent to manual disarms the schedule; saving settings starts no run
    data = await body(await api.post("/api/config/update", json={"execution_mode": "manual"}))
    assert data["next_run"] is None and data["agent_status"] == "stopped"
    assert store.runs.list() == []
    status = await body(await api.get("/api/agent/status"))
    assert status["next_run"] is None


# -- data sources: no fetches of private addresses, no side effects before validation ---------------
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/avisos",
        "http://localhost/avisos",
        "http://10.1.2.3/avisos",
        "http://192.168.0.10/avisos",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9000/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
    ],
)
async def test_external_api_sources_refuse_private_addresses(make_app, url) -> None:
    api = await sign_up(make_app())
    payload = {
        "platform": "external_api",
        "config": [{"name": "mine", "query_url": url, "download_url": "https://x.example/d"}],
    }
    response = await api.post("/api/datasources", json=payload)
    data = await body(response)
    assert response.status_code == 400, data
    assert "config.0.query_url" in data["errors"]
    assert await body(await api.get("/api/user/datasources")) == []
    # ... and a data source cannot be moved there afterwards either
    made = await api.post(
        "/api/datasources", json={"platform": "external_api", "resource_name": "P2030"}
    )
    source = (await body(made))["datasource"]
    response = await api.put(f"/api/datasources/{source['id']}", json={"config": payload["config"]})
    assert response.status_code == 400
    assert "config.0.query_url" in (await body(response))["errors"]


async def test_private_addresses_can_be_allowed(make_app) -> None:
    api = await sign_up(make_app(allow_private_urls="true"))
    payload = {
        "platform": "external_api",
        "config": [
            {
                "name": "local fake",
                "query_url": "http://127.0.0.1:8080/avisos",
                "download_url": "http://127.0.0.1:8080/download",
            }
        ],
    }
    response = await api.post("/api/datasources", json=payload)
    assert response.status_code == 201, await response.get_data(True)


async def test_a_bad_datasource_creates_no_default_agent(app) -> None:
    api = await sign_up(app)
    for payload, status in (
        ({"platform": "ftp", "resource_identifier": "x"}, 400),
        ([{"platform": "google_drive", "resource_identifier": "x"}, {"platform": "ftp"}], 400),
        (
            [{"platform": "google_drive", "resource_identifier": "x"}, {"process_id": 424242}],
            400,  # the second item has no platform: refused before its agent is looked up
        ),
    ):
        response = await api.post("/api/datasources", json=payload)
        assert response.status_code == status, payload
    assert store_of(app).agents.list() == []
    assert await body(await api.get("/api/user/datasources")) == []


async def test_an_admin_adds_a_source_to_another_users_agent(app) -> None:
    owner = await sign_up(app)
    admin = await sign_up(app, admin=True)
    agent = await new_agent(owner, "owned")
    response = await admin.post(
        "/api/datasources",
        json={"platform": "google_drive", "resource_identifier": "f1", "process_id": agent["id"]},
    )
    assert response.status_code == 201
    stored = store_of(app).datasources.list(agent_id=agent["id"])
    assert [(s.user_id, s.resource_identifier) for s in stored] == [(owner.id, "f1")]
    listed = await body(await owner.get("/api/user/datasources"))  # the owner sees it
    assert [s["resource_identifier"] for s in listed] == ["f1"]


async def test_concurrent_uploads_of_one_name_never_share_a_file(app) -> None:
    import asyncio

    api = await sign_up(app)
    contents = [leads_csv(n).encode() for n in range(3, 9)]
    answers = await asyncio.gather(
        *(api.post("/api/files", files=upload("leads.csv", content)) for content in contents)
    )
    assert [a.status_code for a in answers] == [201] * len(contents)
    files = [(await body(a))["file"] for a in answers]
    names = [f["name"] for f in files]
    assert len(set(names)) == len(names), names
    folder = settings_of(app).uploads_path / str(api.id)
    for item, content in zip(files, contents, strict=True):
        assert (folder / item["name"]).read_bytes() == content
    assert len(await body(await api.get("/api/files"))) == len(contents)
