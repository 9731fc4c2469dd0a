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

import re

from elinara.agent.criteria import CARVE_OUT, KINDS_EXCLUDED, Clause, Criteria
from elinara.agent.normalize import Municipality, municipalities
from elinara.agent.notices.beneficiaries import read_kinds, read_sizes
from elinara.agent.notices.cae import (
    INCLUDED,
    CaeFound,
    annex_senses,
    annexes_named,
    any_activity,
    names_activities,
    read_rows,
    read_sentences,
    sense_of,
)
from elinara.agent.notices.geography import Places, narrowed_regions, read_places
from elinara.agent.notices.sections import SENTENCE, Section, fold_keep, split_sections

# Bump when the rules change, so stored criteria are read again from the stored text.
PARSER_VERSION = 11
QUOTE_CHARS = 200


def parse_notice(text: str) -> Criteria:
    """The criteria a notice's plain text states (``source="notice"``)."""
    criteria = Criteria(source="notice")
    sections = split_sections(text)
    cited = _Citations()
    _geography(criteria, sections, cited)
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
    """Territory from the territory sections, the annexes they point to ("constam do Anexo
    II") and the tables they refer to ("as sub-regiões constantes do quadro seguinte"): unread
    when one of them could only be read in part, or when none of them names a place. Places
    that narrow a region also named (its subregions, its municipalities) replace it; places
    taken out ("com exceção de Ourém") are carve-outs, cited apart."""
    territory = [s for s in sections if "geography" in s.topics]
    pointed = set()
    for section in territory:
        pointed |= annexes_named(fold_keep(section.body))
    sources = [(s, s.is_annex or s.is_table) for s in territory]
    sources += [
        (s, True)
        for s in sections
        if s.is_annex and "geography" not in s.topics and s.number.split()[1] in pointed
    ]
    if any("quadro" in fold_keep(s.body) for s in territory):
        sources += [(s, True) for s in _place_tables(sections)]
    found = Places()
    unclear = low_density = False
    for section, listing in sources:
        heading, lines = section.heading, section.lines
        finest = listing and _municipality_column(f"{heading} {section.title}", lines)
        places = read_places(" ".join(lines), finest=finest, listing=listing)
        unclear |= places.partial
        low_density |= places.low_density
        if not (places.found or places.subregions_excluded or places.municipalities_excluded):
            continue
        found.examples |= places.examples
        for name in (
            "regions",
            "subregions",
            "municipalities",
            "subregions_excluded",
            "municipalities_excluded",
        ):
            setattr(found, name, _merge(getattr(found, name), getattr(places, name)) or [])
        cited.add("geography", heading, places.quotes)
        if places.excluded_quotes:
            cited.add(CARVE_OUT, heading, places.excluded_quotes)
    if not found.examples:
        narrowed = narrowed_regions(found)
        found.regions = [r for r in found.regions if r not in narrowed]
    # Municipalities inside subregions also listed: a narrowing or examples, not written exactly.
    unclear |= any(m.nuts3 in found.subregions for m in _listed(found.municipalities))
    # Low-density territories are read exactly when the notice lists their places.
    unclear |= low_density and not (found.subregions or found.municipalities)
    criteria.regions = found.regions or None
    criteria.subregions = found.subregions or None
    criteria.municipalities = found.municipalities or None
    criteria.subregions_excluded = found.subregions_excluded or None
    criteria.municipalities_excluded = found.municipalities_excluded or None
    if unclear or (territory and not (criteria.has_geography or criteria.has_carve_outs)):
        criteria.unread.append("geography")


# What makes a table ("Quadro 2 - NUTS III elegíveis") one of places.
_PLACE_TABLE = re.compile(r"\bnuts\b|sub-?regi|municipi|concelh|geografic|territori")
_MUNICIPALITY_COLUMN = re.compile(r"\b(?:municipios?|concelhos?)\b")


def _listed(names: list[str]) -> list[Municipality]:
    return [m for m in municipalities() if m.name in names]


def _place_tables(sections: list[Section]) -> list[Section]:
    """The tables of places in a notice ("Quadro 1 - Sub-regiões NUTS III abrangidas" and its
    rows), wherever the PDF put them."""
    return [
        s
        for s in sections
        if s.is_table
        and "geography" not in s.topics
        and _PLACE_TABLE.search(fold_keep(" ".join([s.title, *s.lines[:1]])))
    ]


def _municipality_column(heading: str, lines: list[str]) -> bool:
    """A table or annex of municipalities (its title or header names them): the NUTS III or
    region beside each municipality describes it, it does not add its whole subregion."""
    head = fold_keep(" ".join([heading, *lines[:2]]))
    return bool(_MUNICIPALITY_COLUMN.search(head)) and (
        "|" in " ".join(lines[:3]) or (len(lines) > 1 and all(len(x) < 90 for x in lines[:4]))
    )


def _beneficiaries(criteria: Criteria, sections: list[Section], cited: _Citations) -> None:
    who = [s for s in sections if "beneficiaries" in s.topics]
    readings = [read_kinds(section.lines) for section in who]
    # "entidades públicas ou privadas": no restriction on the kind of applicant.
    anyone = any(kinds.any_entity for kinds in readings)
    turned_away: list[str] = []
    for section, kinds in zip(who, readings, strict=True):
        if kinds.values and not anyone:
            criteria.beneficiaries = _merge(criteria.beneficiaries, kinds.values)
            cited.add("beneficiaries", section.heading, kinds.quotes)
        if kinds.excluded:
            turned_away = _merge(turned_away, kinds.excluded) or []
            cited.add(KINDS_EXCLUDED, section.heading, kinds.excluded_quotes)
    # kinds turned away count where the notice does not also admit them
    turned_away = [k for k in turned_away if k not in (criteria.beneficiaries or [])]
    criteria.beneficiaries_excluded = turned_away or None
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
        # a territory section may say which activities qualify ("... e inserir-se nas indústrias
        # transformadoras (secção C da CAE)"): its sentences, not its tables
        s
        for s in sections
        if s.topics & {"cae", "beneficiaries", "conditions", "geography"} or s.is_annex
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
        if section.is_table and default is None:
            default = _table_sense(sections, section)
        lines = (
            read_rows(section.lines, default, found, annex=section.is_annex)
            if is_table
            else section.lines
        )
        listed = INCLUDED if "cae" in section.topics and not section.is_annex else None
        read_sentences(" ".join(lines), default, found, listed=listed)
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


def _table_sense(sections: list[Section], table: Section) -> str | None:
    """The sense the text before a table gives it: "São elegíveis as atividades do quadro
    seguinte"."""
    index = sections.index(table)
    if index == 0:
        return None
    before = [
        fold_keep(sentence)
        for sentence in SENTENCE.split(sections[index - 1].body)
        if "quadro" in fold_keep(sentence)
    ]
    return sense_of(before[-1]) if before else None


def _names_cae(section: Section) -> bool:
    """An annex about activity codes: its title or its first lines say CAE, or its header
    has the CAE's columns ("Secção | Divisão | Grupo | Classe | Subclasse | Designação")."""
    head = fold_keep(" ".join([section.title, *section.lines[:3]]))
    words = set(re.findall(r"\w+", head))
    return (
        "cae" in words
        or "classificacao portuguesa das atividades" in head
        or {"divisao", "subclasse"} <= words
    )


def _merge(current: list[str] | None, new: list[str]) -> list[str] | None:
    """``current`` with the items of ``new`` it lacks; None while neither holds anything."""
    merged = list(dict.fromkeys([*(current or []), *new]))
    return merged or None
