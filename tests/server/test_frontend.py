"""`elinara serve --frontend DIR`: the built single-page app at `/`, the API untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from quart import Quart

from elinara.server.app import serve_frontend

pytestmark = pytest.mark.anyio


@pytest.fixture
def site(app: Quart, tmp_path: Path) -> Quart:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<h1>Elinara Lab</h1>", encoding="utf-8")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path.parent / "secret.txt").write_text("no", encoding="utf-8")
    serve_frontend(app, tmp_path)
    return app


async def test_index_assets_and_client_side_routes(site: Quart) -> None:
    client = site.test_client()
    for path in ("/", "/dashboard/agents", "/missing.png"):
        response = await client.get(path)
        assert response.status_code == 200
        assert "Elinara Lab" in await response.get_data(as_text=True)
    asset = await client.get("/assets/app.js")
    assert await asset.get_data(as_text=True) == "console.log(1)"


async def test_the_api_keeps_its_json_404s(site: Quart) -> None:
    client = site.test_client()
    for path in ("/api/nope", "/api/v1/nope", "/auth2/nope/x"):
        response = await client.get(path)
        assert response.status_code == 404
        assert (await response.get_json())["msg"]
    health = await client.get("/api/health")
    assert (await health.get_json())["status"] == "ok"


async def test_no_file_outside_the_folder(site: Quart) -> None:
    response = await site.test_client().get("/..%2Fsecret.txt")
    assert (await response.get_data(as_text=True)).strip() != "no"
