"""Server fixtures: the Quart app on a fresh store, and the full app live on a real port.

- ``app`` (SQLite) / ``app_both`` (parametrised over both store backends): the HTTP app built by
  ``http_app``; ``make_app(**env)`` builds one after setting ``ELINARA_*`` variables.
- ``live_server``: the full ASGI app (HTTP + Socket.IO + relay + scheduler + one worker) under
  hypercorn on a pre-bound port-0 socket, in a thread with its own event loop.
- Autouse: any 5xx answer, from the test client or the live server, fails the test; password
  hashing is argon2id at its lowest cost (the worker subprocesses hash nothing).

Signed-in callers and the other helpers are in ``server_helpers.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from server_helpers import SERVER_ERRORS, build_app, store_of, watch_for_server_errors


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_server_errors() -> Iterator[None]:
    SERVER_ERRORS.clear()
    yield
    found = list(SERVER_ERRORS)
    SERVER_ERRORS.clear()
    assert not found, f"the server answered 5xx: {found}"


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id still, with the smallest cost: nearly every test signs users up and in."""
    from argon2 import PasswordHasher

    from elinara import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Any]:
    from elinara.store import open_store

    opened = open_store(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch, sqlite_store: Any) -> Callable[..., Quart]:
    """Build the app after setting ELINARA_<NAME> for each keyword (e.g. token_minutes=2)."""

    def make(**env: Any) -> Quart:
        for name, value in env.items():
            monkeypatch.setenv(f"ELINARA_{name.upper()}", str(value))
        return build_app(sqlite_store)

    return make


@pytest.fixture
def app(make_app: Callable[..., Quart]) -> Quart:
    return make_app()


@pytest.fixture
def app_both(store: Any) -> Quart:
    """The app on each store backend (SQLite and MongoDB)."""
    return build_app(store)


# -- the live server -----------------------------------------------------------------------------
@dataclass
class LiveServer:
    url: str
    port: int
    app: Any

    @property
    def quart_app(self) -> Quart:
        return self.app.quart_app  # type: ignore[no-any-return]

    @property
    def store(self) -> Any:
        return store_of(self.quart_app)


def _listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@pytest.fixture
def live_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    from elinara.config import load_settings
    from elinara.server.asgi import create_app

    sock = _listening_socket()
    port = sock.getsockname()[1]
    monkeypatch.setenv("ELINARA_SHUTDOWN_GRACE_SECONDS", "2")
    settings = load_settings().with_overrides(port=port, agent_port=port)
    app = create_app(settings, workers=1)
    watch_for_server_errors(app.quart_app)
    config = Config()
    config.bind = [f"fd://{sock.detach()}"]  # hypercorn owns (and closes) the socket now
    config.accesslog = None
    config.graceful_timeout = 0.5
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    failure: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(serve(app, config, shutdown_trigger=stop.wait))
        except BaseException as exc:  # reported by the fixture
            failure.append(exc)
        finally:
            leftover = asyncio.all_tasks(loop)  # Socket.IO's service and ping tasks
            for task in leftover:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*leftover, return_exceptions=True))
            loop.close()

    thread = threading.Thread(target=run, name="live-server", daemon=True)
    thread.start()
    server = LiveServer(f"http://127.0.0.1:{port}", port, app)
    try:
        _wait_until_up(server, thread)
        yield server
    finally:
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(stop.set)
        thread.join(20)
        assert not thread.is_alive(), "the live server did not shut down"
        assert not failure, f"the live server failed: {failure!r}"


def _wait_until_up(server: LiveServer, thread: threading.Thread, timeout: float = 15.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while thread.is_alive():
        try:
            if httpx.get(f"{server.url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the live server did not answer /api/health")
        time.sleep(0.05)
    raise RuntimeError("the live server thread ended at start-up")
