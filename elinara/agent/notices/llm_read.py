"""An LLM reads a notice once into the same criteria the parser reads, to fill what the parser could
not read.

The answer follows a strict JSON Schema (:data:`SCHEMA`); every value is checked against the
project's own tables (regions, NUTS III subregions, municipalities, beneficiary kinds, sizes, the
CAE normal form), and what does not fit them is dropped, never guessed. :func:`fill_unknown` takes
from the LLM only the criteria the parser left unknown: the LLM never overrides a clause the
parser read, so it never removes a pair that the notice's stated criteria allow.
"""

from __future__ import annotations

import json
import re
from typing import Any

from elinara.agent.cae import cae_range
from elinara.agent.criteria import BENEFICIARY_KINDS, CRITERIA_KEYS, Clause, Criteria
from elinara.agent.llm.base import LlmRequest
from elinara.agent.normalize import municipalities, place_key
from elinara.models import REGIONS, SIZES

PROMPT_VERSION = "notice-v2"
NOTICE_CHARS = 60_000  # what is sent of a notice's text: its eligibility sections come first
OUTPUT_TOKENS = 600

_CLAUSE: dict[str, Any] = {
    "type": ["object", "null"],
    "properties": {"section": {"type": "string"}, "quote": {"type": "string"}},
    "required": ["section", "quote"],
    "additionalProperties": False,
}


def _list_of(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": ["array", "null"], "items": items}


_PROPERTIES: dict[str, Any] = {
    "regions": _list_of({"type": "string", "enum": list(REGIONS)}),
    "subregions": _list_of({"type": "string"}),
    "municipalities": _list_of({"type": "string"}),
    "geography_clause": _CLAUSE,
    "beneficiaries": _list_of({"type": "string", "enum": list(BENEFICIARY_KINDS)}),
    "beneficiaries_clause": _CLAUSE,
    "sizes": _list_of({"type": "string", "enum": list(SIZES)}),
    "sizes_clause": _CLAUSE,
    "cae_included": _list_of({"type": "string"}),
    "cae_included_clause": _CLAUSE,
    "cae_excluded": _list_of({"type": "string"}),
    "cae_excluded_clause": _CLAUSE,
}
# Strict structured output: every property is required (null when the notice is silent).
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": _PROPERTIES,
    "required": list(_PROPERTIES),
    "additionalProperties": False,
}

SYSTEM = f"""\
You read the notice ("aviso de abertura") of a Portugal 2030 funding call and state who may \
apply, exactly as the notice says it. Answer only with JSON following the schema:
- "regions": NUTS II keys among {", ".join(REGIONS)} where operations must be located \
("todas as regiões do Continente" = norte, centro, lisboa, alentejo, algarve); \
"subregions": NUTS III names as written (e.g. "Alto Minho"); "municipalities": municipality \
names as written. null when the notice does not set the territory.
- "beneficiaries": kinds among {"; ".join(f"{k} = {v}" for k, v in BENEFICIARY_KINDS.items())} \
("company" for enterprises of any size; "central_admin" for the State's direct and indirect \
administration, not municipalities; "ipss" for IPSS only, not every non-profit); null when not \
stated.
- "sizes": company sizes allowed among micro, small, medium, large ("PME" = micro, small, \
medium); null when not stated.
- "cae_included" / "cae_excluded": CAE codes as digit prefixes ("10", "5510", "62010"), ranges \
of prefixes of equal length ("10-33") or section letters ("C"); null when the notice lists none.
- each "*_clause": the heading of the section it comes from ("5. Beneficiários", "Anexo I") and \
the deciding words quoted from the notice (at most 200 characters); null with its criterion.
Never guess: a criterion the notice does not state is null."""

_CAE_ITEM = re.compile(r"^(?:[A-U]|\d{2,5}|(\d{2,5})-(\d{2,5}))$")


def notice_request(text: str, code: str) -> LlmRequest:
    user = f"Notice of call {code}:\n\n{text[:NOTICE_CHARS]}"
    return LlmRequest(system=SYSTEM, user=user, schema=SCHEMA, schema_name="notice_criteria")


def _strings(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def _clause(value: Any) -> Clause | None:
    if not isinstance(value, dict):
        return None
    section, quote = value.get("section"), value.get("quote")
    if not isinstance(section, str) or not isinstance(quote, str):
        return None
    return Clause(f"{section.strip()[:80]} (read by LLM)", " ".join(quote.split())[:200])


def _cae_items(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    kept: list[str] = []
    for raw in values:
        item = raw.replace(".", "").replace(" ", "").upper()
        found = _CAE_ITEM.match(item)
        if found is None:
            continue
        low, high = found.group(1), found.group(2)
        if low is not None and cae_range(low, high) == "?":
            continue
        kept.append(item)
    return kept or None


def parse_criteria(text: str) -> Criteria | str:
    """The criteria of an answer, each value checked against the project's tables; a string
    saying what is wrong when the answer is not the expected JSON object."""
    cleaned = text.strip()
    if cleaned.startswith("```"):
        cleaned = cleaned.split("\n", 1)[-1].rsplit("```", 1)[0]
    try:
        data = json.loads(cleaned)
    except ValueError:
        return "the answer is not JSON"
    if not isinstance(data, dict):
        return "the answer is not a JSON object"
    places = {place_key(m.name): m.name for m in municipalities()}
    nuts3 = {place_key(m.nuts3): m.nuts3 for m in municipalities()}
    criteria = Criteria(source="llm")
    regions = _strings(data.get("regions"))
    if regions is not None:
        criteria.regions = [r for r in REGIONS if r in regions] or None
    subregions = _strings(data.get("subregions"))
    if subregions is not None:
        found = [nuts3[place_key(s)] for s in subregions if place_key(s) in nuts3]
        criteria.subregions = found or None
    names = _strings(data.get("municipalities"))
    if names is not None:
        found = [places[place_key(m)] for m in names if place_key(m) in places]
        criteria.municipalities = found or None
    kinds = _strings(data.get("beneficiaries"))
    if kinds is not None:
        criteria.beneficiaries = [k for k in BENEFICIARY_KINDS if k in kinds] or None
    sizes = _strings(data.get("sizes"))
    if sizes is not None:
        criteria.sizes = [s for s in SIZES if s in sizes] or None
    criteria.cae_included = _cae_items(_strings(data.get("cae_included")))
    criteria.cae_excluded = _cae_items(_strings(data.get("cae_excluded")))
    for key in CRITERIA_KEYS:
        known = criteria.known(key)
        clause = _clause(data.get(f"{key}_clause"))
        if known and clause is not None:
            criteria.clauses[key] = clause
    return criteria


def missing_criteria(criteria: Criteria) -> list[str]:
    """The criteria a parser left unknown (what an LLM may fill)."""
    missing = [k for k in CRITERIA_KEYS if not criteria.known(k)]
    return missing


def fill_unknown(parsed: Criteria, read: Criteria) -> Criteria:
    """The parser's criteria with what it left unknown taken from the LLM's reading."""
    filled = Criteria.from_doc(parsed.to_doc())
    if not parsed.has_geography and read.has_geography:
        filled.regions, filled.subregions = read.regions, read.subregions
        filled.municipalities = read.municipalities
        if "geography" in read.clauses:
            filled.clauses["geography"] = read.clauses["geography"]
    for key in CRITERIA_KEYS[1:]:
        if getattr(parsed, key) is None and getattr(read, key) is not None:
            setattr(filled, key, getattr(read, key))
            if key in read.clauses:
                filled.clauses[key] = read.clauses[key]
    filled.unread = [k for k in parsed.unread if k in missing_criteria(filled)]
    return filled
