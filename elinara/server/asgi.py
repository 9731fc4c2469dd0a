"""Assembles the ASGI app: HTTP routes, Socket.IO on both paths, and the background services
(event relay, scheduler, in-process workers) that start and stop with the server."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio

from elinara.agent.events import EventBus
from elinara.agent.runner import Worker
from elinara.config import Settings
from elinara.server.app import http_app, serve_frontend
from elinara.server.realtime import Countdowns, Relay, SessionGuard, create_socketio
from elinara.store import Store, open_store


@dataclass
class Services:
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    worker: Any = None


def create_app(
    settings: Settings,
    store: Store | None = None,
    workers: int | None = None,
    frontend: Path | None = None,
) -> Any:

    quart_app = http_app(settings, store)
    context = quart_app.extensions["elinara"]
    if frontend is not None:
        serve_frontend(quart_app, frontend)
    sio = create_socketio(context)
    context.extras["sio"] = sio
    services = Services()
    worker_count = settings.workers if workers is None else workers

    @quart_app.before_serving
    async def start_services() -> None:

        relay = Relay(context, sio)
        context.bus.subscribe(relay.wake)
        services.tasks.append(asyncio.create_task(relay.run()))
        services.tasks.append(asyncio.create_task(Countdowns(context, sio).run()))
        services.tasks.append(asyncio.create_task(SessionGuard(context, sio).run()))
        if worker_count > 0:

            def worker_bus(store: Store) -> EventBus:
                bus = EventBus(store)
                bus.subscribe(relay.wake)  # in-process runs reach sockets without waiting
                return bus

            services.worker = Worker(
                lambda: open_store(settings.database_url, migrate_now=False),
                settings,
                worker_bus,
                concurrency=worker_count,
            )
            services.worker.start()

    @quart_app.after_serving
    async def stop_services() -> None:
        if services.worker is not None:
            await asyncio.to_thread(services.worker.stop, settings.shutdown_grace_seconds)
        for task in services.tasks:
            task.cancel()
        for task in services.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    inner = socketio.ASGIApp(sio, other_asgi_app=quart_app, socketio_path="socket.io")
    app = socketio.ASGIApp(sio, other_asgi_app=inner, socketio_path="api/socket.io")
    app.quart_app = quart_app  # type: ignore[attr-defined]
    app.sio = sio  # type: ignore[attr-defined]
    return app
