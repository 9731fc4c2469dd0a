"""How big a leads spreadsheet may be: rows, cells, and for a workbook (a zip archive) the size
its parts expand to. Checked before anything is expanded or parsed, so that a small file that
expands to gigabytes (an "xlsx bomb") is refused with a clear error instead of filling memory.
The limits are settings (elinara/config.py: ELINARA_LEADS_MAX_*)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from elinara.config import Settings
from elinara.errors import BadInput

MB = 1024 * 1024


@dataclass(frozen=True)
class SheetLimits:
    max_rows: int = 1_100_000  # a little over Excel's own 1,048,576
    max_cells: int = 30_000_000
    max_unzipped_mb: int = 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> SheetLimits:
        return cls(
            max_rows=settings.leads_max_rows,
            max_cells=settings.leads_max_cells,
            max_unzipped_mb=settings.leads_max_unzipped_mb,
        )


def check_archive(path: Path, limits: SheetLimits) -> None:
    """A workbook whose parts declare more than ``max_unzipped_mb`` in all is refused without
    expanding any of them (the declared sizes are read from the zip's directory; the zip reader
    never expands an entry past its declared size). Not a zip (an old .xls): nothing to check."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip, or a damaged one: the workbook reader explains
    if total > limits.max_unzipped_mb * MB:
        raise BadInput(
            f"{path.name} expands to {total / MB:,.0f} MB when unzipped, more than the "
            f"{limits.max_unzipped_mb:,} MB allowed (ELINARA_LEADS_MAX_UNZIPPED_MB); "
            "split the leads into smaller files."
        )


def check_size(name: str, rows: int, columns: int, limits: SheetLimits) -> None:
    """A sheet of ``rows`` x ``columns`` within the row and cell limits."""
    if rows > limits.max_rows:
        raise BadInput(
            f"{name} has {rows:,} rows, more than the {limits.max_rows:,} allowed "
            "(ELINARA_LEADS_MAX_ROWS); split the leads into smaller files."
        )
    if rows * columns > limits.max_cells:
        raise BadInput(
            f"{name} has {rows:,} rows x {columns:,} columns, more than the "
            f"{limits.max_cells:,} cells allowed (ELINARA_LEADS_MAX_CELLS); remove the columns "
            "the leads do not need, or split the file."
        )
