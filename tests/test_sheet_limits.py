"""Spreadsheets past a row, cell or unzipped-size limit are refused with a clear error; an xlsx
that expands to far more than it weighs is refused before anything is expanded."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, elinara
from test_sheets import HEADER, ROW_A, one_sheet

from elinara.agent.inputs import SAMPLE_CALLS
from elinara.agent.sheet_limits import SheetLimits
from elinara.agent.sheets import read_leads
from elinara.errors import BadInput

ROW = "<row>" + "".join(f'<c t="inlineStr"><is><t>x{n}</t></is></c>' for n in range(8)) + "</row>"


def xlsx_bomb(tmp_path: Path, expanded_mb: int) -> Path:
    """A real workbook whose sheet is rewritten as ``expanded_mb`` MB of rows: the file is a few
    hundred kB, the sheet it expands to is ``expanded_mb`` MB."""
    base = one_sheet(tmp_path, [HEADER, ROW_A], "base.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    rows = (ROW * (1024 * 1024 // len(ROW) + 1)).encode()[: 1024 * 1024]
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, src.read(info))
                continue
            with out.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>'
                )
                for _ in range(expanded_mb):
                    sheet.write(rows)
                sheet.write(b"</sheetData></worksheet>")
    assert bomb.stat().st_size < expanded_mb * 1024 * 1024 / 20
    return bomb


def test_an_xlsx_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    bomb = xlsx_bomb(tmp_path, 64)
    with pytest.raises(BadInput) as caught:
        read_leads(bomb, limits=SheetLimits(max_unzipped_mb=32))
    assert "expands to 64 MB" in caught.value.message
    assert "ELINARA_LEADS_MAX_UNZIPPED_MB" in caught.value.message


def test_rows_and_cells_past_their_limits_are_refused(tmp_path: Path) -> None:
    sheet = one_sheet(tmp_path, [HEADER] + [ROW_A] * 50)
    assert len(read_leads(sheet)[0]) == 1  # within the defaults: one company, 50 times
    with pytest.raises(BadInput, match=r"51 rows, more than the 10 allowed"):
        read_leads(sheet, limits=SheetLimits(max_rows=10))
    with pytest.raises(BadInput, match=r"ELINARA_LEADS_MAX_CELLS"):
        read_leads(sheet, limits=SheetLimits(max_cells=100))
    csv = tmp_path / "leads.csv"
    csv.write_text(";".join(HEADER) + "\n" + (";".join(ROW_A) + "\n") * 50, encoding="utf-8")
    with pytest.raises(BadInput, match=r"ELINARA_LEADS_MAX_ROWS"):
        read_leads(csv, limits=SheetLimits(max_rows=10))


def test_a_run_reads_the_limits_from_the_settings(tmp_path: Path) -> None:
    bomb = xlsx_bomb(tmp_path, 8)
    result = elinara(
        "agent",
        "run",
        "--leads",
        str(bomb),
        "--calls",
        str(SAMPLE_CALLS),
        "--json",
        "--quiet",
        env={"ELINARA_LEADS_MAX_UNZIPPED_MB": "4"},
    )
    assert_one_line_error(result, result.code or 1, "ELINARA_LEADS_MAX_UNZIPPED_MB")
    assert result.code != 0
