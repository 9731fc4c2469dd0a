"""The offline matcher: theme vocabulary, eligibility, fit, scores, reasoning, evaluation."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from elinara.agent.call_files import read_calls_file
from elinara.agent.evaluate import EvalResult, evaluate, format_result, read_labels
from elinara.agent.matching.offline import INELIGIBLE_CAP, OfflineMatcher
from elinara.agent.matching.themes import (
    THEMES,
    stem,
    theme_label,
    themes_in_text,
    themes_of_cae,
)
from elinara.agent.sheets import read_leads
from elinara.errors import BadInput
from elinara.models import FundingCall, Lead, Verdict
from elinara.times import LISBON

EVAL = Path(__file__).parent / "data" / "eval"
AS_OF = datetime(2026, 12, 1, 12, 0, tzinfo=LISBON)


def call(
    aviso_id: str = "A-1", title: str = "SICE - Inovação Produtiva PME", **kw: object
) -> FundingCall:
    values: dict = {
        "text": title,
        "regions": None,
        "size_rule": "any",
        "opens_at": datetime(2026, 10, 1, tzinfo=LISBON),
        "closes_at": datetime(2027, 1, 31, 17, 59, 59, tzinfo=LISBON),
    }
    values.update(kw)
    return FundingCall(aviso_id=aviso_id, title=title, **values)


def lead(**kw: object) -> Lead:
    values: dict = {
        "company": "Empresa Teste, Lda",
        "nif": "509442013",
        "cae": "25110",
        "region": "norte",
        "size": "small",
        "activity": "Fabrico de estruturas metálicas",
    }
    values.update(kw)
    return Lead(**values)


def one(c: FundingCall, company: Lead) -> Verdict:
    [verdict] = OfflineMatcher([c], AS_OF).judge(company)
    return verdict


# ---- themes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SICE - Inovação Produtiva PME", ["innovation"]),
        (
            "Qualificação e Internacionalização das PME",
            ["internationalisation", "sme_qualification"],
        ),
        ("Transição Digital das PME", ["digital"]),
        ("SI I&D - Projetos de Investigação em Copromoção", ["rd"]),
        ("Descarbonização e eficiência energética nas empresas", ["energy"]),
        ("Formação-Ação para PME", ["training"]),
        ("SICE - Empreendedorismo Qualificado e Criativo", ["entrepreneurship"]),
        (
            "Transformação e comercialização de produtos da pesca e da aquicultura",
            ["fisheries", "aquaculture"],
        ),
        ("Inovação Produtiva nas Indústrias Culturais e Criativas", ["innovation", "culture"]),
        ("Indústria 4.0 - digitalização na indústria transformadora", ["digital", "industry"]),
        ("Inovação social e respostas sociais da economia social", ["social"]),
        ("Apoio ao investimento em empreendimentos turísticos", ["tourism"]),
        ("Mobilidade sustentável - frotas de transporte de mercadorias", ["transport"]),
        ("Agroindústria - transformação e comercialização de produtos agrícolas", ["agrifood"]),
    ],
)
def test_themes_of_real_call_titles(text: str, expected: list[str]) -> None:
    assert themes_in_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fabrico de queijos e lacticínios de ovelha", {"industry", "agrifood"}),
        ("Hotéis e alojamentos turísticos no Algarve", {"tourism"}),
        ("EXPORTAÇÕES para países terceiros", {"internationalisation"}),
        ("exportacoes para paises terceiros", {"internationalisation"}),
        ("Desenvolvimento de software à medida e lojas online", {"digital"}),
        ("Conservas de peixe", {"fisheries", "agrifood"}),
        ("Passeios de barco e animação turística marítima", {"tourism"}),
        ("Productive investment and export markets", {"innovation", "internationalisation"}),
    ],
)
def test_themes_of_activity_texts_tolerate_accents_case_plurals_and_english(
    text: str, expected: set[str]
) -> None:
    assert set(themes_in_text(text)) == expected


@pytest.mark.parametrize(
    "text",
    ["Agência de marketing", "Loja de ótica e estatística", "Material escolar", "Painéis solares"],
)
def test_keywords_match_whole_words_only(text: str) -> None:
    found = set(themes_in_text(text))
    assert "fisheries" not in found  # "mar" is not in "marketing"
    assert "digital" not in found  # "tic" is not in "ótica", "estatística"
    assert "social" not in found  # "lar" is not in "escolar", "solares"


def test_theme_lists_are_deduplicated_in_vocabulary_order() -> None:
    assert themes_in_text("Turismo, inovação e mais turismo") == ["innovation", "tourism"]
    assert themes_in_text("") == []
    assert themes_in_text("Lorem ipsum dolor") == []


def test_plural_stemmer() -> None:
    pairs = {
        "empresas": "empresa",
        "exportacoes": "exportacao",
        "hoteis": "hotel",
        "industriais": "industrial",
        "jovens": "jovem",
        "alimentares": "alimentar",
    }
    assert {word: stem(word) for word in pairs} == pairs


def test_themes_of_cae_codes_and_sections() -> None:
    assert themes_of_cae("10711", "C") == ["industry", "agrifood"]
    assert themes_of_cae("10.711", None) == ["industry", "agrifood"]
    assert themes_of_cae("10201", None) == ["industry", "agrifood", "fisheries"]
    assert themes_of_cae("03210", None) == [
        "fisheries",
        "aquaculture",
    ]  # a fisheries call covers aquaculture products
    assert themes_of_cae("62010", None) == ["digital"]
    assert themes_of_cae("55111", None) == ["tourism"]
    assert themes_of_cae(None, "I") == ["tourism"]
    assert themes_of_cae("69200", None) == []  # accounting: no sector theme
    assert themes_of_cae(None, None) == []


def test_every_theme_has_a_portuguese_label() -> None:
    assert theme_label("tourism") == "Turismo"
    assert theme_label("fisheries") == "Pescas e mar"
    assert theme_label("no-such-theme") == "no-such-theme"
    assert len(THEMES) >= 15
    assert all(t.label and t.keywords for t in THEMES)


# ---- eligibility ----------------------------------------------------------------------------


def test_open_call_in_region_and_size_is_eligible_with_explained_fit() -> None:
    v = one(call(regions=["norte"], size_rule="pme"), lead())
    assert v.eligible is True
    assert v.match_score >= 50
    assert v.reasoning.startswith(
        "Eligible: Norte company, PME (small), call open until 2027-01-31"
    )
    assert "'Inovação produtiva'" in v.reasoning
    assert "CAE 25110" in v.reasoning


def test_closed_call_is_not_eligible() -> None:
    v = one(call(closes_at=datetime(2026, 6, 30, 17, 59, tzinfo=LISBON)), lead())
    assert (v.eligible, v.match_score <= INELIGIBLE_CAP) == (False, True)
    assert v.reasoning == "Not eligible: call closed on 2026-06-30."


def test_scheduled_call_is_not_eligible_yet_but_reported_as_upcoming() -> None:
    future = call(opens_at=datetime(2027, 1, 15, tzinfo=LISBON), regions=["norte"])
    matcher = OfflineMatcher([future], AS_OF)
    [v] = matcher.judge(lead())
    assert v.eligible is False
    assert v.match_score <= INELIGIBLE_CAP
    assert v.reasoning.startswith("Not open yet: call opens on 2027-01-15; otherwise eligible")
    assert [u.aviso_id for u in matcher.upcoming(lead())] == ["A-1"]
    assert matcher.upcoming(lead(region="centro"), 0) == []  # would not qualify once open
    assert matcher.candidates(lead(), 50) == []


def test_region_outside_the_call_is_not_eligible() -> None:
    v = one(call(regions=["centro"]), lead(region="norte"))
    assert v.eligible is False
    assert v.match_score <= INELIGIBLE_CAP
    assert v.reasoning == "Not eligible: call covers Centro only; company is in Norte."


def test_call_of_unknown_territory_and_company_of_unknown_region_are_not_excluded() -> None:
    national = call(regions=None)
    for region in ("norte", "acores", "madeira"):
        assert one(national, lead(region=region)).eligible is True
    v = one(call(regions=["centro", "alentejo"]), lead(region=None))
    assert v.eligible is True
    assert v.reasoning.startswith("Eligible: company (region unknown), PME (small)")


@pytest.mark.parametrize(
    ("rule", "size", "eligible"),
    [
        ("pme", "micro", True),
        ("pme", "medium", True),
        ("pme", "large", False),
        ("non_pme", "large", True),
        ("non_pme", "small", False),
        ("large", "medium", False),
        ("any", "large", True),
        ("pme", None, True),
        ("non_pme", None, True),
    ],
)
def test_size_rules(rule: str, size: str | None, eligible: bool) -> None:
    v = one(call(size_rule=rule), lead(size=size))
    assert v.eligible is eligible
    if not eligible:
        assert "Not eligible: call is for" in v.reasoning
        assert f"company is {'large' if size == 'large' else f'PME ({size})'}" in v.reasoning
    if size is None:
        assert "size unknown" in v.reasoning


def test_call_for_public_bodies_is_not_eligible_for_companies() -> None:
    v = one(call(title="Eficiência energética em edifícios da administração pública local"), lead())
    assert v.eligible is False
    assert v.reasoning.startswith(
        "Not eligible: call is for entidades da administração pública (title: «Eficiência "
        "energética em edifícios da administração pública local»); Empresa Teste, Lda is a company"
    )


def test_every_failed_rule_is_named() -> None:
    v = one(
        call(regions=["lisboa"], size_rule="pme", closes_at=datetime(2026, 3, 1, tzinfo=LISBON)),
        lead(region="norte", size="large"),
    )
    assert v.reasoning == (
        "Not eligible: call closed on 2026-03-01; call covers Lisboa only; company is in Norte; "
        "call is for micro, small and medium companies (title: «PME»); company is large."
    )


# ---- fit ------------------------------------------------------------------------------------


def test_sector_call_fits_its_sector_only() -> None:
    tourism = call(title="Inovação Produtiva no Turismo - PME")
    hotel = one(tourism, lead(cae="55111", activity="Hotel de 4 estrelas"))
    metal = one(tourism, lead())
    assert hotel.match_score >= 80
    assert "call on 'Turismo'" in hotel.reasoning
    assert metal.eligible is True
    assert metal.match_score < 50
    assert "weak fit: call targets 'Turismo'" in metal.reasoning


@pytest.mark.parametrize(
    "title",
    [
        "SICE - Inovação Produtiva PME",
        "SICE - Qualificação das PME",
        "SICE - Internacionalização das PME",
        "Transição Digital das PME",
        "Descarbonização e eficiência energética nas empresas",
    ],
)
@pytest.mark.parametrize(
    ("cae", "activity"),
    [
        ("10711", "Padaria e pastelaria"),
        ("25110", "Serralharia"),
        ("62010", "Software"),
        ("55111", "Hotel"),
        ("47711", "Loja de roupa"),
        ("71110", "Arquitetura"),
    ],
)
def test_cross_sector_calls_fit_companies_of_many_sectors(
    title: str, cae: str, activity: str
) -> None:
    v = one(call(title=title), lead(cae=cae, activity=activity))
    assert v.eligible is True
    assert v.match_score >= 50
    assert "cross-sector call" in v.reasoning


def test_without_a_notice_non_business_sectors_are_kept_below_other_companies_with_a_check() -> (
    None
):
    erdf = call(title="SICE - Qualificação das PME", funds=["FEDER"])
    esf = call(title="Formação-Ação para PME", funds=["FSE+"])
    farm = lead(cae="01500", activity="Exploração agrícola e pecuária")
    bank = lead(cae="64922", activity="Concessão de crédito")
    metal = one(erdf, lead())
    for company in (farm, bank):
        v = one(erdf, company)
        assert 50 <= v.match_score < metal.match_score
        assert "read the notice's CAE clauses" in v.reasoning
    assert one(esf, farm).match_score >= 55
    assert "every sector (FSE+)" in one(esf, bank).reasoning


def test_productive_innovation_asks_to_check_transport_and_energy() -> None:
    innovation = call(title="SICE - Inovação Produtiva PME")
    qualification = call(title="SICE - Qualificação das PME")
    haulier = lead(cae="49410", activity="Transporte rodoviário de mercadorias")
    v = one(innovation, haulier)
    assert 50 <= v.match_score < one(qualification, haulier).match_score
    assert "regional investment aid, which leaves out transport, energy and steel" in v.reasoning
    assert one(innovation, lead(cae="35113", activity="Energia solar")).match_score < 55


def test_company_profile_that_shares_the_call_theme_ranks_higher() -> None:
    digital = call(title="Transição Digital das PME")
    software = one(digital, lead(cae="62010", activity="Desenvolvimento de software"))
    bakery = one(digital, lead(cae="10711", activity="Padaria"))
    assert software.match_score > bakery.match_score >= 50


def test_activity_text_stands_in_for_a_missing_cae() -> None:
    tourism = call(title="Apoio ao investimento em empreendimentos turísticos")
    rural = one(tourism, lead(cae=None, activity="Turismo em espaço rural e alojamento local"))
    unknown = one(tourism, lead(cae=None, activity=""))
    assert rural.match_score >= 70
    assert "activity mentions 'Turismo'" in rural.reasoning
    assert unknown.match_score == 50  # nothing known: kept for a human to check
    assert "sector unknown" in unknown.reasoning


def test_shared_rare_words_raise_the_score_and_are_named() -> None:
    calls = [
        call("A-1", "Apoio à fileira do queijo e lacticínios"),
        call("A-2", "Apoio à fileira do vinho"),
        call("A-3", "Apoio à fileira do azeite"),
    ]
    matcher = OfflineMatcher(calls, AS_OF)
    cheese = lead(cae="10510", activity="Queijaria: queijo de ovelha e lacticínios")
    by_id = {v.aviso_id: v for v in matcher.judge(cheese)}
    assert by_id["A-1"].match_score > by_id["A-2"].match_score
    assert "shared terms:" in by_id["A-1"].reasoning
    assert "queijo" in by_id["A-1"].reasoning


# ---- scores, verdicts, candidates -----------------------------------------------------------


@pytest.fixture(scope="module")
def eval_data() -> tuple[list[Lead], list[FundingCall]]:
    leads, _ = read_leads(EVAL / "leads.csv")
    calls = read_calls_file(EVAL / "calls.json")
    return leads, calls


def test_judge_gives_one_verdict_per_call_in_order(
    eval_data: tuple[list[Lead], list[FundingCall]],
) -> None:
    leads, calls = eval_data
    matcher = OfflineMatcher(calls, AS_OF)
    verdicts = matcher.judge(leads[0])
    assert [v.aviso_id for v in verdicts] == [c.aviso_id for c in calls]
    assert {(v.lead_key, v.provider, v.model) for v in verdicts} == {(leads[0].nif, "offline", "")}
    nameless = Lead(company="Sem NIF, Lda", cae="62010", region="lisboa", size="micro")
    assert {v.lead_key for v in matcher.judge(nameless)} == {"name:sem nif, lda"}


def test_scores_are_deterministic(eval_data: tuple[list[Lead], list[FundingCall]]) -> None:
    leads, calls = eval_data
    first = [v for company in leads for v in OfflineMatcher(calls, AS_OF).judge(company)]
    matcher = OfflineMatcher(list(calls), AS_OF)
    again = [v for company in leads for v in matcher.judge(company)]
    assert first == again
    assert [v for company in leads for v in matcher.judge(company)] == again


def test_ineligible_pairs_are_capped_below_the_threshold(
    eval_data: tuple[list[Lead], list[FundingCall]],
) -> None:
    leads, calls = eval_data
    matcher = OfflineMatcher(calls, AS_OF)
    verdicts = [v for company in leads for v in matcher.judge(company)]
    ineligible = [v for v in verdicts if not v.eligible]
    assert len(ineligible) > 200
    assert max(v.match_score for v in ineligible) <= INELIGIBLE_CAP < 50
    assert all(v.reasoning.startswith(("Not eligible: ", "Not open yet: ")) for v in ineligible)
    assert all(v.reasoning.startswith("Eligible") for v in verdicts if v.eligible)
    assert all(0 <= v.match_score <= 100 for v in verdicts)


@pytest.mark.parametrize("min_score", [1, 25, 31, 50, 80])
def test_candidates_are_complete_and_best_first(
    eval_data: tuple[list[Lead], list[FundingCall]], min_score: int
) -> None:
    leads, calls = eval_data
    matcher = OfflineMatcher(calls, AS_OF)
    for company in leads:
        found = matcher.candidates(company, min_score)
        expected = [v for v in matcher.judge(company) if v.match_score >= min_score]
        assert sorted(found, key=lambda v: v.aviso_id) == sorted(expected, key=lambda v: v.aviso_id)
        assert [v.match_score for v in found] == sorted(
            (v.match_score for v in found), reverse=True
        )


def test_naive_run_date_is_lisbon_time() -> None:
    c = call(closes_at=datetime(2026, 12, 1, 17, 59, 59, tzinfo=LISBON))
    assert OfflineMatcher([c], datetime(2026, 12, 1, 17, 0)).judge(lead())[0].eligible is True
    assert OfflineMatcher([c], datetime(2026, 12, 1, 18, 0)).judge(lead())[0].eligible is False


# ---- evaluation -----------------------------------------------------------------------------


def _v(nif: str, aviso: str, score: int) -> Verdict:
    return Verdict(
        lead_key=nif, aviso_id=aviso, eligible=score >= 50, match_score=score, reasoning=""
    )


def test_evaluation_metrics_on_a_hand_computed_example() -> None:
    labels = {
        ("1", "a"): True,
        ("1", "b"): False,
        ("2", "a"): True,
        ("2", "b"): True,
        ("3", "a"): False,
        ("3", "b"): False,
    }
    verdicts = [
        _v("1", "a", 90),  # tp
        _v("1", "b", 60),  # fp
        _v("2", "a", 49),  # fn (below threshold)
        # ("2", "b") has no verdict: fn
        _v("3", "a", 10),  # tn
        _v("3", "b", 20),  # tn
        _v("9", "z", 99),  # unlabelled: ignored
    ]
    result = evaluate(verdicts, labels, threshold=50)
    assert (result.tp, result.fp, result.fn, result.tn) == (1, 1, 2, 2)
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(1 / 3)
    assert result.f1 == pytest.approx(0.4)
    assert (result.missing, result.unlabelled) == (1, 1)
    assert result.false_negatives == (("2", "a"), ("2", "b"))
    assert result.to_dict()["f1"] == 0.4
    assert evaluate(verdicts, labels, threshold=40).tp == 2
    text = format_result(result, show_errors=5)
    assert "precision 0.500, recall 0.333, F1 0.400" in text
    assert "false negatives: 2xa, 2xb" in text


def test_evaluation_of_nothing_predicted_is_zero_not_an_error() -> None:
    result = evaluate([], {("1", "a"): True}, threshold=50)
    assert result == EvalResult(
        threshold=50, tp=0, fp=0, fn=1, tn=0, missing=1, false_negatives=(("1", "a"),)
    )
    assert (result.precision, result.recall, result.f1) == (0.0, 0.0, 0.0)


def test_read_labels_accepts_the_usual_spellings(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        "\ufeffNIF,Aviso_ID,Label\n1,a,1\n1,b,no\n2,a,TRUE\n2,b,false\n3,a,yes\n\n3,b,0\n",
        encoding="utf-8",
    )
    assert read_labels(path) == {
        ("1", "a"): True,
        ("1", "b"): False,
        ("2", "a"): True,
        ("2", "b"): False,
        ("3", "a"): True,
        ("3", "b"): False,
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("", "is empty"),
        ("nif,label\n1,1\n", "lacks the column(s) aviso_id"),
        ("nif,aviso_id,label\n1,a,maybe\n", "line 2: label 'maybe' is not one of"),
        ("nif,aviso_id,label\n1,a,1\n1,a,0\n", "labelled twice"),
        ("nif,aviso_id,label\n", "no labelled pairs"),
        ("nif,aviso_id,label\n,a,1\n", "must not be empty"),
    ],
)
def test_read_labels_rejects_bad_files_in_one_sentence(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "labels.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        read_labels(path)
    assert message in caught.value.message
    assert str(path) in caught.value.message
    assert caught.value.message.count(". ") == 0
