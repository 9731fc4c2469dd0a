"""Eligibility from a call's criteria: Portugal 2030's structure when there is no notice, the
notice's own clauses when there is, and the kind of entity a lead is.

The expected answers come from how Portugal 2030 is built (COMPETE 2030 and PESSOAS 2030 serve the
less-developed mainland regions; Sustentável 2030 the mainland; Mar 2030 the whole country), from
the CAE Rev.3 structure, and from what each test's notice clause says."""

from __future__ import annotations

from datetime import datetime

import pytest

from elinara.agent.cae import cae_in, cae_matches
from elinara.agent.calls import programme_coverage, size_rule_of
from elinara.agent.criteria import Clause, Criteria
from elinara.agent.matching.beneficiaries import call_beneficiaries, lead_kinds
from elinara.agent.matching.metadata import effective_criteria, regions_in_title
from elinara.agent.matching.offline import DEFAULT_THRESHOLD, OfflineMatcher
from elinara.agent.notices.parse import parse_notice
from elinara.models import FundingCall, Lead, Verdict
from elinara.times import LISBON

AS_OF = datetime(2026, 12, 1, 12, 0, tzinfo=LISBON)


def call(
    title: str = "Inovação Produtiva", programmes: list[str] | None = None, **kw: object
) -> FundingCall:
    programmes = programmes or ["Programa Temático Inovação e Transição Digital (COMPETE 2030)"]
    _, regions = programme_coverage(programmes)
    values: dict = {
        "text": title,
        "programmes": programmes,
        "regions": regions,
        "opens_at": datetime(2026, 10, 1, tzinfo=LISBON),
        "closes_at": datetime(2027, 1, 31, tzinfo=LISBON),
    }
    values.update(kw)
    return FundingCall(aviso_id="X-1", title=title, **values)


def lead(**kw: object) -> Lead:
    values: dict = {
        "company": "Metalomecânica Teste, Lda",
        "nif": "509442013",
        "cae": "25110",
        "region": "norte",
        "municipality": "Braga",
        "district": "Braga",
        "size": "small",
        "activity": "Fabrico de estruturas metálicas",
    }
    values.update(kw)
    return Lead(**values)


def one(c: FundingCall, company: Lead) -> Verdict:
    [verdict] = OfflineMatcher([c], AS_OF).judge(company)
    return verdict


# ---- Portugal 2030's structure --------------------------------------------------------------


@pytest.mark.parametrize(
    ("programme", "region", "municipality", "eligible"),
    [
        ("COMPETE 2030", "norte", "Braga", True),
        ("COMPETE 2030", "centro", "Coimbra", True),
        ("COMPETE 2030", "alentejo", "Évora", True),
        ("COMPETE 2030", "lisboa", "Lisboa", False),
        ("COMPETE 2030", "algarve", "Faro", False),
        ("COMPETE 2030", "acores", "Ponta Delgada", False),
        ("PESSOAS 2030", "lisboa", "Sintra", False),
        ("PESSOAS 2030", "centro", "Leiria", True),
        ("SUSTENTÁVEL 2030", "algarve", "Faro", True),
        ("SUSTENTÁVEL 2030", "madeira", "Funchal", False),
        ("MAR 2030", "madeira", "Funchal", True),
        ("LISBOA 2030", "lisboa", "Lisboa", True),
        ("LISBOA 2030", "norte", "Braga", False),
    ],
)
def test_a_programme_covers_the_regions_portugal_2030_gives_it(
    programme: str, region: str, municipality: str, eligible: bool
) -> None:
    v = one(
        call(programmes=[programme]), lead(region=region, municipality=municipality, district=None)
    )
    assert v.eligible is eligible, v.reasoning
    if not eligible:
        assert f"programme {programme}" in v.reasoning


def test_a_call_of_two_programmes_covers_their_union() -> None:
    c = call(programmes=["COMPETE 2030", "LISBOA 2030"])
    assert one(c, lead(region="lisboa", municipality="Lisboa")).eligible
    assert one(c, lead(region="norte")).eligible
    assert not one(c, lead(region="algarve", municipality="Faro")).eligible


def test_a_title_naming_its_regions_overrides_the_programme() -> None:
    c = call("Inovação Produtiva - PME e Não PME com investimento em Lisboa e no Algarve")
    assert one(c, lead(region="algarve", municipality="Faro")).eligible
    v = one(c, lead())
    assert not v.eligible and "title" in v.reasoning
    assert regions_in_title("Centro de Interface Tecnológico") is None
    assert regions_in_title("Fileira da Madeira e Mobiliário") is None


# ---- kinds of beneficiary -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cae", "kinds"),
    [
        ("Metalomecânica Teste, Lda", "25110", {"company"}),
        ("Formar Consultores, Lda", "85592", {"company", "training_provider"}),
        ("AEB - Associação Empresarial de Braga", "94110", {"association"}),
        ("Associação Comercial do Porto", None, {"association"}),
        ("Associação Cultural Recreativa", "94991", {"non_profit"}),
        ("Associação para a Formação Profissional", "85591", {"non_profit", "training_provider"}),
        ("Agência para a Competitividade, I.P.", "84130", {"public_admin", "central_admin"}),
        ("Agrupamento de Escolas de Gaia Nascente", "85310", {"public_admin", "central_admin"}),
        ("Santa Casa da Misericórdia de Viseu", "87301", {"non_profit", "ipss"}),
        ("Centro Social Paroquial de Alfena", None, {"non_profit", "ipss"}),
        ("Fundação Beira Solidária", "88910", {"non_profit", "ipss"}),  # social services
        ("Centro de Investigação em Polímeros", "72190", {"rd_entity"}),
        ("Associação Centro de Investigação do Mar", "72190", {"non_profit", "rd_entity"}),
        ("Centro Tecnológico do Calçado", "72190", {"rd_entity"}),
        ("Clube Naval de Aveiro", "93120", {"non_profit"}),
        ("Casa do Povo de Alvito", None, {"non_profit"}),
        ("Sporting Clube de Braga - Futebol, SAD", "93120", {"company"}),
        (
            "Cooperativa de Solidariedade Social Os Amigos, CRL",
            "88101",
            {"company", "cooperative", "ipss"},
        ),
        ("Município de Braga", "84113", {"municipality", "public_admin"}),
        ("Câmara Municipal de Évora", None, {"municipality", "public_admin"}),
        ("Cooperativa Agrícola do Vale, CRL", "01500", {"cooperative", "company"}),
        ("Fundação Terra", None, {"non_profit"}),
        ("Instituto de Tecnologia", "72190", {"company", "rd_entity"}),
        ("Universidade do Minho", "85420", {"rd_entity"}),
    ],
)
def test_what_kind_of_entity_a_lead_is(name: str, cae: str | None, kinds: set[str]) -> None:
    assert lead_kinds(name, cae) == kinds


@pytest.mark.parametrize(
    ("title", "kinds"),
    [
        ("Formação Modular Certificada - entidades formadoras certificadas", ["training_provider"]),
        ("Capacitação da Administração Pública", ["public_admin"]),
        ("Projetos de I&D de entidades não empresariais do Sistema de I&I", ["rd_entity"]),
        ("Ações coletivas de associações empresariais", ["association"]),
        ("Requalificação de escolas pelos municípios", ["public_admin", "municipality"]),
        ("SICE - Inovação Produtiva PME", None),
        ("Eficiência energética em edifícios da administração pública local", ["public_admin"]),
        ("Aviso 12/2026 - Iluminação pública eficiente", ["public_admin"]),
        ("Formação de ativos das empresas", None),
        ("Transformação Digital da Administração Pública Central", ["central_admin"]),
        ("Capacitação da Administração Pública Central, Regional e Local", ["public_admin"]),
        ("Eficiência Energética em Equipamentos Sociais de IPSS", ["ipss"]),
        ("Apoio às instituições particulares de solidariedade social", ["ipss"]),
        ("Inovação social nas entidades de solidariedade social", ["non_profit"]),
        # schemes whose name says who applies (RECI art. 58 for collective actions)
        ("SIAC - Qualificação (ações coletivas)", ["association", "rd_entity", "non_profit"]),
        ("SIAC - Ações Coletivas de Associações Empresariais", ["association"]),
        ("Cursos de Educação e Formação de Adultos", ["central_admin", "training_provider"]),
        ("Planos de Ação para o Sucesso Escolar", ["central_admin", "municipality"]),
        ("Equipamentos Sociais - Respostas de Proximidade", ["municipality", "non_profit"]),
    ],
)
def test_who_a_title_is_meant_for(title: str, kinds: list[str] | None) -> None:
    found = call_beneficiaries(title)
    assert (found[0] if found else None) == kinds


@pytest.mark.parametrize(
    ("title", "text", "kinds"),
    [
        ("Capacitação da administração pública", "as empresas também", ["public_admin"]),
        ("Transição Digital das PME", "autoridades públicas", None),
        ("Aviso 12/2026", "Apoio às empresas e aos municípios", None),
        ("Aviso 12/2026", "Apoio aos municípios", ["municipality"]),
        # social responses are run by companies and the social economy alike
        (
            "Rede de equipamentos para idosos",
            "Respostas sociais",
            ["company", "non_profit", "cooperative"],
        ),
    ],
)
def test_the_title_decides_else_the_text_when_it_names_no_company(
    title: str, text: str, kinds: list[str] | None
) -> None:
    found = call_beneficiaries(title, text)
    assert (found[0] if found else None) == kinds


def test_a_call_for_training_providers_goes_to_training_providers_only() -> None:
    c = call("Formação Modular Certificada - entidades formadoras certificadas", ["PESSOAS 2030"])
    metal = one(c, lead())
    trainer = one(
        c,
        lead(
            company="Formar Consultores, Lda",
            cae="85592",
            activity="Formação profissional certificada",
        ),
    )
    assert not metal.eligible
    assert "call is for entidades formadoras certificadas" in metal.reasoning
    assert trainer.eligible and trainer.match_score >= DEFAULT_THRESHOLD


def test_an_association_is_not_offered_a_company_incentive_but_is_offered_its_own_calls() -> None:
    association = lead(
        company="AEB - Associação Empresarial de Braga",
        cae="94110",
        activity="Associação empresarial",
    )
    company_call = call("SICE - Inovação Produtiva PME")
    own_call = call("Ações coletivas de associações empresariais")
    assert one(company_call, association).match_score < DEFAULT_THRESHOLD
    own = one(own_call, association)
    assert own.eligible and own.match_score >= DEFAULT_THRESHOLD
    assert not one(own_call, lead()).eligible


# ---- a notice's own clauses -----------------------------------------------------------------


def noticed(criteria: Criteria, **kw: object) -> FundingCall:
    return call(criteria=criteria, **kw)


def test_the_notice_extends_a_compete_call_to_every_mainland_region() -> None:
    quote = "todas as regiões NUTS II do Continente, ao abrigo do n.º 2 do artigo 70.º"
    c = noticed(
        Criteria(
            source="notice",
            regions=["norte", "centro", "lisboa", "alentejo", "algarve"],
            clauses={"geography": Clause("3. Área geográfica", quote)},
        )
    )
    v = one(c, lead(region="lisboa", municipality="Lisboa"))
    assert v.eligible
    assert f"3. Área geográfica: «{quote}»" in v.reasoning


def test_a_notice_for_ipss_and_one_for_the_central_administration_exclude_their_neighbours() -> (
    None
):
    ipss_quote = "instituições particulares de solidariedade social (IPSS)"
    for_ipss = noticed(
        Criteria(
            source="notice",
            beneficiaries=["ipss"],
            clauses={"beneficiaries": Clause("3. Beneficiários", ipss_quote)},
        ),
        programmes=["SUSTENTÁVEL 2030"],
    )
    misericordia = lead(company="Santa Casa da Misericórdia de Braga", cae="87301", size=None)
    cultural = lead(company="Associação Cultural de Braga", cae="94991", size=None)
    assert one(for_ipss, misericordia).eligible
    refused = one(for_ipss, cultural)
    assert not refused.eligible and f"3. Beneficiários: «{ipss_quote}»" in refused.reasoning
    for_the_state = noticed(
        Criteria(
            source="notice",
            beneficiaries=["central_admin"],
            clauses={"beneficiaries": Clause("3. Beneficiários", "administração central")},
        )
    )
    school_group = lead(company="Agrupamento de Escolas de Braga", cae="85310", size=None)
    municipality = lead(company="Município de Braga", cae="84113", size=None)
    assert one(for_the_state, school_group).eligible
    assert not one(for_the_state, municipality).eligible


def test_a_kind_the_notice_turns_away_is_out_though_another_of_its_kinds_is_admitted() -> None:
    quote = "Não são elegíveis os empresários em nome individual nem as cooperativas."
    c = noticed(
        Criteria(
            source="notice",
            beneficiaries=["company"],
            beneficiaries_excluded=["cooperative"],
            clauses={"beneficiaries_excluded": Clause("8. Beneficiários", quote)},
        )
    )
    cooperative = one(c, lead(company="Adega Cooperativa de Braga, CRL", cae="11021"))
    assert not cooperative.eligible
    assert "call turns away cooperativas" in cooperative.reasoning
    assert f"8. Beneficiários: «{quote}»" in cooperative.reasoning
    assert one(c, lead()).eligible


def test_a_notice_limited_to_subregions_and_municipalities() -> None:
    c = noticed(
        Criteria(
            source="notice",
            subregions=["Alto Minho", "Cávado"],
            municipalities=["Vila Real"],
            clauses={
                "geography": Clause("2. Âmbito territorial", "Alto Minho, Cávado e Vila Real")
            },
        ),
        programmes=["NORTE 2030"],
    )
    assert one(c, lead(municipality="Braga")).eligible  # Braga is in Cávado
    assert one(c, lead(municipality="Vila Real", district="Vila Real")).eligible
    porto = one(c, lead(municipality="Porto", district="Porto"))
    assert not porto.eligible and "Alto Minho, Cávado, Vila Real only" in porto.reasoning
    # a Norte company whose municipality is not known is not excluded
    assert one(c, lead(municipality=None, district=None)).eligible
    assert not one(c, lead(region="centro", municipality="Coimbra", district="Coimbra")).eligible


def test_notice_sizes_override_the_title() -> None:
    c = noticed(
        Criteria(
            source="notice",
            beneficiaries=["company"],
            sizes=["micro", "small"],
            clauses={"sizes": Clause("4. Beneficiários", "micro e pequenas empresas")},
        ),
        title="Inovação Produtiva PME",
    )
    assert one(c, lead(size="small")).eligible
    medium = one(c, lead(size="medium"))
    assert not medium.eligible
    assert "4. Beneficiários: «micro e pequenas empresas»" in medium.reasoning


def test_cae_clauses_admit_and_exclude() -> None:
    c = noticed(
        Criteria(
            source="notice",
            cae_included=["10-33"],
            cae_excluded=["1200", "19"],
            clauses={
                "cae_included": Clause("Anexo I", "divisões 10 a 33"),
                "cae_excluded": Clause("Anexo II", "12000; 19"),
            },
        )
    )
    ok = one(c, lead(cae="25110"))
    assert (
        ok.eligible
        and "CAE 25110 (indústria transformadora) in Anexo I (CAE 10 a 33)" in ok.reasoning
    )
    shop = one(c, lead(cae="47111", activity="Supermercado"))
    assert not shop.eligible and "not among the eligible CAE of Anexo I" in shop.reasoning
    tobacco = one(c, lead(cae="12000", activity="Tabaco"))
    assert not tobacco.eligible and "excluded by Anexo II" in tobacco.reasoning
    assert one(c, lead(cae=None, activity="")).eligible  # no CAE: not excluded


def test_a_notice_cae_list_is_evidence_of_fit_for_a_sector_call() -> None:
    c = noticed(
        Criteria(
            source="notice", cae_included=["55"], clauses={"cae_included": Clause("Anexo A", "55")}
        ),
        title="Turismo - Inovação Produtiva",
    )
    assert one(c, lead(cae="55111", activity="Hotel")).match_score >= 80
    assert not one(c, lead()).eligible


def test_what_a_notice_does_not_state_falls_back_on_the_metadata() -> None:
    c = noticed(
        Criteria(source="notice", sizes=["micro", "small", "medium"]), programmes=["COMPETE 2030"]
    )
    merged = effective_criteria(c)
    assert merged.regions == ["norte", "centro", "alentejo"]
    assert merged.sizes == ["micro", "small", "medium"]
    assert not one(c, lead(region="lisboa", municipality="Lisboa")).eligible


@pytest.mark.parametrize(
    ("cae", "item", "inside"),
    [
        ("25110", "C", True),
        ("25110", "10-33", True),
        ("47111", "10-33", False),
        ("55111", "55", True),
        ("55111", "5511", True),
        ("55201", "5511", False),
        ("55111", "55100-55300", True),
        ("5511", "55111", None),  # a class: the subclass may or may not be it
        ("55", "5510-5530", None),
        (None, "C", None),
    ],
)
def test_a_cae_under_a_clause_item(cae: str | None, item: str, inside: bool | None) -> None:
    assert cae_matches(cae, None, item) is inside


def test_a_cae_under_a_list() -> None:
    assert cae_in("25110", None, ("01-03", "C")) == (True, "C")
    assert cae_in("47111", None, ("01-03", "C")) == (False, "")


@pytest.mark.parametrize(
    ("title", "size", "eligible"),
    [
        ("Vale Comércio - micro e pequenas empresas", "small", True),
        ("Vale Comércio - micro e pequenas empresas", "medium", False),
        ("Formação-ação para micro, pequenas e médias empresas", "medium", True),
        ("Apoio a microempresas do interior", "small", False),
    ],
)
def test_a_title_that_narrows_the_sizes(title: str, size: str, eligible: bool) -> None:
    v = one(call(title, size_rule=size_rule_of(title)), lead(size=size))
    assert v.eligible is eligible, v.reasoning


def test_a_sector_call_meant_for_associations_wants_associations_of_its_sector() -> None:
    c = call("Economia Azul - ações coletivas de associações empresariais do setor", ["MAR 2030"])
    fishing = lead(company="Associação dos Armadores de Pesca", cae="94110", activity="Pesca")
    other = lead(company="Associação Comercial do Porto", cae="94110", activity="Comércio local")
    assert one(c, fishing).match_score >= DEFAULT_THRESHOLD
    assert one(c, other).match_score < DEFAULT_THRESHOLD


def test_a_company_without_cae_whose_activity_names_another_sector_is_below_the_threshold() -> None:
    tourism = call("Turismo - Inovação Produtiva", ["ALGARVE 2030"])
    farm = lead(region="algarve", municipality="Loulé", cae=None, activity="Contabilidade")
    silent = lead(region="algarve", municipality="Loulé", cae=None, activity="")
    assert one(tourism, farm).match_score < DEFAULT_THRESHOLD
    assert one(tourism, silent).match_score == DEFAULT_THRESHOLD  # unknown: worth a check


def test_extraction_is_not_manufacturing() -> None:
    industry = call("Indústria 4.0 - Transformação Digital da Indústria", ["NORTE 2030"])
    quarry = lead(cae="08111", activity="Extração de granito")
    assert one(industry, quarry).match_score < DEFAULT_THRESHOLD


# ---- carve-outs: the more specific exclusion wins -------------------------------------------


def from_notice(territory: str, activities: str = "", **kw: object) -> FundingCall:
    """A call whose criteria the parser reads from a notice with these two sections."""
    text = f"2. Área geográfica de aplicação\n{territory}\n"
    if activities:
        text += f"4. Condições de elegibilidade das operações\n{activities}\n"
    return noticed(parse_notice(text), **kw)


def test_a_subregion_carved_out_of_the_mainland() -> None:
    clause = "todo o território do Continente, excluindo a NUTS III Lezíria do Tejo"
    c = from_notice(f"São elegíveis as operações localizadas em {clause}.")
    cartaxo = one(c, lead(region="alentejo", municipality="Cartaxo", district="Santarém"))
    assert not cartaxo.eligible
    assert "Lezíria do Tejo is excluded from the call's territory" in cartaxo.reasoning
    quoted = (
        f"2. Área geográfica de aplicação: «São elegíveis as operações localizadas em {clause}.»"
    )
    assert quoted in cartaxo.reasoning
    assert "company is in Cartaxo" in cartaxo.reasoning
    assert one(c, lead(region="alentejo", municipality="Évora", district="Évora")).eligible
    assert one(c, lead(region="lisboa", municipality="Lisboa", district="Lisboa")).eligible
    # an Alentejo company whose municipality is unknown is not excluded: the verdict says so
    vague = one(c, lead(region="alentejo", municipality=None, district=None))
    assert vague.eligible and "territory not checked" in vague.reasoning


def test_a_municipality_carved_out_of_a_subregion_and_of_a_region() -> None:
    c = from_notice(
        "São elegíveis as operações localizadas nos municípios da NUTS III Médio Tejo, com "
        "exceção de Ourém.",
        programmes=["CENTRO 2030"],
    )
    ourem = one(c, lead(region="centro", municipality="Ourém", district="Santarém"))
    assert not ourem.eligible
    assert "Ourém is excluded from the call's territory" in ourem.reasoning
    assert "«São elegíveis as operações localizadas nos municípios" in ourem.reasoning
    assert one(c, lead(region="centro", municipality="Tomar", district="Santarém")).eligible
    assert not one(c, lead(region="centro", municipality="Coimbra", district="Coimbra")).eligible

    # a carve-out alone narrows the programme's own territory
    c = from_notice(
        "Não são elegíveis as operações localizadas no concelho de Ourém.",
        programmes=["CENTRO 2030"],
    )
    assert not one(c, lead(region="centro", municipality="Ourém", district="Santarém")).eligible
    assert one(c, lead(region="centro", municipality="Tomar", district="Santarém")).eligible
    assert not one(c, lead(region="norte", municipality="Braga", district="Braga")).eligible


@pytest.mark.parametrize(
    ("activities", "inside", "excepted"),
    [
        (
            "São elegíveis as empresas com atividade na secção K, exceto a subclasse 66300.",
            "66220",
            "66300",
        ),
        (
            "São elegíveis as atividades das divisões 10 a 33, com exceção da divisão 12.",
            "25110",
            "12000",
        ),
        ("São elegíveis os projetos inseridos na CAE 55, excluindo 55201.", "55111", "55201"),
    ],
)
def test_a_code_excepted_inside_an_eligible_list_wins(
    activities: str, inside: str, excepted: str
) -> None:
    c = from_notice("São elegíveis as operações localizadas na região Norte.", activities)
    assert one(c, lead(cae=inside)).eligible
    out = one(c, lead(cae=excepted))
    assert not out.eligible
    assert f"CAE {excepted}" in out.reasoning and "is excluded by" in out.reasoning
    assert f"«{activities}»" in out.reasoning  # the carve-out clause, quoted


def test_a_scheduled_call_whose_notice_lists_the_company_cae_is_upcoming_for_it() -> None:
    c = noticed(
        Criteria(
            source="notice",
            cae_included=["25"],
            clauses={"cae_included": Clause("Anexo I", "25 Fabricação de produtos metálicos")},
        ),
        title="Turismo - Animação turística",
        opens_at=datetime(2027, 2, 1, tzinfo=LISBON),
        closes_at=datetime(2027, 5, 31, tzinfo=LISBON),
    )
    [verdict] = OfflineMatcher([c], AS_OF).upcoming(lead())
    assert verdict.aviso_id == "X-1" and "CAE 25110" in verdict.reasoning
