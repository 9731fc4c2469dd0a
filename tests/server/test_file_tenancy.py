"""Tenancy of files over the API: a user reaches only their own uploads, saved cloud files and
their own agents' data sources; the shared files folder is for operators; unknown and forbidden
names answer alike."""

from __future__ import annotations

import io
from typing import Any

import pytest
from quart import Quart
from server_helpers import body, leads_csv, settings_of, sign_up, store_of

pytestmark = pytest.mark.anyio


async def _upload(api: Any, name: str) -> str:
    from werkzeug.datastructures import FileStorage

    response = await api.post(
        "/api/files",
        files={"file": FileStorage(io.BytesIO(leads_csv(3).encode()), filename=name)},
    )
    data = await body(response)
    assert response.status_code == 201, data
    return str(data["file"]["name"])


def _shared_file(app: Quart, name: str) -> None:
    files = settings_of(app).files_path
    files.mkdir(parents=True, exist_ok=True)
    (files / name).write_text(leads_csv(3), encoding="utf-8")


async def _task(api: Any, filename: str) -> tuple[int, str]:
    response = await api.post("/api/agent/task", json={"filename": filename})
    data = await body(response)
    return response.status_code, data["msg"].replace(repr(filename), "<name>")


async def test_a_task_cannot_name_the_shared_folder_or_another_users_upload(app: Quart) -> None:
    alice, bob = await sign_up(app), await sign_up(app)
    _shared_file(app, "shared.csv")
    bobs = await _upload(bob, "carteira bob.csv")
    unknown = await _task(alice, "nothing-here.csv")
    assert unknown[0] == 404
    assert await _task(alice, "shared.csv") == unknown
    assert await _task(alice, bobs) == unknown
    assert store_of(app).runs.list(kind="task") == []
    own = await _upload(alice, "carteira.csv")
    status, _ = await _task(alice, own)
    assert status == 202


@pytest.mark.parametrize(
    "identifier", [".", "", "shared.csv", "../shared.csv", "/etc/passwd", "sub", "BOB"]
)
async def test_a_users_local_file_source_names_one_of_their_uploads_only(
    app: Quart, identifier: str
) -> None:
    alice, bob = await sign_up(app), await sign_up(app)
    _shared_file(app, "shared.csv")
    (settings_of(app).files_path / "sub").mkdir()
    bobs = await _upload(bob, "bob.csv")
    if identifier == "BOB":
        identifier = str(settings_of(app).uploads_path / str(bob.id) / bobs)
    response = await alice.post(
        "/api/datasources", json={"platform": "local_file", "resource_identifier": identifier}
    )
    data = await body(response)
    assert response.status_code == 400, data
    assert await body(await alice.get("/api/user/datasources")) == []


async def test_unknown_and_forbidden_source_paths_answer_alike(app: Quart) -> None:
    alice = await sign_up(app)
    _shared_file(app, "shared.csv")
    answers = []
    for name in ("shared.csv", "missing.csv"):
        response = await alice.post(
            "/api/datasources", json={"platform": "local_file", "resource_identifier": name}
        )
        data = await body(response)
        answers.append((response.status_code, data["msg"].replace(repr(name), "<name>")))
    assert answers[0] == answers[1]


async def test_an_own_upload_as_a_source_is_read_by_tasks_and_runs(app: Quart) -> None:
    alice = await sign_up(app)
    name = await _upload(alice, "empresas.csv")
    response = await alice.post(
        "/api/datasources", json={"platform": "local_file", "resource_identifier": name}
    )
    data = await body(response)
    assert response.status_code == 201, data
    assert data["datasource"]["resource_name"] == name
    status, _ = await _task(alice, name)
    assert status == 202


async def test_an_administrator_may_name_the_shared_folder_and_a_folder(app: Quart) -> None:
    admin = await sign_up(app, admin=True)
    _shared_file(app, "shared.csv")
    for identifier in ("shared.csv", "."):
        response = await admin.post(
            "/api/datasources",
            json={"platform": "local_file", "resource_identifier": identifier},
        )
        assert response.status_code == 201, await body(response)
