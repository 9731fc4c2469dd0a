"""The API's own documentation is public, as the README promises: no login needed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def test_openapi_document_answers_anonymous_callers_with_the_paths(app) -> None:
    client = app.test_client()
    response = await client.get("/api/openapi.json")
    assert response.status_code == 200
    document = await response.get_json()
    assert document["info"]["title"] == "Elinara API"
    assert {"/api/v1/admin/processes", "/api/agent/status"} <= set(document["paths"])


async def test_swagger_ui_answers_anonymous_callers(app) -> None:
    response = await app.test_client().get("/api/docs")
    assert response.status_code == 200
    assert "/api/openapi.json" in (await response.get_data(as_text=True))


async def test_other_routes_still_need_a_login(app) -> None:
    response = await app.test_client().get("/api/v1/admin/processes")
    assert response.status_code == 401
