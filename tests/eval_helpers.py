"""Checks every labelled evaluation set passes (tests/data/eval_*): every pair labelled, and
`elinara eval` runs on it and counts every pair."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from cli_helpers import elinara

RULES = {"", "dates", "geography", "beneficiary", "size", "cae", "fit"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def assert_every_pair_labelled(folder: Path) -> None:
    """Each label file names every organisation x call once, a label 1 has no rule and a label 0
    one, and reading the notices every rule occurs."""
    pages = json.loads((folder / "calls.json").read_text(encoding="utf-8"))
    codes = {a["aviso"]["codigoAviso"] for page in pages for a in page["avisos"]}
    leads = _rows(folder / "leads.csv")
    nifs = {r["NIF"] for r in leads}
    assert len(nifs) == len(leads)
    for name in ("labels.csv", "labels_metadata.csv"):
        rows = _rows(folder / name)
        assert len(rows) == len(nifs) * len(codes)
        assert {(r["nif"], r["aviso_id"]) for r in rows} == {(n, c) for n in nifs for c in codes}
        assert all((r["label"] == "1") == (r["rule"] == "") for r in rows)
    assert {r["rule"] for r in _rows(folder / "labels.csv")} == RULES


def assert_eval_runs(folder: Path, labels: str, as_of: str, *extra: str) -> None:
    result = elinara(
        "eval",
        "--leads",
        str(folder / "leads.csv"),
        "--calls",
        str(folder / "calls.json"),
        "--labels",
        str(folder / labels),
        "--as-of",
        as_of,
        *extra,
        "--json",
    )
    assert result.code == 0, result.err
    data = result.json()
    rows = _rows(folder / labels)
    assert data["tp"] + data["fn"] == sum(r["label"] == "1" for r in rows)
    assert data["tp"] + data["fp"] + data["fn"] + data["tn"] == len(rows)
