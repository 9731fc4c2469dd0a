"""Nothing slow on the event loop: while a listing or an export is reading the store, the
server still answers everyone else; listings have a maximum page size; the export is streamed."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from server_helpers import PASSWORD, new_email, registration

from elinara.models import Match


def _client(url: str) -> tuple[httpx.Client, int]:
    email = new_email("loop")
    http = httpx.Client(base_url=url, timeout=30)
    assert http.post("/api/v1/user/register", json=registration(email)).status_code == 201
    response = http.post("/api/v1/auth/login", json={"username": email, "password": PASSWORD})
    assert response.status_code == 200
    return http, int(response.json()["user"]["id"])


class Gate:
    """Holds a store read until released: stands for a read that takes long."""

    def __init__(self, read: Callable[..., Any]) -> None:
        self.read = read
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        assert self.release.wait(30), "the gate was never released"
        return self.read(*args, **kwargs)


def _matches(agent_id: int, user_id: int, count: int) -> list[Match]:
    return [
        Match(
            id="",
            agent_id=agent_id,
            user_id=user_id,
            aviso_id=f"NORTE2030-2026-{n % 7}",
            lead_key=f"{500000000 + n}",
            company=f"Empresa {n}",
            title="Inovação produtiva",
            match_score=50 + n % 50,
            eligible=True,
            reasoning="",
        )
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("path", "repo", "method"),
    [
        ("/api/agent/matches?limit=1000&offset=0", "matches", "list"),
        ("/api/v1/user/export", "matches", "page_after"),
        ("/api/agent/tasks?limit=1000", "runs", "list"),
        ("/api/config/update", "settings", "get"),
        ("/api/user/datasources", "datasources", "list"),
        ("/api/v1/admin/processes", "agents", "list"),
        ("/api/v1/cloud-files", "cloud_files", "list"),
    ],
)
def test_health_answers_while_a_big_read_is_running(
    live_server: Any, monkeypatch: pytest.MonkeyPatch, path: str, repo: str, method: str
) -> None:
    http, user_id = _client(live_server.url)
    agent = http.get("/api/agent/status").json()["agent_id"]
    live_server.store.matches.upsert_many(_matches(agent, user_id, 5))
    target = getattr(live_server.store, repo)
    gate = Gate(getattr(target, method))
    monkeypatch.setattr(target, method, gate)
    answer: list[httpx.Response] = []
    reader = threading.Thread(target=lambda: answer.append(http.get(path)))
    reader.start()
    try:
        assert gate.entered.wait(10), "the read did not start"
        health = httpx.get(f"{live_server.url}/api/health", timeout=5)
        assert health.status_code == 200  # answered while the read is held
        assert not answer
    finally:
        gate.release.set()
        reader.join(30)
    assert answer and answer[0].status_code == 200
    http.close()


def test_listings_refuse_pages_over_the_maximum(live_server: Any) -> None:
    http, _ = _client(live_server.url)
    for path in ("/api/agent/matches?limit=5000", "/api/agent/tasks?limit=5000"):
        response = http.get(path)
        assert response.status_code == 400, path
        assert "limit" in response.json()["msg"]
    assert http.get("/api/agent/matches?limit=1000").status_code == 200
    http.close()


def test_the_export_is_streamed_whole(live_server: Any) -> None:
    http, user_id = _client(live_server.url)
    agent = http.get("/api/agent/status").json()["agent_id"]
    live_server.store.matches.upsert_many(_matches(agent, user_id, 2500))
    with http.stream("GET", "/api/v1/user/export") as response:
        assert response.status_code == 200
        assert response.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in response.headers
        raw = b"".join(response.iter_bytes())
    data = json.loads(raw)["data"]
    assert len(data["matches"]) == 2500
    assert len({m["nif"] for m in data["matches"]}) == 2500
    assert data["user"]["id"] == user_id and data["processes"][0]["id"] == agent
    http.close()
