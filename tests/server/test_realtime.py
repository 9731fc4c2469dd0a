"""The real server on a real port (docs/events.md): Socket.IO over polling and websocket on both
paths, cookie sessions and rooms, and runs and tasks streaming their events to the browser."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import socketio
from server_helpers import PASSWORD, copy_sample_calls, leads_csv, new_email, registration

pytestmark = pytest.mark.anyio

STAGES = [
    "establish_connection",
    "loading_data",
    "email_alert",
    "cross_data",
    "send_results",
    "sending_email",
]
PATHS = ["api/socket.io", "socket.io"]


@pytest.fixture(autouse=True)
def _many_packets_per_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-engineio's client refuses a polling answer of more than 16 packets (a guard of
    its own; browsers' socket.io-client has none), and the relay sends a run's events in
    bursts: let the test client read what a browser reads."""
    from engineio import payload

    monkeypatch.setattr(payload.Payload, "max_decode_packets", 10_000)


class Browser:
    """What the frontend does over HTTP: cookies, and the CSRF header from the cookie."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=10)
        self.user: dict[str, Any] = {}

    async def sign_up(self, email: str | None = None) -> Browser:
        email = email or new_email("live")
        response = await self.http.post("/api/v1/user/register", json=registration(email))
        assert response.status_code == 201, response.text
        response = await self.http.post(
            "/api/v1/auth/login", json={"username": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        self.user = response.json()["user"]
        return self

    @property
    def id(self) -> int:
        return int(self.user["id"])

    @property
    def token(self) -> str:
        return str(self.http.cookies.get("access_token_cookie"))

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"X-CSRF-Token": self.http.cookies.get("csrf_access_token", "")}
        response = await self.http.request(method, path, headers=headers, **kwargs)
        assert response.status_code < 500, (method, path, response.status_code, response.text)
        return response

    async def close(self) -> None:
        await self.http.aclose()


class Socket:
    """A Socket.IO client recording every event it receives."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self._changed = asyncio.Event()

        @self.client.on("*")
        async def _any(event: str, data: Any = None) -> None:
            self.events.append((event, data))
            self._changed.set()

    async def connect(
        self, url: str, token: str | None, transport: str, path: str = "api/socket.io"
    ) -> Socket:
        headers = {"Cookie": f"access_token_cookie={token}"} if token else {}
        await self.client.connect(
            url, headers=headers, transports=[transport], socketio_path=path, wait_timeout=5
        )
        assert self.client.transport() == transport
        return self

    def named(self, name: str) -> list[Any]:
        return [data for event, data in self.events if event == name]

    async def wait_for(self, check: Callable[[], Any], timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            found = check()
            if found:
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                seen = sorted({event for event, _ in self.events})
                raise AssertionError(f"timed out; events seen: {seen}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(left, 0.2))

    async def close(self) -> None:
        """Hang up without waiting: over polling, a graceful disconnect waits for the pending
        long-poll, which the server holds until its ping interval (25 s) ends."""
        eio = self.client.eio
        reader = eio.read_loop_task
        if self.client.connected:
            await eio.disconnect(abort=True)
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(BaseException):
                await reader


@pytest.fixture
async def browser(live_server: Any):  # type: ignore[no-untyped-def]
    opened: list[Any] = []

    async def make() -> Browser:
        b = await Browser(live_server.url).sign_up()
        opened.append(b)
        return b

    yield make
    for b in opened:
        await b.close()


@pytest.fixture
async def sockets():  # type: ignore[no-untyped-def]
    opened: list[Socket] = []

    def make() -> Socket:
        s = Socket()
        opened.append(s)
        return s

    yield make
    for s in opened:
        await s.close()


def operator_calls_source(home: Any, user_id: int, agent_id: int | None) -> None:
    """The sample calls file in the shared folder, given to the agent by an operator (as
    `elinara datasources add` does): a user cannot name the shared folder over the API."""
    from elinara.agent import datasources
    from elinara.config import load_settings
    from elinara.store import open_store

    copy_sample_calls(home / "files")
    settings = load_settings()
    store = open_store(settings.database_url)
    try:
        user = store.users.get(user_id)
        item: dict[str, Any] = {
            "platform": "local_file",
            "resource_identifier": "p2030_avisos.json",
        }
        if agent_id is not None:
            item["process_id"] = agent_id
        datasources.add_datasources(store, settings, user, [item], numbered=False, operator=True)
    finally:
        store.close()


async def add_sources(b: Browser, home: Any, agent_id: int | None, companies: int = 12) -> None:
    """A leads CSV uploaded by the user as the agent's source, and the local calls file."""
    operator_calls_source(home, b.id, agent_id)
    upload = await b.call(
        "POST",
        "/api/files",
        files={"file": (f"leads-{b.id}.csv", leads_csv(companies).encode(), "text/csv")},
    )
    assert upload.status_code == 201, upload.text
    item: dict[str, Any] = {
        "platform": "local_file",
        "resource_identifier": upload.json()["file"]["name"],
    }
    if agent_id is not None:
        item["process_id"] = agent_id
    response = await b.call("POST", "/api/datasources", json=[item])
    assert response.status_code == 201, response.text


# -- connection, rooms ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("transport", ["polling", "websocket"])
async def test_a_signed_in_socket_joins_its_rooms(live_server, browser, sockets, transport, path):
    alice = await browser()
    bob = await browser()
    agent = (await alice.call("POST", "/api/v1/admin/processes", json={"name": "a"})).json()
    bobs = (await bob.call("POST", "/api/v1/admin/processes", json={"name": "b"})).json()
    sock = await sockets().connect(live_server.url, alice.token, transport, path)

    # joined to user_<id> by the server itself: an agent_status reaches it without any join
    await alice.call("POST", "/api/agent/control", json={"action": "stop", "agent_id": agent["id"]})
    status = await sock.wait_for(lambda: sock.named("agent_status"))
    assert status[0]["agent_id"] == agent["id"] and status[0]["process_id"] == agent["id"]
    assert status[0]["agent_status"] == "stopped"
    assert {"status", "model", "provider"} <= set(status[0])
    assert status[0]["provider"] == "offline"

    ack = await sock.client.call("join", {"room": f"agent_{agent['id']}"}, timeout=5)
    assert ack["ok"] is True
    ack = await sock.client.call("join", {"room": f"user_{alice.id}"}, timeout=5)
    assert ack["ok"] is True
    for room in (f"agent_{bobs['id']}", f"user_{bob.id}", "agent_424242", "lobby", None):
        ack = await sock.client.call("join", {"room": room}, timeout=5)
        assert ack["ok"] is False and ack["msg"], room
    ack = await sock.client.call("leave", {"room": f"agent_{agent['id']}"}, timeout=5)
    assert ack["ok"] is True

    # bob's events never reach alice's socket
    before = len(sock.events)
    await bob.call("POST", "/api/agent/control", json={"action": "stop", "agent_id": bobs["id"]})
    await asyncio.sleep(0.6)
    assert [e for e in sock.events[before:] if e[1].get("agent_id") == bobs["id"]] == []


async def test_anonymous_and_revoked_sockets_are_dropped_after_a_few_seconds(
    live_server, browser, sockets
):
    alice = await browser()
    revoked = alice.token
    await alice.call("POST", "/api/v1/auth/logout")
    anonymous = await sockets().connect(live_server.url, None, "polling")
    stale = await sockets().connect(live_server.url, revoked, "websocket", "socket.io")
    connected_at = time.monotonic()
    for sock in (anonymous, stale):
        ack = await sock.client.call("join", {"room": f"user_{alice.id}"}, timeout=5)
        assert ack["ok"] is False and ack["msg"]
    await asyncio.sleep(3)
    assert anonymous.client.connected and stale.client.connected  # accepted, for a while
    await anonymous.wait_for(lambda: not anonymous.client.connected, timeout=6)
    await stale.wait_for(lambda: not stale.client.connected, timeout=2)
    assert 4 <= time.monotonic() - connected_at <= 8
    assert anonymous.events == [] and stale.events == []


# -- runs --------------------------------------------------------------------------------------------
async def test_a_manual_start_streams_the_run(live_server, browser, sockets) -> None:
    from elinara.config import load_settings

    home = load_settings().home_path
    alice = await browser()
    agent = (await alice.call("POST", "/api/v1/admin/processes", json={"name": "Norte"})).json()
    await add_sources(alice, home, agent["id"])
    sock = await sockets().connect(live_server.url, alice.token, "websocket")
    ack = await sock.client.call("join", {"room": f"agent_{agent['id']}"}, timeout=5)
    assert ack["ok"] is True

    response = await alice.call(
        "POST", "/api/agent/control", json={"action": "start", "agent_id": agent["id"]}
    )
    assert response.status_code == 200 and response.json()["status"] == "active"

    def finished() -> list[Any]:
        return [s for s in sock.named("agent_status") if s["status"] in ("completed", "failed")]

    final = (await sock.wait_for(finished, timeout=30))[0]
    assert final["status"] == "completed", sock.named("agent_action")

    updates = sock.named("pipeline_update")
    assert updates
    run_ids = {u["run_id"] for u in updates}
    assert len(run_ids) == 1 and None not in run_ids
    for update in updates:
        assert list(update["pipeline"]) == STAGES
        assert update["process_id"] == agent["id"]
        assert "model" in update and update["provider"] == "offline"
        for stage in update["pipeline"].values():
            assert {"current", "total", "percentage", "status"} <= set(stage)
            assert stage["status"] in ("pending", "tracking", "completed", "error")
            assert 0 <= stage["percentage"] <= 100
    assert all(s["status"] == "completed" for s in updates[-1]["pipeline"].values())

    actions = sock.named("agent_action")
    assert actions
    for action in actions:
        assert {"id", "process_id", "run_id", "timestamp", "type", "content"} <= set(action)
        assert action["type"] in ("thought", "action", "observation", "error")
        assert action["process_id"] == agent["id"] and action["content"]
    # in both rooms (user_ and agent_), yet every event arrives once
    ids = [a["id"] for a in actions]
    assert len(ids) == len(set(ids))

    statuses = sock.named("agent_status")
    assert all("model" in s and s["provider"] == "offline" for s in statuses)
    assert any(s["status"] == "running" for s in statuses)

    matches = (await alice.call("GET", f"/api/agent/matches?agent_id={agent['id']}")).json()
    assert isinstance(matches, list) and matches
    assert {m["agent_id"] for m in matches} == {agent["id"]}
    assert {m["task_id"] for m in matches} == run_ids
    assert all(0 <= m["match_score"] <= 100 and m["reasoning"] for m in matches)
    assert [m["match_score"] for m in matches] == sorted(
        (m["match_score"] for m in matches), reverse=True
    )
    status = (await alice.call("GET", f"/api/agent/status?agent_id={agent['id']}")).json()
    assert status["agent_status"] == "stopped" and status["last_run"]
    assert all(s["status"] == "completed" for s in status["pipeline"].values())


async def test_a_task_through_an_uploaded_file(live_server, browser, sockets) -> None:
    from elinara.config import load_settings

    home = load_settings().home_path
    alice = await browser()
    operator_calls_source(home, alice.id, None)
    upload = await alice.call(
        "POST",
        "/api/files",
        files={"file": ("empresas norte.csv", leads_csv(15).encode(), "text/csv")},
    )
    assert upload.status_code == 201, upload.text
    name = upload.json()["file"]["name"]
    sock = await sockets().connect(live_server.url, alice.token, "polling")

    response = await alice.call(
        "POST", "/api/agent/task", json={"filename": name, "phone": "+351912345678"}
    )
    assert response.status_code == 202
    task_id = response.json()["task_id"]

    def done() -> Any:
        return [
            t
            for t in sock.named("task_update")
            if t["id"] == task_id and t["status"] in ("completed", "failed", "cancelled")
        ]

    last = (await sock.wait_for(done, timeout=30))[-1]
    assert last["status"] == "completed", last
    updates = [t for t in sock.named("task_update") if t["id"] == task_id]
    statuses = [t["status"] for t in updates]
    assert statuses[0] == "queued"
    assert "processing" in statuses
    assert statuses.index("processing") < statuses.index("completed")
    for update in updates:
        assert {"id", "agent_id", "filename", "phone", "status", "progress", "message"} <= set(
            update
        )
        assert update["filename"] == name and update["phone"] == "+351912345678"
    progress = [t["progress"] for t in updates]
    assert progress == sorted(progress) and progress[-1] == 100
    assert last["result"]["leads"] == 15 and last["result"]["calls"] > 0
    assert last["result"]["matches"] > 0

    task = (await alice.call("GET", f"/api/agent/task/{task_id}")).json()
    assert task["status"] == "completed" and task["result"] == last["result"]
    matches = (await alice.call("GET", f"/api/agent/matches?task_id={task_id}&limit=1000")).json()
    assert len(matches) == last["result"]["matches"]
    assert {m["task_id"] for m in matches} == {task_id}
    assert {m["nif"] for m in matches} <= {f"{n}" for n in _nifs(15)}
    listed = (await alice.call("GET", "/api/agent/tasks")).json()
    assert [t["id"] for t in listed] == [task_id]


def _nifs(count: int) -> list[str]:
    from server_helpers import nif_for

    return [nif_for(n) for n in range(1, count + 1)]


async def test_an_armed_schedule_counts_down(live_server, browser, sockets) -> None:
    alice = await browser()
    sock = await sockets().connect(live_server.url, alice.token, "websocket")
    response = await alice.call(
        "POST", "/api/config/update", json={"execution_mode": "interval", "execution_interval": 30}
    )
    agent_id = response.json()["agent_id"]
    response = await alice.call("POST", "/api/agent/control", json={"action": "start"})
    assert response.json()["status"] == "active"
    countdowns = await sock.wait_for(lambda: sock.named("agent_countdown"), timeout=5)
    first = countdowns[0]
    assert first["process_id"] == agent_id and first["mode"] == "interval"
    assert isinstance(first["remaining_seconds"], int) and 0 < first["remaining_seconds"] <= 1800
    assert first["next_run"] == response.json()["agent_settings"]["next_run"]
    assert "model" in first
    await sock.wait_for(lambda: len(sock.named("agent_countdown")) >= 2, timeout=4)

    await alice.call("POST", "/api/agent/control", json={"action": "stop"})
    await asyncio.sleep(1.2)  # one tick in flight at most
    seen = len(sock.named("agent_countdown"))
    await asyncio.sleep(1.5)
    assert len(sock.named("agent_countdown")) == seen


async def test_events_of_a_run_elsewhere_reach_the_sockets(live_server, browser, sockets) -> None:
    """A run executed outside the server (here: straight from the engine, on its own store
    connection, as a CLI or a worker would) is relayed to the owner's sockets."""
    from elinara.agent.events import EventBus
    from elinara.agent.options import RunOptions
    from elinara.agent.runner import run_now
    from elinara.config import load_settings
    from elinara.store import open_store

    settings = load_settings()
    home = settings.home_path
    alice = await browser()
    agent = (await alice.call("POST", "/api/v1/admin/processes", json={"name": "cli"})).json()
    sock = await sockets().connect(live_server.url, alice.token, "polling", "socket.io")
    leads = home / "files" / "cli-leads.csv"
    leads.parent.mkdir(parents=True, exist_ok=True)
    leads.write_text(leads_csv(5), encoding="utf-8")
    calls = copy_sample_calls(home / "files")
    store = open_store(settings.database_url)
    try:
        run, outcome = await asyncio.to_thread(
            run_now,
            store,
            settings,
            EventBus(store),
            RunOptions(leads=[str(leads)], calls=[str(calls)]),
            agent["id"],
            alice.id,
        )
    finally:
        store.close()
    assert outcome.status == "completed"
    await sock.wait_for(
        lambda: [u for u in sock.named("pipeline_update") if u["run_id"] == run.id], timeout=5
    )
    await sock.wait_for(
        lambda: [s for s in sock.named("agent_status") if s["status"] == "completed"], timeout=5
    )


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("http://localhost:3000", True),
        ("http://127.0.0.1:3000", True),
        ("http://evil.example", False),
    ],
)
async def test_sockets_accept_only_the_configured_origins(live_server, path, origin, accepted):
    """The Engine.IO handshake a browser makes cross-origin (the agent port), as it sees it."""
    async with httpx.AsyncClient(base_url=live_server.url, timeout=5) as http:
        response = await http.get(
            f"/{path}/", params={"EIO": "4", "transport": "polling"}, headers={"Origin": origin}
        )
    if accepted:
        assert response.status_code == 200
        assert response.text.startswith("0{") and '"sid"' in response.text
        assert response.headers["Access-Control-Allow-Origin"] == origin
        assert response.headers["Access-Control-Allow-Credentials"] == "true"
    else:
        assert 400 <= response.status_code < 500
        assert response.headers.get("Access-Control-Allow-Origin") != origin


async def test_pause_resume_and_stop_a_running_run(live_server, browser, sockets) -> None:
    from elinara.config import load_settings

    store = live_server.store
    alice = await browser()
    agent = (await alice.call("POST", "/api/v1/admin/processes", json={"name": "big"})).json()
    await add_sources(alice, load_settings().home_path, agent["id"], companies=3000)
    sock = await sockets().connect(live_server.url, alice.token, "websocket")
    control = "/api/agent/control"

    await alice.call("POST", control, json={"action": "start", "agent_id": agent["id"]})
    await sock.wait_for(lambda: [s for s in sock.named("agent_status") if s["status"] == "running"])
    response = await alice.call("POST", control, json={"action": "pause", "agent_id": agent["id"]})
    assert response.json()["status"] == "paused"
    await sock.wait_for(lambda: [s for s in sock.named("agent_status") if s["status"] == "paused"])
    [run] = store.runs.list(agent_ids=[agent["id"]])
    assert run.status == "paused"
    seen = len(sock.named("pipeline_update"))
    await asyncio.sleep(1.0)
    assert len(sock.named("pipeline_update")) == seen  # it really waits
    assert store.runs.get(run.id).status == "paused"

    response = await alice.call("POST", control, json={"action": "resume", "agent_id": agent["id"]})
    assert response.json()["status"] == "active"
    await sock.wait_for(lambda: len(sock.named("pipeline_update")) > seen)
    response = await alice.call("POST", control, json={"action": "stop", "agent_id": agent["id"]})
    assert response.json()["status"] == "stopped"
    ended = await sock.wait_for(
        lambda: [s for s in sock.named("agent_status") if s["status"] in ("cancelled", "completed")]
    )
    assert ended[0]["status"] == "cancelled"
    assert store.runs.get(run.id).status == "cancelled"
    status = (await alice.call("GET", f"/api/agent/status?agent_id={agent['id']}")).json()
    assert status["agent_status"] == "stopped"
    assert any(s["status"] == "error" for s in status["pipeline"].values())
    agent = (await alice.call("GET", f"/api/v1/admin/processes/{agent['id']}")).json()
    assert agent["status"] == "idle"


async def test_a_provider_without_a_key_runs_offline_and_says_so(
    live_server, browser, sockets
) -> None:
    from elinara.config import load_settings

    alice = await browser()
    agent = (await alice.call("POST", "/api/v1/admin/processes", json={"name": "g"})).json()
    await add_sources(alice, load_settings().home_path, agent["id"])
    await alice.call(
        "POST",
        "/api/config/update",
        json={"agent_id": agent["id"], "llm_provider": "Gemini", "llm_model": "gemini-2.5-flash"},
    )
    sock = await sockets().connect(live_server.url, alice.token, "websocket")
    await alice.call(
        "POST", "/api/agent/control", json={"action": "start", "agent_id": agent["id"]}
    )
    ended = await sock.wait_for(
        lambda: [s for s in sock.named("agent_status") if s["status"] in ("completed", "failed")],
        timeout=20,
    )
    assert ended[0]["status"] == "completed"
    notes = [a["content"] for a in sock.named("agent_action") if a["type"] in ("error", "thought")]
    assert any("set GEMINI_API_KEY (or GOOGLE_API_KEY)" in note for note in notes), notes
    updates = sock.named("pipeline_update")
    assert updates and all(u["provider"] == "offline" for u in updates[1:])
    matches = (await alice.call("GET", f"/api/agent/matches?agent_id={agent['id']}")).json()
    assert matches and all(m["provider"] == "offline" for m in matches)


async def test_an_event_whose_write_lands_late_is_still_relayed(live_server, browser, sockets):
    """Two writers (a worker thread and a request, or two processes) take event numbers and
    write their events in the other order: the relay must not skip the one that lands late."""
    store = live_server.store
    alice = await browser()
    sock = await sockets().connect(live_server.url, alice.token, "websocket")
    late_seq = store.db.next_id("events")  # a writer took its number... and is slow to write
    store.events.append("agent_action", {"content": "second"}, user_id=alice.id)
    await sock.wait_for(lambda: sock.named("agent_action"))
    await asyncio.sleep(0.5)  # the relay has moved past the missing number by now
    store.db.insert(
        "events",
        {
            "_id": "late-event",
            "seq": late_seq,
            "event": "agent_action",
            "payload": {"content": "first"},
            "run_id": None,
            "agent_id": None,
            "user_id": alice.id,
            "created_at": "2026-01-01T00:00:00.000000+00:00",
        },
    )
    got = await sock.wait_for(
        lambda: len(sock.named("agent_action")) >= 2 and sock.named("agent_action")
    )
    assert sorted(a["content"] for a in got) == ["first", "second"]
    await asyncio.sleep(0.5)
    assert len(sock.named("agent_action")) == 2  # and nothing twice


# -- sockets follow their session --------------------------------------------------------------------
async def _signed_in_again(live_server: Any, email: str) -> Browser:
    """A second browser of the same user: another session."""
    other = Browser(live_server.url)
    response = await other.http.post(
        "/api/v1/auth/login", json={"username": email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    other.user = response.json()["user"]
    return other


@pytest.mark.parametrize("transport", ["polling", "websocket"])
async def test_logout_disconnects_that_sessions_sockets(live_server, browser, sockets, transport):
    alice = await browser()
    laptop = await _signed_in_again(live_server, alice.user["email"])
    try:
        leaving = await sockets().connect(live_server.url, alice.token, transport)
        staying = await sockets().connect(live_server.url, laptop.token, transport)
        response = await alice.call("POST", "/api/v1/auth/logout")
        assert response.status_code == 200
        logged_out_at = time.monotonic()
        await leaving.wait_for(lambda: not leaving.client.connected, timeout=3)
        assert time.monotonic() - logged_out_at < 3  # at once, not at the next check
        before = len(leaving.events)
        # the other session's socket stays, and alone gets the user's events from now on
        await laptop.call("POST", "/api/agent/control", json={"action": "stop"})
        await staying.wait_for(lambda: staying.named("agent_status"))
        assert staying.client.connected
        await asyncio.sleep(0.5)
        assert len(leaving.events) == before
    finally:
        await laptop.close()


@pytest.fixture
def quick_session_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions checked every 0.3 s, not 30 (set before the live server starts its check)."""
    from elinara.server import realtime

    monkeypatch.setattr(realtime, "SESSION_CHECK_SECONDS", 0.3)


async def test_expired_and_revoked_sockets_are_dropped_by_the_check(
    quick_session_checks, live_server, browser, sockets
):
    import uuid
    from datetime import UTC, datetime, timedelta

    import jwt

    settings = live_server.quart_app.extensions["elinara"].settings
    alice = await browser()
    bob = await browser()
    now = datetime.now(UTC)
    short = jwt.encode(
        {
            "sub": str(alice.id),
            "csrf": "c",
            "jti": uuid.uuid4().hex,
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=2)).timestamp()),
            "is_administrator": False,
        },
        settings.secret_key,
        algorithm="HS256",
    )
    expiring = await sockets().connect(live_server.url, short, "websocket")
    revoked = await sockets().connect(live_server.url, bob.token, "polling")
    lasting = await sockets().connect(live_server.url, alice.token, "websocket")
    ack = await expiring.client.call("join", {"room": f"user_{alice.id}"}, timeout=5)
    assert ack["ok"] is True  # a live session, for now
    # bob's session is revoked by another server (it shares the store): no logout here
    claims = jwt.decode(bob.token, settings.secret_key, algorithms=["HS256"])
    live_server.store.revoked_tokens.revoke(
        claims["jti"], datetime.fromtimestamp(claims["exp"], UTC)
    )
    await revoked.wait_for(lambda: not revoked.client.connected, timeout=3)
    await expiring.wait_for(lambda: not expiring.client.connected, timeout=5)
    assert lasting.client.connected


async def test_joining_a_huge_agent_room_is_refused(live_server, browser, sockets) -> None:
    alice = await browser()
    sock = await sockets().connect(live_server.url, alice.token, "websocket")
    for room in ("agent_9223372036854775808", "agent_" + "9" * 40):
        ack = await sock.client.call("join", {"room": room}, timeout=5)
        assert ack["ok"] is False and ack["msg"], room
    assert sock.client.connected


# -- several servers on one store --------------------------------------------------------------------
class RecordingSio:
    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any]] = []

    async def emit(self, event: str, payload: Any, to: Any = None) -> None:
        self.emitted.append((event, payload))


def _context(store: Any) -> Any:
    from elinara.agent.events import EventBus
    from elinara.config import load_settings
    from elinara.server.web import ServerContext

    settings = load_settings().with_overrides(socketio_queue="redis://127.0.0.1:1")
    return ServerContext(settings=settings, store=store, bus=EventBus(store))


async def test_a_relay_that_becomes_leader_does_not_replay_history(sqlite_store) -> None:
    from elinara.server.realtime import Relay

    store = sqlite_store
    assert store.locks.acquire("events-relay", "the-other-server", 60)
    sio = RecordingSio()
    relay = Relay(_context(store), sio)  # type: ignore[arg-type]
    task = asyncio.create_task(relay.run())
    try:
        for n in range(3):  # relayed by the other server
            store.events.append("agent_action", {"n": n}, user_id=1)
        await asyncio.sleep(0.4)
        assert sio.emitted == []
        store.locks.release("events-relay", "the-other-server")  # it stops; this one takes over
        await asyncio.sleep(0.4)
        store.events.append("agent_action", {"n": 3}, user_id=1)
        await asyncio.sleep(0.4)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert [payload["n"] for _, payload in sio.emitted] == [3]


async def test_a_relay_taking_over_from_a_dead_leader_sends_what_it_had_not(sqlite_store) -> None:
    """Several servers on one queue: the leader dies having relayed events 0 and 1 of 3; the
    server that takes over sends event 2 and what follows, and not 0 and 1 again."""
    from elinara.server.realtime import Relay

    store = sqlite_store
    assert store.locks.acquire("events-relay", "the-dead-server", 1)
    seqs = [store.events.append("agent_action", {"n": n}, user_id=1) for n in range(3)]
    store.db.update_many("locks", {"_id": "events-relay"}, {"cursor": seqs[1]})
    sio = RecordingSio()
    relay = Relay(_context(store), sio)  # type: ignore[arg-type]
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.3)
        assert sio.emitted == []  # the leader's lease still runs
        deadline = time.monotonic() + 5
        while not sio.emitted and time.monotonic() < deadline:  # its lease lapses
            await asyncio.sleep(0.05)
        store.events.append("agent_action", {"n": 3}, user_id=1)
        await asyncio.sleep(0.4)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert [payload["n"] for _, payload in sio.emitted] == [2, 3]
    assert store.db.get("locks", "events-relay")["cursor"] == seqs[2] + 1


async def test_only_the_scheduler_lock_holder_emits_countdowns(sqlite_store) -> None:
    from datetime import timedelta

    from elinara.agent.scheduler import Scheduler
    from elinara.models import Agent, AgentSettings
    from elinara.times import iso, utcnow

    store = sqlite_store
    agent = store.agents.create(Agent(id=0, user_id=1, name="armed"))
    store.settings.save(
        AgentSettings(
            id=agent.id,
            user_id=1,
            agent_status="active",
            execution_mode="interval",
            next_run=iso(utcnow() + timedelta(minutes=10)),
        )
    )
    assert store.locks.acquire("scheduler", "the-other-server", 60)
    scheduler = Scheduler(store, _context(store).settings)
    assert scheduler.tick() == []
    store.locks.release("scheduler", "the-other-server")
    assert [p.id for p, _conf, _left in scheduler.tick()] == [agent.id]
