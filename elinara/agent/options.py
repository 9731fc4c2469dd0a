"""What one run is asked to do beyond its agent's settings: ``RunOptions``.

Built at the edges (the CLI's `agent run`, the routes, the scheduler), checked once here, stored
with the run as its ``params`` document (``to_params`` / ``from_params``) and read as attributes
by the plan, the judge and the pipeline. Adding an option is one field here and where an edge
sets it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from elinara.agent.checks import PROVIDERS
from elinara.errors import BadInput


@dataclass(frozen=True)
class RunOptions:
    leads: list[str] = field(default_factory=list)  # leads files or folders (paths)
    calls: list[str] = field(default_factory=list)  # calls files, URLs, or "p2030"
    notices: str | None = None  # a folder of notices (PDFs) for calls read from files
    filename: str = ""  # a task's leads file (an upload, a data source or a saved cloud file)
    phone: str = ""  # a task's phone number for its result
    provider: str | None = None  # None: the agent's, else the configured default
    model: str | None = None
    min_score: int | None = None  # 0-100; None: the agent's, else the configured default
    as_of: str | None = None  # ISO moment the calls are judged open on; None: now
    dry_run: bool = False
    alert_emails: list[str] = field(default_factory=list)  # the local agent's (agents: settings)
    max_cost: float | None = None  # USD the LLM judge may spend
    max_calls: int | None = None  # LLM provider calls the judge may make
    no_fallback: bool = False  # fail the run when the LLM stays down

    def __post_init__(self) -> None:
        if self.provider is not None:
            object.__setattr__(self, "provider", self.provider.strip().lower())
            if self.provider not in PROVIDERS:
                raise BadInput(
                    f"Unknown provider {self.provider!r}; choose one of {', '.join(PROVIDERS)}.",
                    errors={"provider": f"one of {', '.join(PROVIDERS)}"},
                )
        if self.min_score is not None and not 0 <= self.min_score <= 100:
            raise BadInput(
                "--min-score (min_score) must be between 0 and 100.",
                errors={"min_score": "between 0 and 100"},
            )
        if self.max_cost is not None and not (self.max_cost > 0 and math.isfinite(self.max_cost)):
            raise BadInput(
                "--max-cost (max_cost) must be more than 0 (USD).",
                errors={"max_cost": "more than 0"},
            )
        if self.max_calls is not None and self.max_calls < 1:
            raise BadInput(
                "--max-calls (max_calls) must be at least 1.", errors={"max_calls": "at least 1"}
            )

    def to_params(self) -> dict[str, Any]:
        """The run's ``params`` document: the options that differ from their defaults."""
        default = RunOptions()
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> RunOptions:
        """The options a stored run was queued with; an unknown key is refused, not ignored."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(params) - known)
        if unknown:
            raise BadInput(f"Unknown run option(s): {', '.join(unknown)}.")
        return cls(**params)
