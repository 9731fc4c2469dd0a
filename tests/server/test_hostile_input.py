"""Bad input answers 400 with a `msg`, never 500: JSON nested deep, NUL bytes, lone surrogates
and over-long names, on every route (one check, before any route runs)."""

from __future__ import annotations

from typing import Any

import pytest
from quart import Quart
from server_helpers import body, sign_up

pytestmark = pytest.mark.anyio

JSON = {"Content-Type": "application/json"}
DEEP = b"[" * 1000 + b"]" * 1000
DEEPER = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


async def _bad(response: Any) -> dict[str, Any]:
    data = await body(response)
    assert response.status_code == 400, (response.status_code, data)
    assert data["msg"]
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize("raw", [DEEP, DEEPER], ids=["1000-deep", "100000-deep"])
async def test_deeply_nested_json_is_refused_on_public_and_session_routes(
    app: Quart, raw: bytes
) -> None:
    anonymous = app.test_client()
    data = await _bad(await anonymous.post("/api/v1/auth/login", data=raw, headers=JSON))
    assert "nested too deep" in data["msg"]
    api = await sign_up(app)
    for path in ("/api/config/update", "/api/datasources", "/api/agent/control"):
        data = await _bad(await api.post(path, data=raw, headers=JSON))
        assert "nested too deep" in data["msg"], path


async def test_nul_byte_in_a_data_source_path_is_refused(app: Quart) -> None:
    api = await sign_up(app)
    data = await _bad(
        await api.post(
            "/api/datasources",
            json={"platform": "local_file", "resource_identifier": "leads\x00.xlsx"},
        )
    )
    assert "NUL" in data["msg"]
    assert (await body(await api.get("/api/user/datasources"))) == []


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/api/config/update", b'{"alert_emails": ["a\\ud800@example.pt"]}'),
        ("/api/config/update", b'{"llm_model": "\\ud800"}'),
        ("/api/config/connection-emails", b'{"connection_emails": ["x\\udfff@example.pt"]}'),
        ("/api/v1/config/connection-emails", b'{"connection_emails": ["\\ud800"]}'),
        (
            "/api/datasources",
            b'{"platform": "google_drive", "resource_identifier": "abc", '
            b'"resource_name": "\\ud800"}',
        ),
        ("/api/agent/task", b'{"filename": "\\ud800.xlsx"}'),
        ("/api/v1/auth/login", b'{"username": "\\ud800", "password": "x"}'),
    ],
)
async def test_lone_surrogates_are_refused(app: Quart, path: str, raw: bytes) -> None:
    api = await sign_up(app)
    data = await _bad(await api.post(path, data=raw, headers=JSON))
    assert "Unicode" in data["msg"]


async def test_a_surrogate_as_a_key_is_refused(app: Quart) -> None:
    api = await sign_up(app)
    await _bad(await api.post("/api/config/update", data=b'{"\\ud800": 1}', headers=JSON))


async def test_an_over_long_accented_task_filename_is_a_400_not_enametoolong(app: Quart) -> None:
    api = await sign_up(app)
    name = "ç" * 200 + ".xlsx"  # 205 characters, 405 bytes of UTF-8
    data = await _bad(await api.post("/api/agent/task", json={"filename": name}))
    assert "too long" in data["msg"]


async def test_nul_and_over_long_names_in_the_path_and_query_are_refused(app: Quart) -> None:
    api = await sign_up(app)
    await _bad(await api.delete("/api/files/" + "é" * 200 + ".csv"))
    await _bad(await api.get("/api/agent/tasks?status=%00"))
    await _bad(await api.get("/api/agent/task/ab%00cd"))
