"""A stored notice as the edges show it: its state, and its criteria with their clauses."""

from __future__ import annotations

from typing import Any

from elinara.agent.criteria import BENEFICIARY_KINDS, CARVE_OUT, KINDS_EXCLUDED, Criteria
from elinara.errors import NotFound
from elinara.models import REGIONS, Notice
from elinara.store import Store

# What a criterion is called, in the order a consultant reads a notice: where, who, for what.
CRITERIA_LABELS = {
    "geography": "geography",
    CARVE_OUT: "places excluded",  # shown only when the notice takes places out
    "beneficiaries": "beneficiaries",
    KINDS_EXCLUDED: "beneficiaries turned away",  # shown only when the notice turns some away
    "sizes": "company sizes",
    "cae_included": "eligible CAE",
    "cae_excluded": "excluded CAE",
}


def stored_notice(store: Store, aviso_id: str) -> Notice:
    """The stored notice of a call; NotFound when none was ever read."""
    code = aviso_id.strip()
    notice = store.notices.get(code)
    if notice is None:
        raise NotFound(
            f"No notice of call {code!r} is stored: a run that considers the call reads it "
            "(elinara agent run); check the code (codigoAviso)."
        )
    return notice


def _values(criteria: Criteria, key: str) -> list[str] | None:
    if key == "geography":
        if not criteria.has_geography:
            return None
        return [
            *(REGIONS.get(region, region) for region in criteria.regions or []),
            *(criteria.subregions or []),
            *(criteria.municipalities or []),
        ]
    if key == CARVE_OUT:
        return [*(criteria.subregions_excluded or []), *(criteria.municipalities_excluded or [])]
    if key in ("beneficiaries", KINDS_EXCLUDED):
        kinds = getattr(criteria, key)
        return None if kinds is None else [BENEFICIARY_KINDS.get(k, k) for k in kinds]
    values = getattr(criteria, key)
    return None if values is None else list(values)


def criteria_rows(criteria: Criteria) -> list[dict[str, Any]]:
    """One row per criterion: its label, its values (None: not stated, no restriction), the
    clause it rests on, and whether the notice left it unclear."""
    rows = []
    for key, label in CRITERIA_LABELS.items():
        if key == CARVE_OUT and not criteria.has_carve_outs:
            continue
        if key == KINDS_EXCLUDED and not criteria.beneficiaries_excluded:
            continue
        clause = criteria.clauses.get(key)
        rows.append(
            {
                "key": key,
                "label": label,
                "values": _values(criteria, key),
                "clause": clause.cite() if clause is not None else None,
                "unread": key in criteria.unread,
            }
        )
    return rows


def notice_view(notice: Notice) -> dict[str, Any]:
    """The notice's state and criteria, for ``--json`` and the API (no full text)."""
    criteria = Criteria.from_doc(notice.criteria) if notice.criteria is not None else None
    return {
        "aviso_id": notice.id,
        "title": notice.title,
        "state": "read" if criteria is not None else "not read",
        "reason": notice.reason,
        "origin": notice.origin,
        "document": notice.document,
        "source_updated_at": notice.source_updated_at,
        "fetched_at": notice.fetched_at,
        "parsed_at": notice.parsed_at,
        "parser_version": notice.parser_version,
        "size": notice.size,
        "content_hash": notice.content_hash,
        "text_chars": len(notice.text),
        "criteria": None if criteria is None else criteria.to_doc(),
        "criteria_rows": None if criteria is None else criteria_rows(criteria),
    }
