"""The notice parser reads who may apply from notices' text as a PDF extractor gives it."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from elinara.agent.criteria import BENEFICIARY_KINDS, CARVE_OUT, CRITERIA_KEYS, Criteria
from elinara.agent.normalize import municipalities
from elinara.agent.notices.parse import PARSER_VERSION, QUOTE_CHARS, parse_notice
from elinara.agent.notices.sections import split_sections
from elinara.models import REGIONS, SIZES

NOTICES = Path(__file__).parent / "data" / "notices"
MAINLAND = ["norte", "centro", "lisboa", "alentejo", "algarve"]
FIELDS = (
    "regions",
    "subregions",
    "municipalities",
    "beneficiaries",
    "sizes",
    "cae_included",
    "cae_excluded",
    "unread",
    "subregions_excluded",
    "municipalities_excluded",
)

# Per notice: the criteria expected (fields left out are None, unread defaults to []) and, per
# clause key, (section, words the quote must contain).
EXPECTED: dict[str, dict[str, Any]] = {
    "norte_pme_annex_table": {
        "regions": ["norte"],
        "beneficiaries": ["company"],
        "sizes": ["micro", "small", "medium"],
        "cae_included": ["10", "11", "13-15", "2511", "62"],
        "clauses": {
            "geography": ("3. Área geográfica de aplicação", "região NUTS II Norte"),
            "beneficiaries": ("4. Beneficiários", "micro, pequenas e médias empresas (PME)"),
            "sizes": (
                "4. Beneficiários; 5. Condições de acesso dos beneficiários",
                "Certificação PME",
            ),
            "cae_included": ("Anexo I", "10 Indústrias alimentares"),
        },
    },
    "compete_less_developed": {
        "regions": ["norte", "centro", "alentejo"],
        "beneficiaries": ["company"],
        "sizes": ["micro", "small", "medium", "large"],
        "cae_included": ["10-33", "55100-55300", "582"],
        "cae_excluded": ["12", "1101", "1102", "192", "206"],
        "clauses": {
            "geography": ("2. Âmbito territorial", "regiões menos desenvolvidas do Continente"),
            "beneficiaries": ("3. Entidades beneficiárias", "Empresas de qualquer dimensão"),
            "sizes": ("3. Entidades beneficiárias", "qualquer dimensão, incluindo as Small Mid"),
            "cae_included": ("4. Atividades económicas elegíveis", "divisões 10 a 33"),
            "cae_excluded": ("4. Atividades económicas elegíveis", "Não são elegíveis"),
        },
    },
    "pessoas_legal_exception": {
        "regions": MAINLAND,
        "beneficiaries": ["training_provider"],
        "clauses": {
            "geography": ("Artigo 2.º Âmbito territorial", "todas as regiões do Continente"),
            "beneficiaries": ("Artigo 3.º Beneficiários", "entidades formadoras certificadas"),
        },
    },
    "centro_nuts3_municipalities": {
        "subregions": ["Beiras e Serra da Estrela", "Beira Baixa", "Região de Coimbra"],
        "beneficiaries": ["municipality"],
        "clauses": {
            "geography": ("2. Área geográfica", "NUTS III Beiras e Serra da Estrela"),
            "beneficiaries": ("3. Beneficiários", "comunidades intermunicipais"),
        },
    },
    "municipality_list": {
        "municipalities": [
            "Mação",
            "Nazaré",
            "Porto de Mós",
            "Lagos",
            "Vila do Conde",
            # "nos municípios do distrito de Portalegre"
            *sorted(m.name for m in municipalities() if m.district == "Portalegre"),
        ],
        # "os municípios e as empresas municipais": municipal companies are not companies at large
        "beneficiaries": ["municipality"],
        "clauses": {
            "geography": ("2. Localização das operações", "concelhos de Mação, Nazaré"),
        },
    },
    "public_admin_only": {  # the State's central administration: municipalities may not apply
        "regions": MAINLAND,
        "beneficiaries": ["central_admin"],
        "clauses": {
            "geography": ("2. Âmbito geográfico", "Portugal continental"),
            "beneficiaries": ("3. Tipologia de beneficiários", "Administração Pública central"),
        },
    },
    "associations_collective": {
        "regions": MAINLAND,
        "beneficiaries": ["association", "rd_entity", "non_profit"],
        "clauses": {
            "geography": ("2. Território", "regiões de Lisboa e do Algarve"),
            "beneficiaries": ("3. Beneficiários", "Associações empresariais"),
        },
    },
    "large_companies": {
        "regions": ["norte", "centro", "alentejo"],
        "beneficiaries": ["company"],
        "sizes": ["large"],
        "clauses": {"sizes": ("3. Beneficiários", "empresas não PME")},
    },
    "madeira_micro_small": {
        "regions": ["madeira"],
        "beneficiaries": ["company"],
        "sizes": ["micro", "small"],
        # "designadamente nas classes 4711 e 4719...": examples within G and I, not limits.
        "cae_included": ["G", "I"],
        "cae_excluded": ["47300"],
        "clauses": {
            "geography": ("2. Área geográfica", "Região Autónoma da Madeira"),
            "cae_included": ("4. Atividades elegíveis", "secções G e I da CAE"),
            "cae_excluded": ("4. Atividades elegíveis", "com exceção da subclasse 47300"),
        },
    },
    "annex_excluded_by_reference": {
        "subregions": ["Alentejo Litoral"],
        "beneficiaries": ["company", "cooperative"],
        "cae_excluded": ["01-03", "64", "66", "9200"],
        "clauses": {
            "geography": ("1. Área geográfica", "sub-região Alentejo Litoral"),
            "cae_excluded": ("Anexo II", "64 – Atividades de serviços financeiros"),
        },
    },
    "misleading_title": {
        "regions": ["alentejo"],
        "beneficiaries": ["company", "association", "non_profit"],
        "sizes": ["micro", "small", "medium", "large"],
        "cae_included": ["55", "56"],
        # "excluindo a sub-região Lezíria do Tejo": a carve-out, the company there is outside.
        "subregions_excluded": ["Lezíria do Tejo"],
        "clauses": {
            "geography": ("2. Âmbito geográfico", "região do Alentejo (NUTS II)"),
            "geography_excluded": ("2. Âmbito geográfico", "excluindo a sub-região Lezíria"),
            "cae_included": ("4. Atividades elegíveis", "divisões 55 e 56"),
        },
    },
    "norte_nuts3_lists": {
        # The region named with some of its subregions: they narrow it; towns in brackets after
        # a subregion may narrow it or be examples: both kept, the reading said partial.
        "subregions": ["Alto Minho", "Alto Tâmega"],
        "municipalities": ["Arcos de Valdevez", "Caminha", "Melgaço", "Boticas", "Chaves"],
        "beneficiaries": ["company"],
        "sizes": ["micro", "small"],
        "cae_included": ["1011", "1013", "5510"],
        "cae_excluded": ["64", "92"],
        "unread": ["geography"],
        "clauses": {
            "geography": ("5. Área geográfica de aplicação", "NUTS III ALTO TÂMEGA E BARROSO"),
            "sizes": ("4. Natureza dos beneficiários", "as micro e pequenas empresas."),
            "cae_included": ("6. Âmbito setorial", "1011 Abate de gado"),
            "cae_excluded": ("6. Âmbito setorial", "92 Lotarias"),
        },
    },
    "low_density_continent": {
        "regions": ["norte", "centro", "alentejo", "algarve"],
        "beneficiaries": ["company"],
        "sizes": ["micro", "small", "medium"],
        "unread": ["geography"],
        "clauses": {
            "geography": ("1. Âmbito geográfico", "Territórios de baixa densidade"),
            "sizes": ("2. Beneficiários", "Micro, pequenas e médias empresas (PME)"),
        },
    },
    "generated_layout_list": {
        # The layout of the generated PDFs the notice fetcher is tested with, as extracted.
        "regions": ["centro"],
        "beneficiaries": ["company"],
        "sizes": ["micro", "small", "medium"],
        "cae_included": ["10110", "25110", "62010", "72190"],
        "clauses": {
            "geography": ("3. Área geográfica de aplicação", "região NUTS II Centro"),
            "beneficiaries": ("4. Beneficiários", "Empresas de qualquer natureza"),
            "sizes": ("5. Dimensão das empresas", "micro, pequenas e médias empresas (PME)"),
            "cae_included": ("Anexo I", "10110 – Abate de gado"),
        },
    },
    "roman_question_headings": {
        # Roman numerals, titles as questions, a footer with text and the page number, an
        # introduction ending in ":" giving the sense of the next line, duties not applicants.
        "regions": ["algarve"],
        "beneficiaries": ["company", "cooperative"],
        "sizes": ["micro", "small"],
        "cae_included": ["47", "56"],
        "clauses": {
            "geography": ("IV. Onde se aplica", "região NUTS II Algarve"),
            "beneficiaries": ("III. Quem pode candidatar-se", "incluindo cooperativas"),
            "sizes": ("III. Quem pode candidatar-se", "excluem-se as médias e as"),
            "cae_included": ("V. Que atividades são abrangidas", "CAE 47 e 56."),
        },
    },
    "labelled_sections": {
        # "Secção N - ..." headings, a two-page header and footer, a table cell that wrapped.
        "regions": ["centro"],
        "beneficiaries": ["company"],
        "sizes": ["large"],
        "cae_excluded": ["01", "35", "64-66"],
        "clauses": {
            "geography": ("Secção 4 – Âmbito territorial", "Centro (NUTS II)."),
            "beneficiaries": ("Secção 2 – Beneficiários e condições de acesso", "não sejam PME"),
            "sizes": ("Secção 2 – Beneficiários e condições de acesso", "grandes empresas"),
            "cae_excluded": ("Anexo I", "01 Agricultura, produção animal"),
        },
    },
    "garbled_sections": {"unread": ["geography", "beneficiaries", "cae_included"], "clauses": {}},
    "exclusion_with_exception": {
        "regions": ["norte", "centro", "alentejo", "algarve"],
        "beneficiaries": ["company"],
        "sizes": ["micro", "small", "medium"],
        "unread": ["cae_excluded"],
        "clauses": {
            "geography": ("1. Âmbito territorial", "com exceção da região de Lisboa"),
            "sizes": ("2. Beneficiários", "com exceção das grandes empresas"),
        },
    },
    "mar_national_cooperatives": {
        "regions": ["norte", "centro", "lisboa", "alentejo", "algarve", "acores", "madeira"],
        "beneficiaries": ["company", "non_profit", "cooperative"],
        "cae_included": ["1020", "463"],
        "clauses": {
            "geography": ("2. Área geográfica", "Todo o território nacional"),
            "beneficiaries": ("3. Beneficiários", "cooperativas e organizações de produtores"),
        },
    },
}


def read(name: str) -> str:
    return (NOTICES / f"{name}.txt").read_text(encoding="utf-8")


def test_every_notice_file_has_expectations() -> None:
    assert sorted(p.stem for p in NOTICES.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notice_criteria(name: str) -> None:
    expected = EXPECTED[name]
    criteria = parse_notice(read(name))
    assert criteria.source == "notice"
    got = {f: getattr(criteria, f) for f in FIELDS}
    want = {f: expected.get(f, [] if f == "unread" else None) for f in FIELDS}
    if name == "municipality_list":
        got["municipalities"] = got["municipalities"][:5] + sorted(got["municipalities"][5:])
    assert got == want
    assert set(expected["clauses"]) <= set(criteria.clauses)
    for key, (section, words) in expected["clauses"].items():
        clause = criteria.clauses[key]
        assert clause.section == section, key
        assert words in clause.quote, (key, clause.quote)
        assert len(clause.quote) <= QUOTE_CHARS + 2


def test_every_criterion_read_has_its_clause() -> None:
    for name in EXPECTED:
        criteria = parse_notice(read(name))
        keys = {
            "geography": criteria.has_geography,
            "beneficiaries": criteria.beneficiaries is not None,
            "sizes": criteria.sizes is not None,
            "cae_included": criteria.cae_included is not None,
            "cae_excluded": criteria.cae_excluded is not None,
            CARVE_OUT: criteria.has_carve_outs,
        }
        assert set(criteria.clauses) == {k for k, known in keys.items() if known}, name


def test_places_outside_the_territory_section_are_not_read() -> None:
    # The Norte notice names Braga, Guimarães and Porto in its objectives and the authority's
    # address in Lisbon: only "região NUTS II Norte" counts.
    criteria = parse_notice(read("norte_pme_annex_table"))
    assert criteria.municipalities is None and criteria.subregions is None
    assert criteria.regions == ["norte"]


def test_title_and_cover_do_not_decide() -> None:
    # Title "Turismo sustentável no Algarve", programmes ALGARVE 2030 | ALENTEJO 2030, contacts
    # in Faro and Lisbon: the territory section says Alentejo.
    assert parse_notice(read("misleading_title")).regions == ["alentejo"]


def test_table_of_contents_page_furniture_and_hyphenation() -> None:
    sections = split_sections(read("norte_pme_annex_table"))
    headings = [s.heading for s in sections]
    assert headings == [
        "1. Enquadramento",
        "2. Objetivos e prioridades",
        "3. Área geográfica de aplicação",
        "4. Beneficiários",
        "5. Condições de acesso dos beneficiários",
        "6. Dotação e taxas",
        "7. Pontos de contacto",
        "Anexo I",
    ]
    text = " ".join(" ".join(s.lines) for s in sections)
    assert "Página" not in text and "Aviso NORTE2030-2025-31 |" not in text
    assert "aprovado pela Portaria" in text and "desenvolver atividade enquadrada" in text


@pytest.mark.parametrize(
    "heading",
    [
        "5. BENEFICIÁRIOS",
        "5 - Entidades beneficiárias",
        "5) Beneficiários",
        "Artigo 5.º Beneficiários",
        "Artigo 5.º\nBeneficiários",
        "ARTIGO 5.º – BENEFICIÁRIOS",
    ],
)
def test_heading_styles(heading: str) -> None:
    numbered = "" if heading.lower().startswith("artigo") else "1. Objeto\nApoio.\n2. Prazos\nX.\n"
    numbered += "3. Custos\nY.\n4. Outros\nZ.\n" if numbered else ""
    text = f"{numbered}{heading}\nSão beneficiários as cooperativas agrícolas.\n"
    assert parse_notice(text).beneficiaries == ["cooperative"]


def test_titles_with_their_text_on_the_same_line() -> None:
    text = "3. Área geográfica: Região Centro e Região do Algarve\n4. Beneficiários: PME\n5. Prazo\nX.\n"
    criteria = parse_notice(text)
    assert (criteria.regions, criteria.beneficiaries) == (["centro", "algarve"], ["company"])
    assert criteria.sizes == ["micro", "small", "medium"]
    assert criteria.clauses["sizes"].section == "4. Beneficiários"


def test_unnumbered_capital_headings_and_lost_list_marks() -> None:
    # Symbol-font bullets (U+F0B7) as a PDF extractor leaves them; no numbering at all.
    text = (
        "BENEFICIÁRIOS\nSão beneficiários:\n\uf0b7 Empresas\n\uf0b7 Associações empresariais\n"
        "ÁREA GEOGRÁFICA\nRegião Norte.\n"
    )
    criteria = parse_notice(text)
    assert (criteria.beneficiaries, criteria.regions) == (["company", "association"], ["norte"])
    assert criteria.clauses["geography"].section == "Área geográfica"


def test_numbers_apart_from_their_titles() -> None:
    text = (
        "1.\nObjeto\nApoio.\n2.\nBeneficiários\nEntidades formadoras certificadas\n"
        "Instituições de ensino superior\n3.Âmbito territorial\nAlgarve.\n"
    )
    criteria = parse_notice(text)
    assert criteria.beneficiaries == ["training_provider", "rd_entity"]
    assert criteria.regions == ["algarve"]
    assert criteria.clauses["beneficiaries"].section == "2. Beneficiários"


def test_a_numbered_sentence_is_not_a_heading() -> None:
    text = (
        "1. Beneficiários\n"
        "1 - Podem candidatar-se as entidades formadoras certificadas e as\n"
        "instituições de ensino superior.\n"
        "2. Área geográfica\n"
        "Região Centro.\n"
    )
    criteria = parse_notice(text)
    assert criteria.beneficiaries == ["training_provider", "rd_entity"]
    assert criteria.regions == ["centro"]


def test_common_words_and_longer_names_are_not_municipalities() -> None:
    text = (
        "1. Área geográfica\n"
        "Operações no Centro de Portugal e na Área Metropolitana do Porto, junto aos lagos, "
        "na guarda do porto e no Centro de Emprego de Loulé.\n"
    )
    criteria = parse_notice(text)
    assert criteria.regions == ["centro"]
    assert criteria.subregions == ["Área Metropolitana do Porto"]
    assert criteria.municipalities == ["Loulé"]


def test_lisboa_is_the_region_or_the_municipality_by_context() -> None:
    region = parse_notice("1. Âmbito territorial\nRegião de Lisboa.\n")
    municipality = parse_notice("1. Âmbito territorial\nMunicípios de Lisboa e Oeiras.\n")
    assert (region.regions, region.municipalities) == (["lisboa"], None)
    assert (municipality.regions, municipality.municipalities) == (None, ["Lisboa", "Oeiras"])


@pytest.mark.parametrize("m", municipalities(), ids=lambda m: f"{m.name}-{m.district}")
def test_every_municipality_is_read_by_name(m: Any) -> None:
    text = f"1. Área geográfica\nOperações localizadas no município de {m.name}.\n"
    assert parse_notice(text).municipalities == [m.name]


def test_every_subregion_is_read_by_name() -> None:
    names = sorted({m.nuts3 for m in municipalities()})
    text = "1. Âmbito territorial\nSub-regiões NUTS III " + ", ".join(names) + ".\n"
    criteria = parse_notice(text)
    as_regions = {"Área Metropolitana de Lisboa", "Algarve", "Região Autónoma dos Açores"}
    as_regions.add("Região Autónoma da Madeira")
    assert criteria.subregions == [n for n in names if n not in as_regions]
    assert criteria.regions == ["lisboa", "algarve", "acores", "madeira"]


def test_size_rates_are_not_size_restrictions() -> None:
    text = (
        "1. Beneficiários\nEmpresas de qualquer natureza.\n"
        "2. Condições de acesso\nA taxa é majorada em 10 p.p. para micro e pequenas empresas.\n"
    )
    criteria = parse_notice(text)
    assert criteria.beneficiaries == ["company"]
    assert criteria.sizes is None


def test_codes_of_unknown_sense_are_not_used() -> None:
    text = "1. Condições de acesso\nA CAE 62 é referida no formulário.\n"
    criteria = parse_notice(text)
    assert criteria.cae_included is None and criteria.cae_excluded is None
    assert criteria.unread == ["cae_included"]


# Numbers that are not CAE codes, in the places notices put them.
NOT_CODES = (
    "nos termos do artigo {n2}.º do Decreto-Lei n.º {n2}/{year}, de {day} de março",
    "ao abrigo do Regulamento (UE) {year}/{n4} e da Portaria n.º {n3}-A/{year}",
    "até {day} de junho de {year}, com uma dotação de {n3} {n3} euros",
    "a taxa é de {n2}% e o limite de {n3} mil euros por operação",
    "sede na Rua do Ouro, n.º {n2}, {n4}-{n3} Lisboa, telefone {n3} {n3} {n3}",
    "previsto no n.º {n1} do artigo {n2}.º e na alínea b) do n.º {n1}",
    "com duração máxima de {n2} meses e até {n3} trabalhadores",
)


def test_numbers_that_are_not_codes_are_never_read() -> None:
    rng = random.Random(20301060)
    for _ in range(300):
        values = {
            "n1": str(rng.randint(1, 9)),
            "n2": str(rng.randint(10, 99)),
            "n3": str(rng.randint(100, 999)),
            "n4": str(rng.randint(1000, 9999)),
            "year": str(rng.randint(2014, 2030)),
            "day": str(rng.randint(10, 28)),
        }
        noise = [t.format(**values) for t in rng.sample(NOT_CODES, 3)]
        code = f"{rng.randint(10, 99)}"
        text = (
            "1. Atividades económicas elegíveis\n"
            f"São elegíveis as empresas com CAE {code}, {noise[0]}.\n"
            f"A candidatura é apresentada {noise[1]}.\n"
            f"Não são elegíveis as atividades {noise[2]}.\n"
            "ANEXO I – CAE elegíveis\n"
            f"{code} Atividade principal\n"
            f"Página {values['n1']} de {values['n2']}\n"
            f"{values['year']}\n"
            f"{values['n4']}-{values['n3']} Lisboa\n"
            f"{values['n3']} {values['n3']} {values['n3']}\n"
            "Outras atividades\n"
        )
        criteria = parse_notice(text)
        assert criteria.cae_included == [code], text
        assert criteria.cae_excluded is None, text
        assert criteria.unread == [], text


def test_criteria_round_trip_through_a_store_document() -> None:
    criteria = parse_notice(read("madeira_micro_small"))
    assert type(criteria).from_doc(criteria.to_doc()) == criteria


def test_parser_version_is_an_integer() -> None:
    assert isinstance(PARSER_VERSION, int) and PARSER_VERSION >= 1


@pytest.mark.parametrize(
    ("sentence", "included"),
    [
        ("São elegíveis as empresas com CAE entre 10 e 33.", ["10-33"]),
        ("São elegíveis as divisões 10-33 e 45 a 47 da CAE (Rev. 4).", ["10-33", "45-47"]),
        ("São elegíveis as subclasses 55100 até 55300 e 56101.", ["55100-55300", "56101"]),
        ("São elegíveis os grupos 101, 102 (transformação de peixe) e 107.", ["101", "102", "107"]),
        ("Abrangidas: CAE Rev.3 62010, 62020 e 63110.", ["62010", "62020", "63110"]),
        ("São elegíveis as secções B a D da CAE.", ["B", "C", "D"]),
    ],
)
def test_code_lists_and_ranges(sentence: str, included: list[str]) -> None:
    criteria = parse_notice(f"1. Atividades elegíveis\n{sentence}\n")
    assert criteria.cae_included == included
    assert criteria.cae_excluded is None and criteria.unread == []


def test_a_municipality_hyphenated_across_lines() -> None:
    text = "1. Âmbito territorial\nOperações nos municípios de Ílhavo e Albergaria-a-\nVelha.\n"
    assert parse_notice(text).municipalities == ["Ílhavo", "Albergaria-a-Velha"]


def test_low_density_territories_keep_their_regions_and_say_unread() -> None:
    text = (
        "1. Área geográfica de aplicação\n"
        "Operações localizadas em territórios de baixa densidade das regiões Norte e Centro.\n"
    )
    criteria = parse_notice(text)
    assert criteria.regions == ["norte", "centro"]
    assert criteria.unread == ["geography"]


@pytest.mark.parametrize(
    "who",
    [
        "Entidades públicas ou privadas, com ou sem fins lucrativos.",
        "Empresas, associações e outras entidades de natureza privada.",
        "Pessoas coletivas de direito público ou privado.",
    ],
)
def test_any_kind_of_entity_is_no_restriction(who: str) -> None:
    criteria = parse_notice(f"1. Beneficiários\n{who}\n")
    assert criteria.beneficiaries is None
    assert criteria.unread == [] and "beneficiaries" not in criteria.clauses


def test_examples_and_preferences_are_not_limits() -> None:
    text = (
        "1. Beneficiários\nEmpresas, em especial PME.\n"
        "2. Atividades elegíveis\n"
        "São elegíveis todas as atividades, designadamente as das divisões 10 a 33.\n"
        "São elegíveis projetos de qualquer setor, com exceção da divisão 64.\n"
    )
    criteria = parse_notice(text)
    assert (criteria.beneficiaries, criteria.sizes) == (["company"], None)
    assert (criteria.cae_included, criteria.cae_excluded) == (None, ["64"])


def test_a_bare_continent_and_a_list_in_brackets() -> None:
    assert parse_notice("1. Âmbito geográfico\nContinente.\n").regions == MAINLAND
    text = "1. Âmbito geográfico\nRegiões do Continente (Norte e Centro).\n"
    assert parse_notice(text).regions == ["norte", "centro"]


def test_a_table_of_contents_with_page_numbers_on_their_own_lines() -> None:
    text = (
        "1. Objeto\n2\n2. Área geográfica\n3\n3. Beneficiários\n4\n"
        "1. Objeto\nApoio.\n2. Área geográfica\nRegião do Algarve.\n"
        "3. Beneficiários\nCooperativas.\n"
    )
    criteria = parse_notice(text)
    assert (criteria.regions, criteria.beneficiaries) == (["algarve"], ["cooperative"])
    assert criteria.unread == []


def test_a_sector_section_open_to_every_activity_is_read_not_unread() -> None:
    open_call = parse_notice("1. Âmbito setorial\nSão elegíveis todas as atividades económicas.\n")
    pointer = parse_notice(
        "1. Âmbito setorial\nSão elegíveis as atividades previstas no anexo B do Regulamento.\n"
    )
    assert (open_call.cae_included, open_call.unread) == (None, [])
    assert (pointer.cae_included, pointer.unread) == (None, ["cae_included"])


def test_sizes_named_in_a_condition_for_some_applicants_are_not_limits() -> None:
    text = (
        "1. Beneficiários\nEmpresas de qualquer natureza.\n"
        "2. Condições de acesso\nNo caso das PME, deter a Certificação PME válida.\n"
    )
    assert parse_notice(text).sizes is None


def test_trainees_are_not_applicants_and_titles_with_both_topics() -> None:
    text = (
        "1. Entidades beneficiárias e condições de elegibilidade\n"
        "São beneficiários as entidades formadoras certificadas.\n"
        "2. Destinatários\nAtivos empregados de empresas e desempregados.\n"
    )
    assert parse_notice(text).beneficiaries == ["training_provider"]


def test_a_group_of_companies_is_not_a_cae_group() -> None:
    text = "1. Condições de acesso\nSão elegíveis operações de um grupo de 100 empresas.\n"
    criteria = parse_notice(text)
    assert (criteria.cae_included, criteria.unread) == (None, [])


def test_a_criterion_read_in_two_sections_cites_both() -> None:
    text = (
        "4. Condições de acesso\n"
        "São elegíveis as empresas das divisões 10 a 33, com exceção da divisão 12.\n"
        "ANEXO I – CAE excluídas\n64 Atividades de serviços financeiros\n65 Seguros\n"
    )
    criteria = parse_notice(text)
    assert criteria.cae_excluded == ["12", "64", "65"]
    clause = criteria.clauses["cae_excluded"]
    assert clause.section == "4. Condições de acesso; Anexo I"
    assert "com exceção da divisão 12" in clause.quote and "64 Atividades" in clause.quote
    assert len(clause.quote) <= QUOTE_CHARS + 5


def test_limits_and_definitions_in_a_beneficiaries_section_name_no_kind() -> None:
    text = (
        "1. Beneficiários\n"
        "São beneficiários as associações empresariais.\n"
        "Cada associação só pode apresentar uma candidatura por empresa associada.\n"
        "Para efeitos do presente aviso, consideram-se PME as empresas definidas na "
        "Recomendação 2003/361/CE.\n"
    )
    criteria = parse_notice(text)
    assert criteria.beneficiaries == ["association"]
    assert criteria.sizes is None


def test_programme_names_and_places_said_not_to_apply() -> None:
    text = (
        "2. Área geográfica de aplicação\n"
        "Não obstante o âmbito do Alentejo 2030, são elegíveis apenas as operações localizadas "
        "nos concelhos de Moura e Serpa. Investimentos noutros concelhos da região Alentejo "
        "não são apoiados.\n"
    )
    criteria = parse_notice(text)
    assert (criteria.regions, criteria.municipalities) == (None, ["Moura", "Serpa"])
    assert criteria.unread == []


@pytest.mark.parametrize(
    ("who", "kinds"),
    [
        (
            "Empresas, associações empresariais e entidades do SCTN.",
            ["company", "association", "rd_entity"],
        ),
        ("Universidades e institutos politécnicos.", ["rd_entity"]),
        ("Entidades certificadas pela DGERT.", ["training_provider"]),
        (
            "Municípios, freguesias e serviços da administração local.",
            ["municipality"],  # local administration: not the State's institutes
        ),
        ("Associações representativas de empresas do setor.", ["association"]),
        ("IPSS e misericórdias.", ["ipss"]),  # not any non-profit
    ],
)
def test_kinds_of_beneficiary(who: str, kinds: list[str]) -> None:
    assert parse_notice(f"1. Beneficiários\n{who}\n").beneficiaries == kinds


CAE_ITEM = re.compile(r"^(?:[A-U]|\d{2,5}|(\d{2,5})-(\d{2,5}))$")


def test_any_jumble_of_notice_lines_gives_well_formed_criteria() -> None:
    """Lines of the test notices shuffled, cut and glued: parsing never fails, and whatever is
    read is in the shared shape (known regions, sizes and kinds; CAE items in normal form)."""
    rng = random.Random(2021_1060)
    lines = [line for name in EXPECTED for line in read(name).splitlines()]
    names = {m.name for m in municipalities()}
    subregions = {m.nuts3 for m in municipalities()}
    for _ in range(200):
        sample = rng.sample(lines, rng.randint(1, 60))
        if rng.random() < 0.3:
            sample = [line[: rng.randint(0, len(line))] for line in sample]
        criteria = parse_notice("\n".join(sample))
        assert set(criteria.regions or ()) <= set(REGIONS)
        assert set(criteria.subregions or ()) <= subregions
        assert set(criteria.municipalities or ()) <= names
        assert set(criteria.subregions_excluded or ()) <= subregions
        assert set(criteria.municipalities_excluded or ()) <= names
        assert set(criteria.beneficiaries or ()) <= set(BENEFICIARY_KINDS)
        assert set(criteria.sizes or ()) <= set(SIZES)
        for item in (criteria.cae_included or []) + (criteria.cae_excluded or []):
            m = CAE_ITEM.match(item)
            assert m, item
            if m.group(1):
                assert len(m.group(1)) == len(m.group(2)) and m.group(1) < m.group(2)
        assert set(criteria.clauses) <= {*CRITERIA_KEYS, CARVE_OUT}
        assert set(criteria.unread) <= set(CRITERIA_KEYS)
    assert parse_notice("") == Criteria(source="notice")


def test_what_associations_are_is_not_another_kind() -> None:
    business = parse_notice(
        "3. Beneficiários\nPodem candidatar-se associações empresariais e associações de "
        "natureza profissional, sem fins lucrativos, que representem empresas da região.\n"
    )
    social = parse_notice(
        "3. Beneficiários\nPodem candidatar-se as entidades da economia social, nos termos da "
        "Lei n.º 30/2013, de 8 de maio: cooperativas, associações e fundações.\n"
    )
    assert business.beneficiaries == ["association"]
    assert social.beneficiaries == ["non_profit", "cooperative"]


def test_run_in_headings_and_access_condition_titles() -> None:
    # Title, full stop and the first sentence on one line; "Condições específicas de acesso"
    # and "Exclusões" hold CAE codes as much as a section named for activities.
    text = (
        "Artigo 2.º - Promotores. Podem candidatar-se as cooperativas agrícolas da região\n"
        "que explorem lagares.\n"
        "Artigo 3.º - Condições específicas de acesso\n"
        "Os promotores desenvolvem atividade nas divisões 10 e 11 da CAE Rev. 3.\n"
        "Artigo 4.º - Exclusões\n"
        "Excluem-se as empresas da divisão 12 da CAE.\n"
    )
    criteria = parse_notice(text)
    assert criteria.beneficiaries == ["cooperative"]
    assert criteria.clauses["beneficiaries"].section == "Artigo 2.º Promotores"
    assert (criteria.cae_included, criteria.cae_excluded) == (["10", "11"], ["12"])


@pytest.mark.parametrize(
    ("who", "kinds"),
    [
        # By reference plus a list: the list says who.
        (
            "São promotores os organismos previstos no artigo 12.º da Portaria, a saber: "
            "a) câmaras de comércio e confederações patronais; b) outras entidades de natureza "
            "associativa ligadas à economia local. As microempresas aderentes são "
            "destinatárias das ações, não podendo ser promotoras.",
            ["association"],
        ),
        # Words opening the call to anyone, narrowed by what follows them.
        (
            "Candidatam-se as pessoas coletivas de direito privado, com ou sem fins lucrativos, "
            "enquanto entidades formadoras certificadas pela DGERT.",
            ["training_provider"],
        ),
        (
            "Podem candidatar-se pessoas coletivas de direito público da administração central.",
            ["central_admin"],
        ),
        ("Os centros do IEFP e as entidades formadoras certificadas.", ["training_provider"]),
        (
            "Entidades de direito privado, com ou sem fins lucrativos, nomeadamente sociedades "
            "comerciais, cooperativas, associações e fundações.",
            ["company", "non_profit", "cooperative"],
        ),
        # Qualifiers that narrow a kind.
        ("Empresas públicas de abastecimento de água.", ["public_admin"]),
        ("Empresas municipais de habitação e freguesias.", ["municipality"]),
        (
            "Associações privadas sem fins lucrativos cujo objeto principal seja a "
            "investigação em saúde.",
            ["rd_entity"],
        ),
        (
            "Entidades da economia social: associações mutualistas e cooperativas de "
            "solidariedade social.",
            ["non_profit", "ipss"],  # the law equates these cooperatives to IPSS
        ),
        ("Agrupamentos de escolas e escolas não agrupadas.", ["central_admin"]),
        ("Os municípios e as empresas locais que estes detenham.", ["municipality"]),
        (
            "Instituições privadas sem fins lucrativos cujo objeto principal seja a "
            "representação de empresas do setor, e centros de interface tecnológico.",
            ["association", "rd_entity"],
        ),
        # companies that take part only as subcontractors or suppliers do not apply
        (
            "Unidades de I&D e laboratórios colaborativos. As empresas participam apenas "
            "como subcontratadas ou fornecedoras.",
            ["rd_entity"],
        ),
        # ... but a qualifier that covers every company does not narrow.
        ("Empresas públicas e privadas.", ["company"]),
        ("Empresas, sendo os seus trabalhadores destinatários da formação.", ["company"]),
    ],
)
def test_beneficiaries_by_reference_lists_and_qualifiers(who: str, kinds: list[str]) -> None:
    criteria = parse_notice(f"1. Beneficiários\n{who}\n")
    assert criteria.beneficiaries == kinds
    assert criteria.sizes is None


@pytest.mark.parametrize(
    ("who", "sizes"),
    [
        (
            "Sociedades comerciais que, à data da candidatura, não se enquadrem na definição de "
            "PME da Recomendação 2003/361/CE.",
            ["large"],
        ),
        (
            "Empresas com Certificação PME válida, não sendo aceites candidaturas de grandes "
            "empresas nem de Small Mid Caps.",
            ["micro", "small", "medium"],
        ),
        (
            "Empresas, incluindo as que adotem a forma cooperativa, que cumpram as condições do "
            "artigo 13.º do Decreto-Lei n.º 20-A/2023 e que sejam micro ou pequenas empresas.",
            ["micro", "small"],
        ),
        (
            "Empresas que não cumpram a definição de micro, pequena e média empresa do "
            "Anexo I do RGIC.",
            ["large"],
        ),
        ("Empresas de qualquer setor; as PME ficam excluídas deste concurso.", ["large"]),
    ],
)
def test_sizes_in_negations_and_at_the_end_of_long_sentences(who: str, sizes: list[str]) -> None:
    criteria = parse_notice(f"1. Beneficiários\n{who}\n")
    assert criteria.beneficiaries == ["company"]
    assert criteria.sizes == sizes


def test_pme_with_cooperatives_and_a_region_in_the_beneficiaries_sentence() -> None:
    text = (
        "Artigo 3.º - Área de aplicação\nRegião do Algarve.\n"
        "Artigo 4.º - Beneficiários. PME, incluindo cooperativas, com sede no Algarve.\n"
    )
    criteria = parse_notice(text)
    assert (criteria.beneficiaries, criteria.sizes) == (
        ["company", "cooperative"],
        ["micro", "small", "medium"],
    )
    assert criteria.regions == ["algarve"]


def test_subregions_in_a_table_the_territory_section_refers_to() -> None:
    # The PDF extractor puts the table after the last article; the caption says what it holds.
    text = (
        "Artigo 2.º - Localização. As operações localizam-se nos territórios identificados no "
        "quadro abaixo.\n"
        "Artigo 3.º - Beneficiários. Municípios.\n"
        "Artigo 4.º - Entrada em vigor\nO presente aviso entra em vigor no dia seguinte.\n"
        "Quadro 3 – Territórios NUTS III abrangidos\n"
        "NUTS II | NUTS III | Montante indicativo\n"
        "Centro | Oeste | 2 000 000\n"
        "Centro | Médio Tejo | 1 500 000\n"
    )
    criteria = parse_notice(text)
    assert (criteria.regions, criteria.subregions) == (None, ["Oeste", "Médio Tejo"])
    assert criteria.unread == []
    assert criteria.clauses["geography"].section.endswith(
        "Quadro 3 – Territórios NUTS III abrangidos"
    )


def test_an_annex_of_municipalities_pointed_to_from_the_territory_section() -> None:
    text = (
        "1. Objeto\nApoio a projetos.\n"
        "2. Território\nTerritórios de baixa densidade da região Norte, cujos concelhos "
        "constam do Anexo B ao presente aviso.\n"
        "3. Beneficiários\nCooperativas agrícolas.\n"
        "ANEXO B – Concelhos elegíveis\n"
        "| Concelho | NUTS III | NUTS II |\n"
        "| Boticas | Alto Tâmega | Norte |\n"
        "| Vinhais | Terras de Trás-os-Montes | Norte |\n"
    )
    criteria = parse_notice(text)
    assert criteria.municipalities == ["Boticas", "Vinhais"]
    assert (criteria.regions, criteria.subregions, criteria.unread) == (None, None, [])


def test_a_table_of_subregions_with_their_codes_and_municipalities() -> None:
    text = (
        "1. Área de intervenção\nAs NUTS III do quadro seguinte.\n"
        "2. Beneficiários\nEmpresas.\n"
        "Quadro - Área de intervenção\nCódigo NUTS III Sub-região Municípios\n"
        "PT16G Viseu Dão Lafões\nCastro Daire, Mangualde, Nelas, Oliveira de Frades,\n"
        "Penalva do Castelo, Santa Comba Dão, São Pedro do Sul, Sátão, Tondela,\n"
        "Vila Nova de Paiva, Viseu, Vouzela, Aguiar da Beira, Carregal do Sal\n"
    )
    criteria = parse_notice(text)
    dao_lafoes = {m.name for m in municipalities() if m.nuts3 == "Viseu Dão Lafões"}
    assert set(criteria.municipalities or ()) == dao_lafoes
    assert criteria.regions is None


def test_places_that_narrow_a_region_replace_it_unless_they_are_examples() -> None:
    narrowed = parse_notice(
        "1. Âmbito territorial\nRegião do Alentejo, nas sub-regiões Alentejo Central e "
        "Alto Alentejo.\n"
    )
    examples = parse_notice(
        "1. Âmbito territorial\nRegião do Alentejo, em especial os concelhos de Moura e Serpa.\n"
    )
    assert (narrowed.regions, narrowed.subregions) == (None, ["Alentejo Central", "Alto Alentejo"])
    assert narrowed.unread == []
    assert (examples.regions, examples.municipalities) == (["alentejo"], ["Moura", "Serpa"])
    assert examples.unread == ["geography"]


def test_cae_table_with_a_section_column_and_whole_hierarchies() -> None:
    text = (
        "1. Objeto\nApoio à transformação.\n"
        "2. Condições específicas de acesso\n"
        "São elegíveis os projetos das atividades económicas do Anexo A; excluem-se as "
        "divisões 64 a 66 da CAE.\n"
        "ANEXO A\n"
        "Secção Divisão Grupo Classe Subclasse Designação\n"
        "C 11 a 12\nIndústria das\nbebidas e do tabaco\n"
        "I 56 Restauração\n"
        "A 01 014 0141 01410\nCriação de bovinos\npara leite\n"
        "H 52\nArmazenagem\n"
    )
    criteria = parse_notice(text)
    assert criteria.cae_included == ["11-12", "56", "01410", "52"]
    assert criteria.cae_excluded == ["64-66"]
    assert criteria.unread == []


@pytest.mark.parametrize(
    ("text", "included", "excluded"),
    [
        (
            "1. Âmbito setorial\nO investimento insere-se nas divisões 16 a 18 da CAE Rev. 3.\n",
            ["16-18"],
            None,
        ),
        (
            "1. Condições específicas de acesso\nOs promotores exercem, a título principal, "
            "atividade na secção I, divisão 55 da CAE Rev. 3, não sendo elegíveis as "
            "atividades imobiliárias (secção L) nem as de jogo (divisão 92).\n",
            ["I", "55"],
            ["L", "92"],
        ),
        (
            "Artigo 6.º - Atividades. CAE Rev. 4: 47 (comércio a retalho), 96 (outras atividades "
            "de serviços pessoais) e subclasse 93294 (outras atividades de diversão).\n",
            ["47", "96", "93294"],
            None,
        ),
        (
            "Artigo 7.º - Exclusões. Excluem-se as atividades referidas no n.º 3 do artigo 1.º "
            "do Regulamento (UE) 2023/2831, designadamente a produção agrícola primária e a "
            "pesca (divisões 01 e 03 da CAE Rev. 3).\n",
            None,
            ["01", "03"],
        ),
    ],
)
def test_cae_in_access_conditions_exclusions_and_bare_lists(
    text: str, included: list[str] | None, excluded: list[str] | None
) -> None:
    criteria = parse_notice(text)
    assert (criteria.cae_included, criteria.cae_excluded) == (included, excluded)
    assert criteria.unread == []


def test_a_table_inside_a_cae_section_is_read_and_one_after_beneficiaries_is_not() -> None:
    text = (
        "1. Beneficiários\nMicroempresas.\n"
        "Quadro 1 – Dotação por concelho\nConcelho | Montante\nFaro | 100 000\n"
        "2. Atividades elegíveis\nSão elegíveis as atividades do quadro seguinte.\n"
        "Quadro 2 - Atividades\n"
        "47 Comércio a retalho\n56 Restauração\n"
    )
    criteria = parse_notice(text)
    assert (criteria.beneficiaries, criteria.sizes) == (["company"], ["micro"])
    assert criteria.cae_included == ["47", "56"]
    assert not criteria.has_geography


def test_places_in_a_sentence_about_rates_do_not_narrow_the_territory() -> None:
    text = (
        "1. Área geográfica\nRegião Centro. Os projetos localizados nos concelhos de Pampilhosa "
        "da Serra e Góis beneficiam de uma majoração da taxa de 5 pontos percentuais.\n"
    )
    criteria = parse_notice(text)
    assert (criteria.regions, criteria.municipalities) == (["centro"], None)


def test_a_town_named_in_passing_does_not_narrow_the_region() -> None:
    criteria = parse_notice(
        "1. Área geográfica\nRegião Centro. As candidaturas são analisadas pela CCDR Centro, "
        "em Coimbra.\n"
    )
    assert (criteria.regions, criteria.municipalities) == (["centro"], ["Coimbra"])
    assert criteria.unread == ["geography"]


def test_the_addressees_of_an_invitation_are_who_may_apply() -> None:
    text = (
        "4. Entidades convidadas\nSão convidadas as instituições particulares de solidariedade "
        "social com respostas sociais na região.\n"
        "5. Destinatários do convite\nAgrupamentos de escolas da rede pública.\n"
    )
    assert sorted(parse_notice(text).beneficiaries or []) == ["central_admin", "ipss"]


def test_a_numbered_sentence_with_a_full_stop_is_not_a_run_in_heading() -> None:
    text = (
        "1. Beneficiários\n"
        "1. São beneficiárias as cooperativas. Estas devem ter sede na região.\n"
        "2. Podem ainda candidatar-se as IPSS. Aplica-se o n.º 1.\n"
    )
    assert parse_notice(text).beneficiaries == ["ipss", "cooperative"]


def test_an_exclusion_by_reference_to_a_state_aid_regulation_reads_only_listed_codes() -> None:
    by_reference = parse_notice(
        "1. Condições de acesso\nNão são elegíveis as empresas dos setores excluídos pelo n.º 3 "
        "do artigo 1.º do Regulamento (UE) 2023/2831.\n"
    )
    listed = parse_notice(
        "1. Condições de acesso\nNão são elegíveis as empresas dos setores excluídos pelo n.º 3 "
        "do artigo 1.º do Regulamento (UE) 2023/2831, designadamente as das divisões 01 e 03 "
        "da CAE.\n"
    )
    assert (by_reference.cae_excluded, by_reference.unread) == (None, ["cae_excluded"])
    assert (listed.cae_excluded, listed.unread) == (["01", "03"], [])


def test_a_region_and_municipalities_of_another_region_are_both_kept() -> None:
    text = "1. Área geográfica\nMunicípios da região Norte\ne os concelhos de Mação e Sertã.\n"
    criteria = parse_notice(text)
    assert (criteria.regions, criteria.municipalities) == (["norte"], ["Mação", "Sertã"])


# ---- carve-outs: places and codes taken out of what a notice admits -------------------------


def _where(sentence: str) -> Criteria:
    return parse_notice(f"2. Área geográfica de aplicação\n{sentence}\n")


@pytest.mark.parametrize(
    ("sentence", "admitted", "carved"),
    [
        (
            "São elegíveis as operações localizadas em todo o território do Continente, "
            "excluindo a NUTS III Lezíria do Tejo.",
            (MAINLAND, None, None),
            (["Lezíria do Tejo"], None),
        ),
        (
            "São elegíveis as operações localizadas nos municípios da NUTS III Médio Tejo, com "
            "exceção de Ourém.",
            (None, ["Médio Tejo"], None),
            (None, ["Ourém"]),
        ),
        (
            "As operações devem localizar-se na região Centro, à exceção dos municípios de Ourém "
            "e Torres Vedras.",
            (["centro"], None, None),
            (None, ["Ourém", "Torres Vedras"]),
        ),
        (  # the carve-out in a sentence of its own, in other words
            "O presente Aviso aplica-se a toda a região do Algarve (NUTS II). Ficam, no entanto, "
            "fora do seu âmbito as operações a realizar no concelho de Loulé, que dispõe de "
            "aviso próprio.",
            (["algarve"], None, None),
            (None, ["Loulé"]),
        ),
        (
            "São abrangidas as sub-regiões Beiras e Serra da Estrela e Beira Baixa, excetuando "
            "o concelho da Covilhã.",
            (None, ["Beiras e Serra da Estrela", "Beira Baixa"], None),
            (None, ["Covilhã"]),
        ),
    ],
)
def test_places_a_territory_clause_carves_out(
    sentence: str,
    admitted: tuple[list[str] | None, ...],
    carved: tuple[list[str] | None, list[str] | None],
) -> None:
    criteria = _where(sentence)
    assert (criteria.regions, criteria.subregions, criteria.municipalities) == admitted
    assert (criteria.subregions_excluded, criteria.municipalities_excluded) == carved
    assert criteria.unread == []
    clause = criteria.clauses[CARVE_OUT]
    assert clause.section == "2. Área geográfica de aplicação"
    assert (carved[0] or carved[1] or [""])[0] in clause.quote


@pytest.mark.parametrize(
    "sentence",
    [
        # a parish, areas, an exception to an exception: not resolved, never silently ignored
        "São elegíveis as operações na região Centro, exceto as localizadas na freguesia de "
        "Fátima.",
        "São elegíveis as operações na região Centro, com exceção das zonas industriais.",
        "Não são elegíveis operações na região Norte, exceto nos municípios de Braga e Chaves.",
    ],
)
def test_a_carve_out_that_cannot_be_resolved_is_unread(sentence: str) -> None:
    criteria = _where(sentence)
    assert criteria.unread == ["geography"]
    assert criteria.subregions_excluded is None and criteria.municipalities_excluded is None


def test_places_after_outside_are_the_territory_not_a_carve_out() -> None:
    criteria = _where("Não são elegíveis operações localizadas fora da NUTS III Médio Tejo.")
    assert criteria.subregions == ["Médio Tejo"] and criteria.subregions_excluded is None
    assert criteria.unread == []


def test_a_carve_out_alone_narrows_the_programmes_territory() -> None:
    criteria = _where("Não são elegíveis as operações localizadas nos concelhos de Ourém e Tomar.")
    assert not criteria.has_geography  # the programmes' regions apply
    assert criteria.municipalities_excluded == ["Ourém", "Tomar"]
    assert criteria.unread == []


def test_the_autonomous_regions_taken_out_of_the_country() -> None:
    criteria = _where("Todo o território nacional, excluindo as Regiões Autónomas.")
    assert criteria.regions == MAINLAND and criteria.unread == []


@pytest.mark.parametrize(
    ("sentence", "included", "excluded", "unread"),
    [
        ("CAE 55, excluindo 55201", ["55"], ["55201"], []),
        ("CAE 10 a 33, à exceção de 12 e 16", ["10-33"], ["12", "16"], []),
        ("CAE 55 e 56, salvo 56301 e 56302", ["55", "56"], ["56301", "56302"], []),
        # activities taken out without a code: the list stays, said unclear
        ("CAE 10 a 33, com exceção das atividades do tabaco", ["10-33"], None, ["cae_excluded"]),
        # not a carve-out of codes: the list ends
        (
            "divisões 10 a 33, exceto quando o investimento for inferior a 25 000 euros",
            ["10-33"],
            None,
            [],
        ),
    ],
)
def test_codes_excepted_inside_an_eligible_list(
    sentence: str, included: list[str], excluded: list[str] | None, unread: list[str]
) -> None:
    criteria = parse_notice(
        f"4. Condições de elegibilidade das operações\nSão elegíveis as atividades da {sentence}.\n"
    )
    assert (criteria.cae_included, criteria.cae_excluded, criteria.unread) == (
        included,
        excluded,
        unread,
    )
    if excluded:
        assert sentence in criteria.clauses["cae_excluded"].quote


def test_an_exclusion_with_an_exception_of_a_bare_code_is_not_used() -> None:
    criteria = parse_notice(
        "4. Atividades excluídas\nExcluem-se as CAE 01, 02 e 03, exceto a 0322.\n"
    )
    assert criteria.cae_excluded is None and criteria.unread == ["cae_excluded"]


def test_criteria_stored_before_carve_outs_are_read_back() -> None:
    doc = Criteria(source="notice", regions=["centro"]).to_doc()
    del doc["subregions_excluded"], doc["municipalities_excluded"]
    old = Criteria.from_doc(doc)
    assert old.regions == ["centro"] and not old.has_carve_outs
    carved = Criteria(source="notice", regions=["centro"], municipalities_excluded=["Ourém"])
    assert Criteria.from_doc(carved.to_doc()) == carved


def test_what_follows_a_clause_does_not_change_what_the_clause_admits() -> None:
    sizes = parse_notice(
        "1. Beneficiários\nPodem candidatar-se microempresas e pequenas empresas do setor; as "
        "médias empresas e as grandes empresas não são admitidas.\n"
    )
    assert sizes.sizes == ["micro", "small"]
    codes = parse_notice(
        "1. Beneficiários\nSão beneficiárias as empresas com atividade principal na divisão 10 "
        "da CAE; as empresas em dificuldade não são elegíveis.\n"
    )
    assert (codes.cae_included, codes.cae_excluded) == (["10"], None)


def test_a_cae_exception_in_brackets_does_not_carve_the_places_after_it() -> None:
    criteria = parse_notice(
        "1. Beneficiários e localização\nSão elegíveis as empresas da restauração (CAE 56, "
        "excluindo a subclasse 56290) localizadas nos concelhos de Tavira e Olhão.\n"
    )
    assert (criteria.cae_included, criteria.cae_excluded) == (["56"], ["56290"])
    assert criteria.municipalities == ["Tavira", "Olhão"]
    assert criteria.municipalities_excluded is None


def test_an_exclusion_stated_alone_is_read_though_nothing_before_it_admits() -> None:
    criteria = parse_notice(
        "1. Beneficiários\nO apoio é concedido em regime de minimis às pequenas empresas da "
        "região, excluindo as que exercem a produção primária agrícola (CAE 01) e a pesca "
        "(CAE 03).\n"
    )
    assert (criteria.cae_included, criteria.cae_excluded) == (None, ["01", "03"])
    assert "cae_included" not in criteria.unread


def test_activities_stated_in_the_territory_or_conditions_section_are_read() -> None:
    territory = parse_notice(
        "4. Localização dos investimentos\nOs investimentos localizam-se na região Centro e "
        "enquadram-se na secção C da CAE (indústrias transformadoras).\n"
    )
    assert territory.regions == ["centro"]
    assert territory.cae_included == ["C"]
    conditions = parse_notice(
        "7. Condições\nDestinado a PME da região com atividade nas divisões 10 a 33 da CAE, "
        "excluindo a divisão 19.\n"
    )
    assert (conditions.cae_included, conditions.cae_excluded) == (["10-33"], ["19"])
    assert conditions.sizes == ["micro", "small", "medium"]


@pytest.mark.parametrize(
    ("who", "admitted", "turned_away"),
    [
        (
            "São beneficiárias as PME constituídas como sociedades comerciais. Não são "
            "elegíveis os empresários em nome individual nem as cooperativas.",
            ["company"],
            ["cooperative"],
        ),
        (
            "Podem candidatar-se as associações empresariais e os centros tecnológicos. Não "
            "podem ser beneficiárias as empresas nem as fundações.",
            ["association", "rd_entity"],
            ["company", "non_profit"],
        ),
        (
            "Podem candidatar-se os municípios. Excluem-se as IPSS e as entidades da "
            "administração central.",
            ["municipality"],
            ["central_admin", "ipss"],
        ),
        # conditions on some of a kind, and kinds the notice also admits, turn none away
        (
            "São beneficiárias as PME. Não são elegíveis as empresas em dificuldade nem as "
            "empresas que não tenham a situação regularizada.",
            ["company"],
            None,
        ),
        (
            "São beneficiárias as empresas, incluindo cooperativas (excluem-se as grandes "
            "empresas).",
            ["company", "cooperative"],
            None,
        ),
    ],
)
def test_kinds_a_notice_turns_away(
    who: str, admitted: list[str], turned_away: list[str] | None
) -> None:
    criteria = parse_notice(f"3. Beneficiários\n{who}\n")
    assert criteria.beneficiaries == admitted
    assert criteria.beneficiaries_excluded == turned_away


def test_an_annex_of_municipalities_is_the_territory_and_ends_at_the_next_annex() -> None:
    text = (
        "2. Âmbito territorial\nO Aviso aplica-se aos concelhos identificados no Anexo I.\n"
        "Anexo I - Concelhos abrangidos\nMunicípio NUTS III\nMação Médio Tejo\n"
        "Góis Região de Coimbra\nPampilhosa da Serra Região de Coimbra\n"
        "Anexo - Indicadores de resultado\nRCR01 Postos de trabalho 120\n"
        "Coimbra, 2 de março de 2027. O Presidente da Comissão Diretiva.\n"
    )
    criteria = parse_notice(text)
    assert criteria.municipalities == ["Mação", "Góis", "Pampilhosa da Serra"]
    assert (criteria.subregions, criteria.unread) == (None, [])


def test_an_annex_table_whose_codes_come_last() -> None:
    text = (
        "4. Condições de acesso\nNão são elegíveis as atividades do Anexo III.\n"
        "Anexo III - Atividades excluídas (CAE Rev. 3)\nDescrição CAE\n"
        "Produção agrícola e pecuária, caça 01\nPesca e aquicultura 03\n"
        "Fabricação de coque, produtos petrolíferos refinados 19\n"
        "Jogos de fortuna e azar, lotarias 92, 9200\n"
        "Excluídas nos termos do artigo 13\n"
    )
    criteria = parse_notice(text)
    assert criteria.cae_excluded == ["01", "03", "19", "92", "9200"]
    assert criteria.cae_included is None


def test_an_annex_of_another_act_is_not_this_notices_annex() -> None:
    text = (
        "4. Atividades elegíveis\nExcluem-se as atividades previstas no Anexo I do "
        "Regulamento (UE) 651/2014.\n"
        "ANEXO I – Lista de CAE\n10 Indústrias alimentares\n11 Indústria das bebidas\n"
        "25 Fabricação de produtos metálicos\n"
    )
    criteria = parse_notice(text)
    assert criteria.cae_excluded is None  # the regulation's annex excludes, not this one
