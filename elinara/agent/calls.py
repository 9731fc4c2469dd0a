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

import csv
import dataclasses
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx

from elinara.agent.matching.themes import themes_in_text
from elinara.agent.sources.http import safe_url
from elinara.agent.sources.p2030 import fetch_avisos
from elinara.config import Settings
from elinara.errors import BadInput
from elinara.models import REGIONS, FundingCall, SizeRule
from elinara.text import fold
from elinara.times import LISBON

SAMPLE_CALLS = Path(__file__).resolve().parent.parent / "data" / "sample" / "p2030_avisos.json"
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
CALL_FILE_SUFFIXES = (".json", *TABLE_SUFFIXES)
HEADER_ROWS = 20
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


def _size_rule(text: str) -> SizeRule | None:
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
    return _size_rule(text) or "any"


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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _dicts(value: Any) -> list[dict[str, Any]]:
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
    code = _text(head.get("codigoAviso"))
    title = _text(head.get("designacaoPT")) or _text(head.get("designacaoEN"))
    if not code:
        named = f" ({title!r})" if title else ""
        raise InvalidAviso(f"an aviso without a code (codigoAviso){named}")
    notes = problems if problems is not None else []

    structure = _dicts(raw.get("estrutura"))
    programmes = _unique(_text(row.get("programaOperacionalDesignacao")) for row in structure)
    programme_codes, regions = programme_coverage(programmes, code)
    priorities = _unique(_text(row.get("prioridadeDesignacao")) for row in structure)
    objectives = _unique(_text(row.get("objetivoEspecificoDesignacao")) for row in structure)
    typologies = _unique(_text(row.get("tipologiaOperacaoDesignacao")) for row in structure)
    funds = _unique(_text(row.get("fundoDesignacao")) for row in structure)
    title_en = _text(head.get("designacaoEN")) or None
    classification = _text(head.get("classificacaoAvisoDesignacao")) or None

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
            "name": _text(doc.get("documentoDesignacao")),
            "type": _text(doc.get("tipoDocumentoDesignacao")),
            "path": _text(doc.get("path")),
            "container": _text(doc.get("container")),
        }
        for doc in _dicts(raw.get("documentos"))
        if doc.get("path") or doc.get("documentoDesignacao")
    ]
    size = _size_rule("\n".join([title, title_en or "", *typologies])) or "any"
    text = "\n".join(
        _unique(
            [title, title_en or "", classification or "", *priorities, *objectives, *typologies]
        )
    )
    global_id = _text(head.get("avisoGlobalId")) or None
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


# --- files ------------------------------------------------------------------------------------

_JSON_SHAPE = (
    'the Portugal 2030 API\'s own shape: a page {"avisos": [...]}, a list of such pages, '
    "or a list of avisos"
)


def _avisos_in_json(data: Any, path: Path) -> list[Any]:
    def is_page(item: Any) -> bool:
        return isinstance(item, dict) and (
            "avisos" in item or (str(item.get("code")) == "404" and "aviso" not in item)
        )

    if is_page(data):
        return _dicts(data.get("avisos"))
    if isinstance(data, dict) and ("aviso" in data or "codigoAviso" in data):
        return [data]
    if isinstance(data, list):
        avisos: list[Any] = []
        for item in data:
            if is_page(item):
                avisos.extend(_dicts(item.get("avisos")))
            else:
                avisos.append(item)
        return avisos
    raise BadInput(f"Calls file {path} is JSON but not in {_JSON_SHAPE}.")


def _read_json_calls(path: Path, source: str, problems: list[str]) -> list[FundingCall]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"Calls file {path} is not valid JSON ({exc}).") from None
    return normalize_avisos(_avisos_in_json(data, path), source, problems, str(path))


# Column synonyms, folded, without the little words; the order of fields and of synonyms is the
# order of preference when one header could be several things.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": (
        "codigo",
        "codigo aviso",
        "code",
        "call code",
        "aviso code",
        "referencia",
        "referencia aviso",
        "ref",
        "n aviso",
        "numero aviso",
        "aviso",
    ),
    "title_en": ("titulo en", "title en", "designacao en", "english title", "titulo ingles"),
    "title": (
        "titulo",
        "designacao",
        "title",
        "titulo aviso",
        "designacao aviso",
        "nome",
        "nome aviso",
        "name",
        "call",
        "aviso",
    ),
    "programme": ("programa", "programme", "program", "programa operacional", "programas"),
    "region": ("regiao", "region", "regioes", "regions", "nuts ii", "nuts 2", "territorio"),
    "size": (
        "dimensao",
        "beneficiarios",
        "dimensao empresa",
        "dimensao empresas",
        "size",
        "company size",
        "tipo beneficiario",
        "tipo beneficiarios",
        "promotores",
        "destinatarios",
    ),
    "opens": (
        "data inicio",
        "abertura",
        "data abertura",
        "inicio",
        "opens",
        "open",
        "opening",
        "start",
        "start date",
    ),
    "closes_current": ("data fim atual", "fim atual", "encerramento atual", "prorrogacao"),
    "closes": (
        "data fim",
        "encerramento",
        "data encerramento",
        "fim",
        "closes",
        "close",
        "closing",
        "end",
        "end date",
        "deadline",
        "prazo",
        "data limite",
    ),
    "published": ("data publicacao", "publicacao", "published"),
    "updated": ("data ultima alteracao", "ultima alteracao", "updated", "last updated"),
    "budget": ("dotacao", "budget", "dotacao total", "montante", "orcamento"),
    "typology": (
        "tipologia",
        "tipologias",
        "tipologia operacao",
        "typology",
        "tipologia intervencao",
    ),
    "classification": ("classificacao", "classification", "tipo aviso"),
    "fund": ("fundo", "fundos", "fund", "funds"),
    "priority": ("prioridade", "priority"),
    "objective": ("objetivo", "objetivo especifico", "objective", "objetivos"),
}
_LITTLE_WORDS = frozenset({"de", "do", "da", "dos", "das", "of", "the", "o", "a"})


def _header_key(cell: Any) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", fold(_text(cell))).split()
    return " ".join(word for word in words if word not in _LITTLE_WORDS)


def _map_columns(row: list[Any]) -> dict[str, int]:
    headers = [_header_key(cell) for cell in row]
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for exact in (True, False):
        for field, synonyms in _COLUMNS.items():
            if field in mapping:
                continue
            for synonym in synonyms:
                column = next(
                    (
                        index
                        for index, header in enumerate(headers)
                        if index not in taken
                        and header
                        and (header == synonym or (not exact and header.startswith(synonym + " ")))
                    ),
                    None,
                )
                if column is not None:
                    mapping[field] = column
                    taken.add(column)
                    break
    return mapping


def _table_rows_csv(path: Path) -> list[list[list[Any]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise BadInput(f"Calls file {path} is not text in UTF-8 or Windows-1252.")
    if "\x00" in text:
        raise BadInput(f"Calls file {path} is not a CSV text file.")
    sample = [line for line in text.splitlines() if line.strip()][:5]
    delimiter = max((";", ",", "\t"), key=lambda d: sum(line.count(d) for line in sample))
    return [list(csv.reader(io.StringIO(text), delimiter=delimiter))]


def _table_rows_workbook(path: Path) -> list[list[list[Any]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = [
            workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in workbook.sheet_names
        ]
    except (CalamineError, OSError, ValueError) as exc:
        raise BadInput(f"Calls file {path} cannot be read as a spreadsheet ({exc}).") from None
    return sheets


def _split_cell(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n|]|\s\+\s", _text_keep_lines(value)) if part]


def _text_keep_lines(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _row_to_call(
    row: list[Any], columns: dict[str, int], source: str, problems: list[str], where: str
) -> FundingCall | None:
    def cell(field: str) -> Any:
        index = columns.get(field)
        if index is None or index >= len(row):
            return None
        value = row[index]
        return None if isinstance(value, str) and not value.strip() else value

    code, title = _text(cell("code")), _text(cell("title"))
    if not code and not title:
        return None
    if not code:
        problems.append(f"{where}: {title!r} has no code; skipped.")
        return None
    programmes = _split_cell(cell("programme"))
    typologies = _split_cell(cell("typology"))
    rows = max(len(programmes), len(typologies), 1)
    structure = [
        {
            "programaOperacionalDesignacao": programmes[i] if i < len(programmes) else None,
            "tipologiaOperacaoDesignacao": typologies[i] if i < len(typologies) else None,
            "fundoDesignacao": _text(cell("fund")) if i == 0 else None,
            "prioridadeDesignacao": _text(cell("priority")) if i == 0 else None,
            "objetivoEspecificoDesignacao": _text(cell("objective")) if i == 0 else None,
            "dotacao": cell("budget") if i == 0 else None,
        }
        for i in range(rows)
    ]
    aviso = {
        "aviso": {
            "codigoAviso": code,
            "designacaoPT": title,
            "designacaoEN": cell("title_en"),
            "classificacaoAvisoDesignacao": cell("classification"),
            "dataUltimaAlteracao": cell("updated"),
        },
        "estrutura": structure,
        "calendario": {
            "dataPublicacao": cell("published"),
            "dataInicio": cell("opens"),
            "dataFim": cell("closes"),
            "dataFimAtual": cell("closes_current"),
        },
    }
    call = normalize_aviso(aviso, source, problems=problems)
    region_text = _text(cell("region"))
    if region_text:
        regions = regions_in_text(region_text)
        if regions is not False:
            call = dataclasses.replace(call, regions=regions)
        else:
            problems.append(
                f"{where}: region {region_text!r} of {code} not recognised; the programme decides."
            )
    size = _size_rule(_text(cell("size")))
    if size is not None:
        call = dataclasses.replace(call, size_rule=size)
    return call


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """The first row (of the first ``HEADER_ROWS``) naming a code and a title column."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        columns = _map_columns(list(row))
        if "code" in columns and "title" in columns:
            return index, columns
    return None


def _read_table_calls(path: Path, source: str, problems: list[str]) -> list[FundingCall]:
    sheets = _table_rows_csv(path) if path.suffix.lower() == ".csv" else _table_rows_workbook(path)
    for rows in sheets:
        found = _find_header(rows)
        if found is None:
            continue
        header_index, columns = found
        calls = []
        for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
            call = _row_to_call(list(row), columns, source, problems, f"{path.name} row {offset}")
            if call is not None:
                calls.append(call)
        return calls
    raise BadInput(
        f"Calls file {path} has no header row with a code column (Código/Aviso/Code) and a title "
        f"column (Título/Designação/Title) in its first {HEADER_ROWS} rows."
    )


def read_calls_file(
    path: Path, problems: list[str] | None = None, *, source: str | None = None
) -> list[FundingCall]:
    """The calls in a ``.json`` (the API's shape), ``.xlsx``/``.xls``/``.ods`` or ``.csv`` file.

    Skipped avisos and unreadable values are appended to ``problems`` when given; ``source``
    (default: the path) labels the calls. Raises BadInput when the file is missing, unreadable,
    of another shape, or holds no calls.
    """
    path = Path(path)
    source = source or str(path)
    notes = problems if problems is not None else []
    suffix = path.suffix.lower()
    if suffix not in CALL_FILE_SUFFIXES:
        raise BadInput(
            f"Calls file {path} is neither .json nor a spreadsheet ({', '.join(TABLE_SUFFIXES)})."
        )
    if not path.is_file():
        raise BadInput(f"Calls file {path} does not exist.")
    try:
        calls = (
            _read_json_calls(path, source, notes)
            if suffix == ".json"
            else _read_table_calls(path, source, notes)
        )
    except OSError as exc:
        raise BadInput(f"Calls file {path} cannot be read ({exc.strerror or exc}).") from None
    if not calls:
        raise BadInput(f"Calls file {path} holds no funding calls.")
    return calls


def _call_files(folder: Path) -> list[Path]:
    return sorted(
        item
        for item in folder.iterdir()
        if item.is_file()
        and item.suffix.lower() in CALL_FILE_SUFFIXES
        and not item.name.startswith((".", "~$"))
    )


# --- entry point ------------------------------------------------------------------------------

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def load_calls(
    spec: str,
    settings: Settings,
    *,
    client: httpx.Client | None = None,
    on_page: Callable[[int, int], None] | None = None,
    payload: Mapping[str, Any] | None = None,
) -> tuple[list[FundingCall], list[str]]:
    """The calls of ``spec`` and the problems met (skipped avisos, unreadable values).

    ``spec``: ``p2030`` (``settings.p2030_query_url``), an http(s) URL of a Portugal 2030-style
    query endpoint (``payload`` is its form, see ``fetch_avisos``), ``sample`` (the shipped
    sample), a calls file, or a folder of calls files. One aviso code appears once: the most
    recently updated version wins.
    """
    spec = spec.strip()
    problems: list[str] = []
    if not spec:
        raise BadInput("No calls given: pass p2030, an http(s) URL, a calls file or a folder.")
    url = None
    if spec.casefold() == "p2030":
        url, source = settings.p2030_query_url, "p2030"
    elif _SCHEME.match(spec):
        if not spec.lower().startswith(("http://", "https://")):
            raise BadInput(f"Calls URL {safe_url(spec)} is not http(s).")
        url, source = spec, safe_url(spec)
    if url is not None:
        raws = fetch_avisos(
            url,
            payload=payload,
            timeout=settings.http_timeout,
            retries=settings.http_retries,
            client=client,
            on_page=on_page,
        )
        calls = normalize_avisos(raws, source, problems, f"Portugal 2030 API at {safe_url(url)}")
        return dedupe_calls(calls), problems

    if spec.casefold() == "sample":
        return dedupe_calls(read_calls_file(SAMPLE_CALLS, problems, source="sample")), problems
    path = Path(spec).expanduser()
    if path.is_dir():
        files = _call_files(path)
        if not files:
            raise BadInput(
                f"Calls folder {path} has no calls files ({', '.join(CALL_FILE_SUFFIXES)})."
            )
        calls = []
        for file in files:
            try:
                calls.extend(read_calls_file(file, problems))
            except BadInput as exc:
                problems.append(exc.message)
        if not calls:
            raise BadInput(f"Calls folder {path} holds no funding calls: {problems[0]}")
        return dedupe_calls(calls), problems
    if not path.exists():
        raise BadInput(
            f"Calls {spec!r} is neither an existing file or folder, an http(s) URL nor p2030."
        )
    return dedupe_calls(read_calls_file(path, problems)), problems
