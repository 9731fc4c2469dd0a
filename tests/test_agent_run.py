"""`elinara agent run` and the matches it leaves, as a consultant at a terminal or cron sees them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, elinara
from fakes.p2030 import FakeP2030

from elinara.agent.inputs import SAMPLE_CALLS

EVAL = Path(__file__).parent / "data" / "eval"
# The sample calls' recording day: runs on them judge "open" as of then, in any year.
AS_OF = "2026-12-01"
RUN_KEYS = {
    "run_id",
    "agent_id",
    "status",
    "started_at",
    "finished_at",
    "stages",
    "counts",
    "matches",
    "usage",
}
COUNT_KEYS = {
    "leads",
    "leads_invalid",
    "calls",
    "calls_open",
    "notices_read",
    "notices_downloaded",
    "notices_parsed",
    "notices_failed",
    "candidates",
    "matches",
    "new_matches",
}
MATCH_KEYS = {"company", "nif", "aviso_id", "title", "match_score", "eligible", "reasoning"}
STAGES = [
    "establish_connection",
    "loading_data",
    "email_alert",
    "cross_data",
    "send_results",
    "sending_email",
]


def _leads_csv(path: Path) -> Path:
    path.write_text(
        "Empresa;NIF;CAE;Distrito;Dimensão;Atividade\n"
        "Conservas Atlântico Lda;503306665;10201;Porto;Pequena;Conservas de peixe e inovação\n"
        "Software Douro SA;509442013;62010;Braga;Média;Desenvolvimento de software e digitalização\n",
        encoding="utf-8",
    )
    return path


def test_sample_run_json_shape_and_idempotent_rerun() -> None:
    first = elinara("agent", "run", "--json", "--quiet")
    assert first.code == 0, first.err
    data = first.json()
    assert set(data) >= RUN_KEYS
    assert data["status"] == "completed" and data["agent_id"] == 0
    assert list(data["stages"]) == STAGES
    assert all(stage["status"] == "completed" for stage in data["stages"].values())
    assert set(data["counts"]) == COUNT_KEYS
    counts = data["counts"]
    assert counts["leads"] >= 40 and counts["calls"] >= 30 and counts["calls_open"] >= 20
    assert counts["leads_invalid"] >= 1  # the sample has deliberately invalid NIFs
    assert counts["notices_read"] == 0  # the sample ships no notices: it runs offline
    assert counts["matches"] > 0 and counts["new_matches"] == counts["matches"]
    for match in data["matches"]:
        assert set(match) >= MATCH_KEYS
        assert 50 <= match["match_score"] <= 100 and match["eligible"] is True
        assert match["reasoning"]
    scores = [m["match_score"] for m in data["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert set(data["usage"]) == {"calls", "cached", "input_tokens", "output_tokens", "cost_usd"}

    second = elinara("agent", "run", "--json", "--quiet").json()
    assert second["counts"]["matches"] == counts["matches"]
    assert second["counts"]["new_matches"] == 0
    listed = elinara("matches", "list", "--process", "0", "--limit", "100000", "--json").json()
    assert len(listed) == counts["matches"]


def test_leads_list_shows_what_was_read_and_the_rows_to_fix(tmp_path: Path) -> None:
    sheet = tmp_path / "clientes.csv"
    sheet.write_text(
        "Empresa;NIF;Distrito\n"
        "Conservas Atlântico Lda;503306665;Porto\n"
        "Nif Errado Lda;503306660;Braga\n"
        "Sem Sítio Lda;509442013;Atlântida\n",
        encoding="utf-8",
    )
    assert elinara("leads", "list").code == 0  # nothing read yet: an empty table
    run = elinara("agent", "run", "--leads", str(sheet), "--calls", str(SAMPLE_CALLS), "--quiet")
    assert run.code == 0, run.err
    listed = elinara("leads", "list", "--json").json()
    assert [(x["row"], x["company"], x["region"]) for x in listed] == [
        (2, "Conservas Atlântico Lda", "norte"),
        (3, "Nif Errado Lda", "norte"),
        (4, "Sem Sítio Lda", None),
    ]
    to_fix = elinara("leads", "list", "--problems", "--json").json()
    assert [(x["nif"], x["problems"]) for x in to_fix] == [
        ("503306660", ["invalid NIF 503306660: the check digit does not match"]),
        ("509442013", ["place not recognised: Atlântida"]),
    ]
    table = elinara("leads", "list", "--problems")
    assert table.code == 0 and "Atlântida" in table.out and "Conservas" not in table.out

    # the consultant fixes the NIF and drops a company: the list follows the sheet
    sheet.write_text(
        "Empresa;NIF;Distrito\nNif Certo Lda;503306665;Braga\nSem Sítio Lda;509442013;Atlântida\n",
        encoding="utf-8",
    )
    run = elinara("agent", "run", "--leads", str(sheet), "--calls", str(SAMPLE_CALLS))
    assert (
        run.code == 0 and "1 company no longer in the leads given left the agent's leads" in run.out
    )
    listed = elinara("leads", "list", "--json").json()
    assert [x["company"] for x in listed] == ["Nif Certo Lda", "Sem Sítio Lda"]
    to_fix = elinara("leads", "list", "--problems", "--json").json()
    assert [x["company"] for x in to_fix] == ["Sem Sítio Lda"]
    assert_one_line_error(elinara("leads", "list", "--process", "7"), 2, "Agent 7")


def test_plain_output_shows_stages_thoughts_and_table(tmp_path: Path) -> None:
    result = elinara(
        "agent",
        "run",
        "--leads",
        str(_leads_csv(tmp_path / "l.csv")),
        "--calls",
        str(SAMPLE_CALLS),
        "--as-of",
        AS_OF,
    )
    assert result.code == 0, result.err
    assert "[Cross Data] completed" in result.out
    assert "Read 2 companies from l.csv" in result.out
    assert "Shortlist" in result.out and "Conservas Atlântico Lda" in result.out
    assert "completed" in result.out and "new" in result.out


def test_dry_run_writes_no_matches(tmp_path: Path) -> None:
    result = elinara(
        "agent",
        "run",
        "--leads",
        str(_leads_csv(tmp_path / "l.csv")),
        "--calls",
        str(SAMPLE_CALLS),
        "--as-of",
        AS_OF,
        "--dry-run",
        "--json",
        "--quiet",
    )
    assert result.code == 0, result.err
    data = result.json()
    assert data["counts"]["matches"] > 0 and data["counts"]["new_matches"] == 0
    assert data["stages"]["send_results"]["label"].startswith("dry run")
    assert elinara("matches", "list", "--json").json() == []


def test_min_score_and_as_of(tmp_path: Path) -> None:
    leads = str(_leads_csv(tmp_path / "l.csv"))
    low = elinara(
        "agent",
        "run",
        "--leads",
        leads,
        "--calls",
        str(SAMPLE_CALLS),
        "--as-of",
        AS_OF,
        "--min-score",
        "30",
        "--json",
        "--quiet",
        "--dry-run",
    ).json()
    high = elinara(
        "agent",
        "run",
        "--leads",
        leads,
        "--calls",
        str(SAMPLE_CALLS),
        "--as-of",
        AS_OF,
        "--min-score",
        "75",
        "--json",
        "--quiet",
        "--dry-run",
    ).json()
    assert low["counts"]["matches"] > high["counts"]["matches"]
    assert all(m["match_score"] >= 75 for m in high["matches"])
    later = elinara(
        "agent",
        "run",
        "--leads",
        leads,
        "--calls",
        str(SAMPLE_CALLS),
        "--as-of",
        "2031-01-01",
        "--json",
        "--quiet",
        "--dry-run",
    ).json()
    assert later["counts"]["calls_open"] == 0 and later["counts"]["matches"] == 0


def test_corrupt_workbook_fails_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "leads.xlsx"
    bad.write_text("this is not a workbook")
    result = elinara("agent", "run", "--leads", str(bad), "--calls", str(SAMPLE_CALLS))
    assert_one_line_error(result, 2, "leads.xlsx")
    assert elinara("matches", "list", "--json").json() == []


def test_unrelated_workbook_fails_cleanly(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Produto", "Preço", "Stock"])
    book.active.append(["Parafuso", 0.1, 300])
    path = tmp_path / "inventario.xlsx"
    book.save(path)
    result = elinara("agent", "run", "--leads", str(path), "--calls", str(SAMPLE_CALLS))
    assert_one_line_error(result, 2, "inventario.xlsx")


def test_csv_without_header_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "dados.csv"
    path.write_text("1;2;3\n4;5;6\n", encoding="utf-8")
    result = elinara("agent", "run", "--leads", str(path), "--calls", str(SAMPLE_CALLS))
    assert_one_line_error(result, 2, "dados.csv")


def test_missing_leads_file_is_bad_input(tmp_path: Path) -> None:
    result = elinara("agent", "run", "--leads", str(tmp_path / "nope.xlsx"))
    assert_one_line_error(result, 2, "nope.xlsx", "does not exist")


def test_calls_api_answering_500_fails_after_retries(tmp_path: Path) -> None:
    leads = str(_leads_csv(tmp_path / "l.csv"))
    with FakeP2030([]) as fake:
        fake.fail_forever(500)
        result = elinara(
            "agent",
            "run",
            "--leads",
            leads,
            "--calls",
            fake.url,
            "--json",
            "--quiet",
            env={"ELINARA_HTTP_RETRIES": "1"},
        )
    assert result.code == 1
    assert "Traceback" not in result.err
    err_lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(err_lines) == 1 and "500" in err_lines[0]
    data = result.json()
    assert data["status"] == "failed"
    assert data["stages"]["loading_data"]["status"] == "error"
    assert elinara("matches", "list", "--json").json() == []


def test_calls_from_a_local_api(tmp_path: Path) -> None:
    pages = json.loads(SAMPLE_CALLS.read_text(encoding="utf-8"))
    avisos = [a for page in pages for a in page["avisos"]]
    with FakeP2030(avisos, page_size=7) as fake:
        result = elinara(
            "agent",
            "run",
            "--leads",
            str(_leads_csv(tmp_path / "l.csv")),
            "--calls",
            fake.url,
            "--as-of",
            AS_OF,
            "--json",
            "--quiet",
        )
    assert result.code == 0, result.err
    assert result.json()["counts"]["calls"] == len(avisos)


def test_bad_options_exit_2() -> None:
    assert_one_line_error(elinara("agent", "run", "--provider", "skynet"), 2, "skynet")
    assert_one_line_error(elinara("agent", "run", "--min-score", "120"), 2, "min-score")
    assert_one_line_error(elinara("agent", "run", "--process", "99"), 2, "99")
    assert_one_line_error(elinara("agent", "run", "--as-of", "yesterday"), 2, "as-of")


def test_export_xlsx_csv_json(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert elinara("agent", "run", "--quiet").code == 0
    xlsx = tmp_path / "m.xlsx"
    assert elinara("matches", "export", "-o", str(xlsx)).code == 0
    book = load_workbook(xlsx)
    sheet = book["Matches"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet["A1"].value.startswith("Empresa") and sheet["E1"].value == "Score"
    assert len(sheet.conditional_formatting) == 1
    assert sheet.max_row > 2
    summary = book["Per company"]
    assert summary["A1"].value.startswith("Empresa") and summary.max_row > 1
    scores = [summary.cell(row=r, column=4).value for r in range(2, summary.max_row + 1)]
    assert scores == sorted(scores, reverse=True)

    csv_path = tmp_path / "m.csv"
    assert elinara("matches", "export", "-o", str(csv_path), "--min-score", "70").code == 0
    import csv

    rows = list(csv.DictReader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows and all(int(row["match_score"]) >= 70 for row in rows)
    assert list(rows[0])[:3] == ["company", "nif", "aviso_id"]
    json_path = tmp_path / "m.json"
    assert elinara("matches", "export", "-o", str(json_path)).code == 0
    exported = json.loads(json_path.read_text(encoding="utf-8"))
    assert len(exported) == sheet.max_row - 1
    assert_one_line_error(elinara("matches", "export", "-o", str(tmp_path / "m.pdf")), 2, ".pdf")


def test_agents_from_the_cli(tmp_path: Path) -> None:
    assert_one_line_error(elinara("agent", "create", "Norte"), 2, "users create")
    elinara("users", "create", "ana@example.pt", "--password", "Str0ng!pass")
    created = elinara("agent", "create", "Norte PME")
    assert created.code == 0 and "agent 1" in created.out
    files = Path(elinara("config", "show", "--json").json()["files_dir"]["value"])
    files.mkdir(parents=True)
    leads = _leads_csv(files / "leads.csv")
    shutil.copy(SAMPLE_CALLS, files / "avisos.json")
    assert (
        elinara(
            "datasources", "add", "--agent", "1", "--platform", "local_file", "--path", str(leads)
        ).code
        == 0
    )
    assert (
        elinara(
            "datasources",
            "add",
            "--process",
            "1",
            "--platform",
            "local_file",
            "--path",
            str(files / "avisos.json"),
        ).code
        == 0
    )
    outside = tmp_path / "elsewhere.csv"
    _leads_csv(outside)
    assert_one_line_error(
        elinara(
            "datasources",
            "add",
            "--process",
            "1",
            "--platform",
            "local_file",
            "--path",
            str(outside),
        ),
        2,
        "outside",
    )
    sources = elinara("datasources", "list", "--agent", "1", "--json").json()
    assert [s["platform"] for s in sources] == ["local_file", "local_file"]
    assert sources[0]["process_id"] == "1"

    shown = elinara("settings", "show", "1", "--json").json()
    assert shown["execution_mode"] == "manual" and shown["min_score"] == 50
    assert elinara("settings", "set", "1", "min_score=60", "alert_emails=a@x.pt,b@x.pt").code == 0
    shown = elinara("settings", "show", "1", "--json").json()
    assert shown["min_score"] == 60 and shown["alert_emails"] == ["a@x.pt", "b@x.pt"]
    assert_one_line_error(elinara("settings", "set", "1", "scheduled_time=25:00"), 2, "HH:MM")
    assert_one_line_error(elinara("settings", "set", "1", "colour=blue"), 2, "colour")

    run = elinara("agent", "run", "--agent", "1", "--as-of", AS_OF, "--json", "--quiet")
    assert run.code == 0, run.err
    data = run.json()
    assert data["agent_id"] == 1 and data["counts"]["leads"] == 2
    assert data["counts"]["matches"] > 0
    assert all(m["match_score"] >= 60 for m in data["matches"])
    assert elinara("agent", "list", "--json").json()[0]["status"] == "completed"
    # The old names, kept for a release: the hidden group `processes` and the option --process.
    assert elinara("processes", "list", "--json").json()[0]["status"] == "completed"
    assert "processes" not in elinara("--help").out
    assert elinara("agent", "delete", "1").code == 0
    assert elinara("datasources", "list", "--json").json() == []
    assert elinara("matches", "list", "--process", "1", "--json").code == 2


def test_eval_reports_metrics() -> None:
    result = elinara(
        "eval",
        "--leads",
        str(EVAL / "leads.csv"),
        "--calls",
        str(EVAL / "calls.json"),
        "--labels",
        str(EVAL / "labels.csv"),
        "--as-of",
        "2026-12-01",
        "--json",
    )
    assert result.code == 0, result.err
    metrics = result.json()
    assert 0 < metrics["recall"] <= 1 and 0 < metrics["precision"] <= 1
    assert metrics["tp"] + metrics["fn"] > 0


@pytest.mark.parametrize("missing", ["--labels", "--leads"])
def test_eval_bad_input(tmp_path: Path, missing: str) -> None:
    args = {
        "--leads": str(EVAL / "leads.csv"),
        "--calls": str(EVAL / "calls.json"),
        "--labels": str(EVAL / "labels.csv"),
    }
    args[missing] = str(tmp_path / "absent.csv")
    flat = [item for pair in args.items() for item in pair]
    assert_one_line_error(elinara("eval", *flat), 2, "absent.csv")


def test_as_of_a_bare_date_means_its_midday_in_lisbon() -> None:
    from elinara.cli.common import as_of_iso

    assert as_of_iso("2026-03-31") == "2026-03-31T12:00:00+01:00"
    assert as_of_iso("2026-01-15") == "2026-01-15T12:00:00+00:00"
    assert as_of_iso("2026-01-15T08:30") == "2026-01-15T08:30:00+00:00"


def test_the_sample_is_judged_on_its_recording_date() -> None:
    data = elinara("agent", "run", "--json", "--quiet", "--dry-run").json()
    assert data["counts"]["calls_open"] == 30  # whatever today is


def test_export_writes_formulas_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from elinara.agent.export import export_matches
    from elinara.models import Match

    evil = Match(
        id="x",
        agent_id=0,
        aviso_id="A-1",
        lead_key="503306665",
        company='=HYPERLINK("http://evil.example","Clique")',
        title="+1",
        match_score=70,
        eligible=True,
        reasoning="-2",
    )
    path = tmp_path / "m.xlsx"
    export_matches([evil], path)
    cell = load_workbook(path)["Matches"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")
    csv_path = tmp_path / "m.csv"
    export_matches([evil], csv_path)
    assert "'=HYPERLINK" in csv_path.read_text(encoding="utf-8-sig")
