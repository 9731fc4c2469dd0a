"""The six stages of a run (docs/events.md) and their progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

# The stages' keys on the wire (docs/events.md), named here once for what each stage does.
CHECK_SOURCES = "establish_connection"
LOAD_DATA = "loading_data"
DISCOVERY_ALERT = "email_alert"
MATCH = "cross_data"
SAVE_MATCHES = "send_results"
RESULTS_ALERT = "sending_email"

STAGES: tuple[tuple[str, str], ...] = (
    (CHECK_SOURCES, "Establish Connection"),
    (LOAD_DATA, "Loading Data"),
    (DISCOVERY_ALERT, "Discovery Report"),
    (MATCH, "Cross Data"),
    (SAVE_MATCHES, "Save Results"),
    (RESULTS_ALERT, "Final Alert"),
)
STAGE_KEYS = tuple(key for key, _ in STAGES)
STAGE_TITLES = dict(STAGES)


def empty_pipeline() -> dict[str, dict[str, Any]]:
    return {
        key: {"current": 0, "total": 0, "percentage": 0, "status": "pending", "label": ""}
        for key in STAGE_KEYS
    }


class Stages:
    """Tracks the pipeline and publishes it whole on every change (throttled for progress)."""

    def __init__(
        self,
        publish: Callable[[dict[str, dict[str, Any]]], None],
        min_interval: float = 0.2,
    ) -> None:
        self.state = empty_pipeline()
        self._publish = publish
        self._min_interval = min_interval
        self._last = 0.0

    def snapshot(self) -> dict[str, dict[str, Any]]:
        return {key: dict(value) for key, value in self.state.items()}

    def _set(self, key: str, force: bool = True, **fields: Any) -> None:
        stage = self.state[key]
        stage.update(fields)
        total = stage["total"]
        if stage["status"] == "completed":
            stage["percentage"] = 100
        elif total:
            stage["percentage"] = round(min(stage["current"], total) * 100 / total, 1)
        now = time.monotonic()
        if force or now - self._last >= self._min_interval:
            self._last = now
            self._publish(self.snapshot())

    def start(self, key: str, total: int = 0, label: str = "") -> None:
        self._set(key, status="tracking", current=0, total=total, label=label)

    def progress(self, key: str, current: int, label: str | None = None) -> None:
        fields: dict[str, Any] = {"current": current}
        if label is not None:
            fields["label"] = label
        self._set(key, force=current >= self.state[key]["total"], **fields)

    def complete(self, key: str, label: str | None = None) -> None:
        stage = self.state[key]
        fields: dict[str, Any] = {"status": "completed", "current": stage["total"]}
        if label is not None:
            fields["label"] = label
        self._set(key, **fields)

    def skip(self, key: str, label: str) -> None:
        self._set(key, status="completed", current=0, total=0, label=label)

    def fail(self, key: str, label: str) -> None:
        self._set(key, status="error", label=label)

    def fail_current(self, label: str) -> None:
        for key in STAGE_KEYS:
            if self.state[key]["status"] == "tracking":
                self.fail(key, label)
                return
