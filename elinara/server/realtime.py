"""Socket.IO (docs/events.md): cookie sessions, rooms, and the relay of stored events.

Events reach sockets through one path: every run (in this process, a CLI, a worker elsewhere)
writes its events to the store, and the relay here reads what is new every ``RELAY_SECONDS`` and
emits it to the owner's and the agent's rooms. Countdowns come from the engine's scheduler (``Countdowns``).

A signed-in socket keeps its session's ``jti`` and expiry: logout disconnects that session's
sockets at once (``disconnect_session``), and ``SessionGuard`` disconnects, every
``SESSION_CHECK_SECONDS``, sockets whose session expired or was revoked elsewhere (the frontend
reconnects, with its current cookie).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import time
from http.cookies import SimpleCookie
from typing import Any

import socketio

from elinara.agent.scheduler import Scheduler
from elinara.config import Settings
from elinara.errors import ConfigError
from elinara.models import MAX_ID
from elinara.server import security
from elinara.server.web import ServerContext
from elinara.store.urls import mask_url
from elinara.times import iso, utcnow

log = logging.getLogger("elinara.realtime")
RELAY_SECONDS = 0.05
RELAY_LOCK = "events-relay"
MAX_REPLAY = 5000  # a leader's cursor further behind than this is stale: start from the newest
GAP_WAIT_SECONDS = 5.0
ANONYMOUS_GRACE_SECONDS = 5.0
SESSION_CHECK_SECONDS = 30.0
NAMESPACE = "/"


def socket_origins(settings: Settings) -> list[str]:
    own = [
        f"http://{host}:{port}"
        for host in ("localhost", "127.0.0.1")
        for port in {settings.port, settings.agent_port}
    ]
    return list(dict.fromkeys([*settings.cors_origins, *own]))


def create_socketio(context: ServerContext) -> socketio.AsyncServer:
    settings = context.settings
    manager = None
    if settings.socketio_queue:
        url = settings.socketio_queue
        redis = url.startswith(("redis://", "rediss://"))
        module, extra = ("redis.asyncio", "redis") if redis else ("aio_pika", "amqp")
        try:
            importlib.import_module(module)
        except ImportError:
            raise ConfigError(
                f"ELINARA_SOCKETIO_QUEUE={mask_url(url)} needs {module}: "
                f"pip install 'elinara[{extra}]'"
            ) from None
        manager = socketio.AsyncRedisManager(url) if redis else socketio.AsyncAioPikaManager(url)
    sio = socketio.AsyncServer(
        async_mode="asgi",
        cors_allowed_origins=socket_origins(settings),
        cors_credentials=True,
        client_manager=manager,
        logger=False,
        engineio_logger=False,
    )

    @sio.event
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
        cookie = SimpleCookie()
        try:
            cookie.load(environ.get("HTTP_COOKIE", ""))
        except Exception:  # a malformed cookie header is the same as none
            cookie = SimpleCookie()
        morsel = cookie.get(security.ACCESS_COOKIE)
        found = None
        if morsel is not None and morsel.value:
            found = await asyncio.to_thread(
                security.valid_session, settings, context.store, morsel.value
            )
        if found is None:
            await sio.save_session(sid, {"user_id": None})
            asyncio.get_running_loop().call_later(
                ANONYMOUS_GRACE_SECONDS, lambda: asyncio.ensure_future(_drop_if_anonymous(sid))
            )
            return True
        session = found[0]
        await sio.save_session(
            sid,
            {
                "user_id": session.user_id,
                "jti": session.jti,
                "exp": session.expires_at.timestamp(),
            },
        )
        await sio.enter_room(sid, f"user_{session.user_id}")
        return True

    async def _drop_if_anonymous(sid: str) -> None:
        try:
            data = await sio.get_session(sid)
        except KeyError:
            return
        if data.get("user_id") is None:
            await close_transport(sio, sid)

    async def _allowed(sid: str, data: Any) -> tuple[str | None, str]:
        room = (
            data.get("room") if isinstance(data, dict) else data if isinstance(data, str) else None
        )
        try:
            user_id = (await sio.get_session(sid)).get("user_id")
        except KeyError:
            user_id = None
        if user_id is None:
            return None, "Sign in first."
        if not isinstance(room, str):
            return None, "Send {room: 'agent_<id>' or 'user_<id>'}."
        if room == f"user_{user_id}":
            return room, ""
        if room.startswith("agent_") and room[6:].isdigit() and int(room[6:]) <= MAX_ID:
            agent = await asyncio.to_thread(context.store.agents.get, int(room[6:]))
            if agent is not None and agent.user_id == user_id:
                return room, ""
        return None, "Not your room."

    @sio.event
    async def join(sid: str, data: Any = None) -> dict[str, Any]:
        room, reason = await _allowed(sid, data)
        if room is None:
            return {"ok": False, "msg": reason}
        await sio.enter_room(sid, room)
        return {"ok": True, "room": room}

    @sio.event
    async def leave(sid: str, data: Any = None) -> dict[str, Any]:
        room, reason = await _allowed(sid, data)
        if room is None:
            return {"ok": False, "msg": reason}
        await sio.leave_room(sid, room)
        return {"ok": True, "room": room}

    return sio


async def _sessions(
    sio: socketio.AsyncServer, room: str | None
) -> list[tuple[str, dict[str, Any]]]:
    """(sid, session) of this server's signed-in sockets in ``room`` (None: all of them)."""
    found = []
    for sid, _eio_sid in list(sio.manager.get_participants(NAMESPACE, room)):
        try:
            data = await sio.get_session(sid)
        except KeyError:  # gone meanwhile
            continue
        if data.get("user_id") is not None:
            found.append((sid, data))
    return found


async def close_transport(sio: socketio.AsyncServer, sid: str) -> None:
    """Close the socket's connection at the Engine.IO level, as a lost connection looks, not
    with a Socket.IO ``disconnect`` packet: the official client treats a server-sent disconnect
    as final and never reconnects, while after a closed transport it reconnects by itself and
    comes back with the browser's current cookie (CONTRACT.md §5)."""
    eio_sid = sio.manager.eio_sid_from_sid(sid, NAMESPACE)
    engine_socket = sio.eio.sockets.get(eio_sid) if eio_sid is not None else None
    if engine_socket is None:
        return  # gone meanwhile
    await sio.eio.disconnect(eio_sid)  # sends an Engine.IO close: a polling client sees it
    if engine_socket.upgraded:  # a websocket client ignores it: end the websocket itself
        await engine_socket.queue.put(None)


async def disconnect_session(sio: socketio.AsyncServer, user_id: int, jti: str) -> int:
    """Disconnect this server's sockets of one session (at logout); how many there were.
    (With a shared queue, other servers' sockets go at their next ``SessionGuard`` check.)"""
    dropped = 0
    for sid, data in await _sessions(sio, f"user_{user_id}"):
        if data.get("jti") == jti:
            await close_transport(sio, sid)
            dropped += 1
    return dropped


class SessionGuard:
    """Disconnects sockets whose session expired, was revoked, or whose user is gone."""

    def __init__(self, context: ServerContext, sio: socketio.AsyncServer) -> None:
        self.context = context
        self.sio = sio

    def _stale(self, sessions: list[tuple[str, dict[str, Any]]]) -> set[str]:
        store, now = self.context.store, time.time()
        stale = set()
        for sid, data in sessions:
            jti = data.get("jti")
            if (
                not jti
                or float(data.get("exp") or 0) <= now
                or store.revoked_tokens.is_revoked(str(jti))
                or store.users.get(int(data["user_id"])) is None
            ):
                stale.add(sid)
        return stale

    async def check(self) -> int:
        sessions = await _sessions(self.sio, None)
        if not sessions:
            return 0
        stale = await asyncio.to_thread(self._stale, sessions)
        for sid in stale:
            await close_transport(self.sio, sid)
        return len(stale)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(SESSION_CHECK_SECONDS)
            try:
                await self.check()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("socket session check failed; retrying")


def rooms_for(user_id: int | None, agent_id: int | None) -> list[str]:
    rooms = []
    if user_id is not None:
        rooms.append(f"user_{user_id}")
    if agent_id:
        rooms.append(f"agent_{agent_id}")
    return rooms


class Relay:
    """Reads new events from the store and emits them to their rooms."""

    def __init__(self, context: ServerContext, sio: socketio.AsyncServer) -> None:
        self.context = context
        self.sio = sio
        self.last_seq = context.store.events.last_seq()  # every event up to here was handled
        self.sent: set[int] = set()  # events past a gap in the numbers, already emitted
        self.gap_since: float | None = None
        self.holder = f"relay-{id(self)}"
        self.shared = -1  # the cursor last written to the relay's lock
        self._wake = asyncio.Event()
        self._loop = asyncio.get_running_loop()

    def wake(self, _event: object = None) -> None:
        """Relay now rather than at the next poll: an event was written in this process.
        Safe to call from any thread (workers run in threads)."""
        self._loop.call_soon_threadsafe(self._wake.set)

    def _advance(self) -> None:
        """Move ``last_seq`` over the events emitted without a gap before them.

        Event numbers are taken before the event is written, so two writers (a worker and a
        request, two processes) may land their events in the other order: a missing number is
        waited for (and its event emitted when it lands) for ``GAP_WAIT_SECONDS``, then given
        up (its writer failed)."""
        while self.last_seq + 1 in self.sent:
            self.last_seq += 1
            self.sent.discard(self.last_seq)
        if not self.sent:
            self.gap_since = None
            return
        now = time.monotonic()
        if self.gap_since is None:
            self.gap_since = now
        elif now - self.gap_since > GAP_WAIT_SECONDS:
            self.last_seq = min(self.sent) - 1
            self.gap_since = None
            self._advance()

    async def _leader(self) -> bool:
        """With a shared Socket.IO queue only one server relays, or browsers get events twice."""
        if not self.context.settings.socketio_queue:
            return True
        return await asyncio.to_thread(self.context.store.locks.acquire, RELAY_LOCK, self.holder, 5)

    def _share_cursor(self) -> None:
        """The leader keeps its cursor in the relay's lock, so that a server taking over after
        it dies relays what it had not yet (at most a batch twice, nothing lost)."""
        if self.context.settings.socketio_queue and self.last_seq != self.shared:
            self.context.store.locks.set_cursor(RELAY_LOCK, self.holder, self.last_seq)
            self.shared = self.last_seq

    def _follow(self) -> int:
        """Where a server that is not the leader stands: the leader's cursor (a few events
        behind the newest at most), or the newest event when the leader shares none."""
        store = self.context.store
        newest = store.events.last_seq()
        cursor = store.locks.cursor(RELAY_LOCK)
        if cursor is not None and 0 <= newest - cursor <= MAX_REPLAY:
            return cursor
        return newest

    async def run(self) -> None:
        store = self.context.store
        while True:
            try:
                if await self._leader():
                    batch = await asyncio.to_thread(store.events.since, self.last_seq)
                    emitted = 0
                    for doc in batch:
                        if doc["seq"] in self.sent:
                            continue
                        self.sent.add(doc["seq"])
                        emitted += 1
                        rooms = rooms_for(doc.get("user_id"), doc.get("agent_id"))
                        if rooms:
                            await self.sio.emit(doc["event"], doc["payload"], to=rooms)
                    self._advance()
                    await asyncio.to_thread(self._share_cursor)
                    if emitted and len(batch) >= 500:
                        continue
                else:
                    # Follow the leader's cursor: on becoming the leader, relay what it had not
                    # sent rather than replay what it had (or lose what it had not).
                    self.last_seq = await asyncio.to_thread(self._follow)
                    self.sent.clear()
                    self.gap_since = None
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("event relay failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), RELAY_SECONDS)
            self._wake.clear()


class Countdowns:
    """Runs the engine's scheduler (elinara/agent/scheduler.py) about once a second, off the
    event loop, and emits the countdowns it reports to the agents' rooms."""

    def __init__(self, context: ServerContext, sio: socketio.AsyncServer) -> None:
        self.scheduler = Scheduler(context.store, context.settings)
        self.sio = sio

    async def run(self) -> None:
        while True:
            try:
                for agent, conf, left in await asyncio.to_thread(self.scheduler.tick):
                    payload = {
                        "process_id": agent.id,
                        "remaining_seconds": left,
                        "next_run": conf.next_run or iso(utcnow()),
                        "mode": conf.execution_mode,
                        "model": conf.llm_model,
                    }
                    await self.sio.emit(
                        "agent_countdown", payload, to=rooms_for(agent.user_id, agent.id)
                    )
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler tick failed; retrying")
            await asyncio.sleep(1.0)
