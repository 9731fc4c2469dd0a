"""Reading funding calls from where they are: the Portugal 2030 API (or a query URL), a saved
API response (JSON), a spreadsheet of calls (.xlsx / .xls / .ods / .csv), a folder of such files,
or the sample shipped with elinara. What the values mean (programmes, regions, sizes, dates) is
:mod:`elinara.agent.calls`' business; this module only finds the avisos and hands them over.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from elinara.agent.calls import (
    dedupe_calls,
    dicts_in,
    normalize_aviso,
    normalize_avisos,
    regions_in_text,
    size_rule_in,
)
from elinara.agent.headers import find_header_row, header_key
from elinara.agent.inputs import SAMPLE_CALLS
from elinara.agent.normalize import clean_text
from elinara.agent.sources.http import safe_url
from elinara.agent.sources.p2030 import fetch_avisos
from elinara.config import Settings
from elinara.errors import BadInput
from elinara.models import FundingCall

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
CALL_FILE_SUFFIXES = (".json", *TABLE_SUFFIXES)
HEADER_ROWS = 20


# --- JSON files ------------------------------------------------------------------------------------

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
        return dicts_in(data.get("avisos"))
    if isinstance(data, dict) and ("aviso" in data or "codigoAviso" in data):
        return [data]
    if isinstance(data, list):
        avisos: list[Any] = []
        for item in data:
            if is_page(item):
                avisos.extend(dicts_in(item.get("avisos")))
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
    return " ".join(w for w in header_key(clean_text(cell)).split() if w not in _LITTLE_WORDS)


def _map_columns(row: Sequence[Any]) -> dict[str, int]:
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

    code, title = clean_text(cell("code")), clean_text(cell("title"))
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
            "fundoDesignacao": clean_text(cell("fund")) if i == 0 else None,
            "prioridadeDesignacao": clean_text(cell("priority")) if i == 0 else None,
            "objetivoEspecificoDesignacao": clean_text(cell("objective")) if i == 0 else None,
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
    region_text = clean_text(cell("region"))
    if region_text:
        regions = regions_in_text(region_text)
        if regions is not False:
            call = dataclasses.replace(call, regions=regions)
        else:
            problems.append(
                f"{where}: region {region_text!r} of {code} not recognised; the programme decides."
            )
    size = size_rule_in(clean_text(cell("size")))
    if size is not None:
        call = dataclasses.replace(call, size_rule=size)
    return call


def _calls_header_score(columns: dict[str, int]) -> int:
    """A call table's header names at least a code and a title column."""
    return len(columns) if "code" in columns and "title" in columns else 0


def _read_table_calls(path: Path, source: str, problems: list[str]) -> list[FundingCall]:
    sheets = _table_rows_csv(path) if path.suffix.lower() == ".csv" else _table_rows_workbook(path)
    for rows in sheets:
        found = find_header_row(rows, _map_columns, _calls_header_score, HEADER_ROWS)
        if found is None:
            continue
        header_index, columns = found.index, found.columns
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
