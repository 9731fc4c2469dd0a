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
    for path in ("/", "/dashboard/agents", "/dashboard/agents/7"):
        response = await client.get(path)
        assert response.status_code == 200
        assert "Elinara Lab" in await response.get_data(as_text=True)
    for path in ("/index.css", "/missing.png", "/assets/gone.js"):  # a missing asset: 404
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "Elinara Lab" not in await response.get_data(as_text=True)
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


async def test_no_file_outside_the_folder(site: Quart, tmp_path: Path) -> None:
    """A symlink inside the folder pointing out of it is not followed (the app is served
    instead), nor is a path climbing out; a symlink to a file inside still works."""
    secret = tmp_path.parent / "secret.txt"
    (tmp_path / "leak.txt").symlink_to(secret)
    (tmp_path / "assets" / "up").symlink_to(tmp_path.parent, target_is_directory=True)
    (tmp_path / "alias.js").symlink_to(tmp_path / "assets" / "app.js")
    client = site.test_client()
    for path in (
        "/leak.txt",
        "/assets/up/secret.txt",
        "/..%2Fsecret.txt",
        "/assets/../../secret.txt",
    ):
        response = await client.get(path)
        text = await response.get_data(as_text=True)
        assert text.strip() != "no", path
        assert response.status_code in (200, 404), path
        if response.status_code == 200:
            assert "Elinara Lab" in text, path
    alias = await client.get("/alias.js")
    assert await alias.get_data(as_text=True) == "console.log(1)"
