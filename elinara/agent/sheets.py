"""Leads from spreadsheets: find the header, map the columns, normalise every row.

Workbooks (.xlsx, .xlsm, .xls) are read with python-calamine, chosen by measurement on the
100,000-row, 12-column workbook of ``bench/ingest.py`` (``python bench/ingest.py
--compare-openpyxl``, best of 5): calamine ``to_python()`` 1.02 s, openpyxl read-only
``iter_rows(values_only=True)`` 10.9 s -- 10.7x slower. openpyxl only writes the sample.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from elinara.agent.cae import cae_section
from elinara.agent.headers import HeaderMatch, find_header_row, header_key
from elinara.agent.normalize import (
    Place,
    cell_text,
    clean_text,
    normalize_email,
    normalize_nif,
    normalize_phone,
    normalize_size,
    normalize_website,
    parse_cae,
    resolve_place,
)
from elinara.agent.sheet_limits import SheetLimits, check_archive, check_size
from elinara.bulk import gc_paused
from elinara.errors import BadInput
from elinara.models import Lead

HEADER_SCAN_ROWS = 30
SINK_BATCH = 5000  # leads per batch handed to a sink while reading
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
SUPPORTED = ".xlsx, .xlsm, .xls or .csv"

Row = Sequence[Any]
LeadSink = Callable[[list[Lead]], None]


@dataclass
class ReadReport:
    """What ``read_leads`` did with a file; row numbers are the sheet's own (1-based)."""

    source: str
    sheet: str | None = None
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> header text
    rows_read: int = 0  # rows below the header, up to the last non-blank one
    rows_used: int = 0  # rows that gave a lead or were merged into one
    rows_skipped: int = 0  # blank rows and rows with neither a name nor a NIF
    rows_invalid: int = 0  # rows kept although their NIF is invalid
    duplicates_merged: int = 0
    leads: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": dict(self.columns),
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_skipped": self.rows_skipped,
            "rows_invalid": self.rows_invalid,
            "duplicates_merged": self.duplicates_merged,
            "leads": self.leads,
            "problems": [{"row": row, "message": msg} for row, msg in self.problems],
        }


# -- header recognition --------------------------------------------------------------------


# Exact header texts (as ``header_key`` makes them) that need no guessing.
_EXACT: dict[str, tuple[tuple[str, int], ...]] = {
    "nome": (("company", 1),),
    "name": (("company", 1),),
    "nome comercial": (("company", 1),),
    "lead": (("company", 2),),
    "leads": (("company", 2),),
    "atividade economica": (("cae", 2), ("activity", 2)),
    "actividade economica": (("cae", 2), ("activity", 2)),
    "setor": (("cae", 2), ("activity", 2)),
    "sector": (("cae", 2), ("activity", 2)),
    "setor de atividade": (("cae", 2), ("activity", 2)),
    "sector de actividade": (("cae", 2), ("activity", 2)),
    "sector de atividade": (("cae", 2), ("activity", 2)),
    "ramo de atividade": (("cae", 2), ("activity", 2)),
    "industria": (("cae", 2), ("activity", 2)),
    "industry": (("cae", 2), ("activity", 2)),
    "cp": (("postal_code", 1),),
    "cod postal": (("postal_code", 1),),
    "zip": (("postal_code", 1),),
    "zip code": (("postal_code", 1),),
    "postcode": (("postal_code", 1),),
    "tax id": (("nif", 1),),
    "tax number": (("nif", 1),),
    "numero fiscal": (("nif", 1),),
}
_PERSON = frozenset(
    {"pessoa", "person", "responsavel", "interlocutor", "gerente", "apelido", "surname"}
)
_CONTACT = frozenset({"contacto", "contact", "contactos", "contato"})
_NAME = frozenset({"nome", "name"})
_EMAIL = frozenset({"email", "emails", "mail", "correio"})
_CAE = frozenset({"cae", "caes", "nace"})
_DESCRIPTION = frozenset(
    {
        "descricao",
        "designacao",
        "description",
        "desc",
        "texto",
        "text",
        "denominacao",
        "nome",
        "name",
        "atividade",
        "actividade",
        "activity",
    }
)
_NIF = frozenset({"nif", "nipc", "vat", "contribuinte", "tin", "nifs"})
_WEBSITE = frozenset({"website", "site", "url", "web", "www", "homepage", "sitio", "websites"})
_PHONE = frozenset(
    {
        "telefone",
        "telemovel",
        "phone",
        "telephone",
        "tel",
        "tlm",
        "tlf",
        "telf",
        "telef",
        "mobile",
        "movel",
        "fone",
        "telefones",
        "phones",
        "cell",
    }
)
_EMPLOYEES = frozenset(
    {
        "trabalhadores",
        "employees",
        "colaboradores",
        "funcionarios",
        "empregados",
        "headcount",
        "staff",
        "pessoal",
        "efetivos",
        "efectivos",
        "workers",
        "fte",
        "ftes",
    }
)
_SIZE = frozenset({"dimensao", "size", "tamanho", "pme", "sme", "escalao"})
_DISTRICT = frozenset({"distrito", "district", "distritos"})
_MUNICIPALITY = frozenset({"concelho", "municipio", "municipality", "county", "concelhos"})
_REGION = frozenset({"regiao", "region", "nuts", "nut"})
_LOCALITY = frozenset({"localidade", "cidade", "city", "town", "localizacao", "location", "local"})
_ADDRESS = frozenset({"morada", "endereco", "address", "rua", "sede"})
_ACTIVITY = frozenset(
    {
        "atividade",
        "actividade",
        "atividades",
        "actividades",
        "activity",
        "activities",
        "descricao",
        "description",
        "objeto",
        "objecto",
        "business",
        "negocio",
    }
)
_COMPANY = frozenset(
    {
        "empresa",
        "empresas",
        "company",
        "companies",
        "razao",
        "denominacao",
        "firma",
        "entidade",
        "organizacao",
        "organization",
        "organisation",
        "cliente",
    }
)
# Checked in order: the first set a header's words meet decides (so "E-mail da empresa" is an
# e-mail and "Dimensão da empresa" a size, not a company name).
_RULES: tuple[tuple[frozenset[str], tuple[tuple[str, int], ...]], ...] = (
    (_EMAIL, (("email", 0),)),
    (_NIF, (("nif", 0),)),
    (_WEBSITE, (("website", 0),)),
    (_PHONE | _CONTACT, (("phone", 1),)),
    (_EMPLOYEES, (("employees", 0),)),
    (_SIZE, (("size", 0),)),
    (_DISTRICT, (("district", 0),)),
    (_MUNICIPALITY, (("municipality", 0),)),
    (_REGION, (("region", 0),)),
    (_LOCALITY, (("locality", 0),)),
    (frozenset({"postal"}), (("postal_code", 0),)),
    (_ADDRESS, (("address", 0),)),
    (_ACTIVITY, (("activity", 0),)),
)


def header_fields(text: object) -> tuple[tuple[str, int], ...]:
    """The fields a header cell may name, best first, each with a priority (0 = surest)."""
    if not isinstance(text, str) or len(text) > 80:
        return ()
    key = header_key(text)
    if not key or key.isdigit():
        return ()
    if key in _EXACT:
        return _EXACT[key]
    words = set(key.split())
    if "e mail" in key:
        return (("email", 0),)
    if words & _CAE:
        return (("cae_description", 1),) if words & _DESCRIPTION else (("cae", 0),)
    if (words & _NAME and words & (_PERSON | _CONTACT)) or words & _PERSON:
        return ()  # a contact person's name
    for vocabulary, fields in _RULES:
        if words & vocabulary:
            return fields
    if words & _COMPANY and len(words) <= 4:
        return (("company", 0),)
    if words & _NAME and len(words) <= 3:
        return (("company", 1),)
    return ()


LeadsHeader = HeaderMatch[dict[str, list[int]]]


def map_columns(cells: Row) -> dict[str, list[int]]:
    """Field -> column indexes: the best column first, then equally good ones as fallbacks
    ("Telefone", "Telemóvel"). A weaker column takes its next choice if that field is free
    ("Atividade económica" beside "CAE" is the activity), else it is left out ("Nome" beside
    "Empresa" is probably a person)."""
    choices = {col: fields for col, cell in enumerate(cells) if (fields := header_fields(cell))}
    best: dict[str, int] = {}
    for fields in choices.values():
        name, prio = fields[0]
        best[name] = min(prio, best.get(name, prio))
    columns: dict[str, list[int]] = {}
    weaker: list[int] = []
    for prio, col, name in sorted((f[0][1], col, f[0][0]) for col, f in choices.items()):
        if prio == best[name]:
            columns.setdefault(name, []).append(col)
        else:
            weaker.append(col)
    for col in weaker:
        free = [name for name, _ in choices[col][1:] if name not in columns]
        if free:
            columns[free[0]] = [col]
    return columns


def _score(columns: dict[str, list[int]]) -> int:
    if "company" not in columns and "nif" not in columns:
        return 0
    return len(columns)


def find_header(rows: Iterable[Row], limit: int = HEADER_SCAN_ROWS) -> LeadsHeader | None:
    """The best-scoring leads header among the first ``limit`` rows (earliest on a tie)."""
    return find_header_row(rows, map_columns, _score, limit)


# -- reading files -------------------------------------------------------------------------


@dataclass
class _Table:
    sheet: str | None
    rows: list[list[Any]]
    header: LeadsHeader
    first_row: int = 1  # the sheet's number for rows[0]


def _file_problem(path: Path) -> str | None:
    if not path.exists():
        return f"File {path} does not exist; check the path and the file name."
    if path.is_dir():
        return f"{path} is a folder, not a spreadsheet; give the path of an {SUPPORTED} file."
    if path.stat().st_size == 0:
        return f"{path.name} is empty (0 bytes); export the leads again and retry."
    return None


def _workbook_error(path: Path, exc: Exception) -> BadInput:
    with path.open("rb") as handle:
        head = handle.read(512)
    name = path.name
    if "password" in type(exc).__name__.lower() or "password" in str(exc).lower():
        what = "is password-protected; save an unprotected copy in Excel and use that"
    elif head.startswith(b"PK"):
        what = "is a zip archive but not an Excel workbook; open it in Excel and save it as .xlsx"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        what = (
            "is an encrypted or old-format Excel file that cannot be read; open it in Excel "
            "and save it as .xlsx without a password"
        )
    elif head.lstrip().lower().startswith((b"<!doctype", b"<html", b"<table", b"<?xml")):
        what = (
            "is a web page saved with an Excel extension, not a workbook; open it in Excel "
            "and save it as .xlsx, or export it as .csv"
        )
    elif _looks_like_text(head):
        what = "is a text file, not an Excel workbook; if it holds CSV data rename it to .csv"
    else:
        what = "is damaged or not an Excel workbook; open it in Excel and save it again as .xlsx"
    return BadInput(f"{name} {what}.")


def _looks_like_text(head: bytes) -> bool:
    return b"\x00" not in head and all(b >= 9 for b in head[:64])


def _workbook_tables(path: Path, limits: SheetLimits) -> Iterable[_Table]:
    """Every sheet with a recognisable header, keeping only the rows of the best so far."""
    check_archive(path, limits)  # before the workbook reader expands anything
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises several unrelated types for bad files
        raise _workbook_error(path, exc) from None
    best: tuple[LeadsHeader, str, Any] | None = None
    for name in names:
        try:
            sheet = book.get_sheet_by_name(name)
            head = sheet.to_python(nrows=HEADER_SCAN_ROWS)
        except Exception:  # a chart sheet or a damaged sheet: look at the others
            continue
        header = find_header(head)
        if header and (best is None or header.score > best[0].score):
            best = (header, name, sheet)
    if best is None:
        return []
    header, name, sheet = best
    check_size(path.name, sheet.height, sheet.width, limits)
    try:
        rows = sheet.to_python()  # from the first non-empty row and column, at ``start``
    except Exception as exc:
        raise _workbook_error(path, exc) from None
    return [_Table(name, rows, header, first_row=(sheet.start or (0, 0))[0] + 1)]


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise BadInput(f"{name} is an Excel workbook, not CSV text; rename it to .xlsx.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw[:4096]:
        raise BadInput(f"{name} is not a text file; export the leads as CSV (UTF-8) or .xlsx.")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")  # what Excel on Windows writes for "CSV" in Portugal
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _csv_tables(path: Path, limits: SheetLimits) -> list[_Table]:
    text = _decode(path.read_bytes(), path.name)
    check_size(path.name, text.count("\n"), 1, limits)  # rows, before parsing any
    sample = "".join(itertools.islice(io.StringIO(text, newline=""), HEADER_SCAN_ROWS))
    best: tuple[LeadsHeader, str] | None = None
    for delimiter in (";", ",", "\t", "|"):
        header = find_header(_csv_rows(sample, delimiter))
        if header and (best is None or header.score > best[0].score):
            best = (header, delimiter)
    if best is None:
        return []
    header, delimiter = best
    rows: list[list[Any]] = _csv_rows(text, delimiter)
    width = max(col for cols in header.columns.values() for col in cols) + 1
    check_size(path.name, len(rows), max(width, len(rows[0]) if rows else 0), limits)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return [_Table(None, rows, header)]


def read_leads(
    path: Path | str, sink: LeadSink | None = None, limits: SheetLimits | None = None
) -> tuple[list[Lead], ReadReport]:
    """Read, normalise and de-duplicate the leads of one spreadsheet or CSV file.

    ``sink``, when given, receives the leads in batches while the rest of the file is still
    being read (so they can be stored meanwhile); a lead that changes after it was handed
    over (merged with a later duplicate) is handed over again at the end. A bad file raises
    before anything reaches the sink.

    Raises BadInput (one sentence: what is wrong and what to do) for a missing, unsupported,
    unreadable or header-less file, one whose header has no rows under it, or one past
    ``limits`` (rows, cells, unzipped size; the defaults of ``SheetLimits`` when not given).
    """
    path = Path(path)
    problem = _file_problem(path)
    if problem:
        raise BadInput(problem)
    try:
        with gc_paused():
            return _read_file(path, sink, limits or SheetLimits())
    except OSError as exc:
        raise BadInput(
            f"{path.name} cannot be read ({exc.strerror or exc}); check that you may read it "
            "and that no other program holds it open."
        ) from None


def _read_file(
    path: Path, sink: LeadSink | None, limits: SheetLimits
) -> tuple[list[Lead], ReadReport]:
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        tables = _workbook_tables(path, limits)
    elif suffix in CSV_SUFFIXES:
        tables = _csv_tables(path, limits)
    else:
        kind = f"a {suffix} file" if suffix else "a file without an extension"
        raise BadInput(f"{path.name} is {kind}, which cannot be read as leads; use {SUPPORTED}.")
    table = next(iter(tables), None)
    if table is None:
        where = "of any sheet of" if suffix in WORKBOOK_SUFFIXES else "of"
        raise BadInput(
            f"No header row with a company name or NIF column was found in the first "
            f"{HEADER_SCAN_ROWS} rows {where} {path.name}; expected columns such as Empresa, "
            "NIF, CAE, Distrito."
        )
    leads, report = _read_table(table, path.name, sink)
    if not leads:
        sheet = f" of sheet {table.sheet}" if table.sheet else ""
        raise BadInput(
            f"{path.name} has a header in row {report.header_row}{sheet} but no leads under "
            "it; put one company (name or NIF) per row below the header."
        )
    return leads, report


# -- rows -> leads -------------------------------------------------------------------------


# The fields a row is read into, in the order ``_rows_to_leads`` unpacks them.
FIELDS = (
    "company",
    "nif",
    "cae",
    "cae_description",
    "activity",
    "size",
    "employees",
    "email",
    "phone",
    "website",
    "district",
    "municipality",
    "region",
    "postal_code",
    "locality",
    "address",
)
_PLACE_START = FIELDS.index("district")


@dataclass
class _Cae:
    code: str | None
    section: str | None
    rest: str  # text that was not the code: a description
    lost_zero: bool  # a 4-digit number that may be a 5-digit code without its leading 0
    bad: str  # the cell text when it held neither a code nor a description


def _cae(value: Any, text_digits_may_lose_zeros: bool) -> _Cae:
    code, rest = parse_cae(value)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    text = cell_text(value)
    lost_zero = (
        code is not None
        and len(code) == 4
        and (numeric or (text_digits_may_lose_zeros and text.isdigit()))
    )
    bad = text if code is None and text and not any(c.isalpha() for c in text) else ""
    return _Cae(code, cae_section(code), rest, lost_zero, bad)


_NO_CAE = _Cae(None, None, "", False, "")
_NO_SIZE: tuple[str | None, int | None] = (None, None)
_NO_PLACE = Place()


@dataclass
class _Memo:
    """Memo tables for the columns whose values repeat (codes, sizes, places)."""

    from_csv: bool
    caes: dict[Any, _Cae] = field(default_factory=dict)
    sizes: dict[Any, tuple[str | None, int | None]] = field(default_factory=dict)
    places: dict[tuple[Any, ...], Place] = field(default_factory=dict)

    def cae(self, value: Any) -> _Cae:
        found = self.caes.get(value)
        if found is None:
            found = _cae(value, self.from_csv) if value != "" else _NO_CAE
            if _memoable(value):
                self.caes[value] = found
        return found

    def size(self, value: Any) -> tuple[str | None, int | None]:
        found = self.sizes.get(value)
        if found is None:
            found = normalize_size(value)
            if _memoable(value):
                self.sizes[value] = found
        return found

    def place(self, where: tuple[Any, ...], address: Any) -> Place:
        """``where``: district, municipality, region, postal code, locality. The memo key
        leaves the address out (it is unique per row and only counts when the others are all
        blank)."""
        found = self.places.get(where)
        if found is None:
            found = _place(*(cell_text(v) for v in (*where, address)))
            if (any(where) or _blank(address)) and all(_memoable(v) for v in where):
                self.places[where] = found
        return found


def _memoable(value: Any) -> bool:
    """Whether a cell may key a memo table: TRUE, 1 and 1.0 (FALSE, 0, 0.0) share one dict
    slot but read differently, so none of them is remembered."""
    return type(value) is str or value not in (0, 1)


def _place(
    district: str, municipality: str, region: str, postal: str, locality: str, address: str
) -> Place:
    if not (district or municipality or region or postal or locality):
        if not address:
            return _NO_PLACE
        postal, locality = _address_place(address)
    return resolve_place(district, municipality, region, postal, locality)


_POSTAL_IN_ADDRESS = re.compile(r"\b(\d{4})\s*-\s*\d{3}\b\s*([^\d,;]*)")


def _address_place(address: str) -> tuple[str, str]:
    """(postal code, postal locality) out of ``"Rua X, 12, 4700-123 Braga"``."""
    found = _POSTAL_IN_ADDRESS.search(address)
    if not found:
        return "", ""
    return found.group(1), found.group(2).strip(" .-")


def _nif_problem(text: str) -> str:
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) != 9:
        return f"invalid NIF {text}: a NIF has 9 digits"
    return f"invalid NIF {text}: the check digit does not match"


def _blank(value: Any) -> bool:
    return value == "" or value is None


class _Counts:
    def __init__(self) -> None:
        self.used = self.skipped = self.invalid = self.merged = 0


def _read_table(table: _Table, source: str, sink: LeadSink | None) -> tuple[list[Lead], ReadReport]:
    header = table.header
    columns = header.columns
    header_cells = table.rows[header.index]
    report = ReadReport(
        source=source,
        sheet=table.sheet,
        header_row=header.index + table.first_row,
        columns={
            name: ", ".join(str(header_cells[c]).strip() for c in cols)
            for name, cols in columns.items()
        },
    )
    leads, counts = _rows_to_leads(table, source, report.problems, sink)
    report.rows_used, report.rows_skipped, report.rows_invalid = (
        counts.used,
        counts.skipped,
        counts.invalid,
    )
    report.duplicates_merged = counts.merged
    report.rows_read = report.rows_used + report.rows_skipped
    report.leads = len(leads)
    report.problems.sort(key=lambda item: item[0])
    return leads, report


def _rows_to_leads(
    table: _Table, source: str, problems: list[tuple[int, str]], sink: LeadSink | None
) -> tuple[list[Lead], _Counts]:
    """One lead per company: a row whose key (``Lead.key``) an earlier row had is merged into
    that one -- the first row wins and later rows only fill what it left empty.

    The hot loop of a 100k-row file: values come out of each row with one ``itemgetter`` (a
    missing field reads a blank cell appended to the row), repetitive columns go through memo
    tables. With a ``sink``, leads are handed over every ``SINK_BATCH``; see ``read_leads``."""
    columns = table.header.columns
    # -1 is the blank cell appended to every row below: what an absent field reads.
    take = operator.itemgetter(*(columns.get(name, [-1])[0] for name in FIELDS))
    fallbacks = [
        (pos, tuple(columns[name][1:]))
        for pos, name in enumerate(FIELDS)
        if len(columns.get(name, [])) > 1
    ]
    has_place = any(name in columns for name in FIELDS[_PLACE_START:])
    has_cae_description = "cae_description" in columns
    memo = _Memo(from_csv=table.sheet is None)
    caes, sizes, places = memo.caes, memo.sizes, memo.places
    activities: dict[Any, str] = {}  # cell -> cleaned text (activities repeat, as CAEs do)
    counts = _Counts()
    leads: list[Lead] = []
    position: dict[str, int] = {}  # Lead.key -> index in leads
    handed = 0  # leads[:handed] went to the sink
    changed: set[int] = set()  # indexes of handed leads changed since
    lost_zero: list[Lead] = []
    five_digit_codes = False
    pending_blank = 0
    hand_over_at = SINK_BATCH - 1  # leads not yet handed over, less the one just added
    rows = table.rows
    first_row = table.first_row
    start = table.header.index + 1
    for rownum, row in enumerate(itertools.islice(rows, start, None), start + first_row):
        if not any(row):
            pending_blank += 1
            continue
        row.append("")
        values = take(row)
        if fallbacks:
            values = _with_fallbacks(row, values, fallbacks)
        (
            company_v,
            nif_v,
            cae_v,
            cae_description_v,
            activity_v,
            size_v,
            employees_v,
            email_v,
            phone_v,
            website_v,
            district_v,
            municipality_v,
            region_v,
            postal_v,
            locality_v,
            address_v,
        ) = values
        company = clean_text(company_v)
        nif, nif_valid = normalize_nif(nif_v) if nif_v != "" else (None, False)
        if not company and nif is None:
            if not any(cell_text(v) for v in row):
                pending_blank += 1
                continue
            counts.skipped += pending_blank + 1
            pending_blank = 0
            problems.append((rownum, "row has neither a company name nor a NIF; skipped"))
            continue
        counts.skipped += pending_blank
        pending_blank = 0
        counts.used += 1
        notes: list[str] = []
        if not company:
            company = nif or ""
            notes.append("no company name; the NIF stands in for it")
        if nif is not None and not nif_valid:
            notes.append(_nif_problem(nif))
            counts.invalid += 1

        cae = caes.get(cae_v) or memo.cae(cae_v)
        if has_cae_description and cae.code is None:
            described = memo.cae(cae_description_v)
            cae = described if described.code or cae is _NO_CAE else cae
        if cae.bad:
            notes.append(f"CAE not recognised: {cae.bad}")
        elif cae.code and len(cae.code) == 5:
            five_digit_codes = True
        activity = activities.get(activity_v)
        if activity is None:
            activity = clean_text(activity_v)
            if _memoable(activity_v):
                activities[activity_v] = activity
        if not activity:
            activity = cae.rest or (memo.cae(cae_description_v).rest if has_cae_description else "")

        size, employees = (sizes.get(size_v) or memo.size(size_v)) if size_v != "" else _NO_SIZE
        if employees_v != "":
            size2, employees2 = sizes.get(employees_v) or memo.size(employees_v)
            size = size or size2
            employees = employees2 if employees2 is not None else employees
        if size is None and (size_v != "" or employees_v != ""):
            given = cell_text(size_v) or cell_text(employees_v)
            if given:
                notes.append(f"size not recognised: {given}")

        email = normalize_email(email_v) if email_v != "" else None
        if email is None and email_v != "" and cell_text(email_v):
            notes.append(f"e-mail not recognised: {cell_text(email_v)}")
        phone = normalize_phone(phone_v) if phone_v != "" else None
        if phone is None and phone_v != "" and cell_text(phone_v):
            notes.append(f"phone not recognised: {cell_text(phone_v)}")
        website = normalize_website(website_v) if website_v != "" else None

        if has_place:
            where = (district_v, municipality_v, region_v, postal_v, locality_v)
            place = places.get(where) or memo.place(where, address_v)
        else:
            place = _NO_PLACE
        if place.problem:
            notes.append(place.problem)

        lead = Lead(  # positionally, in Lead's field order: keywords cost a tenth of this loop
            company,
            nif,
            nif_valid,
            cae.code,
            cae.section,
            place.district,
            place.municipality,
            place.region,
            size,
            employees,
            activity,
            email,
            phone,
            website,
            source,
            rownum,
            notes,
        )
        if notes:
            problems.extend((rownum, note) for note in notes)
        count = len(leads)
        at = position.setdefault(lead.key, count)
        if at != count:
            first = leads[at]
            if _merge(first, lead) and cae.lost_zero:
                lost_zero.append(first)  # its CAE came from this row
            counts.merged += 1
            what = f"NIF {lead.nif}" if lead.nif else f"company name {lead.company}"
            problems.append((rownum, f"duplicate of row {first.row} ({what}); merged"))
            if at < handed:
                changed.add(at)
            continue
        if cae.lost_zero:
            lost_zero.append(lead)
        leads.append(lead)
        if count - handed >= hand_over_at and sink is not None:
            if five_digit_codes:  # restore before handing over, not after
                changed.update(_restore_handed(lost_zero, position, handed))
            sink(leads[handed:])
            handed = len(leads)
    if five_digit_codes:
        changed.update(_restore_handed(lost_zero, position, handed))
    rest = leads[handed:] + [leads[at] for at in sorted(changed)]
    if sink is not None and rest:
        sink(rest)
    return leads, counts


def _with_fallbacks(
    row: list[Any], values: tuple[Any, ...], fallbacks: list[tuple[int, tuple[int, ...]]]
) -> tuple[Any, ...]:
    """Fill blank fields from their other columns ("Telefone" blank -> "Telemóvel")."""
    filled = list(values)
    for pos, cols in fallbacks:
        if _blank(filled[pos]):
            filled[pos] = next((row[c] for c in cols if not _blank(row[c])), "")
    return tuple(filled)


# Fields a later duplicate may fill in when the first row left them empty; the groups move
# together so a lead never mixes one row's municipality with another row's region.
_MERGE_GROUPS = (
    ("cae", "cae_section"),
    ("region", "district", "municipality"),
    ("size",),
    ("employees",),
    ("activity",),
    ("email",),
    ("phone",),
    ("website",),
)


def _merge(first: Lead, later: Lead) -> bool:
    """Fill ``first``'s empty fields from ``later``; True when its CAE came from ``later``."""
    if first.nif and first.company == first.nif and later.company != later.nif:
        first.company = later.company
    cae_copied = False
    for group in _MERGE_GROUPS:
        if getattr(first, group[0]) in (None, "") and getattr(later, group[0]) not in (None, ""):
            for name in group:
                setattr(first, name, getattr(later, name))
            cae_copied = cae_copied or group[0] == "cae"
    return cae_copied


def _restore_handed(lost_zero: list[Lead], position: dict[str, int], handed: int) -> list[int]:
    """Restore the pending leading zeros; the positions of changed leads already handed over."""
    restored = _restore_leading_zeros(lost_zero)
    lost_zero.clear()
    return [position[lead.key] for lead in restored if position[lead.key] < handed]


def _restore_leading_zeros(leads: list[Lead]) -> list[Lead]:
    """Numbers like 1130 in a column of 5-digit codes are 01130 that Excel cut short; returns
    the leads it changed."""
    changed = []
    for lead in leads:
        if lead.cae and len(lead.cae) == 4:
            padded = "0" + lead.cae
            section = cae_section(padded)
            if section:
                lead.cae, lead.cae_section = padded, section
                changed.append(lead)
    return changed
