"""A run over the Portugal 2030 API reads each call's notice once, matches on what it states, and
cites it; a second run downloads and parses nothing.

The calls, notices, companies and labels are the evaluation set of tests/data/eval (labelled from
the notices by its own rules, README there), served by a loopback fake of the API and its
download endpoint; the run is scored as a consultant would read its `--json` output.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from cli_helpers import Result, elinara
from fakes.p2030 import FakeP2030

EVAL = Path(__file__).parent / "data" / "eval"
MISSING, CORRUPT = "CENTRO2030-2026-55", "MPR-2026-22"


def eval_avisos() -> tuple[list[dict[str, Any]], dict[tuple[str, str], bytes]]:
    pages = json.loads((EVAL / "calls.json").read_text(encoding="utf-8"))
    avisos = [aviso for page in pages for aviso in page["avisos"]]
    documents: dict[tuple[str, str], bytes] = {}
    for aviso in avisos:
        for doc in aviso["documentos"]:
            file = EVAL / "notices" / doc["path"]
            if file.is_file():
                documents[(doc["path"], doc["container"])] = file.read_bytes()
    return avisos, documents


def run(fake: FakeP2030) -> Result:
    return elinara(
        "agent",
        "run",
        "--leads",
        str(EVAL / "leads.csv"),
        "--calls",
        "p2030",
        "--as-of",
        "2026-12-01",
        "--json",
        "--quiet",
        env={
            "ELINARA_P2030_QUERY_URL": fake.url,
            "ELINARA_P2030_DOWNLOAD_URL": fake.download_url,
            "ELINARA_HTTP_RETRIES": "1",
        },
        timeout=300,
    )


def scores(matches: list[dict[str, Any]]) -> tuple[float, float, float]:
    with (EVAL / "labels.csv").open(encoding="utf-8") as handle:
        truth = {(r["nif"], r["aviso_id"]) for r in csv.DictReader(handle) if r["label"] == "1"}
    found = {(m["nif"], m["aviso_id"]) for m in matches}
    hits = len(found & truth)
    precision, recall = hits / len(found), hits / len(truth)
    return precision, recall, 2 * precision * recall / (precision + recall)


def test_a_run_reads_each_notice_once_matches_on_it_and_a_second_run_reads_none() -> None:
    avisos, documents = eval_avisos()
    with FakeP2030(avisos, page_size=6, documents=documents) as fake:
        first = run(fake)
        assert first.code == 0, first.err
        downloads = dict(fake.download_counts)
        second = run(fake)
        assert second.code == 0, second.err
        again = dict(fake.download_counts)

    data = first.json()
    counts = data["counts"]
    assert counts["notices_read"] >= 30
    assert counts["notices_parsed"] == counts["notices_read"]
    # every notice asked for once: the missing one answers 404 and is asked again next run
    assert all(n == 1 for path, n in downloads.items() if MISSING not in path)
    warnings = " ".join(data["warnings"])
    assert MISSING in warnings and CORRUPT in warnings and "not a PDF" in warnings

    precision, recall, f1 = scores(data["matches"])
    assert recall >= 0.95 and f1 >= 0.85, (precision, recall, f1)

    # verdicts cite the clause they rest on: COMPETE2030-2026-32 reaches Lisboa by its notice
    extended = [m for m in data["matches"] if m["aviso_id"] == "COMPETE2030-2026-32"]
    assert any("Lisboa" in m["reasoning"] and "70" in m["reasoning"] for m in extended)

    rerun = second.json()
    assert rerun["counts"]["notices_downloaded"] == 0
    assert rerun["counts"]["notices_parsed"] == 0
    assert {k: v for k, v in again.items() if MISSING not in k} == {
        k: v for k, v in downloads.items() if MISSING not in k
    }
    key = {(m["nif"], m["aviso_id"], m["match_score"]) for m in data["matches"]}
    assert {(m["nif"], m["aviso_id"], m["match_score"]) for m in rerun["matches"]} == key


def test_calls_from_a_saved_file_read_the_notices_folder_beside_it() -> None:
    result = elinara(
        "agent",
        "run",
        "--leads",
        str(EVAL / "leads.csv"),
        "--calls",
        str(EVAL / "calls.json"),
        "--as-of",
        "2026-12-01",
        "--json",
        "--quiet",
    )
    assert result.code == 0, result.err
    data = result.json()
    assert data["counts"]["notices_downloaded"] == 0
    assert data["counts"]["notices_read"] >= 30
    assert scores(data["matches"])[2] >= 0.85
