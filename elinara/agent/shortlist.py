"""What a consultant reads first after a run: per company its best calls, per call how many
companies fit. Every match stays in the store, the JSON output and the exports; this only picks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from elinara.models import Match

BEST_PER_COMPANY = 3


@dataclass
class CompanyShortlist:
    company: str
    nif: str
    best: list[Match] = field(default_factory=list)  # best first
    total: int = 0  # every match of the company


@dataclass
class CallCount:
    aviso_id: str
    title: str
    companies: int


def shortlist(
    matches: Iterable[Match], per_company: int | None = BEST_PER_COMPANY
) -> list[CompanyShortlist]:
    """Companies with their best matches (``per_company`` each; None: all), the companies with
    the best top match first."""
    by_company: dict[str, CompanyShortlist] = {}
    for match in matches:
        entry = by_company.setdefault(
            match.lead_key, CompanyShortlist(match.company, match.lead_key)
        )
        entry.best.append(match)
        entry.total += 1
    for entry in by_company.values():
        entry.best.sort(key=lambda m: (-m.match_score, m.aviso_id))
        if per_company is not None:
            del entry.best[per_company:]
    return sorted(
        by_company.values(), key=lambda e: (-e.best[0].match_score, -e.total, e.company.casefold())
    )


def call_counts(matches: Iterable[Match]) -> list[CallCount]:
    """Calls with the number of companies that fit them, most first."""
    counts: dict[str, CallCount] = {}
    for match in matches:
        entry = counts.setdefault(match.aviso_id, CallCount(match.aviso_id, match.title, 0))
        entry.companies += 1
    return sorted(counts.values(), key=lambda c: (-c.companies, c.aviso_id))
