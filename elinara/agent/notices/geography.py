"""Where a call applies, read from the section of its notice that sets the territory.

Names are found by one precompiled pattern over the section's folded text (longest name first,
so "Área Metropolitana do Porto" wins over "Porto" and "Porto de Mós" over "Porto"), and kept only
when written as a proper name (capitalised: "Lagos" the town, not "lagos" the lakes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from elinara.agent.calls import EVERY_REGION, MAINLAND, MAINLAND_LESS_DEVELOPED
from elinara.agent.normalize import municipalities
from elinara.agent.notices.sections import EXAMPLES, SENTENCE, fold_keep
from elinara.models import REGIONS

# Phrases that name a set of NUTS II regions (folded).
_REGION_SETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"regioes menos desenvolvidas(?: do continente)?", MAINLAND_LESS_DEVELOPED),
    (
        r"(?:todas as |cinco )?regioes (?:nuts ii )?do continente|territorio continental"
        r"|portugal continental|regioes continentais|\bcontinente\b",
        MAINLAND,
    ),
    (r"todo o territorio nacional|territorio nacional|ambito nacional|todo o pais", EVERY_REGION),
    (r"regioes autonomas(?: dos acores e da madeira)?", ("acores", "madeira")),
)
# NUTS II regions by their own names (proper names: case is checked on the original text).
_REGION_NAMES = {
    "norte": "norte",
    "centro": "centro",
    "lisboa": "lisboa",
    "area metropolitana de lisboa": "lisboa",
    "aml": "lisboa",
    "alentejo": "alentejo",
    "algarve": "algarve",
    "regiao autonoma dos acores": "acores",
    "acores": "acores",
    "regiao autonoma da madeira": "madeira",
    "madeira": "madeira",
}
_SETS = re.compile("|".join(f"(?P<g{i}>{p})" for i, (p, _) in enumerate(_REGION_SETS)))
_SUBREGION_ALIASES = {
    "amp": "Área Metropolitana do Porto",
    "alto tamega e barroso": "Alto Tâmega",  # its NUTS 2024 name
}
_VALE_DO_TEJO = ("Oeste", "Médio Tejo", "Lezíria do Tejo")
# Names of areas drawn differently from the NUTS 2013 map: (regions, subregions, municipalities
# as (NUTS III, district) of the municipalities they hold).
_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, str] | None]] = {
    "oeste e vale do tejo": ((), _VALE_DO_TEJO, None),  # NUTS II 2024
    "lisboa e vale do tejo": (("lisboa",), _VALE_DO_TEJO, None),
    "grande lisboa": ((), (), ("Área Metropolitana de Lisboa", "Lisboa")),  # NUTS 2024
    "peninsula de setubal": ((), (), ("Área Metropolitana de Lisboa", "Setúbal")),
}
_NOT_A_REGION_AFTER = re.compile(r"^ (?:de|do|da|dos|das) (?!portugal)")
_LOWER_WORDS = frozenset({"de", "do", "da", "dos", "das", "e", "o", "a", "os", "as", "à"})
_EXCEPT = re.compile(
    r"\b(?:exceto|excepto|com excecao d|a excecao d|excluindo|excluid|com exclusao d|salvo"
    r"|excetuand|excetua-se|excetuam-se|ressalvand"
    r"|fora d[oa] (?:seu |respetivo |presente )?(?:ambito|aviso)"
    r"|nao (?:sao|e|serao|sera|sendo) (?:elegive|abrangid|apoiad)|nao abrang)"
)
# "fora da NUTS III X" after "não são elegíveis": X is where the call applies, not a carve-out.
_OUTSIDE = re.compile(r"\bfora d[oa]s? (?!(?:seu |respetivo |presente )?(?:ambito|aviso))")
# Words after "exceto" that say places are taken out: a carve-out the parser must resolve.
_PLACE_WORDS = re.compile(
    r"municipi|concelh|\bnuts\b|sub-?regi|freguesi|\bzonas?\b|\bareas?\b|\bilhas?\b"
    r"|distrit|localidade|cidade|territori|\bregi(?:ao|oes)\b"
)
_OTHER_PLACES = re.compile(
    r"\bn?outr[oa]s (?:concelhos|municipios|regioes|sub-regioes|territorios)"
)
_PROGRAMME_AFTER = re.compile(r"^ ?20[0-9]{2}\b")
_DATELINE_AFTER = re.compile(r"^,? \d{1,2}(?:\.º)? de [a-z]+ de \d{4}")
_MUNICIPAL_CONTEXT = re.compile(r"\b(?:municipi|concelh)")
_REGIONAL_CONTEXT = re.compile(r"\b(?:regi|nuts)")
_DISTRICT_BEFORE = re.compile(r"\bdistritos? d[eoa]s? $")
_LOW_DENSITY = re.compile(r"baixa densidade")
# Words before a subregion or municipality in its sentence that say places are listed.
_LISTED = re.compile(
    r"municipi|concelh|\bnuts\b|sub-?regi|territori|freguesi|intermunicipa|localiz|situad"
    r"|\bcim\b|[:;|]"
)
# Sentences about rates and bonuses by place: the places they name do not narrow the territory.
_RATES = re.compile(r"majora|\btaxas?\b|bonifica|pontua|prioridade|intensidade")


@dataclass(slots=True)
class Places:
    """What a geography section names; ``quote`` holds the sentences that named it."""

    regions: list[str] = field(default_factory=list)
    subregions: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    # The section restricts further than the lists say (a subregion taken out of a region,
    # places given as examples of a region): the lists are wider than the notice.
    partial: bool = False
    # "Territórios de baixa densidade": partial unless the notice lists them elsewhere.
    low_density: bool = False
    # Subregions or municipalities named as examples ("designadamente", "em especial"), or
    # in passing (no word says they are where the call applies: "a CCDR Centro, em Coimbra").
    examples: bool = False
    # Carve-outs: places taken out of the territory ("excluindo a NUTS III Lezíria do Tejo",
    # "com exceção de Ourém"), with the sentences that take them out.
    subregions_excluded: list[str] = field(default_factory=list)
    municipalities_excluded: list[str] = field(default_factory=list)
    excluded_quotes: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.regions or self.subregions or self.municipalities)


@dataclass(frozen=True)
class _Names:
    kinds: dict[str, tuple[str, str]]  # folded name -> (kind, canonical)
    longest: int  # words in the longest name
    districts: dict[str, tuple[str, ...]]  # folded district -> its municipalities


_WORD = re.compile(r"[a-z0-9]+")


def _key(name: str) -> str:
    return " ".join(_WORD.findall(fold_keep(name)))


@cache
def _names() -> _Names:
    kinds: dict[str, tuple[str, str]] = {}
    districts: dict[str, list[str]] = {}
    for m in municipalities():
        kinds.setdefault(_key(m.name), ("municipality", m.name))
        districts.setdefault(_key(m.district), []).append(m.name)
        if _key(m.nuts3) in _REGION_NAMES or _key(m.nuts3) == _key(REGIONS[m.region]):
            continue
        kinds[_key(m.nuts3)] = ("subregion", m.nuts3)
    for alias, name in _SUBREGION_ALIASES.items():
        kinds[alias] = ("subregion", name)
    for name in _GROUPS:
        kinds[name] = ("group", name)
    for name, region in _REGION_NAMES.items():
        # "Lisboa" is the region or the municipality: the context decides.
        kinds[name] = ("lisboa" if name == "lisboa" else "region", region)
    longest = max(len(k.split()) for k in kinds)
    return _Names(kinds, longest, {d: tuple(ms) for d, ms in districts.items()})


def _mentions(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, folded name) of each place name in ``folded``, longest name first, one
    dictionary look-up per word and length (no scan of the text per name)."""
    names = _names()
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(folded)]
    found = []
    i = 0
    while i < len(words):
        for n in range(min(names.longest, len(words) - i), 0, -1):
            key = " ".join(w for _, _, w in words[i : i + n])
            if key in names.kinds:
                found.append((words[i][0], words[i + n - 1][1], key))
                i += n
                break
        else:
            i += 1
    return found


def _proper(original: str) -> bool:
    """Written as a proper name: every significant word capitalised ("Vila do Conde", "AML")."""
    words = original.replace("-", " ").split()
    return all(w[0].isupper() for w in words if w.lower() not in _LOWER_WORDS)


def _carve_end(folded: str, start: int) -> int:
    """Where the reach of a carve-out starting at ``start`` ends: its closing bracket when it
    sits in brackets ("(divisão 47, com exceção do grupo 473) com estabelecimento no Douro"),
    else the clause's end (";"), else the sentence's."""
    if folded.rfind("(", 0, start) > folded.rfind(")", 0, start):
        close = folded.find(")", start)
        return close if close >= 0 else len(folded)
    semicolon = folded.find(";", start)
    return semicolon if semicolon >= 0 else len(folded)


def _within(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


def read_places(body: str, *, finest: bool = False, listing: bool = False) -> Places:
    """The regions, NUTS III subregions and municipalities a geography section names; names
    after "exceto" / "com exceção de" / "não são elegíveis" in a sentence are carve-outs:
    regions are taken out of the regions, subregions and municipalities go to the excluded
    lists. A carve-out that names no place the parser knows ("exceto a freguesia de ..."), or
    an exception to an exception, makes the reading partial. ``finest``: a table with a column
    of municipalities, whose other columns (NUTS III, region) describe them: only the
    municipalities count. ``listing``: an annex or table of places, where every name is listed,
    not named in passing."""
    names = _names()
    places = Places()
    excluded: set[str] = set()
    for sentence in SENTENCE.split(body):
        folded = fold_keep(sentence)
        excepts = [m.start() for m in _EXCEPT.finditer(folded)]
        cut = excepts[0] if excepts else len(folded)
        carving = bool(excepts)  # names in a carve-out's reach are taken out
        spans = [(e, _carve_end(folded, e)) for e in excepts]
        other = _OTHER_PLACES.search(folded) if excepts else None
        if other is not None and other.start() < cut:
            cut, carving = other.start(), False  # "Investimentos noutros concelhos de X não..."
            spans = [(cut, len(folded))]

        carved = carved_place = unclear = False
        named = False
        rates = bool(_RATES.search(folded))
        for start, regions in _region_sets(folded):
            outside = _within(spans, start) and _OUTSIDE.search(folded, cut, start) is not None
            for region in regions:
                if _within(spans, start) and not outside:
                    excluded.add(region)
                    carved = True
                else:
                    _add(places.regions, region)
            named = True
        for start, end, key in _mentions(folded):
            kind, canonical = names.kinds[key]
            if not _proper(sentence[start:end]):
                continue
            if key in ("centro", "norte") and _NOT_A_REGION_AFTER.match(folded[end : end + 14]):
                continue  # "Centro de Emprego", "Norte de África"
            if _PROGRAMME_AFTER.match(folded[end : end + 6]):
                continue  # "Norte 2030", "Alentejo 2020": a programme, not a place
            if _DATELINE_AFTER.match(folded[end : end + 30]):
                continue  # "Coimbra, 1 de março de 2027": where the notice was signed
            if _DISTRICT_BEFORE.search(folded[max(0, start - 40) : start]):
                for name in names.districts.get(key, ()):
                    _add(places.municipalities, name)
                named = True
                continue
            if kind == "lisboa":
                kind = "municipality" if _municipal(folded[:start]) else "region"
                canonical = "Lisboa" if kind == "municipality" else "lisboa"
            if rates and kind != "region":
                continue  # "majoração para os concelhos de X": not where the call applies
            # "não são elegíveis operações fora de X": X is the territory, not a carve-out
            taken_out = _within(spans, start) and not _OUTSIDE.search(folded, cut, start)
            if kind == "group" and not taken_out:
                _add_group(places, canonical)
                named = True
                continue
            if taken_out:
                carved = True
                if kind == "region":
                    excluded.add(canonical)
                elif not carving or kind == "group" or sum(e < start for e in excepts) > 1:
                    unclear = True  # other places, an area drawn apart, an exception's exception
                elif kind == "subregion":
                    _add(places.subregions_excluded, canonical)
                    carved_place = True
                else:
                    _add(places.municipalities_excluded, canonical)
                    carved_place = True
                continue
            named = True
            if kind != "region" and (
                EXAMPLES.search(folded[:start]) or not (listing or _LISTED.search(folded[:start]))
            ):
                places.examples = True
            if kind == "region":
                _add(places.regions, canonical)
            elif kind == "subregion":
                _add(places.subregions, canonical)
            else:
                _add(places.municipalities, canonical)
        after = " ".join(folded[start:end] for start, end in spans)
        if _LOW_DENSITY.search(folded) and not (carving and _LOW_DENSITY.search(after)):
            places.low_density = True
            named = True
        if carving and not carved and _PLACE_WORDS.search(after) and not _OUTSIDE.search(after):
            unclear = True  # "exceto a freguesia de ...", "excluindo as zonas ...": not resolved
        places.partial |= unclear
        if carved_place:
            places.excluded_quotes.append(sentence.strip())
        if named or carved:
            places.quotes.append(sentence.strip())
    if excluded:
        places.regions = [r for r in places.regions if r not in excluded]
    if finest and places.municipalities:
        places.regions, places.subregions = [], []
    if places.examples and _narrowed(places):
        places.partial = True
    order = list(REGIONS)
    places.regions.sort(key=order.index)
    return places


def _region_sets(folded: str) -> list[tuple[int, tuple[str, ...]]]:
    """(position, regions) of each phrase naming a set of regions; the leftmost phrase wins
    ("regiões menos desenvolvidas do Continente" is not also "do Continente"), and a phrase
    followed by its own list in brackets ("do Continente (Norte, Centro, Alentejo e Algarve)")
    leaves the regions to the list."""
    return [
        (m.start(), _REGION_SETS[int(m.lastgroup[1:])][1])
        for m in _SETS.finditer(folded)
        if m.lastgroup and not folded[m.end() : m.end() + 2].lstrip().startswith("(")
    ]


def narrowed_regions(places: Places) -> set[str]:
    """The regions that hold some of the subregions or municipalities ``places`` lists: "região
    Norte, nas NUTS III Cávado e Ave" applies to the two subregions, not the whole region."""
    held = {m.region for m in municipalities() if m.nuts3 in places.subregions}
    held |= {m.region for m in municipalities() if m.name in places.municipalities}
    return held & set(places.regions)


def _narrowed(places: Places) -> bool:
    """A region named with some of its own subregions or municipalities as examples ("região
    Norte, designadamente as NUTS III Cávado e Ave"): the lists keep the region (never
    narrower than the notice) and the reading is partial."""
    if not places.regions:
        return False
    inner_regions: dict[str, set[str]] = {}
    subregions_of: dict[str, set[str]] = {}
    for m in municipalities():
        subregions_of.setdefault(m.region, set()).add(m.nuts3)
        if m.name in (places.municipalities or ()):
            inner_regions.setdefault(m.region, set())
    for m in municipalities():
        if m.nuts3 in places.subregions:
            inner_regions.setdefault(m.region, set()).add(m.nuts3)
    return any(
        region in inner_regions and inner_regions[region] != subregions_of[region]
        for region in places.regions
    )


def _add_group(places: Places, name: str) -> None:
    regions, subregions, towns = _GROUPS[name]
    for region in regions:
        _add(places.regions, region)
    for subregion in subregions:
        _add(places.subregions, subregion)
    if towns is not None:
        for m in municipalities():
            if (m.nuts3, m.district) == towns:
                _add(places.municipalities, m.name)


def _municipal(before: str) -> bool:
    """Whether the nearest word before a name that says what it is says municipality."""
    municipal = [m.start() for m in _MUNICIPAL_CONTEXT.finditer(before)]
    regional = [m.start() for m in _REGIONAL_CONTEXT.finditer(before)]
    return bool(municipal) and (not regional or municipal[-1] > regional[-1])


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)
