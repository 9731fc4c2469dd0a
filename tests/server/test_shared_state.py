"""What must be shared lives in the database: the login throttle holds across server processes
and restarts. Also: an external_api source without a URL takes the configured one, and a web
run without leads speaks of the web, not of CLI flags."""

from __future__ import annotations

from typing import Any

import pytest
from server_helpers import PASSWORD, body, build_app, settings_of, sign_up, store_of

from elinara.agent.inputs import build_plan
from elinara.errors import BadInput
from elinara.models import Run

pytestmark = pytest.mark.anyio


async def test_the_login_throttle_is_shared_by_servers_and_survives_a_restart(
    sqlite_store: Any,
) -> None:
    first, second = build_app(sqlite_store), build_app(sqlite_store)  # two servers, one database
    api = await sign_up(first)
    wrong = {"username": api.user["email"], "password": "Wr0ng!pass"}
    for app in (first, second, first, second, first):
        assert (await app.test_client().post("/api/v1/auth/login", json=wrong)).status_code == 400
    right = {"username": api.user["email"], "password": PASSWORD}
    response = await second.test_client().post("/api/v1/auth/login", json=right)
    assert response.status_code == 429, await body(response)
    restarted = build_app(sqlite_store)
    response = await restarted.test_client().post("/api/v1/auth/login", json=right)
    assert response.status_code == 429


async def test_an_external_api_source_without_a_url_uses_the_configured_one(make_app: Any) -> None:
    app = make_app(
        p2030_query_url="http://127.0.0.1:9/wp-json/avisos/query",
        p2030_download_url="http://127.0.0.1:9/download",
    )
    api = await sign_up(app)
    response = await api.post(
        "/api/datasources", json={"platform": "external_api", "resource_name": "P2030"}
    )
    data = await body(response)
    assert response.status_code == 201, data
    config = data["datasource"]["config"][0]
    assert config["query_url"] == "http://127.0.0.1:9/wp-json/avisos/query"
    assert config["download_url"] == "http://127.0.0.1:9/download"


async def test_a_web_run_without_leads_does_not_speak_of_cli_flags(app: Any) -> None:
    api = await sign_up(app)
    agent = await body(await api.get("/api/agent/status"))
    run = Run(id="r1", agent_id=agent["agent_id"], user_id=api.id, kind="run", trigger="manual")
    with pytest.raises(BadInput) as caught:
        build_plan(store_of(app), settings_of(app), run)
    assert "--leads" not in caught.value.message
    assert "data source" in caught.value.message
