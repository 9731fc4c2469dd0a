"""One event bus: every event is written to the store (durable, relayed to sockets by the
server) and handed to the listeners of this process (the terminal view, tests)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from elinara.store import Store
from elinara.store.repos import new_object_id
from elinara.times import now_iso

log = logging.getLogger(__name__)

Listener = Callable[["Event"], None]


@dataclass(frozen=True)
class Event:
    name: str  # pipeline_update | agent_action | task_update | agent_status | agent_countdown
    payload: dict[str, Any]
    run_id: str | None = None
    agent_id: int | None = None
    user_id: int | None = None


class EventBus:
    def __init__(self, store: Store | None = None) -> None:
        self.store = store
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def emit(self, event: Event, durable: bool = True) -> None:
        if durable and self.store is not None:
            self.store.events.append(
                event.name, event.payload, event.run_id, event.agent_id, event.user_id
            )
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken view must not stop a run
                log.exception("event listener failed")


class RunEvents:
    """The events of one run, with the fields every payload carries."""

    def __init__(
        self,
        bus: EventBus,
        run_id: str,
        agent_id: int,
        user_id: int | None,
        provider: str,
        model: str,
    ) -> None:
        self.bus = bus
        self.run_id = run_id
        self.agent_id = agent_id
        self.user_id = user_id
        self.provider = provider
        self.model = model

    def _emit(self, name: str, payload: dict[str, Any]) -> None:
        self.bus.emit(Event(name, payload, self.run_id, self.agent_id, self.user_id))

    def action(self, kind: str, content: str, meta: dict[str, Any] | None = None) -> None:
        """A line of the thought stream: kind is thought | action | observation | error."""
        payload: dict[str, Any] = {
            "id": new_object_id(),
            "process_id": self.agent_id,
            "run_id": self.run_id,
            "timestamp": now_iso(),
            "type": kind,
            "content": content,
        }
        if meta:
            payload["meta"] = meta
        self._emit("agent_action", payload)

    def thought(self, content: str, **meta: Any) -> None:
        self.action("thought", content, meta or None)

    def error(self, content: str, **meta: Any) -> None:
        self.action("error", content, meta or None)

    def pipeline(self, stages: dict[str, Any]) -> None:
        self._emit(
            "pipeline_update",
            {
                "process_id": self.agent_id,
                "run_id": self.run_id,
                "pipeline": stages,
                "model": self.model,
                "provider": self.provider,
            },
        )

    def task(self, view: dict[str, Any]) -> None:
        self._emit("task_update", view)

    def status(self, status: str, agent_status: str) -> None:
        self._emit(
            "agent_status",
            {
                "agent_id": self.agent_id,
                "process_id": self.agent_id,
                "status": status,
                "agent_status": agent_status,
                "model": self.model,
                "provider": self.provider,
            },
        )
