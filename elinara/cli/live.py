"""How a run looks in a terminal: live stage bars and the thought stream, or plain log lines."""

from __future__ import annotations

import sys
import threading
from collections import deque
from typing import Any, TextIO

from elinara.agent.events import Event
from elinara.agent.stages import STAGE_TITLES, empty_pipeline

_ICONS = {"thought": "·", "action": "→", "observation": "✓", "error": "!"}
_STYLE = {"thought": "dim", "action": "cyan", "observation": "green", "error": "bold red"}


class LiveView:
    """A Rich live display of the six stages with the latest thoughts under them."""

    def __init__(self, console: Any, thoughts: int = 8) -> None:
        from rich.live import Live

        self.console = console
        self.pipeline = empty_pipeline()
        self.thoughts: deque[tuple[str, str]] = deque(maxlen=thoughts)
        self._lock = threading.Lock()
        self._live = Live(self._render(), console=console, refresh_per_second=8, transient=False)

    def __enter__(self) -> LiveView:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.update(self._render())
        self._live.__exit__(None, None, None)

    def __call__(self, event: Event) -> None:
        with self._lock:
            if event.name == "pipeline_update":
                self.pipeline = event.payload["pipeline"]
            elif event.name == "agent_action":
                self.thoughts.append((event.payload["type"], event.payload["content"]))
            else:
                return
            self._live.update(self._render())

    def _render(self) -> Any:
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        table = Table.grid(padding=(0, 1))
        table.add_column(width=22)
        table.add_column(width=30)
        table.add_column(width=6, justify="right")
        table.add_column()
        for key, stage in self.pipeline.items():
            status = stage["status"]
            style = {"completed": "green", "error": "red", "tracking": "yellow"}.get(status, "dim")
            table.add_row(
                Text(STAGE_TITLES[key], style=style),
                ProgressBar(
                    total=100,
                    completed=float(stage["percentage"]),
                    width=30,
                    complete_style=style,
                    finished_style=style,
                ),
                Text(f"{stage['percentage']:.0f}%", style=style),
                Text(str(stage.get("label") or ""), style="dim"),
            )
        lines = [
            Text(f"{_ICONS.get(kind, '·')} {content}", style=_STYLE.get(kind, ""))
            for kind, content in self.thoughts
        ]
        return Group(table, Text(""), *lines)


class PlainLog:
    """One line per stage change and per thought, for logs and pipes."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self._status: dict[str, str] = {}

    def __call__(self, event: Event) -> None:
        if event.name == "pipeline_update":
            for key, stage in event.payload["pipeline"].items():
                if self._status.get(key) != stage["status"]:
                    self._status[key] = stage["status"]
                    if stage["status"] != "pending":
                        label = f" ({stage['label']})" if stage.get("label") else ""
                        self._write(f"[{STAGE_TITLES[key]}] {stage['status']}{label}")
        elif event.name == "agent_action":
            kind = event.payload["type"]
            self._write(f"{kind}: {event.payload['content']}")

    def _write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()
