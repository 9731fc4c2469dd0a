"""Load benchmark: many signed-in clients against `elinara serve` on loopback (not a test).

Starts `elinara serve` in its own process (SQLite, a fresh temporary home, its own worker),
creates one account per client, signs each client in, then lets every client send requests
back to back for ``--seconds``, cycling through what the frontend asks most: the agent's status,
its settings, the match history, the session check and the health route. Prints requests/s,
p50/p99 latency and the errors (non-2xx answers and failed connections).

Run: .venv/bin/python bench/load.py [--clients 200] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "Str0ng!pass"
PATHS = (
    "/api/agent/status",
    "/api/config/update",
    "/api/agent/matches?limit=50",
    "/api/v1/admin/user",
    "/api/health",
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _accounts(env: dict[str, str], clients: int) -> None:
    """One account per client, made straight in the database (registration is throttled per
    client address, and every client here comes from 127.0.0.1)."""
    code = (
        "import sys\n"
        "from elinara.accounts import create_user\n"
        "from elinara.config import load_settings\n"
        "from elinara.store import open_store\n"
        "store = open_store(load_settings().database_url)\n"
        "for n in range(int(sys.argv[1])):\n"
        f"    create_user(store, f'load{{n}}@example.pt', {PASSWORD!r})\n"
    )
    subprocess.run([sys.executable, "-c", code, str(clients)], env=env, check=True)


async def _sign_in(base: str, n: int, gate: asyncio.Semaphore) -> dict[str, str]:
    """A client's session cookies. Sign-ins are paced (password hashing is meant to be slow)
    and happen before the timed phase."""
    import httpx

    async with gate, httpx.AsyncClient(base_url=base, timeout=120) as http:
        response = await http.post(
            "/api/v1/auth/login", json={"username": f"load{n}@example.pt", "password": PASSWORD}
        )
        response.raise_for_status()
        return dict(http.cookies)


async def _client(
    base: str,
    n: int,
    cookies: dict[str, str],
    deadline: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30) as http:
        i = n
        while time.monotonic() < deadline:
            path = PATHS[i % len(PATHS)]
            i += 1
            started = time.perf_counter()
            try:
                response = await http.get(path)
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)
                continue
            latencies.append(time.perf_counter() - started)
            if response.status_code >= 300:
                errors.append(f"{path} {response.status_code}")


async def _load(base: str, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    gate = asyncio.Semaphore(4)
    sessions = await asyncio.gather(*(_sign_in(base, n, gate) for n in range(clients)))
    latencies: list[float] = []
    errors: list[str] = []
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(_client(base, n, sessions[n], deadline, latencies, errors) for n in range(clients))
    )
    return latencies, errors, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="elinara-load-") as home:
        env = {
            **os.environ,
            "ELINARA_HOME": home,
            "ELINARA_PORT": str(port),
            "ELINARA_AGENT_PORT": str(port),
            "ELINARA_LOG_LEVEL": "warning",
        }
        _accounts(env, args.clients)
        server = subprocess.Popen(
            [sys.executable, "-m", "elinara", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(home) / "serve.log", "w"),  # noqa: SIM115
        )
        try:
            import httpx

            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            latencies, errors, elapsed = asyncio.run(_load(base, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(30)
    print(f"{args.clients} clients for {elapsed:.1f} s against `elinara serve` on loopback")
    print(f"answers: {len(latencies)}, {len(latencies) / elapsed:.0f} requests/s")
    print(
        f"latency p50 {_percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p99 {_percentile(latencies, 0.99) * 1000:.1f} ms"
    )
    shown = ", ".join(sorted(set(errors))[:5])
    print(f"errors: {len(errors)}" + (f" ({shown})" if errors else ""))


if __name__ == "__main__":
    main()
