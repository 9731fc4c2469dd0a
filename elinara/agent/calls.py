"""Funding calls: Portugal 2030 avisos (from the API or a saved file, or a spreadsheet) ->
:class:`~elinara.models.FundingCall`.

Who may apply is not a field of the API; it is derived here:

- regions from the programme, as Portugal 2030 is built: a regional programme (NORTE 2030, ...,
  MADEIRA 2030) covers its NUTS II region; COMPETE 2030 (competitiveness) and PESSOAS 2030
  (people) cover the less-developed mainland regions (Norte, Centro, Alentejo: Lisboa and Algarve
  companies are served by their own regional programmes); Sustentável 2030 covers the mainland;
  Mar 2030 the whole country; a call of several programmes covers their union. A programme that
  is not recognised leaves the region unknown (``None``), which excludes nobody. A call's notice
  may say otherwise (a legal exception extending a call to every mainland region, a call limited
  to some subregions): the notice's criteria take precedence (:mod:`elinara.agent.criteria`);
- the size rule from the title and the typologies ("PME", "não PME", "grandes empresas").

Dates are Lisbon time (the API gives them without a zone). A close date without a time, or at
exactly midnight, means the end of that day (23:59:59): the call is still open on its last day.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from elinara.agent.matching.themes import themes_in_text
from elinara.agent.normalize import clean_text
from elinara.models import REGIONS, FundingCall, SizeRule
from elinara.text import fold
from elinara.times import LISBON

MAINLAND = ("norte", "centro", "lisboa", "alentejo", "algarve")


class InvalidAviso(ValueError):
    """An aviso that cannot become a call (no code, not an object); the caller skips it."""


# --- programmes and regions -------------------------------------------------------------------


def _regional(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b{name}\s*-?\s*2030\b"
        rf"|\bregional\s+(?:(?:do|da|de|dos|das)\s+)?{name}\b"
        rf"|\bpr\s+{name}\b"
        rf"|\bregiao\s+autonoma\s+(?:(?:da|dos)\s+)?{name}\b"
        rf"|^{name}$"
    )


MAINLAND_LESS_DEVELOPED = ("norte", "centro", "alentejo")
EVERY_REGION = tuple(REGIONS)

# (short code, regions covered, pattern on folded text); first match wins.
_PROGRAMMES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    *((f"{key.upper()}2030", (key,), _regional(key)) for key in REGIONS),
    (
        "COMPETE2030",
        MAINLAND_LESS_DEVELOPED,
        re.compile(r"\bcompete(?:\s*-?\s*2030)?\b|inovacao e transicao digital"),
    ),
    (
        "PESSOAS2030",
        MAINLAND_LESS_DEVELOPED,
        re.compile(r"\bpessoas\s*-?\s*2030\b|demografia,? qualificacoes e inclusao"),
    ),
    (
        "SUSTENTAVEL2030",
        MAINLAND,
        re.compile(r"\bsustentavel\s*-?\s*2030\b|acao climatica e sustentabilidade"),
    ),
    (
        "MAR2030",
        EVERY_REGION,
        re.compile(r"\bmar\s*-?\s*2030\b|\bprograma\s+(?:operacional\s+)?mar\b"),
    ),
    ("PAT2030", EVERY_REGION, re.compile(r"\bpat\s*-?\s*2030\b|assistencia tecnica")),
)


def programme_of(text: str) -> tuple[str, tuple[str, ...]] | None:
    """(short code, regions it covers) of a programme name or an aviso code."""
    folded = fold(text)
    if not folded:
        return None
    for code, regions, pattern in _PROGRAMMES:
        if pattern.search(folded):
            return code, regions
    return None


def programme_coverage(
    programmes: Iterable[str], aviso_code: str = ""
) -> tuple[list[str], list[str] | None]:
    """(recognised programme codes, regions covered or None = unknown) of an aviso.

    A programme name that is not recognised falls back on the aviso code's prefix
    (``NORTE2030-2026-12``); when that fails too, the regions stay unknown.
    """
    names = [name for name in programmes if name.strip()]
    found = [programme_of(name) for name in names]
    if not names or None in found:
        found = [item for item in found if item is not None]
        found.append(programme_of(aviso_code.split("-")[0]) if aviso_code else None)
    codes = list(dict.fromkeys(item[0] for item in found if item is not None))
    if not found or any(item is None for item in found):
        return codes, None
    covered = {region for item in found if item is not None for region in item[1]}
    return codes, [key for key in REGIONS if key in covered]


_NATIONAL_WORDS = frozenset(
    {"nacional", "national", "todas", "todas as regioes", "all", "any", "portugal", "pais"}
)


def regions_in_text(text: str) -> list[str] | bool:
    """Regions named in a spreadsheet cell: a list (every region for "Nacional"), False if none
    named."""
    folded = re.sub(r"[^a-z0-9 ]+", " ", fold(text)).strip()
    if not folded:
        return False
    if folded in _NATIONAL_WORDS or folded.startswith("todo o pais"):
        return list(REGIONS)
    covered: set[str] = set()
    if re.search(r"\bcontinente\b", folded):
        covered.update(MAINLAND)
    for key, name in REGIONS.items():
        if re.search(rf"\b{fold(name)}\b", folded):
            covered.add(key)
    if re.search(r"\baml\b", folded):
        covered.add("lisboa")
    if not covered:
        return False
    return [key for key in REGIONS if key in covered]


# --- size rule --------------------------------------------------------------------------------

_NON_PME = re.compile(
    r"\bnao[\s-]*pmes?\b|\bnon[\s-]*smes?\b|\bnao[\s-]*(?:as\s+)?pequenas e medias\b"
    r"|\b(?:small[\s-]*)?mid[\s-]*caps?\b"
)
_PME = re.compile(
    r"\bpmes?\b|\bsmes?\b|pequenas e medias|\bmicro,? pequenas\b|\bmicro e pequenas\b"
    r"|\bmicroempresas?\b|\bsmall and medium"
)
_LARGE = re.compile(r"\bgrandes? empresas?\b|\blarge (?:companies|enterprises|firms)\b")
_ANY_SIZE = re.compile(
    r"qualquer dimensao|todas as dimensoes|independentemente da (?:sua )?dimensao"
    r"|\bany size\b|^(?:todas|todos|qualquer|any|all)$"
)


def size_rule_in(text: str) -> SizeRule | None:
    folded = fold(text)
    if _ANY_SIZE.search(folded):
        return "any"
    non_pme = bool(_NON_PME.search(folded))
    rest = _NON_PME.sub(" ", folded)
    pme = bool(_PME.search(rest))
    large = bool(_LARGE.search(rest))
    if pme and (non_pme or large):
        return "any"
    if non_pme:
        return "non_pme"
    if large:
        return "large"
    if pme:
        return "pme"
    return None


def size_rule_of(text: str) -> SizeRule:
    """ "pme", "non_pme", "large" or "any" from a call's title and typology text."""
    return size_rule_in(text) or "any"


# --- values -----------------------------------------------------------------------------------

_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_DMY = re.compile(
    r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?$"
)
_EXCEL_EPOCH = date(1899, 12, 30)


def _lisbon(day: date, clock: time | None, end_of_day: bool) -> datetime:
    if clock is None or (end_of_day and clock == time(0, 0)):
        clock = time(23, 59, 59) if end_of_day else time(0, 0)
    return datetime.combine(day, clock, tzinfo=LISBON)


def parse_call_date(value: Any, *, end_of_day: bool = False) -> datetime | None:
    """An aware Lisbon datetime from the API's or a spreadsheet's date; None if empty.

    ``end_of_day``: a date without a time (or at midnight) means 23:59:59 of that day.
    Raises ValueError for text that is not a date.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(LISBON)
        return _lisbon(value.date(), value.time().replace(microsecond=0), end_of_day)
    if isinstance(value, date):
        return _lisbon(value, None, end_of_day)
    if isinstance(value, int | float):
        if not 1 <= value < 2958466:  # Excel's serial day numbers, 1900-01-01 .. 9999-12-31
            raise ValueError(f"{value!r} is not a date")
        whole = int(value)
        day = _EXCEL_EPOCH + timedelta(days=whole)
        seconds = round((value - whole) * 86400)
        clock = (datetime.min + timedelta(seconds=seconds)).time() if seconds else None
        return _lisbon(day, clock, end_of_day)
    text = str(value).strip()
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        year, month, day_, hour, minute, second, zone = match.groups()
    else:
        match = _DMY.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a date")
        day_, month, year, hour, minute, second = match.groups()
        zone = None
    moment_day = date(int(year), int(month), int(day_))
    clock = None if hour is None else time(int(hour), int(minute), int(second or 0))
    if zone:
        offset = "+00:00" if zone.upper() == "Z" else zone
        if ":" not in offset:
            offset = offset[:3] + ":" + offset[3:]
        aware = datetime.fromisoformat(f"{moment_day.isoformat()}T{clock or time(0)}{offset}")
        return aware.astimezone(LISBON)
    return _lisbon(moment_day, clock, end_of_day)


_MILLIONS = re.compile(r"milh(?:ao|oes)|\bmio\b|\d\s*m\s*(?:€|eur)?\s*$|\bm€|\bmeur\b")
_THOUSANDS = re.compile(r"\bmil\b|\d\s*k\s*(?:€|eur)?\s*$|\bk€")


def parse_amount(value: Any) -> float | None:
    """Euros from 1500000, "1.500.000,00", "1500000.00", "1,500,000.00", "2,5 M€"; None if empty.

    A single comma is a decimal comma (Portuguese); a single dot followed by exactly three
    digits ("250.000") is a thousands separator. Raises ValueError for text with no number.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{value!r} is not an amount")
        return number
    text = fold(str(value))
    if not text:
        return None
    multiplier = 1e6 if _MILLIONS.search(text) else 1e3 if _THOUSANDS.search(text) else 1.0
    digits = re.sub(r"[^\d.,\-]", "", text)
    negative = digits.startswith("-")
    digits = digits.replace("-", "")
    if not re.search(r"\d", digits):
        raise ValueError(f"{value!r} is not an amount")
    if "." in digits and "," in digits:
        decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
        digits = digits.replace("," if decimal == "." else ".", "").replace(decimal, ".")
    elif "," in digits:
        digits = digits.replace(",", "") if digits.count(",") > 1 else digits.replace(",", ".")
    elif digits.count(".") > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", digits):
        digits = digits.replace(".", "")
    try:
        number = float(digits) * multiplier
    except ValueError:
        raise ValueError(f"{value!r} is not an amount") from None
    return -number if negative else number


def dicts_in(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, dict)]
    return []


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        if value and fold(value) not in seen:
            seen[fold(value)] = value
    return list(seen.values())


# --- avisos -----------------------------------------------------------------------------------


def normalize_aviso(
    raw: Mapping[str, Any], source: str, *, problems: list[str] | None = None
) -> FundingCall:
    """One API aviso (``{aviso, estrutura, calendario, documentos}``) as a FundingCall.

    Tolerant of missing keys, nulls, a single object where a list is expected, and of a
    flattened aviso (the ``aviso`` fields at the top level). Values that cannot be read (a date,
    an amount) are left empty and described in ``problems``. Raises InvalidAviso when there is no
    code.
    """
    if not isinstance(raw, Mapping):
        raise InvalidAviso(f"an aviso that is not an object ({type(raw).__name__})")
    head = raw.get("aviso") if isinstance(raw.get("aviso"), Mapping) else raw
    calendar = raw.get("calendario") if isinstance(raw.get("calendario"), Mapping) else head
    code = clean_text(head.get("codigoAviso"))
    title = clean_text(head.get("designacaoPT")) or clean_text(head.get("designacaoEN"))
    if not code:
        named = f" ({title!r})" if title else ""
        raise InvalidAviso(f"an aviso without a code (codigoAviso){named}")
    notes = problems if problems is not None else []

    structure = dicts_in(raw.get("estrutura"))
    programmes = _unique(clean_text(row.get("programaOperacionalDesignacao")) for row in structure)
    programme_codes, regions = programme_coverage(programmes, code)
    priorities = _unique(clean_text(row.get("prioridadeDesignacao")) for row in structure)
    objectives = _unique(clean_text(row.get("objetivoEspecificoDesignacao")) for row in structure)
    typologies = _unique(clean_text(row.get("tipologiaOperacaoDesignacao")) for row in structure)
    funds = _unique(clean_text(row.get("fundoDesignacao")) for row in structure)
    title_en = clean_text(head.get("designacaoEN")) or None
    classification = clean_text(head.get("classificacaoAvisoDesignacao")) or None

    budget: float | None = None
    for row in structure:
        try:
            amount = parse_amount(row.get("dotacao"))
        except ValueError:
            notes.append(f"Aviso {code}: its dotação {row.get('dotacao')!r} is not an amount.")
            continue
        if amount is not None:
            budget = (budget or 0.0) + amount

    def when(mapping: Mapping[str, Any], name: str, end_of_day: bool = False) -> datetime | None:
        try:
            return parse_call_date(mapping.get(name), end_of_day=end_of_day)
        except ValueError:
            notes.append(f"Aviso {code}: {name} {mapping.get(name)!r} is not a date; ignored.")
            return None

    closes = when(calendar, "dataFimAtual", True) or when(calendar, "dataFim", True)
    documents = [
        {
            "name": clean_text(doc.get("documentoDesignacao")),
            "type": clean_text(doc.get("tipoDocumentoDesignacao")),
            "path": clean_text(doc.get("path")),
            "container": clean_text(doc.get("container")),
        }
        for doc in dicts_in(raw.get("documentos"))
        if doc.get("path") or doc.get("documentoDesignacao")
    ]
    size = size_rule_in("\n".join([title, title_en or "", *typologies])) or "any"
    text = "\n".join(
        _unique(
            [title, title_en or "", classification or "", *priorities, *objectives, *typologies]
        )
    )
    global_id = clean_text(head.get("avisoGlobalId")) or None
    return FundingCall(
        aviso_id=code,
        title=title or code,
        global_id=global_id,
        title_en=title_en,
        classification=classification,
        programmes=programmes,
        programme_codes=programme_codes,
        funds=funds,
        regions=regions,
        size_rule=size,
        themes=list(themes_in_text(text)),
        text=text,
        published_at=when(calendar, "dataPublicacao"),
        opens_at=when(calendar, "dataInicio"),
        closes_at=closes,
        budget=budget,
        documents=documents,
        source_updated_at=when(head, "dataUltimaAlteracao"),
        source=source,
    )


def normalize_avisos(
    raws: Iterable[Any], source: str, problems: list[str], where: str
) -> list[FundingCall]:
    calls = []
    for number, raw in enumerate(raws, start=1):
        try:
            calls.append(normalize_aviso(raw, source, problems=problems))
        except InvalidAviso as exc:
            problems.append(f"{where}: aviso {number} skipped: {exc}.")
    return calls


def _newer(candidate: FundingCall, current: FundingCall) -> bool:
    if current.source_updated_at is None:
        return True
    if candidate.source_updated_at is None:
        return False
    return candidate.source_updated_at >= current.source_updated_at


def dedupe_calls(calls: Iterable[FundingCall]) -> list[FundingCall]:
    """One call per aviso code, the most recently updated (ties: the later one), first order kept."""
    best: dict[str, FundingCall] = {}
    for call in calls:
        key = call.aviso_id.casefold()
        current = best.get(key)
        if current is None or _newer(call, current):
            best[key] = call
    return list(best.values())
