"""Read who may apply to a call from its notice's text: :func:`parse_notice`.

A consultant reads a notice in order: where, who, for what. So does the parser, each in the
sections that state it (their titles say which, see :mod:`.sections`): the territory only in the
section that sets it (a notice names its programme's region and the authority's address
everywhere else), beneficiaries and sizes in the beneficiaries and eligibility sections, CAE
codes in those and in CAE sections and annexes. What cannot be read stays None; a section that
exists but could not be understood puts its key in ``unread``. The rules are documented in
docs/notices.md ("How criteria are read").
"""

from __future__ import annotations

from elinara.agent.criteria import Clause, Criteria
from elinara.agent.notices.beneficiaries import read_kinds, read_sizes
from elinara.agent.notices.cae import (
    CaeFound,
    annex_senses,
    annexes_named,
    any_activity,
    names_activities,
    read_rows,
    read_sentences,
    sense_of,
)
from elinara.agent.notices.geography import read_places
from elinara.agent.notices.sections import Section, fold_keep, split_sections

# Bump when the rules change, so stored criteria are read again from the stored text.
PARSER_VERSION = 2
QUOTE_CHARS = 200


def parse_notice(text: str) -> Criteria:
    """The criteria a notice's plain text states (``source="notice"``)."""
    criteria = Criteria(source="notice")
    sections = split_sections(text)
    cited = _Citations()
    _geography(criteria, [s for s in sections if "geography" in s.topics], cited)
    _beneficiaries(criteria, sections, cited)
    _cae(criteria, sections, cited)
    criteria.clauses = cited.clauses()
    return criteria


def quote(*parts: str, limit: int = QUOTE_CHARS) -> str:
    """The deciding words, trimmed to about ``limit`` characters at a word boundary."""
    text = " … ".join(p for p in parts if p)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


class _Citations:
    """The sections and words each criterion was read from; a criterion read in two sections
    ("4. Condições de acesso" and "Anexo I") cites both, each with its share of the quote."""

    def __init__(self) -> None:
        self.read: dict[str, dict[str, list[str]]] = {}

    def add(self, key: str, heading: str, quotes: list[str]) -> None:
        words = self.read.setdefault(key, {}).setdefault(heading, [])
        words.extend(q for q in quotes if q not in words)

    def clauses(self) -> dict[str, Clause]:
        clauses = {}
        for key, by_section in self.read.items():
            share = QUOTE_CHARS // len(by_section)
            words = [quote(*qs, limit=share) for qs in by_section.values()]
            clauses[key] = Clause("; ".join(by_section), " … ".join(words))
        return clauses


def _geography(criteria: Criteria, sections: list[Section], cited: _Citations) -> None:
    """Territory from the territory sections: unread when one of them could only be read in
    part, or when none of them names a place."""
    unclear = False
    for section in sections:
        places = read_places(section.body)
        if places.partial:
            unclear = True
        if not places.found:
            continue
        criteria.regions = _merge(criteria.regions, places.regions)
        criteria.subregions = _merge(criteria.subregions, places.subregions)
        criteria.municipalities = _merge(criteria.municipalities, places.municipalities)
        cited.add("geography", section.heading, places.quotes)
    if unclear or (sections and not criteria.has_geography):
        criteria.unread.append("geography")


def _beneficiaries(criteria: Criteria, sections: list[Section], cited: _Citations) -> None:
    who = [s for s in sections if "beneficiaries" in s.topics]
    readings = [read_kinds(section.lines) for section in who]
    # "entidades públicas ou privadas": no restriction on the kind of applicant.
    anyone = any(kinds.any_entity for kinds in readings)
    for section, kinds in zip(who, readings, strict=True):
        if kinds.values and not anyone:
            criteria.beneficiaries = _merge(criteria.beneficiaries, kinds.values)
            cited.add("beneficiaries", section.heading, kinds.quotes)
    if who and criteria.beneficiaries is None and not anyone:
        criteria.unread.append("beneficiaries")
    if criteria.beneficiaries is not None and "company" not in criteria.beneficiaries:
        return  # sizes are of companies; "ações dirigidas às PME" does not make PME apply
    _sizes(criteria, sections, who, cited)


def _sizes(
    criteria: Criteria, sections: list[Section], who: list[Section], cited: _Citations
) -> None:
    for section in who + [s for s in sections if s.topics & {"conditions", "sizes"}]:
        sizes = read_sizes(section.body)
        if sizes.values:
            criteria.sizes = _merge(criteria.sizes, sizes.values)
            cited.add("sizes", section.heading, sizes.quotes)


def _cae(criteria: Criteria, sections: list[Section], cited: _Citations) -> None:
    scanned = [
        s for s in sections if s.topics & {"cae", "beneficiaries", "conditions"} or s.is_annex
    ]
    pointed = annex_senses(" ".join(s.body for s in sections if not s.is_annex))
    annexes = {s.number.removeprefix("anexo ") for s in sections if s.is_annex}
    found_by_section: list[tuple[Section, CaeFound]] = []
    unread: set[str] = set()
    silent: set[str] = set()  # CAE sections that listed nothing
    for section in scanned:
        found = CaeFound()
        default = sense_of(fold_keep(section.title))
        is_table = "cae" in section.topics or (section.is_annex and _names_cae(section))
        if section.is_annex:
            if not is_table:
                continue
            default = default or pointed.get(section.number.removeprefix("anexo "))
        lines = read_rows(section.lines, default, found) if is_table else section.lines
        read_sentences(" ".join(lines), default, found)
        # A CAE section without codes: silence on activities, "todas as atividades" and a
        # pointer to one of this notice's annexes are clear; a pointer to a list elsewhere
        # ("as atividades previstas no Anexo B do Regulamento") is not.
        empty = is_table and not (found.included or found.excluded or found.unread)
        body = fold_keep(section.body)
        if (
            empty
            and names_activities(body)
            and not any_activity(body)
            and not annexes_named(body) & annexes
        ):
            silent.add("cae_excluded" if default == "excluded" else "cae_included")
        unread |= found.unread
        found_by_section.append((section, found))
    for section, found in found_by_section:
        if found.included:
            criteria.cae_included = _merge(criteria.cae_included, found.included)
            cited.add("cae_included", section.heading, found.included_quotes)
        if found.excluded:
            criteria.cae_excluded = _merge(criteria.cae_excluded, found.excluded)
            cited.add("cae_excluded", section.heading, found.excluded_quotes)
    # A silent CAE section is unclear only when no other section gave codes of that sense.
    unread |= {k for k in silent if getattr(criteria, k) is None}
    criteria.unread.extend(k for k in ("cae_included", "cae_excluded") if k in unread)


def _names_cae(section: Section) -> bool:
    """An annex about activity codes: its title or its first lines say CAE."""
    head = fold_keep(" ".join([section.title, *section.lines[:3]]))
    return "cae" in head.split() or "classificacao portuguesa das atividades" in head


def _merge(current: list[str] | None, new: list[str]) -> list[str] | None:
    """``current`` with the items of ``new`` it lacks; None while neither holds anything."""
    merged = list(dict.fromkeys([*(current or []), *new]))
    return merged or None
