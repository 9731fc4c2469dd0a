"""What an LLM's reading of a notice may add: only values the project's tables know, and only
criteria the parser left unknown."""

from __future__ import annotations

import json

from elinara.agent.criteria import Clause, Criteria
from elinara.agent.notices.llm_read import SCHEMA, fill_unknown, notice_request, parse_criteria


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
