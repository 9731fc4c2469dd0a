"""A call's criteria when its notice says nothing (or was not read): Portugal 2030's structure.

* geography: the regions its title names as its territory, else those its programmes cover
  (:func:`elinara.agent.calls.programme_coverage`);
* beneficiaries: the kind its title (or typology) names, e.g. "entidades formadoras"; when it
  names none, companies (a lead of another kind may apply only where a call says so);
* sizes: the size rule of its title and typologies ("PME", "não PME").

:func:`effective_criteria` lays a notice's criteria over these, criterion by criterion: what the
notice states wins; what it leaves unknown falls back on the metadata; what neither knows stays
unknown (and excludes nobody).
"""

from __future__ import annotations

import re

from elinara.agent.calls import MAINLAND
from elinara.agent.criteria import CARVE_OUT, KINDS_EXCLUDED, Clause, Criteria
from elinara.agent.matching.beneficiaries import call_beneficiaries
from elinara.models import FundingCall
from elinara.text import clip, fold

# Region names as titles write them (case-sensitive: "centro" is also a common noun).
_TITLE_REGIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("norte", re.compile(r"\bNorte\b(?!-)")),
    ("centro", re.compile(r"\bCentro\b(?! (?:de|da|do|dos|das|para|Histórico|Hist[oó]rico)\b)")),
    ("lisboa", re.compile(r"\b(?:Lisboa|AML)\b")),
    ("alentejo", re.compile(r"\bAlentejo\b")),
    ("algarve", re.compile(r"\bAlgarve\b")),
    ("acores", re.compile(r"\bA[çc]ores\b")),
    # not the wood industry ("Fileira da Madeira e Mobiliário")
    (
        "madeira",
        re.compile(r"\bMadeira\b(?!\s*(?:e|,)\s*(?:do\s+)?(?:[Mm]obili|[Cc]orti|[Pp]apel))"),
    ),
)
_MAINLAND_TITLE = re.compile(
    r"\b(?:[Cc]ontinente|território continental|Portugal [Cc]ontinental)\b"
)


def regions_in_title(title: str) -> list[str] | None:
    """The NUTS II regions a call's title names as its territory ("... no Algarve", "Aviso
    conjunto Norte, Centro e Alentejo", "... do Continente"); None when it names none."""
    found = [key for key, pattern in _TITLE_REGIONS if pattern.search(title)]
    if _MAINLAND_TITLE.search(title):
        found = list(dict.fromkeys([*MAINLAND, *found]))
    return found or None


_SIZES_OF_RULE: dict[str, list[str]] = {
    "pme": ["micro", "small", "medium"],
    "non_pme": ["large"],
    "large": ["large"],
}
_SIZE_RULE_WORDS = {"pme": "PME", "non_pme": "não PME", "large": "grandes empresas"}


_MICRO_SMALL = re.compile(r"\bmicro(?:empresas)?,? e (?:as )?pequenas\b(?!,? e medias)")
_MICRO_ONLY = re.compile(r"\bmicroempresas\b|\bmicro-empresas\b")


# The clause of a call that names no kind of beneficiary: it is for companies.
COMPANIES_PRESUMED = Clause("no other beneficiary named", "")


def title_sizes(title: str) -> tuple[list[str], str] | None:
    """Sizes a title narrows the PME rule to ("micro e pequenas empresas", "microempresas")."""
    folded = fold(title)
    found = _MICRO_SMALL.search(folded)
    if found:
        return ["micro", "small"], "micro e pequenas empresas"
    if _MICRO_ONLY.search(folded) and "pequenas" not in folded and "pme" not in folded:
        return ["micro"], "microempresas"
    return None


def metadata_criteria(call: FundingCall) -> Criteria:
    criteria = Criteria(source="metadata")
    names = ", ".join(call.programmes) or ", ".join(call.programme_codes)
    titled = regions_in_title(call.title)
    if titled is not None:
        criteria.regions = titled
        criteria.clauses["geography"] = Clause("title", clip(call.title, 120))
    elif call.regions is not None:
        criteria.regions = list(call.regions)
        if names:
            criteria.clauses["geography"] = Clause(f"programme {names}", "")
    found = call_beneficiaries(call.title, call.text)
    if found is not None:
        kinds, words = found
        criteria.beneficiaries = kinds
        criteria.clauses["beneficiaries"] = Clause("title", clip(words, 120))
    else:  # a lead other than a company may apply only where a call says so
        criteria.beneficiaries = ["company"]
        criteria.clauses["beneficiaries"] = COMPANIES_PRESUMED
    narrowed = title_sizes(call.title)
    sizes = _SIZES_OF_RULE.get(call.size_rule)
    if narrowed is not None and call.size_rule in ("pme", "any"):
        criteria.sizes = narrowed[0]
        criteria.clauses["sizes"] = Clause("title", narrowed[1])
    elif sizes is not None:
        criteria.sizes = list(sizes)
        criteria.clauses["sizes"] = Clause("title", _SIZE_RULE_WORDS[call.size_rule])
    return criteria


def effective_criteria(call: FundingCall) -> Criteria:
    """The notice's criteria where it states them, else the metadata's."""
    base = metadata_criteria(call)
    notice = call.criteria
    if notice is None:
        return base
    merged = Criteria(source=notice.source, unread=list(notice.unread))
    if notice.has_geography:
        merged.regions = notice.regions
        merged.subregions = notice.subregions
        merged.municipalities = notice.municipalities
    else:
        merged.regions = base.regions
    # Carve-outs narrow whichever territory applies, the notice's or the programmes'.
    merged.subregions_excluded = notice.subregions_excluded
    merged.municipalities_excluded = notice.municipalities_excluded
    if notice.has_carve_outs and CARVE_OUT in notice.clauses:
        merged.clauses[CARVE_OUT] = notice.clauses[CARVE_OUT]
    merged.beneficiaries_excluded = notice.beneficiaries_excluded
    if notice.beneficiaries_excluded and KINDS_EXCLUDED in notice.clauses:
        merged.clauses[KINDS_EXCLUDED] = notice.clauses[KINDS_EXCLUDED]
    for key in ("beneficiaries", "sizes", "cae_included", "cae_excluded"):
        value = getattr(notice, key)
        setattr(merged, key, value if value is not None else getattr(base, key))
    for key in ("geography", "beneficiaries", "sizes", "cae_included", "cae_excluded"):
        clause = notice.clauses.get(key) if notice.known(key) else base.clauses.get(key)
        if clause is not None:
            merged.clauses[key] = clause
    return merged
