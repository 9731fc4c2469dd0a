"""What the parts of one run share: ``RunContext`` (plan, store, settings, events, stages,
control, outcome, and the leads and calls loaded so far), with ``warn()`` and ``progress()``.

The pipeline runs the stages over it; the LLM judge and the notifications take it, never the
pipeline itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from elinara.agent.events import RunEvents
from elinara.agent.inputs import RunPlan
from elinara.agent.stages import Stages
from elinara.config import Settings
from elinara.errors import ElinaraError, RunCancelled
from elinara.models import FundingCall, Lead, Match
from elinara.store import Store


class RunControl:
    """Checks, at safe points, whether the run was asked to stop or pause."""

    def __init__(self, poll: Callable[[], dict[str, bool]] | None = None, every: float = 0.5):
        self._poll = poll
        self._every = every
        self._last = 0.0
        self._flags: dict[str, bool] = {}
        self.on_pause: Callable[[bool], None] | None = None

    def _refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if self._poll is not None and (force or now - self._last >= self._every):
            self._last = now
            self._flags = self._poll()

    def checkpoint(self) -> None:
        self._refresh()
        paused = False
        while self._flags.get("pause") and not self._flags.get("cancel"):
            if not paused and self.on_pause:
                self.on_pause(True)
            paused = True
            time.sleep(self._every)
            self._refresh(force=True)
        if self._flags.get("cancel") or self._flags.get("lost"):
            raise RunCancelled("The run was stopped.")
        if paused and self.on_pause:
            self.on_pause(False)


@dataclass
class RunOutcome:
    status: str  # completed | failed | cancelled
    counts: dict[str, int] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    usage: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    error: ElinaraError | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    prompts: list[dict[str, Any]] = field(default_factory=list)  # dry run + LLM: would be sent


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(
        (
            "leads",
            "leads_invalid",
            "calls",
            "calls_open",
            "notices_read",
            "notices_downloaded",
            "notices_parsed",
            "notices_failed",
            "candidates",
            "matches",
            "new_matches",
        ),
        0,
    )


def empty_usage() -> dict[str, Any]:
    return {"calls": 0, "cached": 0, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0}


@dataclass
class RunContext:
    plan: RunPlan
    run_id: str
    store: Store
    settings: Settings
    events: RunEvents
    stages: Stages
    control: RunControl = field(default_factory=RunControl)
    outcome: RunOutcome = field(
        default_factory=lambda: RunOutcome(
            status="running", counts=empty_counts(), usage=empty_usage()
        )
    )
    on_progress: Callable[[int, str], None] | None = None
    worker_id: str | None = None  # who holds the run; its writes stop if it loses it
    leads: list[Lead] = field(default_factory=list)
    calls: list[FundingCall] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """A problem the run survives: kept in the outcome and shown as an error event."""
        self.outcome.warnings.append(message)
        self.events.error(message)

    def progress(self, percent: int, message: str) -> None:
        """The run's overall progress (the task's percentage), for whoever listens."""
        if self.on_progress:
            self.on_progress(percent, message)
