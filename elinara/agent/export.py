"""Matches to files: .xlsx (for people), .csv and .json (for tools)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

from elinara.errors import BadInput
from elinara.models import Match

COLUMNS = (
    ("company", "Empresa / Company", 34),
    ("nif", "NIF", 12),
    ("aviso_id", "Aviso", 24),
    ("title", "Título / Title", 48),
    ("match_score", "Score", 8),
    ("eligible", "Eligible", 9),
    ("reasoning", "Reasoning", 80),
    ("provider", "Provider", 10),
    ("model", "Model", 14),
    ("matched_at", "Matched at", 22),
)
FORMATS = (".xlsx", ".csv", ".json")
# A column whose Match attribute has another name: the export keeps the wire's "nif".
ATTRIBUTES = {"nif": "lead_key"}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula (a company named "=HYPERLINK(...)", an
    LLM's reasoning) is written as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _rows(matches: list[Match]) -> list[list[object]]:
    return [[_cell(_value(m, key)) for key, _, _ in COLUMNS] for m in matches]


def _value(match: Match, key: str) -> object:
    return getattr(match, ATTRIBUTES.get(key, key))


def xlsx_bytes(matches: list[Match]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Matches"
    sheet.append([title for _, title, _ in COLUMNS])
    for row in _rows(matches):
        sheet.append(row)
    header_fill = PatternFill("solid", fgColor="1F4E78")
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
    for index, (_, _, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    reasoning_col = [key for key, _, _ in COLUMNS].index("reasoning") + 1
    for row in sheet.iter_rows(min_row=2, min_col=reasoning_col, max_col=reasoning_col):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = "B2"
    last = max(len(matches) + 1, 2)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    score_col = get_column_letter([key for key, _, _ in COLUMNS].index("match_score") + 1)
    sheet.conditional_formatting.add(
        f"{score_col}2:{score_col}{last}",
        ColorScaleRule(
            start_type="num",
            start_value=0,
            start_color="F8696B",
            mid_type="num",
            mid_value=50,
            mid_color="FFEB84",
            end_type="num",
            end_value=100,
            end_color="63BE7B",
        ),
    )

    summary = book.create_sheet("Per company")
    summary.append(["Empresa / Company", "NIF", "Matches", "Best score", "Best call", "Best title"])
    for cell in summary[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
    by_company: dict[tuple[str, str], list[Match]] = defaultdict(list)
    for m in matches:
        by_company[(m.company, m.lead_key)].append(m)
    ranked = sorted(by_company.items(), key=lambda item: -max(m.match_score for m in item[1]))
    for (company, nif), group in ranked:
        best = max(group, key=lambda m: m.match_score)
        summary.append(
            [
                _cell(v)
                for v in (company, nif, len(group), best.match_score, best.aviso_id, best.title)
            ]
        )
    for letter, width in zip("ABCDEF", (34, 12, 9, 11, 24, 60), strict=True):
        summary.column_dimensions[letter].width = width
    summary.freeze_panes = "A2"
    summary.auto_filter.ref = f"A1:F{max(len(by_company) + 1, 2)}"

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(matches: list[Match]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([key for key, _, _ in COLUMNS])
    writer.writerows(_rows(matches))
    return buffer.getvalue()


def json_text(matches: list[Match]) -> str:
    data = [{key: _value(m, key) for key, _, _ in COLUMNS} for m in matches]
    return json.dumps(data, ensure_ascii=False, indent=2)


def export_matches(matches: list[Match], path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise BadInput(f"Cannot export to {path.name}: use a .xlsx, .csv or .json file name.")
    if suffix == ".xlsx":
        data = xlsx_bytes(matches)
    else:
        text = csv_text(matches) if suffix == ".csv" else json_text(matches)
        data = text.encode("utf-8-sig" if suffix == ".csv" else "utf-8")
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BadInput(f"Cannot write {path}: {exc.strerror}.") from None
