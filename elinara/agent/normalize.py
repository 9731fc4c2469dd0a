"""Pure normalisers for one spreadsheet cell: NIF, phone, place, CAE, size, e-mail, website.

Every function takes what a spreadsheet reader hands over (``str``, ``int``, ``float``,
``None``, a date...) and never raises on bad input: it returns ``None`` (or a flag) instead,
so one odd cell never stops a file.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from elinara.agent.cae import cae_section
from elinara.models import REGIONS
from elinara.text import fold

# -- cells ---------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def cell_text(value: object) -> str:
    """A cell as stripped text; whole floats lose their ``.0`` (Excel stores 501234567.0)."""
    if type(value) is str:
        return value.strip()
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    return str(value).strip()


def _drop_float_tail(text: str) -> str:
    """``"501234560.0"`` -> ``"501234560"``: numbers that went through a float on export."""
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


def clean_text(value: object) -> str:
    """Text with runs of white space (and line breaks inside a cell) collapsed to one space,
    and no control or invisible characters (see ``printable``)."""
    return printable(" ".join((value if type(value) is str else cell_text(value)).split()))


def printable(text: str) -> str:
    """``text`` without control and invisible format characters: a NUL in a CSV export, a
    zero-width space pasted from the web. (A NUL would also cut a key short in SQLite.)"""
    if text.isprintable():
        return text
    return "".join(c for c in text if c.isprintable() or c.isspace())


# -- NIF / NIPC ----------------------------------------------------------------------------

# First digits the tax authority assigns: 1-3 people, 5 companies, 6 public bodies, 8 sole
# traders (old), and two-digit prefixes for non-residents, estates, funds, condominiums...
_NIF_FIRST = frozenset("123568")
_NIF_PREFIXES = frozenset({"45", "70", "71", "72", "74", "75", "77", "79", "90", "91", "98", "99"})
_NIF_DROP = str.maketrans("", "", " .-/\u00a0\t")


def nif_is_valid(digits: str) -> bool:
    """True for 9 digits with an assignable prefix and a matching mod-11 check digit."""
    if len(digits) != 9 or not (digits.isascii() and digits.isdigit()):
        return False
    if digits[0] not in _NIF_FIRST and digits[:2] not in _NIF_PREFIXES:
        return False
    d = digits.encode()  # unrolled: this runs once per row of every leads file
    total = (
        9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4] + 4 * d[5] + 3 * d[6] + 2 * d[7]
    ) - 44 * 48  # the weights sum to 44; each byte is the digit + 48
    check = 11 - total % 11
    return d[8] - 48 == (0 if check >= 10 else check)


def normalize_nif(value: object) -> tuple[str | None, bool]:
    """(the 9 digits, True) when valid; (the text as given, False) otherwise; (None, False) if empty.

    Spaces, dots, dashes, invisible characters and a leading ``PT`` (the VAT prefix) are ignored.
    """
    if type(value) is float and value.is_integer() and 0 < value < 1e9:
        text = str(int(value))  # the usual cell: a number
        return (text, True) if nif_is_valid(text) else (text, False)
    if type(value) is str and len(value) == 9 and value.isdigit():
        return (value, True) if nif_is_valid(value) else (value, False)  # or its digits
    text = printable(_drop_float_tail(cell_text(value)))
    if not text:
        return None, False
    digits = text.translate(_NIF_DROP) if not text.isdigit() else text
    if digits[:2] in ("PT", "pt", "Pt", "pT"):
        digits = digits[2:].lstrip(":")
    if nif_is_valid(digits):
        return digits, True
    return text, False


# -- phone ---------------------------------------------------------------------------------

_PHONE_DROP = str.maketrans("", "", " .-()/\u00a0\t")
_PHONE_SPLIT = re.compile(r"[;,|/]|\s(?:ou|or|e)\s", re.IGNORECASE)
_PHONE_NUMBER = re.compile(r"\+?\d[\d .()\-\u00a0]{5,}\d")
_PT_NATIONAL_FIRST = frozenset("23789")  # 2 fixed, 3 nomadic, 7/8 non-geographic, 9 mobile


def _e164(compact: str, country: str) -> str | None:
    if len(compact) == 9 and compact[0] in _PT_NATIONAL_FIRST and country == "351":
        return "+351" + compact
    if compact.startswith("+"):
        international = compact[1:]
    elif compact.startswith("00"):
        international = compact[2:]
    elif len(compact) == 12 and compact.startswith("351") and compact[3] in _PT_NATIONAL_FIRST:
        return "+" + compact
    else:
        return None
    if not (international.isascii() and international.isdigit()) or international[:1] == "0":
        return None
    if international.startswith("351"):
        national = international[3:]
        ok = len(national) == 9 and national[0] in _PT_NATIONAL_FIRST
        return "+" + international if ok else None
    return "+" + international if 8 <= len(international) <= 15 else None


def normalize_phone(value: object, country: str = "351") -> str | None:
    """A phone number in E.164 (``+351912345678``), or None when no number can be read.

    Accepts ``+351``/``00351``/``351`` prefixes, spaces, dots, dashes and brackets, labels
    (``Tel: ...``) and several numbers in one cell (the first readable one wins). A bare
    national number is taken as Portuguese: 9 digits starting with 2, 3, 7, 8 or 9.
    """
    if type(value) is float and value.is_integer() and value > 0:
        return _e164(str(int(value)), country)  # a number cell
    if type(value) is str and country == "351":  # the usual cells, without the general path
        compact = value.replace(" ", "")
        if compact[:4] == "+351":
            compact = compact[4:]
        if (
            len(compact) == 9
            and compact.isascii()
            and compact.isdigit()
            and compact[0] in _PT_NATIONAL_FIRST
        ):
            return "+351" + compact
    text = _drop_float_tail(cell_text(value))
    if not text:
        return None
    compact = text.replace(" ", "")
    plain = compact[1:] if compact[:1] == "+" else compact
    if not plain.isdigit():
        compact = text.replace("(0)", "").translate(_PHONE_DROP)
        plain = compact[1:] if compact[:1] == "+" else compact
    if plain.isascii() and plain.isdigit():
        number = _e164(compact, country)
        if number or len(compact) < 16:
            return number
    for part in _PHONE_SPLIT.split(text):
        found = _PHONE_NUMBER.search(part)
        if found:
            number = _e164(found.group().replace("(0)", "").translate(_PHONE_DROP), country)
            if number:
                return number
    return None


# -- e-mail and website --------------------------------------------------------------------

_EMAIL_SPLIT = re.compile(r"[;,\s/]+")
_EMAIL_PLAIN = re.compile(r"[^@\s,;/<>()\[\]\"':]+@[a-z0-9_-]+(?:\.[a-z0-9_-]+)+")


def _email_ok(text: str) -> bool:
    local, _, domain = text.partition("@")
    return (
        bool(local)
        and "." in domain
        and "@" not in domain
        and ".." not in domain
        and not domain.startswith(".")
        and not domain.endswith(".")
    )


def normalize_email(value: object) -> str | None:
    """The first well-formed address in the cell, lower-cased; None if there is none."""
    text = cell_text(value).lower()
    if _EMAIL_PLAIN.fullmatch(text):
        return text
    if "@" not in text:
        return None
    for part in _EMAIL_SPLIT.split(text):
        part = part.removeprefix("mailto:").strip("<>()[]\"'")
        if "@" in part and _email_ok(part):
            return part
    return None


def normalize_website(value: object) -> str | None:
    """An absolute URL (``https://`` added when the scheme is missing); None if not a site."""
    text = cell_text(value)
    if not text or " " in text or "." not in text:
        return None
    scheme, sep, rest = text.partition("://")
    if not sep:
        if "@" in text:
            return None
        scheme, rest = "https", text
    elif scheme.lower() not in ("http", "https"):
        return None
    host, slash, path = rest.partition("/")
    if "." not in host:
        return None
    return f"{scheme.lower()}://{host.lower()}{slash}{path}".rstrip("/")


# -- CAE -----------------------------------------------------------------------------------

_CAE_CODE = re.compile(r"(?<!\d)\d{2}(?:[.\s\-]?\d){0,3}(?!\d)")
_CAE_REVISION = re.compile(r"\brev(?:is[aã]o)?\.?\s*\d\b", re.IGNORECASE)
_CAE_DROP = str.maketrans("", "", ". -\u00a0")
_CAE_LEAD = " \t-–—:;,.|/()"
_CAE_LABEL_WORDS = frozenset({"cae", "c", "a", "e", "codigo", "cod", "principal", "rev", "n", "no"})


def parse_cae(value: object) -> tuple[str | None, str]:
    """(the code's digits, the rest of the text): ``"CAE 10711 - Panificação"`` -> ``("10711",
    "Panificação")``. The code is None when the cell has no 2-5 digit code of a real division.

    A number cell gives its digits as they are: Excel drops leading zeros (``01130`` -> 1130),
    which only the whole column can tell apart from a 4-digit class (see ``sheets.py``).
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = cell_text(value)
        if len(digits) == 1:
            digits = "0" + digits
        return (digits, "") if 2 <= len(digits) <= 5 and cae_section(digits) else (None, "")
    text = cell_text(value)
    if text.isascii() and text.isdigit():
        return (text, "") if 2 <= len(text) <= 5 and cae_section(text) else (None, "")
    searched = _CAE_REVISION.sub(" ", text)
    found = _CAE_CODE.search(searched)
    if not found:
        return None, text
    code = found.group().translate(_CAE_DROP)
    if not cae_section(code):
        return None, text
    before = searched[: found.start()]
    if set(_NON_ALNUM.split(fold(before))) <= _CAE_LABEL_WORDS | {""}:
        before = ""  # "CAE:", "Código CAE", "C.A.E. Rev.3" -- a label, not a description
    rest = (before.strip(_CAE_LEAD) + " " + searched[found.end() :].strip(_CAE_LEAD)).strip()
    rest = " ".join(rest.split())
    return code, rest if any(c.isalpha() for c in rest) else ""


def normalize_cae(value: object) -> tuple[str | None, str | None]:
    """(code, section) of a CAE cell: ``"CAE 62.010"`` -> ``("62010", "J")``."""
    code, _ = parse_cae(value)
    return code, cae_section(code)


# -- company size --------------------------------------------------------------------------

_SIZE_LABELS: dict[str, str] = {
    "micro": "micro",
    "microempresa": "micro",
    "micro empresa": "micro",
    "microentidade": "micro",
    "micro entidade": "micro",
    "micro enterprise": "micro",
    "pequena": "small",
    "pequena empresa": "small",
    "pe": "small",
    "small": "small",
    "small enterprise": "small",
    "media": "medium",
    "media empresa": "medium",
    "me": "medium",
    "medium": "medium",
    "medium enterprise": "medium",
    "medium sized": "medium",
    "grande": "large",
    "grande empresa": "large",
    "ge": "large",
    "large": "large",
    "large enterprise": "large",
    "big": "large",
    "nao pme": "large",
    "non pme": "large",
    "non sme": "large",
    "not sme": "large",
    "mid cap": "large",
    "midcap": "large",
    "small mid cap": "large",
    "pequena media empresa": "small",
    "pme": "small",
    "pmes": "small",
    "sme": "small",
    "smes": "small",
}
_SIZE_WORDS = (
    (("nao", "non", "not", "sem"), ("pme", "sme"), "large"),
    (("mid",), ("cap", "caps"), "large"),
    (("micro", "microempresa", "microentidade"), (), "micro"),
    (("pequena", "small", "pequeno"), (), "small"),
    (("media", "medium", "medio"), (), "medium"),
    (("grande", "large", "big"), (), "large"),
    (("pme", "sme", "pmes", "smes"), (), "small"),
)
_NUMBER = re.compile(r"\d+(?:[.\s]\d{3})*(?:,\d+)?(?:\.\d+)?")
_WORDS = re.compile(r"[^a-z0-9+<>=≥≤]+")
_AT_MOST = ("<", "≤", "ate", "menos", "less", "under", "up", "max", "maximo")
_AT_LEAST = ("+", ">", "≥", "mais", "more", "over", "acima", "superior", "min", "minimo")


MAX_EMPLOYEES = 10_000_000  # more than any employer has: a larger count is a typo


def size_for_employees(employees: int) -> str:
    """EU SME classes by head count: <10 micro, <50 small, <250 medium, else large."""
    if employees < 10:
        return "micro"
    if employees < 50:
        return "small"
    return "medium" if employees < 250 else "large"


def _size_label(words: list[str]) -> str | None:
    key = " ".join(words)
    if key in _SIZE_LABELS:
        return _SIZE_LABELS[key]
    present = set(words)
    for first, second, size in _SIZE_WORDS:
        if present.intersection(first) and (not second or present.intersection(second)):
            return size
    return None


def _to_int(text: str) -> int | None:
    """A head count as people write it: "1.200", "1 200" and "1,200" are thousands (a comma
    followed by exactly three digits); "12,5" is a decimal."""
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:[.,\s]\d{3})+", text):
        return int(re.sub(r"[.,\s]", "", text))
    whole = text.split(",")[0]
    try:
        return int(float(whole))
    except ValueError:
        return None


def normalize_size(value: object) -> tuple[str | None, int | None]:
    """(size class, head count) from a label or a number of employees.

    Labels: micro, pequena, média, grande, "não PME", small/medium/large... A bare "PME"/"SME"
    says only "one of micro, small, medium": it maps to "small" so the company stays eligible
    for SME-only calls (any of the three would), and is never mistaken for a large company.
    Counts: ``12`` -> ("small", 12); ranges give a class but no count: ``"10-49"``, ``"50 a
    249"`` take their lower bound, ``"+250"``/``"> 250"`` their bound, ``"<10"``/``"até 9"``
    their upper bound.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 0 <= value <= MAX_EMPLOYEES:  # NaN too
            return None, None
        count = int(value)
        return size_for_employees(count), count
    folded = fold(cell_text(value))
    if not folded:
        return None, None
    words = [w for w in _WORDS.split(folded) if w]
    label = _size_label([w for w in words if not w.isdigit()])
    if label:
        return label, None
    numbers = [n for n in (_to_int(m) for m in _NUMBER.findall(folded)) if n is not None]
    if not numbers:
        return None, None
    if len(numbers) >= 2:
        return size_for_employees(numbers[0]), None
    count = numbers[0]
    if count > MAX_EMPLOYEES:
        return None, None
    if any(w.startswith(_AT_MOST) for w in words) or folded.startswith(("<", "≤")):
        strict = folded.startswith("<") and not folded.startswith("<=")
        strict = strict or "menos" in words or "less" in words or "under" in words
        return size_for_employees(max(count - 1, 0) if strict else count), None
    if "+" in folded or any(w.startswith(_AT_LEAST) for w in words):
        strict = folded.startswith(">") and not folded.startswith(">=")
        strict = strict or "mais" in words or "more" in words or "over" in words
        return size_for_employees(count + 1 if strict else count), None
    return size_for_employees(count), count


# -- places --------------------------------------------------------------------------------

_PLACE_STOP = frozenset({"de", "da", "do", "dos", "das", "e", "of", "the"})
_PLACE_ABBREV = {"s": "sao", "sta": "santa", "sto": "santo", "v": "vila", "n": "nova"}
_PLACE_LEAD = frozenset(
    {
        "distrito",
        "district",
        "concelho",
        "municipio",
        "municipality",
        "cm",
        "camara",
        "municipal",
        "cidade",
        "city",
        "ilha",
        "island",
        "regiao",
        "region",
        "autonoma",
        "autonomous",
        "r",
        "a",
    }
)
_PLACE_PARTS = re.compile(r"\s*(?:[,;/|()]|\s-\s|\s–\s)\s*")

MUNICIPALITIES_CSV = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"
DISTRICTS = (
    "Aveiro",
    "Beja",
    "Braga",
    "Bragança",
    "Castelo Branco",
    "Coimbra",
    "Évora",
    "Faro",
    "Guarda",
    "Leiria",
    "Lisboa",
    "Portalegre",
    "Porto",
    "Santarém",
    "Setúbal",
    "Viana do Castelo",
    "Vila Real",
    "Viseu",
    "Açores",
    "Madeira",
)
# Names that mean one district (or autonomous region) without being a municipality's name.
_DISTRICT_ALIASES = {
    "lisbon": "Lisboa",
    "oporto": "Porto",
    "azores": "Açores",
    "acores azores": "Açores",
    "raa": "Açores",
    "ram": "Madeira",
    "madeira island": "Madeira",
    "sao miguel": "Açores",
    "terceira": "Açores",
    "faial": "Açores",
    "pico": "Açores",
    "sao jorge": "Açores",
    "graciosa": "Açores",
    "flores": "Açores",
    "santa maria": "Açores",
    "angra": "Açores",
}
# Regions by their own names, NUTS codes and NUTS III names (filled from the data file too).
_REGION_ALIASES = {
    "norte": "norte",
    "north": "norte",
    "centro": "centro",
    "center": "centro",
    "centre": "centro",
    "lisboa": "lisboa",
    "lisbon": "lisboa",
    "aml": "lisboa",
    "grande lisboa": "lisboa",
    "peninsula setubal": "lisboa",
    "alentejo": "alentejo",
    "algarve": "algarve",
    "acores": "acores",
    "azores": "acores",
    "raa": "acores",
    "madeira": "madeira",
    "ram": "madeira",
    "amp": "norte",
    "grande porto": "norte",
    "minho": "norte",
    "tras os montes": "norte",
    "beira interior": "centro",
    "beira litoral": "centro",
    "pt11": "norte",
    "pt16": "centro",
    "pt17": "lisboa",
    "pt18": "alentejo",
    "pt15": "algarve",
    "pt20": "acores",
    "pt30": "madeira",
}
# Municipalities by other names people use (keys are already place keys).
_MUNICIPALITY_ALIASES = {
    "lisbon": "Lisboa",
    "oporto": "Porto",
    "gaia": "Vila Nova de Gaia",
    "famalicao": "Vila Nova de Famalicão",
    "feira": "Santa Maria da Feira",
    "vila feira": "Santa Maria da Feira",
    "vila real sao antonio": "Vila Real de Santo António",
    "vrsa": "Vila Real de Santo António",
    "vfx": "Vila Franca de Xira",
    "praia vitoria": "Vila da Praia da Vitória",
    "vila praia vitoria": "Vila da Praia da Vitória",
    "marco canavezes": "Marco de Canaveses",
    "regua": "Peso da Régua",
    "foz coa": "Vila Nova de Foz Côa",
    "angra heroismo": "Angra do Heroísmo",
    "meda": "Mêda",
}
# When a split district comes without its municipality, its seat decides the region; for
# these two the seat's region holds barely half the district, so the lead says so.
_SPLIT_DISTRICT_NOTE = frozenset({"Aveiro", "Santarém"})
_ISLAND_MUNICIPALITY = {
    "calheta sao jorge": ("Calheta", "Açores"),
    "calheta acores": ("Calheta", "Açores"),
    "calheta azores": ("Calheta", "Açores"),
    "calheta madeira": ("Calheta", "Madeira"),
    "lagoa acores": ("Lagoa", "Açores"),
    "lagoa azores": ("Lagoa", "Açores"),
    "lagoa sao miguel": ("Lagoa", "Açores"),
    "lagoa algarve": ("Lagoa", "Faro"),
    "lagoa faro": ("Lagoa", "Faro"),
}


@dataclass(frozen=True, slots=True)
class Municipality:
    name: str
    district: str
    nuts3: str
    region: str  # a key of REGIONS


@dataclass(frozen=True, slots=True)
class Place:
    """Where a company is: canonical district and municipality names and the NUTS II region."""

    district: str | None = None
    municipality: str | None = None
    region: str | None = None
    problem: str | None = None


@lru_cache(maxsize=4096)
def place_key(text: str) -> str:
    """Folded, punctuation-free, without articles: ``"V.N. de Gaia"`` -> ``"vila nova gaia"``."""
    words = [_PLACE_ABBREV.get(w, w) for w in _NON_ALNUM.split(fold(text)) if w]
    words = [w for w in words if w not in _PLACE_STOP]
    while len(words) > 1 and words[0] in _PLACE_LEAD:
        words.pop(0)
    return " ".join(words)


@dataclass(frozen=True)
class _Tables:
    municipalities: tuple[Municipality, ...]
    by_key: dict[str, tuple[Municipality, ...]]
    districts: dict[str, str]  # place key -> district name
    district_regions: dict[str, frozenset[str]]
    regions: dict[str, str]


@cache
def _tables() -> _Tables:
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    municipalities = tuple(
        Municipality(r["municipality"], r["district"], r["nuts3"], r["region"]) for r in rows
    )
    by_key: dict[str, tuple[Municipality, ...]] = {}
    for m in municipalities:
        by_key[place_key(m.name)] = (*by_key.get(place_key(m.name), ()), m)
    by_name = {(m.name, m.district): m for m in municipalities}
    for alias, name in _MUNICIPALITY_ALIASES.items():
        by_key.setdefault(alias, tuple(m for m in municipalities if m.name == name))
    for alias, (name, district) in _ISLAND_MUNICIPALITY.items():
        by_key[alias] = (by_name[(name, district)],)
    districts = {place_key(d): d for d in DISTRICTS}
    districts.update({place_key(a): d for a, d in _DISTRICT_ALIASES.items()})
    district_regions: dict[str, set[str]] = {}
    for m in municipalities:
        district_regions.setdefault(m.district, set()).add(m.region)
    regions = {place_key(k): v for k, v in _REGION_ALIASES.items()}
    for m in municipalities:
        regions.setdefault(place_key(m.nuts3), m.region)
    return _Tables(
        municipalities,
        by_key,
        districts,
        {d: frozenset(r) for d, r in district_regions.items()},
        regions,
    )


def municipalities() -> tuple[Municipality, ...]:
    """All 308 municipalities with their district, NUTS III and NUTS II region (2013 map)."""
    return _tables().municipalities


def district_regions(district: str) -> frozenset[str]:
    """The regions a district's municipalities belong to (two for Lisboa, Setúbal, ...)."""
    return _tables().district_regions.get(district, frozenset())


@lru_cache(maxsize=8192)
def find_municipality(
    text: str, district: str | None = None, region: str | None = None
) -> Municipality | None:
    """The municipality named by ``text``; ``district``/``region`` settle Lagoa and Calheta."""
    found = _tables().by_key.get(place_key(text), ())
    if len(found) > 1:
        found = tuple(m for m in found if m.district == district) or tuple(
            m for m in found if m.region == region
        )
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=4096)
def find_district(text: str) -> str | None:
    """The district (or "Açores"/"Madeira") named by ``text``: accents, case, islands, aliases."""
    return _tables().districts.get(place_key(text))


@lru_cache(maxsize=4096)
def find_region(text: str) -> str | None:
    """The REGIONS key named by ``text``: region names, NUTS II codes and NUTS III names."""
    return _tables().regions.get(place_key(text))


def district_region(district: str) -> str | None:
    """The region of a district; for a split district the region of its seat."""
    regions = district_regions(district)
    if len(regions) == 1:
        return next(iter(regions))
    seat = find_municipality(district, district)
    return seat.region if seat else None


def postal_region(text: object) -> str | None:
    """The region of a postal code (``4700-123`` or ``4700``) where its first digits decide it.

    Only prefixes that lie wholly inside one region answer: 1xxx Lisboa, 4xxx-5xxx Norte,
    7xxx Alentejo, 8xxx Algarve, 90xx-94xx Madeira, 95xx-99xx Açores. The 2xxx, 3xxx and 6xxx
    blocks straddle regions (Oeste, Médio Tejo, Lezíria, Entre Douro e Vouga...): None.
    """
    digits = cell_text(text)[:4]
    if len(digits) != 4 or not digits.isdigit():
        return None
    first = digits[0]
    if first == "9":
        return "madeira" if digits[1] in "01234" else "acores"
    return {"1": "lisboa", "4": "norte", "5": "norte", "7": "alentejo", "8": "algarve"}.get(first)


def _parts(text: str) -> list[str]:
    return [p for p in _PLACE_PARTS.split(text) if p]


def _read_place(
    text: str, order: str, district: str | None, region: str | None
) -> tuple[str | None, Municipality | None, str | None]:
    """(district, municipality, region) named by one cell, trying kinds in ``order``."""
    for part in [text, *(_parts(text) if any(c in text for c in ",;/|()-–") else [])]:
        for kind in order:
            if kind == "m":
                found = find_municipality(part, district, region)
                if found:
                    return None, found, None
            elif kind == "d":
                name = find_district(part)
                if name:
                    return name, None, None
            else:
                key = find_region(part)
                if key:
                    return None, None, key
    return None, None, None


@lru_cache(maxsize=16384)
def resolve_place(
    district: str = "",
    municipality: str = "",
    region: str = "",
    postal_code: str = "",
    locality: str = "",
) -> Place:
    """Combine whatever place columns a row has into district, municipality and region.

    The municipality decides when it is known (it alone settles split districts such as
    Lisboa, Setúbal, Santarém, Aveiro, Viseu and Guarda); then an explicit region; then the
    district (a split district without its municipality takes its seat's region); then the
    postal code. Unknown names are kept as given, with a problem to show the consultant.
    """
    d_name, m_found, r_key = _read_place(district, "drm", None, None) if district else (None,) * 3
    if region:
        rd, rm, rr = _read_place(region, "rdm", d_name, None)
        d_name, m_found, r_key = d_name or rd, m_found or rm, r_key or rr
    hint = m_found.district if m_found else d_name
    unread = ""  # a municipality/locality text that named nothing known
    for text in (municipality, locality):
        if text and not m_found:
            md, mm, mr = _read_place(text, "mdr", hint, r_key)
            d_name, m_found, r_key = d_name or md, mm, r_key or mr
            if not (md or mm or mr):
                unread = unread or text
    problem = None
    if m_found:
        if d_name and d_name != m_found.district:
            problem = f"{m_found.name} is in district {m_found.district}, not {d_name}"
        result_region = m_found.region
        d_name = m_found.district
    elif r_key:
        result_region = r_key
    elif d_name:
        result_region = district_region(d_name)
        if unread and len(district_regions(d_name)) > 1:
            problem = (
                f"municipality {unread} not recognised; region taken from the seat of "
                f"district {d_name}"
            )
        elif d_name in _SPLIT_DISTRICT_NOTE:
            names = " and ".join(sorted(REGIONS[r] for r in district_regions(d_name)))
            problem = (
                f"district {d_name} spans {names}; region taken from its seat, "
                "add the municipality (Concelho) to be sure"
            )
    else:
        result_region = postal_region(postal_code) if postal_code else None
    given = [t for t in (district, municipality, locality, region) if t]
    if not result_region and given:
        problem = _unknown_place(given)
    return Place(
        district=d_name or (district or None),
        municipality=m_found.name if m_found else (unread or None),
        region=result_region,
        problem=problem,
    )


def _unknown_place(given: list[str]) -> str:
    for text in given:
        same = _tables().by_key.get(place_key(text), ())
        if len(same) > 1:
            districts = " or ".join(m.district for m in same)
            return f"{text} is ambiguous ({districts}); add the district"
    return f"place not recognised: {' / '.join(given)}"


def region_of(text: str) -> str | None:
    """The region of any one place name: a municipality, district, island or region."""
    return resolve_place(locality=text).region if text else None
