"""What an LLM's reading of a notice may add: only values the project's tables know, and only
criteria the parser left unknown."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fakes.llm import KEY_VARIABLES, FakeOpenAI
from fakes.notice_pdf import NoticeSpec, notice_pdf
from fakes.p2030 import FakeP2030, make_aviso

from elinara.agent.context import RunOutcome
from elinara.agent.criteria import Clause, Criteria
from elinara.agent.events import EventBus
from elinara.agent.notices.llm_read import SCHEMA, fill_unknown, notice_request, parse_criteria
from elinara.agent.options import RunOptions
from elinara.agent.runner import run_now
from elinara.config import load_settings
from elinara.store import Store, open_store


def answer(**values: object) -> str:
    base: dict[str, object] = {key: None for key in SCHEMA["required"]}
    base.update(values)
    return json.dumps(base)


def test_an_answer_is_checked_against_the_project_tables() -> None:
    read = parse_criteria(
        answer(
            regions=["norte", "atlantis"],
            subregions=["alto minho", "Terra Média"],
            municipalities=["VILA REAL", "Gotham"],
            geography_clause={"section": "3. Área", "quote": "Alto Minho e Vila Real"},
            beneficiaries=["company", "aliens"],
            sizes=["micro", "huge"],
            cae_included=["10 - 33", "10-3", "C", "25.110", "abc", "33-10"],
            cae_included_clause={"section": "Anexo I", "quote": "divisões 10 a 33"},
        )
    )
    assert isinstance(read, Criteria)
    assert read.regions == ["norte"]
    assert read.subregions == ["Alto Minho"]
    assert read.municipalities == ["Vila Real"]
    assert read.beneficiaries == ["company"]
    assert read.sizes == ["micro"]
    assert read.cae_included == ["10-33", "C", "25110"]
    assert read.cae_excluded is None
    assert read.clauses["geography"] == Clause("3. Área (read by LLM)", "Alto Minho e Vila Real")
    assert "beneficiaries" not in read.clauses  # a criterion without its clause keeps no clause


def test_an_answer_that_is_not_json_says_so() -> None:
    assert parse_criteria("Sure! Here it is") == "the answer is not JSON"
    assert parse_criteria("[1, 2]") == "the answer is not a JSON object"
    fenced = "```json\n" + answer(sizes=["small"]) + "\n```"
    assert isinstance(parse_criteria(fenced), Criteria)


def test_the_llm_only_fills_what_the_parser_left_unknown() -> None:
    parsed = Criteria(
        source="notice",
        regions=["norte"],
        sizes=["micro", "small"],
        clauses={"geography": Clause("3.", "Norte"), "sizes": Clause("4.", "micro e pequenas")},
        unread=["beneficiaries"],
    )
    read = Criteria(
        source="llm",
        regions=["norte", "centro"],
        beneficiaries=["company"],
        sizes=["large"],
        clauses={"beneficiaries": Clause("4. (read by LLM)", "empresas")},
    )
    filled = fill_unknown(parsed, read)
    assert filled.regions == ["norte"] and filled.sizes == ["micro", "small"]
    assert filled.beneficiaries == ["company"]
    assert filled.clauses["beneficiaries"].section == "4. (read by LLM)"
    assert filled.unread == []
    assert filled.source == "notice"


def test_the_request_is_strict_and_bounded() -> None:
    request = notice_request("x" * 100_000, "NORTE2030-2026-1")
    assert request.schema["additionalProperties"] is False
    assert set(request.schema["required"]) == set(request.schema["properties"])
    assert len(request.user) < 61_000


# ---- inside a run: once per notice, counted, cached ----------------------------------------
UNCLEAR = "As entidades previstas no artigo 7.º do Regulamento Específico aplicável"


def notice_answer(text: str) -> dict[str, object]:
    """The fake LLM's reading: business associations, quoting the notice's own words."""
    return {
        "beneficiaries": ["association"],
        "beneficiaries_clause": {"section": "4. Beneficiários", "quote": UNCLEAR},
    }


def offline_kept(pair: dict[str, object]) -> dict[str, object]:
    """The fake judge agrees with the offline verdict, in its words."""
    return {
        "nif": pair["nif"],
        "aviso_id": pair["aviso_id"],
        "eligible": pair["offline_eligible"],
        "match_score": pair["offline_score"],
        "reasoning": pair["offline_reasoning"],
    }


def run_with_llm(leads: Path, api: FakeP2030, store: Store) -> RunOutcome:
    settings = load_settings(
        {
            "ELINARA_P2030_QUERY_URL": api.url,
            "ELINARA_P2030_DOWNLOAD_URL": api.download_url,
            "ELINARA_HTTP_RETRIES": "1",
            "ELINARA_LLM_RETRIES": "1",
            **{k: v for k, v in os.environ.items() if k.startswith("ELINARA_")},
        }
    )
    options = RunOptions(
        leads=[str(leads)],
        calls=["p2030"],
        provider="openai",
        model="gpt-4o-mini",
        as_of="2026-12-01T12:00:00+00:00",
    )
    _, outcome = run_now(store, settings, EventBus(store), options)
    return outcome


def test_an_llm_reads_a_notice_once_to_fill_what_the_parser_could_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "Empresa;NIF;CAE;Concelho;Dimensão;Atividade\n"
        "Metalomecânica do Ave, Lda;509442013;25110;Guimarães;Pequena;Estruturas metálicas\n"
        "AEM - Associação Empresarial do Minho;503306665;94110;Braga;Micro;Associação\n",
        encoding="utf-8",
    )
    code = "NORTE2030-2026-77"
    spec = NoticeSpec(code, beneficiaries=UNCLEAR, sizes="as do número anterior", annex="none")
    pdf = notice_pdf(spec)
    aviso = make_aviso(code, title="Ações coletivas de promoção")
    store = open_store(f"sqlite:///{tmp_path / 'llm.db'}")
    with (
        FakeP2030([aviso], documents={(f"2026/{code}/aviso.pdf", "avisos"): pdf}) as p2030,
        FakeOpenAI(verdict_for=offline_kept, notice_for=notice_answer) as llm,
    ):
        monkeypatch.setenv("OPENAI_API_KEY", "dummy-key")
        monkeypatch.setenv("ELINARA_OPENAI_BASE_URL", llm.base_url)
        first = run_with_llm(leads, p2030, store)
        asked_first = llm.notices_asked()
        second = run_with_llm(leads, p2030, store)
        asked_second = llm.notices_asked()
    store.close()
    assert first.status == "completed", first.message
    assert asked_first == [code]  # one call for the notice, then the judge's
    assert asked_second == [code]  # cached: never sent again
    matched = {m.lead_key for m in first.matches}
    assert matched == {"503306665"}  # the association, not the company
    [match] = first.matches
    assert match.provider == "openai"
    assert f"4. Beneficiários (read by LLM): «{UNCLEAR}»" in match.reasoning
    assert first.usage["calls"] >= 1 and first.usage["cost_usd"] > 0
    assert second.usage["cached"] >= 1
    notice_calls = [c for c in store_calls(tmp_path) if c.get("notice") == code]
    assert len(notice_calls) == 1 and notice_calls[0]["valid"] is True


def store_calls(tmp_path: Path) -> list[dict[str, object]]:
    store = open_store(f"sqlite:///{tmp_path / 'llm.db'}")
    try:
        return [c for run in store.runs.list() for c in store.llm_calls.for_run(run.id)]
    finally:
        store.close()
