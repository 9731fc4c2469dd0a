"""Finding the header row of a spreadsheet: the one search that the leads reader and the call
tables share. Each brings its own vocabulary (a function from a row to a column map) and its own
score; this finds the best-scoring row near the top, earliest on a tie."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from elinara.text import fold

Columns = TypeVar("Columns")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def header_key(text: str) -> str:
    """Folded header text with punctuation as spaces: ``"N.º Contribuinte"`` -> ``"n o
    contribuinte"``, ``"E-mail"`` -> ``"e mail"``."""
    return " ".join(_NON_ALNUM.split(fold(text))).strip()


@dataclass
class HeaderMatch(Generic[Columns]):
    """A header row: how many fields it names, where it is, and its column map."""

    score: int
    index: int  # position of the header row in the rows handed over
    columns: Columns


def find_header_row(
    rows: Iterable[Sequence[Any]],
    map_columns: Callable[[Sequence[Any]], Columns],
    score: Callable[[Columns], int],
    limit: int,
) -> HeaderMatch[Columns] | None:
    """The best-scoring header among the first ``limit`` rows (earliest on a tie); a score of 0
    is no header."""
    best: HeaderMatch[Columns] | None = None
    for index, row in enumerate(rows):
        if index >= limit:
            break
        columns = map_columns(row)
        points = score(columns)
        if points and (best is None or points > best.score):
            best = HeaderMatch(points, index, columns)
    return best
