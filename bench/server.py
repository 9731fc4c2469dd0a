"""Server benchmark: prints ratios measured in one run (not a test).

1. Requests/s and p50/p99 of an authenticated `GET /api/agent/status` against a bare Quart route
   served by the same server in the same run (the framework's ceiling). Goal: ratio >= 0.5.
2. 200 connected Socket.IO clients receiving one `pipeline_update` each, written to the store as a
   run in another process would: p99 delivery <= 100 ms.

Run: .venv/bin/python bench/server.py [--requests 3000] [--concurrency 32] [--clients 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import tempfile
import threading
import time
from typing import Any


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _start_server(app: Any) -> tuple[int, Any]:
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.accesslog = None
    stop = threading.Event()
    loop = asyncio.new_event_loop()

    async def shutdown() -> None:
        while not stop.is_set():
            await asyncio.sleep(0.05)

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(serve(app, config, shutdown_trigger=shutdown))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return port, stop


async def _load(
    url: str, cookies: dict[str, str], total: int, concurrency: int
) -> tuple[float, list[float]]:
    import httpx

    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)
    async with httpx.AsyncClient(cookies=cookies, timeout=30) as client:
        await client.get(url)  # warm up

        async def worker() -> None:
            while not queue.empty():
                queue.get_nowait()
                started = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return total / elapsed, latencies


async def _sockets(
    base: str, cookies: dict[str, str], clients: int, store: Any, user_id: int, agent_id: int
) -> list[float]:
    import socketio

    received: list[float] = []
    sent_at: dict[str, float] = {}
    done = asyncio.Event()
    header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    sockets = []
    for _ in range(clients):
        sio = socketio.AsyncClient(reconnection=False)

        @sio.on("pipeline_update")
        async def on_update(data: dict[str, Any]) -> None:
            received.append(time.perf_counter() - sent_at[data["run_id"]])
            if len(received) >= clients:
                done.set()

        await sio.connect(
            base,
            headers={"Cookie": header},
            socketio_path="api/socket.io",
            transports=["websocket"],
        )
        sockets.append(sio)
    await asyncio.sleep(0.5)
    sent_at["bench-run"] = time.perf_counter()
    store.events.append(
        "pipeline_update",
        {
            "process_id": agent_id,
            "run_id": "bench-run",
            "pipeline": {},
            "model": "",
            "provider": "offline",
        },
        "bench-run",
        agent_id,
        user_id,
    )
    await asyncio.wait_for(done.wait(), timeout=30)
    for sio in sockets:
        await sio.disconnect()
    return received


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--clients", type=int, default=200)
    args = parser.parse_args()
    os.environ["ELINARA_HOME"] = tempfile.mkdtemp(prefix="elinara-bench-")
    import logging

    logging.disable(logging.INFO)

    from elinara import accounts
    from elinara.config import load_settings
    from elinara.server import security
    from elinara.server.asgi import create_app
    from elinara.store import open_store

    settings = load_settings()
    store = open_store(settings.database_url)
    user = accounts.create_user(store, "bench@example.pt", "Str0ng!pass")
    from elinara.agent import lifecycle

    agent = lifecycle.default_agent(store, settings, user.id)
    token, _ = security.issue_token(settings, user.id, False)
    cookies = {security.ACCESS_COOKIE: token}
    app = create_app(settings, store, workers=0)

    @app.quart_app.get("/bench/bare")
    async def bare() -> dict[str, str]:
        return {"status": "ok"}

    bare.__dict__["_elinara_public"] = True
    port, stop = _start_server(app)
    base = f"http://127.0.0.1:{port}"
    try:
        bare_rps, bare_lat = asyncio.run(
            _load(f"{base}/bench/bare", {}, args.requests, args.concurrency)
        )
        status_rps, status_lat = asyncio.run(
            _load(f"{base}/api/agent/status", cookies, args.requests, args.concurrency)
        )
        delivery = asyncio.run(_sockets(base, cookies, args.clients, store, user.id, agent.id))
    finally:
        stop.set()
    print(
        f"bare route        : {bare_rps:8.0f} req/s  p50 {_percentile(bare_lat, 0.5) * 1000:6.1f} ms"
        f"  p99 {_percentile(bare_lat, 0.99) * 1000:6.1f} ms"
    )
    print(
        f"GET /agent/status : {status_rps:8.0f} req/s  p50 {_percentile(status_lat, 0.5) * 1000:6.1f} ms"
        f"  p99 {_percentile(status_lat, 0.99) * 1000:6.1f} ms"
    )
    print(f"ratio status/bare : {status_rps / bare_rps:.2f}  (goal >= 0.5)")
    print(
        f"socket delivery to {len(delivery)} clients: p50 {statistics.median(delivery) * 1000:.1f} ms"
        f"  p99 {_percentile(delivery, 0.99) * 1000:.1f} ms  (goal p99 <= 100 ms)"
    )


if __name__ == "__main__":
    main()
