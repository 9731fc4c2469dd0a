"""The topology the README recommends for growth, with real processes: two `elinara serve` and
two `elinara worker` on one database (a SQLite file, and the MongoDB wire test server) with Redis as the Socket.IO message
queue. A browser's socket on server A receives the events of a run started through server B and
executed by a worker; then the worker and server B are killed (SIGKILL) mid-run: the run
completes once on the other worker, no match is lost or stored twice, and the socket on A keeps
receiving the run's events."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_helpers import PASSWORD, copy_sample_calls, write_leads_csv
from test_realtime import Socket

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
REAL_MONGODB = os.environ.get("ELINARA_TEST_MONGODB_URI", "").strip()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed (scripts/setup-redis installs it)"
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=(tmp_path / "redis.log").open("wb"),
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), 1) as s,
            ):
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
            assert time.monotonic() < deadline, (tmp_path / "redis.log").read_text()
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str, *args: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "elinara", *args],
            stdout=(tmp_path / f"{name}.log").open("wb"),
            stderr=subprocess.STDOUT,
            env=dict(os.environ),
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


async def _until(check: Callable[[], Any], timeout: float, what: str, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await asyncio.to_thread(check)
        if found:
            return found
        await asyncio.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "mongodb",
            marks=[pytest.mark.mongo],
        ),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """One database for every process: a SQLite file on this machine, or a MongoDB."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
        return
    server = request.getfixturevalue("mongo_server")
    admin = request.getfixturevalue("_mongo_admin")
    name = f"t_{uuid.uuid4().hex}"
    yield server.url(name)
    admin.drop_database(name)


async def test_two_servers_two_workers_one_database_and_a_queue(
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    redis_url: str,
    processes: Callable[..., subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    from elinara.accounts import create_user
    from elinara.agent import datasources, lifecycle
    from elinara.config import load_settings
    from elinara.store import open_store

    monkeypatch.setenv("ELINARA_DATABASE_URL", database_url)
    monkeypatch.setenv("ELINARA_SOCKETIO_QUEUE", redis_url)
    monkeypatch.setenv("ELINARA_LEASE_SECONDS", "2")
    monkeypatch.setenv("ELINARA_SHUTDOWN_GRACE_SECONDS", "2")
    settings = load_settings()
    store = open_store(settings.database_url)
    sock = Socket()
    try:
        user = create_user(store, "topology@example.pt", PASSWORD)
        agent = lifecycle.create_agent(store, settings, user.id, "growth")
        # the in-memory MongoDB wire test server is slow on bulk writes: a smaller sheet still
        # leaves the run mid-way when its worker is killed; a real MongoDB takes the full one
        companies = 3000 if database_url.startswith("sqlite") or REAL_MONGODB else 120
        write_leads_csv(settings.files_path / "leads.csv", companies)
        copy_sample_calls(settings.files_path)
        store.datasources.create_many(
            [
                datasources.validate_datasource(
                    {"platform": "local_file", "resource_identifier": name},
                    settings,
                    user.id,
                    agent,
                    operator=True,
                )
                for name in ("leads.csv", "p2030_avisos.json")
            ]
        )
        ports = {"a": _free_port(), "b": _free_port()}
        servers = {
            name: processes(
                f"serve-{name}",
                "serve",
                "--port",
                str(port),
                "--agent-port",
                str(port),
                "--workers",
                "0",
            )
            for name, port in ports.items()
        }
        workers = [processes(f"worker-{n}", "worker") for n in (1, 2)]
        url_a, url_b = (f"http://127.0.0.1:{ports[n]}" for n in ("a", "b"))
        for url in (url_a, url_b):
            await _until(lambda url=url: _up(url), 30, f"{url} to answer")

        async with httpx.AsyncClient(base_url=url_a, timeout=10) as http:
            response = await http.post(
                "/api/v1/auth/login",
                json={"username": "topology@example.pt", "password": PASSWORD},
            )
            assert response.status_code == 200, response.text
            cookies = dict(http.cookies)
        await sock.connect(url_a, cookies["access_token_cookie"], "websocket")

        async with httpx.AsyncClient(base_url=url_b, cookies=cookies, timeout=10) as http:
            response = await http.post(
                "/api/agent/control",
                json={"action": "start", "agent_id": agent.id},
                headers={"X-CSRF-Token": cookies["csrf_access_token"]},
            )
            assert response.status_code == 200, response.text

        def running() -> Any:
            runs = store.runs.list(agent_ids=[agent.id], limit=5)
            run = runs[0] if runs else None
            if run and run.status == "running" and store.matches.count([agent.id]) > 0:
                return run
            return None

        run = await _until(running, 60, "a worker to start saving matches")
        # the socket on A hears the run that B queued and a worker executes
        await sock.wait_for(
            lambda: [u for u in sock.named("pipeline_update") if u["run_id"] == run.id], 15
        )
        holder = next(w for w in workers if f"-{w.pid}-" in run.worker_id)
        for victim in (holder, servers["b"]):
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
        saved_before = store.matches.count([agent.id])

        final = await _until(
            lambda: (r := store.runs.get(run.id)).status in ("completed", "failed") and r,
            90,
            "the other worker to finish the run",
        )
        logs = {p.name: p.read_text()[-1500:] for p in tmp_path.glob("*.log")}
        assert final.status == "completed", (final.message, logs)
        assert final.attempts == 2 and final.worker_id != run.worker_id
        matches = store.matches.list(agent_ids=[agent.id], limit=1000)
        total = store.matches.count([agent.id])
        assert total == final.counts["matches"] > saved_before > 0
        assert len({(m.lead_key, m.aviso_id) for m in matches}) == len(matches)
        assert final.counts["leads"] == companies
        ends = [
            e["payload"]["status"]
            for e in store.events.for_run(run.id, "agent_status")
            if e["payload"]["status"] in ("completed", "failed", "cancelled")
        ]
        assert ends == ["completed"]

        # the socket on A, still connected, hears the end of the run B started
        await sock.wait_for(
            lambda: [s for s in sock.named("agent_status") if s["status"] == "completed"], 30
        )
        assert sock.client.connected
        assert _up(url_a)
    finally:
        await sock.close()
        store.close()
