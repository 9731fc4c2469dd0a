"""Funding calls: the Portugal 2030 client (against a local fake), normalisation, files, loading."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.p2030 import END_MARKER, Answer, FakeP2030, make_aviso
from script_helpers import load_script

from elinara.agent import calls as calls_module
from elinara.agent.call_files import load_calls, read_calls_file
from elinara.agent.calls import (
    InvalidAviso,
    dedupe_calls,
    normalize_aviso,
    parse_amount,
    parse_call_date,
    programme_coverage,
    regions_in_text,
    size_rule_of,
)
from elinara.agent.inputs import SAMPLE_CALLS
from elinara.agent.sources.p2030 import build_forms, download_document, fetch_avisos
from elinara.config import Settings
from elinara.errors import BadInput, SourceError
from elinara.models import REGIONS, FundingCall
from elinara.times import LISBON

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def api() -> Iterator[FakeP2030]:
    with FakeP2030(page_size=3) as server:
        yield server


def codes(avisos: list[dict[str, Any]]) -> list[str]:
    return [item["aviso"]["codigoAviso"] for item in avisos]


def settings_for(url: str = "http://127.0.0.1:9/none") -> Settings:
    return Settings({"p2030_query_url": url, "http_timeout": 5.0, "http_retries": 2})


def lisbon(*args: int) -> datetime:
    return datetime(*args, tzinfo=LISBON)  # type: ignore[misc]


# --- the client: pages and form fields --------------------------------------------------------


def test_pages_until_the_end_marker_for_open_then_scheduled(api: FakeP2030) -> None:
    api.avisos = {
        7: [make_aviso(f"NORTE2030-2026-{n}") for n in range(1, 8)],
        6: [make_aviso("CENTRO2030-2026-1"), make_aviso("CENTRO2030-2026-2")],
        8: [make_aviso("ALGARVE2030-2025-1")],
    }
    avisos = fetch_avisos(api.url, timeout=5, retries=0)
    assert codes(avisos) == [f"NORTE2030-2026-{n}" for n in range(1, 8)] + [
        "CENTRO2030-2026-1",
        "CENTRO2030-2026-2",
    ]
    asked = [(form["estadoAvisoId"], form["page"]) for form in api.requests]
    assert asked == [("7", "1"), ("7", "2"), ("7", "3"), ("7", "4"), ("6", "1"), ("6", "2")]


def test_the_form_fields_sent(api: FakeP2030) -> None:
    api.avisos = [make_aviso("NORTE2030-2026-1")]
    fetch_avisos(api.url, timeout=5, retries=0)
    assert api.requests[0] == {
        "estadoAvisoId": "7",
        "programaId": "0",
        "fundoId": "0",
        "naturezaAvisoId": "0",
        "tipoPromotorId": "0",
        "page": "1",
    }
    assert all(kind.startswith("application/x-www-form-urlencoded") for kind in api.content_types)


def test_a_payload_of_the_data_source_is_sent_as_is(api: FakeP2030) -> None:
    api.avisos = [make_aviso("COMPETE2030-2026-7")]
    payload = {"estadoAvisoId": 8, "programaId": 5, "fundoId": None, "sortOrder": "asc", "page": 9}
    fetch_avisos(api.url, payload=payload, timeout=5, retries=0)
    assert api.requests[0] == {
        "estadoAvisoId": "8",
        "programaId": "5",
        "naturezaAvisoId": "0",
        "tipoPromotorId": "0",
        "sortOrder": "asc",
        "page": "1",
    }
    assert {form["estadoAvisoId"] for form in api.requests} == {"8"}


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, ["7", "6"]),
        ("", ["7", "6"]),
        (7, ["7"]),
        ("6", ["6"]),
        (0, ["0"]),
        ("7,6,8", ["7", "6", "8"]),
        ([7, 8], ["7", "8"]),
    ],
)
def test_states_asked(state: Any, expected: list[str]) -> None:
    assert [form["estadoAvisoId"] for form in build_forms({"estadoAvisoId": state})] == expected


def test_on_page_reports_progress(api: FakeP2030) -> None:
    api.avisos = {7: [make_aviso(f"LISBOA2030-2026-{n}") for n in range(5)], 6: []}
    seen: list[tuple[int, int]] = []
    fetch_avisos(
        api.url, timeout=5, retries=0, on_page=lambda page, total: seen.append((page, total))
    )
    assert seen == [(1, 3), (2, 5)]


def test_the_same_aviso_in_two_states_comes_once(api: FakeP2030) -> None:
    api.avisos = [make_aviso("MAR2030-2026-5", global_id=77)]
    assert codes(fetch_avisos(api.url, timeout=5, retries=0)) == ["MAR2030-2026-5"]


def test_a_server_counting_pages_from_zero(api: FakeP2030) -> None:
    api.first_page = 0
    api.avisos = {7: [make_aviso("ACORES2030-2026-1"), make_aviso("ACORES2030-2026-2")], 6: []}
    assert codes(fetch_avisos(api.url, timeout=5, retries=0)) == [
        "ACORES2030-2026-1",
        "ACORES2030-2026-2",
    ]
    assert [form["page"] for form in api.requests if form["estadoAvisoId"] == "7"] == ["1", "0"]


def test_nothing_at_all_is_an_empty_list(api: FakeP2030) -> None:
    assert fetch_avisos(api.url, timeout=5, retries=0) == []


class RepeatingServer(FakeP2030):
    """Answers the same page whatever page is asked (a server that never ends its list)."""

    def page(self, state: str, page: int) -> dict[str, Any]:
        return {"status": 200, "avisos": [make_aviso("NORTE2030-2026-1")]}


class RunawayServer(FakeP2030):
    """Answers a new aviso on every page, for ever."""

    def page(self, state: str, page: int) -> dict[str, Any]:
        return {"status": 200, "avisos": [make_aviso(f"NORTE2030-2026-{page}")]}


def test_a_server_repeating_its_page_is_stopped() -> None:
    with RepeatingServer() as server:
        avisos = fetch_avisos(server.url, payload={"estadoAvisoId": 7}, timeout=5, retries=0)
        assert codes(avisos) == ["NORTE2030-2026-1"]
        assert len(server.requests) == 2


def test_a_runaway_server_hits_the_page_cap() -> None:
    with RunawayServer() as server, pytest.raises(SourceError, match="after 5 pages"):
        fetch_avisos(server.url, timeout=5, retries=0, max_pages=5)
    assert len(server.requests) == 5


# --- the client: failures ---------------------------------------------------------------------


def test_500_a_few_times_then_success(api: FakeP2030) -> None:
    api.avisos = {7: [make_aviso(f"NORTE2030-2026-{n}") for n in range(4)], 6: []}
    api.fail_times(2)
    sleeps: list[float] = []
    avisos = fetch_avisos(api.url, timeout=5, retries=3, sleep=sleeps.append)
    assert len(avisos) == 4
    assert len(sleeps) == 2
    # two failures; state 7: pages 1, 2 and the end; state 6: page 1 (the end) and page 0
    assert len(api.requests) == 2 + 3 + 2
    assert [form["page"] for form in api.requests[:3]] == ["1", "1", "1"]


def test_429_honours_retry_after(api: FakeP2030) -> None:
    api.avisos = [make_aviso("NORTE2030-2026-1")]
    api.rate_limit(times=2, retry_after=3)
    sleeps: list[float] = []
    fetch_avisos(api.url, payload={"estadoAvisoId": 7}, timeout=5, retries=4, sleep=sleeps.append)
    assert sleeps == [3.0, 3.0]


def test_500_forever_is_a_clear_source_error(api: FakeP2030) -> None:
    api.fail_forever(500)
    with pytest.raises(SourceError) as caught:
        fetch_avisos(api.url, timeout=5, retries=4, sleep=lambda seconds: None)
    assert len(api.requests) == 5
    assert caught.value.message == (
        f"Portugal 2030 API at {api.url} answered 500 after 5 tries; "
        "try again later or pass --calls with a saved file of calls."
    )


def test_invalid_json_is_a_source_error(api: FakeP2030) -> None:
    api.invalid_json()
    with pytest.raises(SourceError, match=r"answered page 1 with something that is not JSON"):
        fetch_avisos(api.url, timeout=5, retries=2, sleep=lambda seconds: None)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"status": 200, "results": []}', "unexpected shape"),
        (b"42", "unexpected shape"),
        (b'{"avisos": "none"}', "not a list"),
    ],
)
def test_json_of_the_wrong_shape_is_a_source_error(
    api: FakeP2030, body: bytes, expected: str
) -> None:
    api.queue(Answer(200, body))
    with pytest.raises(SourceError, match=expected):
        fetch_avisos(api.url, timeout=5, retries=0)


def test_a_client_error_is_not_retried(api: FakeP2030) -> None:
    api.queue(Answer(403, b'{"code": "forbidden"}'))
    with pytest.raises(SourceError, match=r"answered 403 to page 1"):
        fetch_avisos(api.url, timeout=5, retries=3, sleep=lambda seconds: None)
    assert len(api.requests) == 1


def test_a_slow_server_times_out(api: FakeP2030) -> None:
    api.slow(2.0)
    with pytest.raises(SourceError, match=r"could not be reached \(timed out\) after 2 tries"):
        fetch_avisos(api.url, timeout=0.2, retries=1, sleep=lambda seconds: None)


def test_an_unreachable_server() -> None:
    with FakeP2030() as server:
        url = server.url
    with pytest.raises(SourceError, match="could not be reached"):
        fetch_avisos(url, timeout=2, retries=1, sleep=lambda seconds: None)


def test_download_document(api: FakeP2030) -> None:
    api.documents[("2026/X/aviso.pdf", "avisos")] = b"%PDF-1.7 aviso"
    assert download_document(api.download_url, "2026/X/aviso.pdf", "avisos", timeout=5) == (
        b"%PDF-1.7 aviso"
    )
    assert api.downloads == [{"path": "2026/X/aviso.pdf", "container": "avisos"}]
    with pytest.raises(SourceError, match="answered 404"):
        download_document(api.download_url, "missing.pdf", "avisos", timeout=5, retries=0)


def test_download_document_retries(api: FakeP2030) -> None:
    api.documents[("a.pdf", "c")] = b"ok"
    api.fail_times(1, 503)
    assert download_document(api.download_url, "a.pdf", "c", timeout=5, sleep=lambda s: None) == (
        b"ok"
    )


# --- regions from the programme ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("programme", "regions"),
    [
        ("Programa Regional do Norte 2030", ["norte"]),
        ("NORTE 2030", ["norte"]),
        ("Norte2030", ["norte"]),
        ("PR Norte", ["norte"]),
        ("Programa Regional do Centro 2030", ["centro"]),
        ("CENTRO 2030", ["centro"]),
        ("Programa Regional de Lisboa 2030", ["lisboa"]),
        ("LISBOA 2030", ["lisboa"]),
        ("Programa Regional do Alentejo", ["alentejo"]),
        ("ALENTEJO 2030", ["alentejo"]),
        ("Programa Regional do Algarve 2030", ["algarve"]),
        ("algarve 2030", ["algarve"]),
        ("Programa Regional dos Açores 2030", ["acores"]),
        ("AÇORES 2030", ["acores"]),
        ("ACORES 2030", ["acores"]),
        ("Programa Regional da Madeira 2030", ["madeira"]),
        ("MADEIRA 2030", ["madeira"]),
        ("COMPETE 2030", ["norte", "centro", "alentejo"]),
        ("Programa Temático Inovação e Transição Digital", ["norte", "centro", "alentejo"]),
        (
            "Programa Temático Inovação e Transição Digital (COMPETE 2030)",
            ["norte", "centro", "alentejo"],
        ),
        ("PESSOAS 2030", ["norte", "centro", "alentejo"]),
        ("Programa Temático Demografia, Qualificações e Inclusão", ["norte", "centro", "alentejo"]),
        ("SUSTENTÁVEL 2030", ["norte", "centro", "lisboa", "alentejo", "algarve"]),
        (
            "Programa Temático Ação Climática e Sustentabilidade",
            ["norte", "centro", "lisboa", "alentejo", "algarve"],
        ),
        ("Programa Mar 2030", list(REGIONS)),
        ("MAR 2030", list(REGIONS)),
        ("PAT 2030", list(REGIONS)),
        ("Programa de Assistência Técnica", list(REGIONS)),
        ("Interreg VI-A España-Portugal (POCTEP)", None),  # not recognised: unknown
    ],
)
def test_regions_of_a_programme(programme: str, regions: list[str] | None) -> None:
    assert programme_coverage([programme])[1] == regions


@pytest.mark.parametrize(
    ("programmes", "code", "regions", "programme_codes"),
    [
        (
            ["Programa Regional do Centro 2030", "Programa Regional do Norte 2030"],
            "",
            ["norte", "centro"],
            ["CENTRO2030", "NORTE2030"],
        ),
        (
            ["COMPETE 2030", "NORTE 2030", "CENTRO 2030", "ALGARVE 2030"],
            "",
            ["norte", "centro", "alentejo", "algarve"],
            ["COMPETE2030", "NORTE2030", "CENTRO2030", "ALGARVE2030"],
        ),
        ([], "ALGARVE2030-2026-3", ["algarve"], ["ALGARVE2030"]),
        ([], "COMPETE2030-2026-7", ["norte", "centro", "alentejo"], ["COMPETE2030"]),
        ([], "XPTO-2026-1", None, []),
        (["Programa 11"], "MADEIRA2030-2026-1", ["madeira"], ["MADEIRA2030"]),
        (["Programa 11", "LISBOA 2030"], "", None, ["LISBOA2030"]),
    ],
)
def test_regions_of_several_programmes(
    programmes: list[str], code: str, regions: list[str] | None, programme_codes: list[str]
) -> None:
    assert programme_coverage(programmes, code) == (programme_codes, regions)


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("Norte", ["norte"]),
        ("Centro; Lisboa", ["centro", "lisboa"]),
        ("Região Autónoma dos Açores", ["acores"]),
        ("Continente", ["norte", "centro", "lisboa", "alentejo", "algarve"]),
        ("Nacional", list(REGIONS)),
        ("Todas", list(REGIONS)),
        ("Marte", False),
        ("", False),
    ],
)
def test_regions_in_a_cell(text: str, regions: list[str] | bool) -> None:
    assert regions_in_text(text) == regions


# --- size rule from title and typology --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Sistema de Incentivos à Inovação Produtiva - PME", "pme"),
        ("Qualificação e Internacionalização das PME", "pme"),
        ("Apoio às pequenas e médias empresas", "pme"),
        ("Formação-ação para micro, pequenas e médias empresas", "pme"),
        ("Vale para micro e pequenas empresas", "pme"),
        ("Internationalisation of SMEs", "pme"),
        ("SI Inovação Produtiva - Não PME", "non_pme"),
        ("Inovação Produtiva Não-PME", "non_pme"),
        ("inovacao produtiva nao pme", "non_pme"),
        ("Productive innovation - non-SMEs", "non_pme"),
        ("Projetos de Small Mid Caps", "non_pme"),
        ("Inovação Produtiva - Grandes empresas", "large"),
        ("Projetos de grande empresa", "large"),
        ("Inovação Produtiva - PME e Não PME", "any"),
        ("PME e grandes empresas", "any"),
        ("Transição digital das empresas", "any"),
        ("Empresas de qualquer dimensão, incluindo PME", "any"),
        ("Empreendedorismo qualificado e criativo", "any"),
        ("", "any"),
    ],
)
def test_size_rule(text: str, rule: str) -> None:
    assert size_rule_of(text) == rule


def test_size_comes_from_title_and_typology_not_objectives() -> None:
    raw = make_aviso("NORTE2030-2026-1", title="Transição digital", typology="Digitalização")
    raw["estrutura"][0]["objetivoEspecificoDesignacao"] = "RSO1.3. Competitividade das PME"
    assert normalize_aviso(raw, "t").size_rule == "any"
    raw["estrutura"].append({"tipologiaOperacaoDesignacao": "Qualificação das PME"})
    assert normalize_aviso(raw, "t").size_rule == "pme"
    raw["estrutura"].append({"tipologiaOperacaoDesignacao": "Qualificação - Não PME"})
    assert normalize_aviso(raw, "t").size_rule == "any"


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2026-07-31", "31-07-2026", "31/07/2026", "2026-07-31 00:00:00", "31.07.2026"]
)
def test_a_close_date_means_the_end_of_that_day(text: str) -> None:
    moment = parse_call_date(text, end_of_day=True)
    assert moment == lisbon(2026, 7, 31, 23, 59, 59)
    assert moment is not None and moment.utcoffset() == timedelta(hours=1)  # summer time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-15", lisbon(2026, 1, 15)),
        ("2026-01-15 09:30:00", lisbon(2026, 1, 15, 9, 30)),
        ("2026-01-15T09:30", lisbon(2026, 1, 15, 9, 30)),
        ("15-01-2026 09:30", lisbon(2026, 1, 15, 9, 30)),
        ("15/01/2026", lisbon(2026, 1, 15)),
        ("2026-07-31T16:59:59Z", lisbon(2026, 7, 31, 17, 59, 59)),
        ("2026-07-31T17:59:59+01:00", lisbon(2026, 7, 31, 17, 59, 59)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_lisbon_time(text: str | None, expected: datetime | None) -> None:
    assert parse_call_date(text) == expected


def test_dates_across_summer_time() -> None:
    # 2026: summer time from 29 March to 25 October.
    winter = parse_call_date("2026-03-28 12:00:00")
    summer = parse_call_date("2026-03-29 12:00:00")
    back = parse_call_date("2026-10-25", end_of_day=True)
    assert winter is not None and winter.utcoffset() == timedelta(0)
    assert summer is not None and summer.utcoffset() == timedelta(hours=1)
    assert back is not None and back.utcoffset() == timedelta(0)
    assert back.astimezone(UTC) == datetime(2026, 10, 25, 23, 59, 59, tzinfo=UTC)
    assert parse_call_date("2026-03-29", end_of_day=True) == datetime(
        2026, 3, 29, 22, 59, 59, tzinfo=UTC
    )


def test_spreadsheet_date_values() -> None:
    assert parse_call_date(datetime(2027, 1, 31), end_of_day=True) == lisbon(
        2027, 1, 31, 23, 59, 59
    )
    assert parse_call_date(datetime(2027, 1, 31).date()) == lisbon(2027, 1, 31)
    assert parse_call_date(46418.0) == lisbon(2027, 1, 31)  # an Excel serial day
    with pytest.raises(ValueError):
        parse_call_date("31 de julho")
    with pytest.raises(ValueError):
        parse_call_date("2026-02-30")


def test_data_fim_atual_wins_over_data_fim() -> None:
    raw = make_aviso("X-1", closes="2027-06-30", closes_now="2027-09-30 17:59:59")
    assert normalize_aviso(raw, "t").closes_at == lisbon(2027, 9, 30, 17, 59, 59)
    raw["calendario"]["dataFimAtual"] = None
    assert normalize_aviso(raw, "t").closes_at == lisbon(2027, 6, 30, 23, 59, 59)


def test_an_unreadable_date_is_a_problem_not_a_failure() -> None:
    raw = make_aviso("X-1", closes="2027-06-30", closes_now="brevemente")
    problems: list[str] = []
    call = normalize_aviso(raw, "t", problems=problems)
    assert call.closes_at == lisbon(2027, 6, 30, 23, 59, 59)
    assert problems == ["Aviso X-1: dataFimAtual 'brevemente' is not a date; ignored."]


def test_status_on_a_date() -> None:
    call = normalize_aviso(make_aviso("X-1", opens="2026-03-02", closes="2026-07-31"), "t")
    assert call.status_on(datetime(2026, 3, 1, 23, 59, 59, tzinfo=UTC)) == "scheduled"
    assert call.status_on(lisbon(2026, 3, 2)) == "open"
    assert call.status_on(lisbon(2026, 7, 31, 23, 59, 59)) == "open"
    assert call.status_on(datetime(2026, 7, 31, 22, 59, 59, tzinfo=UTC)) == "open"
    assert call.status_on(datetime(2026, 7, 31, 23, 0, 0, tzinfo=UTC)) == "closed"
    assert call.status_on(lisbon(2026, 8, 1)) == "closed"
    endless = normalize_aviso(make_aviso("X-2", opens=None, closes=None), "t")
    assert endless.status_on(lisbon(2040, 1, 1)) == "open"


# --- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        (1500000, 1_500_000.0),
        (1500000.5, 1_500_000.5),
        ("1.500.000,00", 1_500_000.0),
        ("1500000.00", 1_500_000.0),
        ("1,500,000.00", 1_500_000.0),
        ("1 500 000 €", 1_500_000.0),
        ("€ 1.500.000", 1_500_000.0),
        ("250.000", 250_000.0),
        ("12,50", 12.5),
        ("2.5", 2.5),
        ("2,5 M€", 2_500_000.0),
        ("2,5 milhões de euros", 2_500_000.0),
        ("750 mil €", 750_000.0),
        ("", None),
        (None, None),
    ],
)
def test_parse_amount(value: Any, amount: float | None) -> None:
    assert parse_amount(value) == amount


def test_parse_amount_rejects_text() -> None:
    with pytest.raises(ValueError):
        parse_amount("a definir")


def test_budget_is_the_sum_of_dotacao() -> None:
    raw = make_aviso("X-1")
    raw["estrutura"] = [{"dotacao": 1_000_000}, {"dotacao": "500.000,00"}, {"dotacao": None}, {}]
    assert normalize_aviso(raw, "t").budget == 1_500_000.0
    raw["estrutura"] = [{"dotacao": None}]
    assert normalize_aviso(raw, "t").budget is None
    raw["estrutura"] = [{"dotacao": "a definir"}, {"dotacao": "2000000.00"}]
    problems: list[str] = []
    assert normalize_aviso(raw, "t", problems=problems).budget == 2_000_000.0
    assert len(problems) == 1 and "a definir" in problems[0]


# --- normalisation ----------------------------------------------------------------------------


def test_normalize_a_full_aviso(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def themes(text: str) -> list[str]:
        seen.append(text)
        return ["digital"]

    monkeypatch.setattr(calls_module, "themes_in_text", themes)
    raw = {
        "aviso": {
            "avisoGlobalId": 40107,
            "codigoAviso": " NORTE2030-2026-12 ",
            "designacaoPT": "Transição digital das PME",
            "designacaoEN": "Digital transition of SMEs",
            "classificacaoAvisoDesignacao": "Aviso de Concurso",
            "dataUltimaAlteracao": "2026-04-02 15:12:44",
        },
        "estrutura": [
            {
                "programaOperacionalId": 5,
                "programaOperacionalDesignacao": "Programa Regional do Norte 2030",
                "prioridadeDesignacao": "Inovação e competitividade",
                "objetivoEspecificoDesignacao": "RSO1.2. Digitalização",
                "tipologiaOperacaoDesignacao": "Transição digital das empresas",
                "fundoDesignacao": "FEDER",
                "dotacao": 2_000_000,
            },
            {
                "programaOperacionalId": 5,
                "programaOperacionalDesignacao": "Programa Regional do Norte 2030",
                "prioridadeDesignacao": "Inovação e competitividade",
                "objetivoEspecificoDesignacao": "RSO1.3. Competitividade",
                "tipologiaOperacaoDesignacao": "Qualificação e Internacionalização das PME",
                "fundoDesignacao": "FEDER",
                "dotacao": "1.000.000,00",
            },
            {
                "programaOperacionalDesignacao": "Programa Regional do Centro 2030",
                "fundoDesignacao": "FSE+",
            },
        ],
        "calendario": {
            "dataPublicacao": "2026-02-16 10:30:00",
            "dataInicio": "2026-02-16",
            "dataFim": "2027-09-30",
            "dataFimAtual": None,
        },
        "documentos": [
            {
                "documentoDesignacao": "Aviso de Abertura",
                "tipoDocumentoDesignacao": "Aviso",
                "path": "2026/a.pdf",
                "container": "avisos",
            }
        ],
    }
    call = normalize_aviso(raw, "p2030")
    assert call.aviso_id == "NORTE2030-2026-12"
    assert call.global_id == "40107"
    assert call.title == "Transição digital das PME"
    assert call.title_en == "Digital transition of SMEs"
    assert call.classification == "Aviso de Concurso"
    assert call.programmes == [
        "Programa Regional do Norte 2030",
        "Programa Regional do Centro 2030",
    ]
    assert call.programme_codes == ["NORTE2030", "CENTRO2030"]
    assert call.funds == ["FEDER", "FSE+"]
    assert call.regions == ["norte", "centro"]
    assert call.size_rule == "pme"
    assert call.budget == 3_000_000.0
    assert call.published_at == lisbon(2026, 2, 16, 10, 30)
    assert call.opens_at == lisbon(2026, 2, 16)
    assert call.closes_at == lisbon(2027, 9, 30, 23, 59, 59)
    assert call.source_updated_at == lisbon(2026, 4, 2, 15, 12, 44)
    assert call.documents == [
        {"name": "Aviso de Abertura", "type": "Aviso", "path": "2026/a.pdf", "container": "avisos"}
    ]
    assert call.source == "p2030"
    for part in (
        "Transição digital das PME",
        "Digital transition of SMEs",
        "Aviso de Concurso",
        "Inovação e competitividade",
        "RSO1.2. Digitalização",
        "Qualificação e Internacionalização das PME",
    ):
        assert part in call.text
    assert call.text.count("Inovação e competitividade") == 1
    assert call.themes == ["digital"]
    assert seen == [call.text]


def test_normalize_is_tolerant() -> None:
    call = normalize_aviso({"aviso": {"codigoAviso": "PESSOAS2030-2026-4"}}, "t")
    assert call.title == "PESSOAS2030-2026-4"
    assert call.regions == ["norte", "centro", "alentejo"] and call.programme_codes == [
        "PESSOAS2030"
    ]
    assert call.budget is None and call.opens_at is None and call.closes_at is None
    assert call.documents == [] and call.funds == []

    single = normalize_aviso(
        {
            "aviso": {"codigoAviso": "X-1", "designacaoPT": "Aviso"},
            "estrutura": {"programaOperacionalDesignacao": "ALGARVE 2030", "dotacao": "10"},
            "calendario": None,
            "documentos": {"documentoDesignacao": "Aviso", "path": "p.pdf", "container": "c"},
        },
        "t",
    )
    assert single.regions == ["algarve"] and single.budget == 10.0
    assert single.documents[0]["path"] == "p.pdf"

    flat = normalize_aviso(
        {"codigoAviso": "X-2", "designacaoPT": "Plano", "dataFim": "2027-01-31", "estrutura": None},
        "t",
    )
    assert flat.closes_at == lisbon(2027, 1, 31, 23, 59, 59)


@pytest.mark.parametrize(
    "raw",
    [{"aviso": {"designacaoPT": "Sem código"}}, {"aviso": {"codigoAviso": "  "}}, {}, [], "x"],
)
def test_an_aviso_without_a_code_is_invalid(raw: Any) -> None:
    with pytest.raises(InvalidAviso):
        normalize_aviso(raw, "t")


def test_dedupe_keeps_the_latest_update() -> None:
    old = FundingCall("A-1", "old", source_updated_at=lisbon(2026, 1, 1))
    new = FundingCall("a-1", "new", source_updated_at=lisbon(2026, 2, 1))
    undated = FundingCall("A-1", "undated")
    other = FundingCall("B-1", "other")
    assert [c.title for c in dedupe_calls([old, other, new, undated])] == ["new", "other"]
    assert [c.title for c in dedupe_calls([new, old])] == ["new"]
    assert [c.title for c in dedupe_calls([undated, old])] == ["old"]
    assert [c.title for c in dedupe_calls([undated, FundingCall("A-1", "later")])] == ["later"]


# --- calls files: JSON ------------------------------------------------------------------------


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


AVISOS = [
    make_aviso("NORTE2030-2026-1"),
    make_aviso("CENTRO2030-2026-2", programme="Programa Regional do Centro 2030"),
]


@pytest.mark.parametrize(
    "data",
    [
        {"status": 200, "avisos": AVISOS},
        [{"status": 200, "avisos": AVISOS[:1]}, {"status": 200, "avisos": AVISOS[1:]}],
        [{"status": 200, "avisos": AVISOS}, END_MARKER],
        AVISOS,
    ],
    ids=["one page", "list of pages", "pages and end marker", "bare list"],
)
def test_json_calls_files(tmp_path: Path, data: Any) -> None:
    calls = read_calls_file(write_json(tmp_path / "calls.json", data))
    assert [c.aviso_id for c in calls] == ["NORTE2030-2026-1", "CENTRO2030-2026-2"]
    assert calls[0].regions == ["norte"] and calls[1].regions == ["centro"]
    assert calls[0].source == str(tmp_path / "calls.json")


def test_a_json_file_of_one_aviso(tmp_path: Path) -> None:
    calls = read_calls_file(write_json(tmp_path / "one.json", AVISOS[0]))
    assert [c.aviso_id for c in calls] == ["NORTE2030-2026-1"]


def test_avisos_without_a_code_are_skipped_with_a_problem(tmp_path: Path) -> None:
    bad = make_aviso("")
    bad["aviso"]["designacaoPT"] = "Aviso perdido"
    problems: list[str] = []
    calls = read_calls_file(write_json(tmp_path / "c.json", [AVISOS[0], bad]), problems)
    assert [c.aviso_id for c in calls] == ["NORTE2030-2026-1"]
    assert len(problems) == 1
    assert "aviso 2 skipped" in problems[0] and "'Aviso perdido'" in problems[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"results": []}', "is JSON but not in the Portugal 2030 API's own shape"),
        ("42", "is JSON but not in"),
        ('{"avisos": []}', "holds no funding calls"),
        ("[]", "holds no funding calls"),
        (json.dumps(END_MARKER), "holds no funding calls"),
    ],
)
def test_bad_json_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "calls.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BadInput, match=message):
        read_calls_file(path)


def test_missing_and_unsupported_files(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        read_calls_file(tmp_path / "nope.json")
    (tmp_path / "calls.pdf").write_bytes(b"%PDF")
    with pytest.raises(BadInput, match=r"neither \.json nor a spreadsheet"):
        read_calls_file(tmp_path / "calls.pdf")
    (tmp_path / "calls.xlsx").write_bytes(b"not a zip")
    with pytest.raises(BadInput, match="cannot be read as a spreadsheet"):
        read_calls_file(tmp_path / "calls.xlsx")
    (tmp_path / "latin.json").write_bytes('{"avisos": ["ção"]}'.encode("cp1252"))
    with pytest.raises(BadInput, match="not valid JSON"):
        read_calls_file(tmp_path / "latin.json")


# --- calls files: spreadsheets ----------------------------------------------------------------

PT_HEADER = [
    "Código do Aviso",
    "Título",
    "Programa",
    "Região",
    "Dimensão",
    "Data início",
    "Data fim",
    "Dotação (€)",
    "Tipologia",
]


def test_csv_calls_with_portuguese_headers(tmp_path: Path) -> None:
    path = tmp_path / "avisos.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Avisos abertos - exportação de 2026-11-20"])
        writer.writerow([])
        writer.writerow(PT_HEADER)
        writer.writerow(
            [
                "NORTE2030-2026-12",
                "Inovação Produtiva",
                "NORTE 2030",
                "",
                "PME",
                "16/02/2026",
                "30/09/2027",
                "45.000.000,00",
                "Inovação Produtiva",
            ]
        )
        writer.writerow(
            [
                "COMPETE2030-2026-7",
                "SI Inovação Produtiva - Não PME",
                "COMPETE 2030",
                "Nacional",
                "",
                "2026-01-26",
                "2027-12-29 17:59",
                "120000000",
                "Inovação Produtiva Não PME",
            ]
        )
        writer.writerow(
            [
                "CENTRO2030-2026-20",
                "Internacionalização conjunta",
                "CENTRO 2030; NORTE 2030",
                "Centro; Norte",
                "Todas",
                "",
                "",
                "",
                "",
            ]
        )
        writer.writerow(["", "Aviso sem código", "", "", "", "", "", "", ""])
        writer.writerow(["", "", "", "", "", "", "", "", ""])
    problems: list[str] = []
    calls = read_calls_file(path, problems)
    assert [c.aviso_id for c in calls] == [
        "NORTE2030-2026-12",
        "COMPETE2030-2026-7",
        "CENTRO2030-2026-20",
    ]
    norte, compete, centro = calls
    assert norte.regions == ["norte"] and norte.size_rule == "pme"
    assert norte.opens_at == lisbon(2026, 2, 16)
    assert norte.closes_at == lisbon(2027, 9, 30, 23, 59, 59)
    assert norte.budget == 45_000_000.0
    assert norte.programme_codes == ["NORTE2030"]
    assert compete.regions == list(REGIONS) and compete.size_rule == "non_pme"  # "Nacional"
    assert compete.closes_at == lisbon(2027, 12, 29, 17, 59)
    assert centro.regions == ["norte", "centro"] and centro.size_rule == "any"
    assert centro.programmes == ["CENTRO 2030", "NORTE 2030"]
    assert problems == ["avisos.csv row 7: 'Aviso sem código' has no code; skipped."]


def test_csv_calls_with_english_headers(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        "Code,Title,Programme,Region,Size,Opens,Closes,Budget,Typology\n"
        'MAR2030-2026-5,Aquicultura,MAR 2030,,,2026-04-06,2028-03-31,"12,000,000.00",Aquicultura\n'
        "ALGARVE2030-2026-4,Qualificação das PME,ALGARVE 2030,Algarve,,,,,\n",
        encoding="utf-8",
    )
    mar, algarve = read_calls_file(path)
    assert mar.regions == list(REGIONS) and mar.budget == 12_000_000.0
    assert mar.closes_at == lisbon(2028, 3, 31, 23, 59, 59)
    assert algarve.regions == ["algarve"] and algarve.size_rule == "pme"


def test_csv_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_bytes("Código;Designação\nLISBOA2030-2026-5;Investigação\n".encode("cp1252"))
    (call,) = read_calls_file(path)
    assert call.aviso_id == "LISBOA2030-2026-5" and call.regions == ["lisboa"]


def test_xlsx_calls(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notas"
    notes.append(["Lista preparada pela consultora"])
    sheet = workbook.create_sheet("Avisos")
    sheet.append(["Avisos Portugal 2030"])
    sheet.append([])
    sheet.append(["CÓDIGO", "DESIGNAÇÃO", "PROGRAMA", "BENEFICIÁRIOS", "ABERTURA", "ENCERRAMENTO"])
    sheet.append(
        [
            "ACORES2030-2026-6",
            "Inovação Produtiva nos Açores",
            "Programa Regional dos Açores 2030",
            "Grandes empresas",
            datetime(2026, 3, 2),
            datetime(2028, 12, 29),
        ]
    )
    sheet.append(
        [
            "SUSTENTAVEL2030-2026-3",
            "Descarbonização da indústria",
            "SUSTENTÁVEL 2030",
            None,
            datetime(2026, 3, 5, 9, 0),
            datetime(2028, 2, 29, 17, 59, 59),
        ]
    )
    path = tmp_path / "avisos.xlsx"
    workbook.save(path)
    acores, sustentavel = read_calls_file(path)
    assert acores.aviso_id == "ACORES2030-2026-6"
    assert acores.regions == ["acores"] and acores.size_rule == "large"
    assert acores.opens_at == lisbon(2026, 3, 2)
    assert acores.closes_at == lisbon(2028, 12, 29, 23, 59, 59)
    assert (
        sustentavel.regions == ["norte", "centro", "lisboa", "alentejo", "algarve"]
        and sustentavel.size_rule == "any"
    )
    assert sustentavel.opens_at == lisbon(2026, 3, 5, 9, 0)
    assert sustentavel.closes_at == lisbon(2028, 2, 29, 17, 59, 59)


def test_a_sheet_without_code_and_title_columns(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("Empresa;NIF;Concelho\nPadaria Lda;500000000;Braga\n", encoding="utf-8")
    with pytest.raises(BadInput, match="no header row with a code column"):
        read_calls_file(path)
    empty = tmp_path / "empty.csv"
    empty.write_text("Código;Título\n", encoding="utf-8")
    with pytest.raises(BadInput, match="holds no funding calls"):
        read_calls_file(empty)


def test_header_found_within_twenty_rows_only(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    path.write_text("nota\n" * 25 + "Código;Título\nX-1;Um aviso\n", encoding="utf-8")
    with pytest.raises(BadInput, match="first 20 rows"):
        read_calls_file(path)


# --- load_calls -------------------------------------------------------------------------------


def test_load_calls_from_the_api(api: FakeP2030) -> None:
    api.avisos = {
        7: [
            make_aviso("NORTE2030-2026-1", updated="2026-01-01 10:00:00"),
            make_aviso("", title="Sem código"),
            make_aviso("CENTRO2030-2026-2"),
        ],
        6: [make_aviso("NORTE2030-2026-1", updated="2026-03-01 10:00:00", title="Atualizado")],
    }
    pages: list[tuple[int, int]] = []
    calls, problems = load_calls(
        "p2030", settings_for(api.url), on_page=lambda page, total: pages.append((page, total))
    )
    assert [(c.aviso_id, c.title) for c in calls] == [
        ("NORTE2030-2026-1", "Atualizado"),
        ("CENTRO2030-2026-2", "Aviso CENTRO2030-2026-2"),
    ]
    assert all(c.source == "p2030" for c in calls)
    assert len(problems) == 1 and "without a code" in problems[0] and "Sem código" in problems[0]
    assert pages == [(1, 3), (2, 3)]  # the updated copy replaced the first one


def test_load_calls_from_a_url_with_a_payload(api: FakeP2030) -> None:
    api.avisos = [make_aviso("MADEIRA2030-2026-7")]
    calls, problems = load_calls(api.url, settings_for(), payload={"estadoAvisoId": 7})
    assert [c.aviso_id for c in calls] == ["MADEIRA2030-2026-7"]
    assert calls[0].source == api.url and problems == []
    assert {form["estadoAvisoId"] for form in api.requests} == {"7"}


def test_load_calls_passes_api_failures_on(api: FakeP2030) -> None:
    api.fail_forever(503)
    with pytest.raises(SourceError, match="answered 503 after 3 tries"):
        load_calls(
            "p2030", Settings({"p2030_query_url": api.url, "http_timeout": 5.0, "http_retries": 2})
        )


def test_load_calls_from_a_file_and_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    write_json(folder / "a.json", [make_aviso("NORTE2030-2026-1", updated="2026-05-01 00:00:00")])
    write_json(
        folder / "b.json",
        [
            make_aviso("NORTE2030-2026-1", updated="2026-02-01 00:00:00", title="Velho"),
            make_aviso("LISBOA2030-2026-9"),
        ],
    )
    (folder / "c.csv").write_text("Código;Título\nALGARVE2030-2026-4;Turismo\n", encoding="utf-8")
    (folder / "broken.json").write_text("{", encoding="utf-8")
    (folder / "~$lock.xlsx").write_bytes(b"")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    calls, problems = load_calls(str(folder), settings_for())
    assert [(c.aviso_id, c.title) for c in calls] == [
        ("NORTE2030-2026-1", "Aviso NORTE2030-2026-1"),
        ("LISBOA2030-2026-9", "Aviso LISBOA2030-2026-9"),
        ("ALGARVE2030-2026-4", "Turismo"),
    ]
    assert len(problems) == 1 and "broken.json is not valid JSON" in problems[0]

    single, problems = load_calls(str(folder / "c.csv"), settings_for())
    assert [c.aviso_id for c in single] == ["ALGARVE2030-2026-4"] and problems == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "No calls given"),
        ("ftp://example.test/calls.json", "is not http"),
        ("/no/such/calls.json", "neither an existing file or folder"),
    ],
)
def test_load_calls_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        load_calls(spec, settings_for())


def test_load_calls_from_a_folder_without_calls(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="has no calls files"):
        load_calls(str(tmp_path), settings_for())
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    with pytest.raises(BadInput, match="holds no funding calls"):
        load_calls(str(tmp_path), settings_for())


# --- the shipped sample -----------------------------------------------------------------------


def test_the_sample_is_in_the_api_shape() -> None:
    pages = json.loads(SAMPLE_CALLS.read_text(encoding="utf-8"))
    assert isinstance(pages, list) and 2 <= len(pages) <= 4
    for page in pages:
        assert set(page) == {"status", "avisos"} and page["avisos"]
        for item in page["avisos"]:
            assert set(item) == {"aviso", "estrutura", "calendario", "documentos"}
            assert set(item["calendario"]) == {
                "dataPublicacao",
                "dataInicio",
                "dataFim",
                "dataFimAtual",
            }


def test_the_sample_loads() -> None:
    calls, problems = load_calls("sample", settings_for())
    assert problems == []
    assert 30 <= len(calls) <= 40
    assert len({c.aviso_id for c in calls}) == len(calls)
    covered = {region for c in calls for region in (c.regions or [])}
    assert covered == set(REGIONS)
    assert any(c.regions == ["norte", "centro", "alentejo"] for c in calls)  # COMPETE, PESSOAS
    assert any(c.regions is not None and len(c.regions) > 1 for c in calls)
    assert {c.size_rule for c in calls} == {"pme", "non_pme", "large", "any"}
    assert all(c.budget and c.opens_at and c.closes_at and c.documents for c in calls)
    assert all(c.source == "sample" for c in calls)
    codes_ = {code for c in calls for code in c.programme_codes}
    assert {"COMPETE2030", "PESSOAS2030", "SUSTENTAVEL2030", "MAR2030"} <= codes_


def test_the_sample_keeps_working_for_years() -> None:
    calls, _ = load_calls("sample", settings_for())
    today = Counter(c.status_on(lisbon(2026, 11, 26)) for c in calls)
    assert today["closed"] in (3, 4) and today["scheduled"] == 2 and today["open"] >= 25
    opening_2027 = [c for c in calls if c.opens_at and c.opens_at.year == 2027]
    assert len(opening_2027) == 2
    assert sum(c.status_on(lisbon(2027, 6, 1)) == "open" for c in calls) >= 25
    assert sum(c.status_on(lisbon(2029, 6, 1)) == "open" for c in calls) >= 3
    closed = [c for c in calls if c.closes_at and c.closes_at.year == 2025]
    assert len(closed) in (3, 4)
    others = [c for c in calls if c not in closed]
    assert all(
        lisbon(2027, 6, 1) <= c.closes_at <= lisbon(2029, 12, 31, 23, 59, 59) for c in others
    )  # type: ignore[operator]


def test_the_sample_is_what_the_script_makes() -> None:
    module = load_script(REPO / "scripts" / "make_sample_calls.py", "make_sample_calls")
    made = json.dumps(module.build(), ensure_ascii=False, indent=2) + "\n"
    assert SAMPLE_CALLS.read_text(encoding="utf-8") == made
