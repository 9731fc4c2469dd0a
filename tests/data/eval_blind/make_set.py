"""Writes the blind evaluation set: calls.json, notices/, leads.csv, labels.csv, labels_metadata.csv.

Everything here is a specification: what each notice states (and how it words it), what the API
metadata says, and who the organisations are. The labels follow the rules of README.md in this
folder, applied by the functions below to those specifications; nothing of elinara is imported.

Run: .venv/bin/python tests/data/eval_blind/make_set.py
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).parent
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
EVALUATION_MOMENT = datetime(2027, 5, 12, 12, 0, 0)  # Lisbon wall-clock time
PDF_DATE = datetime(2027, 1, 4, 9, 0, 0)
AVISOS_PER_PAGE = 6

# --------------------------------------------------------------------------------------------
# Places: the part of elinara/data/municipalities.csv this set uses (checked by the test).
# --------------------------------------------------------------------------------------------

MUNICIPALITIES: dict[tuple[str, str], tuple[str, str]] = {
    ("Braga", "Guimarães"): ("Ave", "norte"),
    ("Braga", "Braga"): ("Cávado", "norte"),
    ("Braga", "Vila Verde"): ("Cávado", "norte"),
    ("Porto", "Paços de Ferreira"): ("Tâmega e Sousa", "norte"),
    ("Porto", "Matosinhos"): ("Área Metropolitana do Porto", "norte"),
    ("Porto", "Porto"): ("Área Metropolitana do Porto", "norte"),
    ("Aveiro", "Santa Maria da Feira"): ("Área Metropolitana do Porto", "norte"),
    ("Aveiro", "Águeda"): ("Região de Aveiro", "centro"),
    ("Coimbra", "Coimbra"): ("Região de Coimbra", "centro"),
    ("Évora", "Évora"): ("Alentejo Central", "alentejo"),
    ("Évora", "Borba"): ("Alentejo Central", "alentejo"),
    ("Évora", "Montemor-o-Novo"): ("Alentejo Central", "alentejo"),
    ("Faro", "Loulé"): ("Algarve", "algarve"),
    ("Faro", "Olhão"): ("Algarve", "algarve"),
    ("Faro", "Faro"): ("Algarve", "algarve"),
    ("Faro", "Portimão"): ("Algarve", "algarve"),
    ("Faro", "Alcoutim"): ("Algarve", "algarve"),
    ("Lisboa", "Lisboa"): ("Área Metropolitana de Lisboa", "lisboa"),
    ("Lisboa", "Oeiras"): ("Área Metropolitana de Lisboa", "lisboa"),
    ("Lisboa", "Torres Vedras"): ("Oeste", "centro"),
    ("Lisboa", "Azambuja"): ("Lezíria do Tejo", "alentejo"),
    ("Leiria", "Alcobaça"): ("Oeste", "centro"),
    ("Leiria", "Marinha Grande"): ("Região de Leiria", "centro"),
    ("Leiria", "Leiria"): ("Região de Leiria", "centro"),
    ("Setúbal", "Sines"): ("Alentejo Litoral", "alentejo"),
    ("Setúbal", "Setúbal"): ("Área Metropolitana de Lisboa", "lisboa"),
    ("Castelo Branco", "Fundão"): ("Beiras e Serra da Estrela", "centro"),
    ("Castelo Branco", "Covilhã"): ("Beiras e Serra da Estrela", "centro"),
    ("Castelo Branco", "Sertã"): ("Médio Tejo", "centro"),
    ("Viseu", "Viseu"): ("Viseu Dão Lafões", "centro"),
    ("Viseu", "Lamego"): ("Douro", "norte"),
    ("Portalegre", "Ponte de Sor"): ("Alto Alentejo", "alentejo"),
    ("Portalegre", "Elvas"): ("Alto Alentejo", "alentejo"),
    ("Santarém", "Mação"): ("Médio Tejo", "centro"),
    ("Santarém", "Almeirim"): ("Lezíria do Tejo", "alentejo"),
    ("Santarém", "Santarém"): ("Lezíria do Tejo", "alentejo"),
    ("Santarém", "Coruche"): ("Lezíria do Tejo", "alentejo"),
    ("Santarém", "Tomar"): ("Médio Tejo", "centro"),
    ("Madeira", "Calheta"): ("Região Autónoma da Madeira", "madeira"),
    ("Madeira", "Funchal"): ("Região Autónoma da Madeira", "madeira"),
    ("Açores", "Calheta"): ("Região Autónoma dos Açores", "acores"),
    ("Açores", "Ponta Delgada"): ("Região Autónoma dos Açores", "acores"),
    ("Bragança", "Mirandela"): ("Terras de Trás-os-Montes", "norte"),
    ("Bragança", "Bragança"): ("Terras de Trás-os-Montes", "norte"),
    ("Vila Real", "Chaves"): ("Alto Tâmega", "norte"),
    ("Vila Real", "Vila Real"): ("Douro", "norte"),
    ("Viana do Castelo", "Ponte de Lima"): ("Alto Minho", "norte"),
    ("Viana do Castelo", "Viana do Castelo"): ("Alto Minho", "norte"),
    ("Viana do Castelo", "Valença"): ("Alto Minho", "norte"),
    ("Guarda", "Seia"): ("Beiras e Serra da Estrela", "centro"),
    ("Beja", "Beja"): ("Baixo Alentejo", "alentejo"),
    ("Beja", "Mértola"): ("Baixo Alentejo", "alentejo"),
}

# The NUTS II regions of every municipality of a district (for organisations with a district and
# no municipality). Checked by the test against the map.
DISTRICT_REGIONS: dict[str, frozenset[str]] = {
    "Porto": frozenset({"norte"}),
    "Santarém": frozenset({"centro", "alentejo"}),
}

MAINLAND = ("norte", "centro", "lisboa", "alentejo", "algarve")
LESS_DEVELOPED = ("norte", "centro", "alentejo")

# --------------------------------------------------------------------------------------------
# Programmes (as the API writes them) and the territory each covers by default.
# --------------------------------------------------------------------------------------------

PROGRAMMES: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "NORTE": (201, "NORTE 2030 - Programa Regional do Norte 2021-2027", ("norte",)),
    "CENTRO": (202, "CENTRO 2030 - Programa Regional do Centro 2021-2027", ("centro",)),
    "LISBOA": (203, "LISBOA 2030 - Programa Regional de Lisboa 2021-2027", ("lisboa",)),
    "ALENTEJO": (204, "ALENTEJO 2030 - Programa Regional do Alentejo 2021-2027", ("alentejo",)),
    "ALGARVE": (205, "ALGARVE 2030 - Programa Regional do Algarve 2021-2027", ("algarve",)),
    "ACORES": (206, "AÇORES 2030 - Programa Regional dos Açores 2021-2027", ("acores",)),
    "MADEIRA": (207, "MADEIRA 2030 - Programa Regional da Madeira 2021-2027", ("madeira",)),
    "COMPETE": (
        110,
        "COMPETE 2030 - Programa Temático Inovação e Transição Digital",
        LESS_DEVELOPED,
    ),
    "PESSOAS": (
        120,
        "PESSOAS 2030 - Programa Temático Demografia, Qualificações e Inclusão",
        LESS_DEVELOPED,
    ),
    "SUSTENTAVEL": (
        130,
        "SUSTENTÁVEL 2030 - Programa Temático Ação Climática e Sustentabilidade",
        MAINLAND,
    ),
    "MAR": (140, "MAR 2030 - Programa Mar 2021-2027", ("country",)),
}

# --------------------------------------------------------------------------------------------
# Kinds of organisation and sectors (README: "Who is who").
# --------------------------------------------------------------------------------------------

COMPANY = frozenset({"sociedade", "eni", "cooperativa"})
SOCIEDADE = frozenset({"sociedade"})
LEGAL_FORM = re.compile(
    r"(,?\s(lda\.?|s\.\s?a\.|sa|unipessoal(,)?\slda\.?|sgps(,)?\ss\.\s?a\.))$", re.IGNORECASE
)
NON_BUSINESS_DIVISIONS = ("84", "85", "87", "88", "94", "99")

# sector tag -> CAE Rev. 3 prefixes
SECTORS: dict[str, tuple[str, ...]] = {
    "aquicultura": ("032",),
    "pesca": ("031",),
    "transformacao_pescado": ("1020",),
    "industria": tuple(f"{d:02d}" for d in range(5, 34)),
    "turismo": ("55", "56", "79", "93293"),
    "comercio_retalho": ("47",),
    "idosos": ("87301", "88101"),
    "cultura": ("90", "91"),
}


def kinds_of(name: str, cae: str) -> frozenset[str]:
    """The kind(s) of an organisation, from its name and CAE (README, "Who is who")."""
    n = name.lower()
    if n.startswith(("município", "câmara municipal")):
        return frozenset({"municipio"})
    if "comunidade intermunicipal" in n:
        return frozenset({"cim"})
    if "agrupamento de escolas" in n:
        return frozenset({"escola"})
    if n.startswith("universidade") or "instituto politécnico" in n:
        return frozenset({"ensino_superior"})
    if re.search(r",\s?i\.\s?p\.$", n) or n.startswith("direção-geral"):
        return frozenset({"admin_central"})
    if any(
        w in n for w in ("laboratório colaborativo", "centro tecnológico", "centro de investigação")
    ):
        return frozenset({"centro_id"})
    if any(w in n for w in ("misericórdia", "centro social", "solidariedade social")):
        return frozenset({"ipss"})
    if n.startswith("fundação"):
        return frozenset({"fundacao"})
    if "cooperativa" in n or re.search(r"\bc\.?r\.?l\.?$", n):
        return frozenset({"cooperativa"})
    if "associação" in n or n.startswith("clube"):
        if any(w in n for w in ("empresarial", "comercial", "industrial")) or cae in (
            "94110",
            "94120",
        ):
            return frozenset({"assoc_empresarial"})
        return frozenset({"associacao"})
    trainer = {"entidade_formadora"} if cae == "85591" else set()
    if LEGAL_FORM.search(name):
        return frozenset({"sociedade", *trainer})
    if cae and not cae.startswith(NON_BUSINESS_DIVISIONS):
        return frozenset({"eni"})
    return frozenset({"desconhecido"})


def sectors_of(cae: str) -> frozenset[str]:
    if not cae:
        return frozenset()
    return frozenset(tag for tag, prefixes in SECTORS.items() if cae.startswith(prefixes))


# --------------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    name: str
    cae: str
    district: str
    municipality: str
    size: str  # Micro / Pequena / Média / Grande / ""
    activity: str
    kind: str  # what the author meant; kinds_of(name, cae) must agree (checked in main)
    nif: str = ""


def _nif(first: str, n: int) -> str:
    body = f"{first}{(n * 7919 + 1234567) % 10_000_000:07d}"
    total = sum(int(d) * (9 - i) for i, d in enumerate(body))
    rest = total % 11
    return body + str(0 if rest < 2 else 11 - rest)


_ORGS = [
    Org("Metalúrgica Vale do Ave, Lda", "25110", "Braga", "Guimarães", "Média", "Fabrico de estruturas metálicas para a construção", "sociedade"),
    Org("Têxteis Sousa & Filhos, S.A.", "14131", "Porto", "Paços de Ferreira", "Grande", "Confeção de vestuário exterior em série", "sociedade"),
    Org("Softcentro Sistemas de Informação, Lda", "62010", "Coimbra", "Coimbra", "Pequena", "Desenvolvimento de software de gestão", "sociedade"),
    Org("Quinta do Montado - Turismo Rural, Lda", "55202", "Évora", "Évora", "Micro", "Turismo no espaço rural e enoturismo", "sociedade"),
    Org("Restaurante O Lagar, Unipessoal Lda", "56101", "Faro", "Loulé", "Micro", "Restauração tradicional", "sociedade"),
    Org("Lisbon Digital Labs, S.A.", "62020", "Lisboa", "Lisboa", "Média", "Consultoria em tecnologias de informação", "sociedade"),
    Org("Cerâmicas de Alcobaça, S.A.", "23413", "Leiria", "Alcobaça", "Grande", "Fabrico de artigos de cerâmica utilitária", "sociedade"),
    Org("Conservas do Atlântico, Lda", "10201", "Setúbal", "Sines", "Média", "Conservas de peixe", "sociedade"),
    Org("Aquicultura Ria Formosa, Lda", "03210", "Faro", "Olhão", "Micro", "Produção de amêijoa e ostra em viveiro", "sociedade"),
    Org("Pescas de Matosinhos, Lda", "03111", "Porto", "Matosinhos", "Pequena", "Pesca do cerco", "sociedade"),
    Org("Adega Cooperativa de Borba, C.R.L.", "11021", "Évora", "Borba", "Média", "Produção de vinhos DOC Alentejo", "cooperativa"),
    Org("Cooperativa Agrícola do Fundão, CRL", "01240", "Castelo Branco", "Fundão", "Pequena", "Produção e comercialização de cereja", "cooperativa"),
    Org("Associação Empresarial da Região de Viseu", "94110", "Viseu", "Viseu", "", "Representação e apoio às empresas da região", "assoc_empresarial"),
    Org("AIMinho - Associação Industrial do Minho", "94110", "Braga", "Braga", "", "Associação industrial", "assoc_empresarial"),
    Org("Associação Cultural Teatro do Sul", "90010", "Faro", "Faro", "", "Produção e programação teatral", "associacao"),
    Org("Santa Casa da Misericórdia de Ponte de Sor", "87301", "Portalegre", "Ponte de Sor", "", "Estrutura residencial para pessoas idosas e centro de dia", "ipss"),
    Org("Centro Social e Paroquial de São Pedro de Vila Verde", "88101", "Braga", "Vila Verde", "", "Serviço de apoio domiciliário a idosos", "ipss"),
    Org("Associação de Solidariedade Social de Tomar", "88910", "Santarém", "Tomar", "", "Creche e jardim de infância", "ipss"),
    Org("Fundação Cidade de Lamego", "91030", "Viseu", "Lamego", "", "Gestão de património e programação cultural", "fundacao"),
    Org("Município de Mação", "84113", "Santarém", "Mação", "", "Administração local", "municipio"),
    Org("Município de Almeirim", "84113", "Santarém", "Almeirim", "", "Administração local", "municipio"),
    Org("Município da Calheta", "84113", "Açores", "Calheta", "", "Administração local", "municipio"),
    Org("Município de Alcoutim", "84113", "Faro", "Alcoutim", "", "Administração local", "municipio"),
    Org("Câmara Municipal de Elvas", "84113", "Portalegre", "Elvas", "", "Administração local", "municipio"),
    Org("Comunidade Intermunicipal do Alto Minho", "84113", "Viana do Castelo", "Viana do Castelo", "", "Gestão intermunicipal", "cim"),
    Org("Instituto do Emprego e Formação Profissional, I. P.", "84130", "Lisboa", "Lisboa", "", "Serviço público de emprego", "admin_central"),
    Org("Direção-Geral do Território", "84120", "Lisboa", "Lisboa", "", "Ordenamento do território e cartografia", "admin_central"),
    Org("Agrupamento de Escolas de Mirandela", "85310", "Bragança", "Mirandela", "", "Ensino básico e secundário", "escola"),
    Org("Agrupamento de Escolas D. Dinis, Leiria", "85310", "Leiria", "Leiria", "", "Ensino básico e secundário", "escola"),
    Org("Universidade de Évora", "85420", "Évora", "Évora", "", "Ensino superior e investigação", "ensino_superior"),
    Org("Universidade de Lisboa", "85420", "Lisboa", "Lisboa", "", "Ensino superior e investigação", "ensino_superior"),
    Org("CIMAT - Centro de Investigação em Materiais", "72190", "Porto", "Porto", "", "Investigação em materiais avançados", "centro_id"),
    Org("AzulLab - Laboratório Colaborativo do Mar", "72190", "Setúbal", "Setúbal", "", "Investigação em bioeconomia azul", "centro_id"),
    Org("Centro Tecnológico da Cerâmica e do Vidro", "72190", "Coimbra", "Coimbra", "", "Apoio técnico e ensaios à indústria cerâmica", "centro_id"),
    Org("Centro de Formação Profissional do Sul, Lda", "85591", "Faro", "Faro", "Pequena", "Formação profissional certificada", "sociedade"),
    Org("FormaTejo - Formação e Consultoria, Lda", "85591", "Santarém", "Santarém", "Micro", "Formação profissional certificada", "sociedade"),
    Org("Hotel Serra da Estrela, S.A.", "55111", "Guarda", "Seia", "Média", "Hotelaria", "sociedade"),
    Org("Construções Alto Minho, Lda", "41200", "Viana do Castelo", "Ponte de Lima", "Pequena", "Construção de edifícios", "sociedade"),
    Org("Farmácia Central de Chaves, Lda", "47730", "Vila Real", "Chaves", "Micro", "Farmácia", "sociedade"),
    Org("Supermercados do Oeste, S.A.", "47111", "Lisboa", "Torres Vedras", "Grande", "Comércio a retalho alimentar", "sociedade"),
    Org("Logística Azambuja, S.A.", "52102", "Lisboa", "Azambuja", "Média", "Armazenagem e logística", "sociedade"),
    Org("Moldes da Marinha Grande, Lda", "25734", "Leiria", "Marinha Grande", "Média", "Fabrico de moldes metálicos", "sociedade"),
    Org("Cortiças de Coruche, Lda", "16294", "Santarém", "Coruche", "Pequena", "Preparação e transformação de cortiça", "sociedade"),
    Org("Agro-Pecuária de Montemor, Lda", "01410", "Évora", "Montemor-o-Novo", "Micro", "Criação de bovinos para leite", "sociedade"),
    Org("Energia Solar do Alentejo, S.A.", "35113", "Beja", "Beja", "Grande", "Produção de eletricidade fotovoltaica", "sociedade"),
    Org("Azores Tech, Lda", "62010", "Açores", "Ponta Delgada", "Pequena", "Desenvolvimento de software", "sociedade"),
    Org("Madeira Wine Bottlers, Lda", "11021", "Madeira", "Funchal", "Média", "Engarrafamento de vinho Madeira", "sociedade"),
    Org("Calheta Surf Hostel, Lda", "55204", "Madeira", "Calheta", "Micro", "Alojamento local e escola de surf", "sociedade"),
    Org("Consultoria Silva & Costa, Lda", "70220", "Porto", "", "Micro", "Consultoria de gestão", "sociedade"),
    Org("Engenharia Tejo, Lda", "71120", "Santarém", "", "Pequena", "Projetos de engenharia", "sociedade"),
    Org("Gráfica Moderna, Lda", "18120", "", "", "Pequena", "Impressão", "sociedade"),
    Org("Nova Ideia - Soluções Criativas, Lda", "", "Lisboa", "Oeiras", "Micro", "Design e comunicação", "sociedade"),
    Org("Sapataria Fina, Lda", "15201", "Aveiro", "Santa Maria da Feira", "", "Fabrico de calçado", "sociedade"),
    Org("Grupo Industrial Vouga, SGPS, S.A.", "64202", "Aveiro", "Águeda", "Grande", "Gestão de participações sociais", "sociedade"),
    Org("Clube Desportivo de Portimão", "93120", "Faro", "Portimão", "", "Clube desportivo", "associacao"),
    Org("Associação de Desenvolvimento Local Terras do Guadiana", "94991", "Beja", "Mértola", "", "Desenvolvimento local", "associacao"),
    Org("João Manuel Pereira", "43320", "Vila Real", "Vila Real", "Micro", "Carpintaria e caixilharia", "eni"),
    Org("Serração do Pinhal Interior, Lda", "16101", "Castelo Branco", "Sertã", "Pequena", "Serração de madeira", "sociedade"),
    Org("Casa do Povo de Valença", "", "Viana do Castelo", "Valença", "", "Atividades recreativas", "desconhecido"),
]  # fmt: skip

ORGS: list[Org] = [
    Org(**{**o.__dict__, "nif": _nif("6" if o.kind in ("municipio", "cim", "admin_central", "escola", "ensino_superior") else "5", i + 1)})
    for i, o in enumerate(_ORGS)
]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Calls
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What a reading of a call establishes (README, "The rules")."""

    territory: tuple[str, tuple[str, ...]]  # ("regions"|"nuts3"|"municipalities"|"country", ...)
    kinds: frozenset[str]
    size: str = ""  # "" | "pme" | "grande" | "micro_pequena"
    cae_in: tuple[str, ...] = ()
    cae_out: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    programme: str
    priority: str
    objective: str
    typology: str
    fund: str
    budget: int


@dataclass(frozen=True)
class Call:
    gid: int
    code: str
    title_pt: str
    title_en: str
    classification: str
    entries: tuple[Entry, ...]
    published: str
    start: str
    end: str
    end_now: str
    notice: Rules  # what the notice states
    meta: Rules  # what the API metadata alone tells
    sections: tuple[tuple[str, str], ...]  # the notice's own sections (criteria in words)
    annex: tuple[tuple[str, ...], ...] = ()  # a table at the end (first row = header)
    pdf: str = "ok"  # "ok" | "missing" | "corrupt"
    layout: int = 0  # where the own sections go among the standard ones
    extra: dict[str, str] = field(default_factory=dict)


def regions(*names: str) -> tuple[str, tuple[str, ...]]:
    return ("regions", tuple(names))


COUNTRY: tuple[str, tuple[str, ...]] = ("country", ())
P1 = "Uma Europa mais competitiva e mais inteligente"
P2 = "Uma Europa mais verde"
P4 = "Uma Europa mais social"
RSO11 = "RSO1.1. Desenvolver e reforçar as capacidades de investigação e inovação e a adoção de tecnologias avançadas"
RSO12 = "RSO1.2. Aproveitar as vantagens da digitalização para os cidadãos, as empresas, os organismos de investigação e as autoridades públicas"
RSO13 = "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME e a criação de emprego nas PME"
RSO14 = "RSO1.4. Desenvolver competências para a especialização inteligente, a transição industrial e o empreendedorismo"
RSO21 = (
    "RSO2.1. Promover a eficiência energética e reduzir as emissões de gases com efeito de estufa"
)
RSO46 = "RSO4.6. Reforçar o papel da cultura e do turismo sustentável no desenvolvimento económico, na inclusão social e na inovação social"
RSO42 = "RSO4.2. Melhorar a igualdade de acesso a serviços inclusivos e de qualidade no domínio da educação"
ESO44 = "ESO4.4. Promover a adaptação dos trabalhadores, das empresas e dos empresários à mudança"
ESO47 = "ESO4.7. Promover a aprendizagem ao longo da vida"
ESO411 = "ESO4.11. Melhorar a igualdade de acesso em tempo útil a serviços de qualidade, sustentáveis e a preços comportáveis"
ESO45 = "ESO4.5. Melhorar a qualidade, a inclusividade, a eficácia e a relevância para o mercado de trabalho dos sistemas de educação e formação"
FEAMPA = "1.2. Promover atividades aquícolas sustentáveis e a transformação e comercialização de produtos da pesca e da aquicultura"
GBER_OUT = (
    "01",
    "02",
    "03",
    "05",
    "06",
    "09",
    "12",
    "19",
    "2410",
    "301",
    "35",
    "64",
    "65",
    "66",
    "68",
    "92",
)
INDUSTRY_IN = tuple(f"{d:02d}" for d in range(10, 34) if d != 12)
INDUSTRY_SERVICES_IN = (*INDUSTRY_IN, "5821", "5829", "62", "631", "72")

CALLS: list[Call] = [
    Call(
        9101, "NORTE2030-2027-05", "SI Inovação Produtiva - PME", "SI Productive Innovation - SMEs", "Concurso",
        (Entry("NORTE", P1, RSO13, "Inovação Produtiva", "FEDER", 85_000_000),),
        "2027-01-20T10:00:00", "2027-02-01T00:00:00", "2027-06-30T17:59:59", "2027-06-30T17:59:59",
        notice=Rules(regions("norte"), COMPANY, "pme", INDUSTRY_SERVICES_IN),
        meta=Rules(regions("norte"), COMPANY, "pme"),
        sections=(
            ("Objetivos e prioridades", "O presente Aviso tem por objetivo apoiar investimentos empresariais inovadores de natureza produtiva, promovidos por empresas localizadas na região NUTS II Norte, que se traduzam na produção de novos bens e serviços ou em melhorias significativas da produção atual, nos termos da alínea a) do artigo 47.º do Regulamento Específico da área temática Competitividade e Internacionalização (RECI), aprovado pela Portaria n.º 103-A/2023, de 12 de abril."),
            ("Beneficiários", "São beneficiários do presente Aviso as empresas de qualquer natureza e sob qualquer forma jurídica que, à data da candidatura, detenham o estatuto de PME, nos termos da Recomendação 2003/361/CE da Comissão, de 6 de maio, comprovado através da Certificação Eletrónica PME do IAPMEI. As empresas que não detenham o estatuto de PME não podem candidatar-se ao presente Aviso, devendo, sendo o caso, apresentar candidatura ao aviso dirigido a não PME."),
            ("Atividades económicas elegíveis", "São elegíveis os projetos enquadrados nas atividades económicas constantes do Anexo A ao presente Aviso, identificadas de acordo com a Classificação Portuguesa de Atividades Económicas, Revisão 3 (CAE Rev. 3), aprovada pelo Decreto-Lei n.º 381/2007, de 14 de novembro. A CAE relevante é a do estabelecimento onde se realiza o investimento, que deve constar da certidão permanente ou do registo no Portal das Finanças à data da candidatura."),
        ),
        annex=(("Anexo A - Atividades elegíveis (CAE Rev. 3)", "Designação"),
               ("Divisões 10 a 33, com exceção da divisão 12", "Indústrias transformadoras (exceto indústria do tabaco)"),
               ("5821 e 5829", "Edição de software"),
               ("62", "Consultoria e programação informática e atividades relacionadas"),
               ("631", "Atividades de processamento de dados, domiciliação de informação e atividades relacionadas; portais Web"),
               ("72", "Atividades de investigação científica e de desenvolvimento")),
        layout=0,
    ),
    Call(
        9102, "CENTRO2030-2027-11", "Inovação Produtiva - Não PME", "Productive Innovation - Non-SMEs", "Concurso",
        (Entry("CENTRO", P1, RSO13, "Inovação Produtiva", "FEDER", 40_000_000),),
        "2027-02-15T10:00:00", "2027-03-01T00:00:00", "2027-06-15T17:59:59", "2027-06-15T17:59:59",
        notice=Rules(regions("centro"), COMPANY, "grande", INDUSTRY_IN, ("19", "2410")),
        meta=Rules(regions("centro"), COMPANY, "grande"),
        sections=(
            ("Âmbito e natureza dos beneficiários", "Podem apresentar candidatura as empresas que não se enquadrem na definição de micro, pequena e média empresa constante do Anexo I do Regulamento (UE) n.º 651/2014 da Comissão, de 17 de junho (RGIC), adiante designadas por não PME, bem como as small mid caps, quando o projeto se desenvolva integralmente na região Centro. As PME estão excluídas do presente concurso, sem prejuízo da sua participação como fornecedoras de bens e serviços aos projetos apoiados, situação em que não assumem a qualidade de beneficiárias."),
            ("Localização e tipologia de investimento", "Os projetos devem localizar-se em território da NUTS II Centro, na delimitação aplicável ao período de programação (NUTS 2013), e inserir-se nas indústrias transformadoras (secção C da CAE Rev. 3), excluindo as divisões 12 e 19 e a subclasse 24100 (siderurgia), setores expressamente afastados pelo artigo 13.º do RGIC. Considera-se que a atividade do projeto é a atividade principal do estabelecimento beneficiário."),
        ),
        layout=2,
    ),
    Call(
        9103, "COMPETE2030-2027-08", "SICE - Internacionalização das PME", "SICE - SME Internationalisation", "Concurso",
        (Entry("COMPETE", P1, RSO13, "Internacionalização das PME", "FEDER", 50_000_000),
         Entry("LISBOA", P1, RSO13, "Internacionalização das PME", "FEDER", 8_000_000),
         Entry("ALGARVE", P1, RSO13, "Internacionalização das PME", "FEDER", 4_000_000)),
        "2027-01-10T10:00:00", "2027-01-15T00:00:00", "2027-04-28T17:59:59", "2027-05-31T17:59:59",
        notice=Rules(regions(*MAINLAND), COMPANY, "pme", (), GBER_OUT),
        meta=Rules(regions(*MAINLAND), COMPANY, "pme"),
        sections=(
            ("Prorrogação", "Por despacho da Comissão Diretiva de 20 de abril de 2027, o prazo de submissão de candidaturas foi prorrogado até às 17h59m59s de 31 de maio de 2027."),
            ("Condições de acesso", "O presente concurso é dirigido a PME, incluindo as que adotem a forma de cooperativa, com estabelecimento nas regiões Norte, Centro, Alentejo, Lisboa e Algarve, financiadas respetivamente pelo COMPETE 2030 e pelos Programas Regionais de Lisboa e do Algarve. Não são elegíveis, nos termos do n.º 3 do artigo 1.º do RGIC e do Anexo B, as empresas cuja atividade principal se enquadre na produção agrícola primária, silvicultura, pesca e aquicultura (divisões 01 a 03), nas indústrias extrativas do carvão e do petróleo (divisões 05, 06 e 09), tabaco (12), coque e produtos petrolíferos (19), siderurgia (24100), construção naval (301), eletricidade, gás e vapor (35), atividades financeiras e de seguros (64 a 66), imobiliárias (68) e lotarias e apostas (92)."),
        ),
        layout=1,
    ),
    Call(
        9104, "COMPETE2030-2027-02", "SI Qualificação das PME", "SI SME Qualification", "Concurso",
        (Entry("COMPETE", P1, RSO13, "Qualificação das PME", "FEDER", 30_000_000),),
        "2026-11-30T10:00:00", "2026-12-01T00:00:00", "2027-03-31T17:59:59", "2027-03-31T17:59:59",
        notice=Rules(regions(*LESS_DEVELOPED), COMPANY, "pme", (), GBER_OUT),
        meta=Rules(regions(*LESS_DEVELOPED), COMPANY, "pme"),
        sections=(
            ("Beneficiários e área geográfica", "São beneficiárias as PME de qualquer natureza e forma jurídica, com projetos localizados nas regiões menos desenvolvidas do Continente (Norte, Centro e Alentejo), excluindo as atividades previstas no n.º 3 do artigo 1.º do RGIC, a saber: produção agrícola primária, silvicultura, pesca e aquicultura, indústrias extrativas do carvão e do petróleo, tabaco, coque e produtos petrolíferos refinados, siderurgia, construção naval, produção e distribuição de eletricidade e gás, atividades financeiras e de seguros, imobiliárias e jogos de fortuna ou azar (CAE 01 a 03, 05, 06, 09, 12, 19, 24100, 301, 35, 64 a 66, 68 e 92)."),
        ),
        layout=3,
    ),
    Call(
        9105, "COMPETE2030-2027-15", "SIAC - Qualificação e Internacionalização (ações coletivas)", "SIAC - Collective actions", "Concurso",
        (Entry("COMPETE", P1, RSO13, "Ações coletivas", "FEDER", 12_000_000),),
        "2027-03-01T10:00:00", "2027-03-10T00:00:00", "2027-07-20T17:59:59", "2027-07-20T17:59:59",
        notice=Rules(regions(*LESS_DEVELOPED), frozenset({"assoc_empresarial", "centro_id"})),
        meta=Rules(regions(*LESS_DEVELOPED), frozenset({"assoc_empresarial", "associacao", "centro_id", "fundacao", "ipss"})),
        sections=(
            ("Natureza das operações", "As ações coletivas visam a criação ou melhoria das condições envolventes com particular relevo para as associadas a fatores imateriais de competitividade de natureza coletiva, que se materializem na disponibilização de bens coletivos ou públicos capazes de induzir efeitos de arrastamento na economia. As operações não podem traduzir-se em benefício direto de uma empresa ou de um grupo restrito de empresas, e os seus resultados devem ser objeto de ampla divulgação."),
            ("Beneficiários", "Nos termos do artigo 58.º do RECI, podem ser beneficiárias do presente Aviso as associações empresariais e as entidades privadas sem fins lucrativos de natureza associativa que tenham por objeto a representação de empresas, bem como os centros tecnológicos, os laboratórios colaborativos reconhecidos e os centros de investigação de natureza privada sem fins lucrativos. Não são elegíveis as empresas, as entidades da administração pública central e local, as fundações e as associações cujo objeto não seja a representação ou o apoio técnico às empresas, designadamente de natureza cultural, desportiva ou social. As operações localizam-se nas regiões Norte, Centro e Alentejo."),
        ),
        layout=1,
    ),
    Call(
        9106, "COMPETE2030-2027-21", "SAICT - Projetos de I&D em Copromoção", "SAICT - Co-promoted R&D projects", "Concurso",
        (Entry("COMPETE", P1, RSO11, "Investigação e Desenvolvimento Tecnológico", "FEDER", 45_000_000),),
        "2027-04-20T10:00:00", "2027-06-15T00:00:00", "2027-09-30T17:59:59", "2027-09-30T17:59:59",
        notice=Rules(regions(*LESS_DEVELOPED), frozenset({*COMPANY, "ensino_superior", "centro_id"})),
        meta=Rules(regions(*LESS_DEVELOPED), frozenset({*COMPANY, "ensino_superior", "centro_id"})),
        sections=(
            ("Beneficiários", "São beneficiários as empresas de qualquer dimensão, em copromoção com entidades não empresariais do sistema de I&I, designadamente instituições de ensino superior, centros de investigação e laboratórios colaborativos, sendo o consórcio liderado por uma empresa. As candidaturas são submetidas entre 15 de junho e 30 de setembro de 2027."),
        ),
        layout=2,
    ),
    Call(
        9107, "PESSOAS2030-2027-04", "Cursos de Educação e Formação de Adultos", "Adult Education and Training Courses", "Concurso",
        (Entry("PESSOAS", P4, ESO47, "Cursos de Educação e Formação de Adultos", "FSE+", 25_000_000),),
        "2027-02-01T10:00:00", "2027-02-15T00:00:00", "2027-06-30T23:59:59", "2027-06-30T23:59:59",
        notice=Rules(regions(*LESS_DEVELOPED), frozenset({"entidade_formadora", "escola"})),
        meta=Rules(regions(*LESS_DEVELOPED), frozenset({"entidade_formadora", "escola"})),
        sections=(
            ("Entidades beneficiárias", "Podem candidatar-se as entidades formadoras certificadas pela DGERT nos termos da Portaria n.º 851/2010, de 6 de setembro, na sua redação atual, cuja certificação abranja as áreas de educação e formação das ações a desenvolver, e os estabelecimentos de ensino públicos (agrupamentos de escolas e escolas não agrupadas) integrados na rede de oferta de educação e formação de adultos. A formação decorre nas regiões Norte, Centro e Alentejo, sendo a elegibilidade territorial aferida pelo local da sede ou estabelecimento da entidade formadora. Os serviços da administração central, incluindo o serviço público de emprego, estão excluídos por disporem de financiamento próprio."),
        ),
        layout=3,
    ),
    Call(
        9108, "PESSOAS2030-2027-09", "Formação-Ação para PME", "Training-Action for SMEs", "Concurso",
        (Entry("PESSOAS", P4, ESO44, "Formação-Ação para PME", "FSE+", 18_000_000),),
        "2027-03-15T10:00:00", "2027-04-01T00:00:00", "2027-08-31T17:59:59", "2027-08-31T17:59:59",
        notice=Rules(regions(*LESS_DEVELOPED), frozenset({"assoc_empresarial"})),
        meta=Rules(regions(*LESS_DEVELOPED), COMPANY, "pme"),
        sections=(
            ("Modelo de intervenção", "A modalidade de Formação-Ação assenta na conjugação de formação em sala com consultoria formativa no posto de trabalho, dirigida a micro, pequenas e médias empresas. As PME participantes são destinatárias da intervenção e não assumem a qualidade de beneficiárias, não lhes sendo exigida a apresentação de candidatura; a sua participação é formalizada por contrato com a entidade beneficiária, até ao limite de 20 empresas por operação e com um volume de formação por empresa entre 40 e 250 horas."),
            ("Beneficiários", "São beneficiárias as entidades intermédias, entendidas como associações empresariais, confederações e associações setoriais que representem empresas, com sede nas regiões Norte, Centro ou Alentejo, que demonstrem experiência na organização de intervenções de formação-ação. Não podem ser beneficiárias as empresas, ainda que PME, nem as entidades formadoras que não revistam natureza associativa empresarial."),
        ),
        layout=0,
    ),
    Call(
        9109, "LISBOA2030-2027-03", "Transição Digital das PME", "Digital Transition of SMEs", "Concurso",
        (Entry("LISBOA", P1, RSO12, "Transição Digital das PME", "FEDER", 15_000_000),),
        "2027-02-20T10:00:00", "2027-03-01T00:00:00", "2027-06-01T17:59:59", "2027-06-01T17:59:59",
        notice=Rules(regions("lisboa"), COMPANY, "pme", (), GBER_OUT),
        meta=Rules(regions("lisboa"), COMPANY, "pme"),
        sections=(
            ("Condições de elegibilidade dos beneficiários", "Para além das condições previstas no artigo 13.º do Decreto-Lei n.º 20-A/2023, de 22 de março, os beneficiários devem, à data da candidatura, ser PME certificadas, ter estabelecimento na região de Lisboa (NUTS II Grande Lisboa e Península de Setúbal correspondente à Área Metropolitana de Lisboa na delimitação NUTS 2013) e desenvolver atividade não excluída pelo RGIC. Estão excluídas as atividades enumeradas no Anexo II (setores excluídos), aferidas pela CAE Rev. 3 principal da empresa, sendo as candidaturas cuja CAE não seja demonstrável liminarmente recusadas."),
        ),
        annex=(("Anexo II - Setores excluídos", "CAE Rev. 3"),
               ("Produção agrícola primária, silvicultura, pesca e aquicultura", "01, 02, 03"),
               ("Indústrias extrativas de carvão, petróleo e gás", "05, 06, 09"),
               ("Tabaco; coque e produtos petrolíferos refinados", "12, 19"),
               ("Siderurgia; construção naval", "24100; 301"),
               ("Eletricidade, gás, vapor", "35"),
               ("Atividades financeiras e de seguros; imobiliárias", "64, 65, 66; 68"),
               ("Lotarias e outros jogos de aposta", "92")),
        layout=2,
    ),
    Call(
        9110, "ALGARVE2030-2027-07", "Qualificação da Oferta Turística", "Qualifying the Tourism Offer", "Concurso",
        (Entry("ALGARVE", P4, RSO46, "Turismo sustentável", "FEDER", 9_000_000),),
        "2027-03-20T10:00:00", "2027-04-01T00:00:00", "2027-07-15T17:59:59", "2027-07-15T17:59:59",
        notice=Rules(regions("algarve"), COMPANY, "pme", ("55", "56", "79", "93293"), ("56301",)),
        meta=Rules(regions("algarve"), COMPANY, "", (), (), ("turismo",)),
        sections=(
            ("Objeto", "O presente Aviso apoia a qualificação e diferenciação da oferta turística regional, em particular em períodos de época baixa, através de investimentos em empreendimentos turísticos, estabelecimentos de restauração, agências de viagens e animação turística, em articulação com a Estratégia Regional de Turismo do Algarve 2030."),
            ("Quem pode candidatar-se", "Podem candidatar-se as PME, de acordo com a definição da Recomendação 2003/361/CE, cuja atividade do projeto se enquadre nas seguintes CAE Rev. 3: alojamento (divisão 55), restauração e similares (divisão 56, com exceção da subclasse 56301 - cafés), agências de viagem, operadores turísticos e outros serviços de reservas (divisão 79) e outras atividades de diversão e recreativas n.e. (subclasse 93293, limitada a empresas de animação turística registadas no RNAAT). As entidades sem fins lucrativos e as entidades públicas não são beneficiárias deste Aviso."),
        ),
        layout=1,
    ),
    Call(
        9111, "ALENTEJO2030-2027-12", "Turismo - Valorização de Recursos Endógenos", "Tourism - Endogenous Resources", "Concurso",
        (Entry("ALENTEJO", P4, RSO46, "Turismo sustentável", "FEDER", 7_500_000),),
        "2027-03-01T10:00:00", "2027-03-15T00:00:00", "2027-07-31T17:59:59", "2027-07-31T17:59:59",
        notice=Rules(("nuts3", ("Alentejo Central", "Alto Alentejo", "Baixo Alentejo")), COMPANY, "micro_pequena", ("55", "56")),
        meta=Rules(regions("alentejo"), COMPANY, "", (), (), ("turismo",)),
        sections=(
            ("Território e beneficiários", "Atendendo à concentração da procura no litoral e na Lezíria, o presente Aviso é dirigido exclusivamente a operações localizadas nas sub-regiões NUTS III Alentejo Central, Alto Alentejo e Baixo Alentejo, ficando excluídas as operações nas NUTS III Alentejo Litoral e Lezíria do Tejo, que dispõem de aviso próprio. São beneficiárias as micro e pequenas empresas, tal como definidas no Anexo I do RGIC, com atividade nas divisões 55 (alojamento) e 56 (restauração e similares) da CAE Rev. 3; as médias empresas e as não PME não são elegíveis."),
        ),
        layout=2,
    ),
    Call(
        9112, "CENTRO2030-2027-19", "Equipamentos Sociais - Respostas de Proximidade", "Social Facilities - Local Services", "Convite",
        (Entry("CENTRO", P4, ESO411, "Infraestruturas sociais", "FEDER", 6_000_000),),
        "2027-04-01T10:00:00", "2027-04-05T00:00:00", "2027-06-30T17:59:59", "2027-06-30T17:59:59",
        notice=Rules(regions("centro"), frozenset({"ipss"})),
        meta=Rules(regions("centro"), frozenset({"ipss", "municipio"})),
        sections=(
            ("Entidades convidadas", "São convidadas a apresentar candidatura as instituições particulares de solidariedade social e equiparadas, incluindo as Santas Casas da Misericórdia e os centros sociais e paroquiais, com acordo de cooperação celebrado com o Instituto da Segurança Social, I. P., para as respostas a ampliar ou requalificar, localizadas na região Centro. Os municípios, ainda que proprietários dos edifícios, e as entidades com fins lucrativos não são beneficiários, podendo os primeiros ceder os imóveis mediante contrato de comodato com duração mínima de 10 anos."),
        ),
        layout=3,
    ),
    Call(
        9113, "ALENTEJO2030-2027-14", "Eficiência Energética na Administração Local", "Energy Efficiency in Local Administration", "Concurso",
        (Entry("ALENTEJO", P2, RSO21, "Eficiência energética em edifícios públicos", "FEDER", 11_000_000),),
        "2027-01-25T10:00:00", "2027-02-01T00:00:00", "2027-05-12T17:59:59", "2027-05-12T17:59:59",
        notice=Rules(regions("alentejo"), frozenset({"municipio", "cim"})),
        meta=Rules(regions("alentejo"), frozenset({"municipio", "cim"})),
        sections=(
            ("Beneficiários", "Podem apresentar candidaturas os municípios e as comunidades intermunicipais cujo território se integre na NUTS II Alentejo, na delimitação NUTS 2013, que inclui a sub-região da Lezíria do Tejo, bem como as empresas locais por estes detidas a 100% quando proprietárias dos edifícios a intervencionar. Os edifícios devem possuir certificado energético emitido no âmbito do SCE, com classe energética igual ou inferior a C."),
        ),
        layout=0,
    ),
    Call(
        9114, "CENTRO2030-2027-22", "Requalificação de Escolas Básicas e Secundárias", "Upgrading Primary and Secondary Schools", "Concurso",
        (Entry("CENTRO", P4, RSO42, "Infraestruturas de educação", "FEDER", 20_000_000),),
        "2027-02-10T10:00:00", "2027-02-15T00:00:00", "2027-09-15T17:59:59", "2027-09-15T17:59:59",
        notice=Rules(regions("centro"), frozenset({"municipio", "cim"})),
        meta=Rules(regions("centro"), frozenset({"municipio", "cim", "escola"})),
        sections=(
            ("Beneficiários", "No quadro da descentralização de competências no domínio da educação operada pelo Decreto-Lei n.º 21/2019, de 30 de janeiro, são beneficiários os municípios da região Centro e as entidades intermunicipais, enquanto donos de obra dos edifícios escolares. Os agrupamentos de escolas e as escolas não agrupadas não são beneficiários, devendo emitir parecer sobre a operação, que integra a candidatura do município."),
        ),
        layout=1,
    ),
    Call(
        9115, "NORTE2030-2027-25", "Planos de Ação para o Sucesso Escolar", "School Success Action Plans", "Convite",
        (Entry("NORTE", P4, ESO45, "Combate ao insucesso e abandono escolar", "FSE+", 5_000_000),),
        "2027-02-01T00:00:00", "2027-02-01T00:00:00", "2027-05-30T23:59:59", "2027-05-30T23:59:59",
        notice=Rules(regions("norte"), frozenset({"escola"})),
        meta=Rules(regions("norte"), frozenset({"escola", "municipio", "cim"})),
        sections=(
            ("Destinatários do convite", "O presente convite é dirigido aos agrupamentos de escolas e escolas não agrupadas da rede pública do Ministério da Educação situados na região Norte, que apresentam candidatura individual com o respetivo plano de ação estratégica. Os municípios e as comunidades intermunicipais que desenvolvam planos integrados e inovadores de combate ao insucesso escolar dispõem de convite autónomo e não podem candidatar-se ao presente."),
        ),
        layout=2,
    ),
    Call(
        9116, "MAR2030-2027-06", "Investimentos Produtivos na Aquicultura", "Productive Investments in Aquaculture", "Concurso",
        (Entry("MAR", P2, FEAMPA, "Aquicultura", "FEAMPA", 14_000_000),),
        "2027-02-01T10:00:00", "2027-02-10T00:00:00", "2027-06-10T17:59:59", "2027-06-10T17:59:59",
        notice=Rules(COUNTRY, COMPANY, "", (), (), ("aquicultura",)),
        meta=Rules(COUNTRY, COMPANY, "", (), (), ("aquicultura",)),
        sections=(
            ("Beneficiários e condições", "São beneficiários os operadores aquícolas, pessoas singulares ou coletivas, incluindo organizações de produtores e cooperativas, titulares de título de atividade aquícola válido ou que o obtenham até à assinatura do termo de aceitação, em todo o território nacional, incluindo as Regiões Autónomas. A pesca, a transformação e a comercialização de produtos da pesca não são apoiadas no presente Aviso, sendo objeto dos avisos das prioridades 1.1 e 1.2 (transformação)."),
        ),
        layout=0,
    ),
    Call(
        9117, "MAR2030-2027-10", "Transformação dos Produtos da Pesca e da Aquicultura", "Processing of Fishery and Aquaculture Products", "Concurso",
        (Entry("MAR", P2, FEAMPA, "Transformação", "FEAMPA", 16_000_000),),
        "2027-03-01T00:00:00", "2027-03-01T00:00:00", "2027-07-31T17:59:59", "2027-07-31T17:59:59",
        notice=Rules(COUNTRY, COMPANY, "pme", ("1020",)),
        meta=Rules(COUNTRY, COMPANY, "", (), (), ("transformacao_pescado",)),
        sections=(
            ("Beneficiários", "Os apoios destinam-se exclusivamente a PME, nos termos da Recomendação 2003/361/CE, que exerçam a título principal a atividade de preparação e conservação de peixes, crustáceos e moluscos (grupo 102 da CAE Rev. 3, subclasses 10201 a 10204), em qualquer ponto do território nacional. As grandes empresas apenas podem ser apoiadas através de instrumentos financeiros, não abrangidos pelo presente Aviso."),
        ),
        layout=1,
    ),
    Call(
        9118, "SUSTENTAVEL2030-2027-03", "Descarbonização da Indústria", "Decarbonising Industry", "Concurso",
        (Entry("SUSTENTAVEL", P2, RSO21, "Descarbonização da indústria", "FC", 70_000_000),),
        "2027-01-15T10:00:00", "2027-02-01T00:00:00", "2027-07-29T17:59:59", "2027-07-29T17:59:59",
        notice=Rules(regions(*MAINLAND), SOCIEDADE, "", tuple(f"{d:02d}" for d in range(5, 34))),
        meta=Rules(regions(*MAINLAND), COMPANY, "", (), (), ("industria",)),
        sections=(
            ("Beneficiários", "São beneficiárias as empresas, de qualquer dimensão, constituídas sob a forma de sociedade comercial, com estabelecimento industrial licenciado no território do Continente e atividade principal nas indústrias extrativas ou transformadoras (secções B e C da CAE Rev. 3, divisões 05 a 33). Não são elegíveis os empresários em nome individual nem as cooperativas, que dispõem de linha específica no âmbito do Fundo Ambiental."),
        ),
        layout=3,
    ),
    Call(
        9119, "SUSTENTAVEL2030-2027-07", "Eficiência Energética em Edifícios da Administração Central", "Energy Efficiency in Central Government Buildings", "Convite",
        (Entry("SUSTENTAVEL", P2, RSO21, "Eficiência energética em edifícios públicos", "FC", 25_000_000),),
        "2027-03-01T00:00:00", "2027-03-01T00:00:00", "2027-10-29T17:59:59", "2027-10-29T17:59:59",
        notice=Rules(regions(*MAINLAND), frozenset({"admin_central"})),
        meta=Rules(regions(*MAINLAND), frozenset({"admin_central"})),
        sections=(
            ("Entidades beneficiárias", "São beneficiárias as entidades da administração pública central, direta e indireta, incluindo os institutos públicos, proprietárias ou utilizadoras de edifícios no território continental. Não são beneficiários os municípios, as instituições de ensino superior (que dispõem de convite próprio) nem as entidades do setor empresarial do Estado."),
        ),
        layout=2,
    ),
    Call(
        9120, "ACORES2030-2027-04", "Competir+ Empreendedorismo Qualificado", "Competir+ Qualified Entrepreneurship", "Concurso",
        (Entry("ACORES", P1, RSO13, "Empreendedorismo", "FEDER", 10_000_000),),
        "2027-01-05T00:00:00", "2027-01-05T00:00:00", "2027-12-30T17:59:59", "2027-12-30T17:59:59",
        notice=Rules(regions("acores"), COMPANY, "pme"),
        meta=Rules(regions("acores"), COMPANY, ""),
        sections=(
            ("Beneficiários", "Podem beneficiar dos apoios as PME com sede ou estabelecimento na Região Autónoma dos Açores, qualquer que seja a ilha, que desenvolvam projetos de criação ou expansão de atividade. O presente Aviso é aberto a todos os setores de atividade económica, não havendo lugar a restrições em função da CAE."),
        ),
        layout=0,
    ),
    Call(
        9121, "MADEIRA2030-2027-02", "Apoio ao Investimento Empresarial no Turismo", "Business Investment in Tourism", "Concurso",
        (Entry("MADEIRA", P1, RSO13, "Investimento empresarial", "FEDER", 12_000_000),),
        "2027-02-15T10:00:00", "2027-03-01T00:00:00", "2027-06-30T17:59:59", "2027-06-30T17:59:59",
        notice=Rules(regions("madeira"), COMPANY, "pme", ("55",)),
        meta=Rules(regions("madeira"), COMPANY, "", (), (), ("turismo",)),
        sections=(
            ("Elegibilidade", "São elegíveis as PME com estabelecimento na Região Autónoma da Madeira cujo projeto incida em atividades de alojamento turístico, correspondentes à divisão 55 da CAE Rev. 3 (incluindo alojamento local registado, subclasse 55204). A restauração, o comércio e a produção e engarrafamento de vinho não são abrangidos pelo presente Aviso."),
        ),
        layout=1,
    ),
    Call(
        9122, "NORTE2030-2027-31", "Programação Cultural em Rede", "Networked Cultural Programming", "Concurso",
        (Entry("NORTE", P4, RSO46, "Cultura", "FEDER", 8_000_000),),
        "2027-03-10T10:00:00", "2027-03-15T00:00:00", "2027-06-20T17:59:59", "2027-06-20T17:59:59",
        notice=Rules(regions("norte"), frozenset({"municipio", "cim", "fundacao", "associacao"})),
        meta=Rules(regions("norte"), frozenset({"municipio", "cim", "fundacao", "associacao"})),
        sections=(
            ("Beneficiários", "São beneficiários os municípios, as comunidades intermunicipais e as entidades privadas sem fins lucrativos (associações e fundações) da região Norte, para projetos de programação cultural em rede entre pelo menos três concelhos. Excluem-se as instituições particulares de solidariedade social, as empresas e as entidades da administração central."),
        ),
        layout=3,
    ),
    Call(
        9123, "LISBOA2030-2027-09", "Projetos de Investigação Científica", "Scientific Research Projects", "Concurso",
        (Entry("LISBOA", P1, RSO11, "Investigação científica", "FEDER", 10_000_000),),
        "2027-02-01T00:00:00", "2027-02-01T00:00:00", "2027-05-20T17:00:00", "2027-05-20T17:00:00",
        notice=Rules(regions("lisboa"), frozenset({"ensino_superior", "centro_id"})),
        meta=Rules(regions("lisboa"), frozenset({"ensino_superior", "centro_id"})),
        sections=(
            ("Beneficiários", "São beneficiárias as entidades não empresariais do sistema de I&I com sede ou instalações na região de Lisboa: instituições de ensino superior, seus institutos e unidades de I&D, laboratórios colaborativos e outras instituições privadas sem fins lucrativos que tenham como objeto principal atividades de I&D. As empresas podem participar apenas como entidades subcontratadas."),
        ),
        layout=0,
    ),
    Call(
        9124, "CENTRO2030-2027-27", "Apoio às Empresas dos Territórios do Pinhal Interior", "Support for Businesses in the Pinhal Interior", "Concurso",
        (Entry("CENTRO", P1, RSO13, "Inovação Produtiva", "FEDER", 6_500_000),),
        "2027-03-01T00:00:00", "2027-03-01T00:00:00", "2027-06-30T17:59:59", "2027-06-30T17:59:59",
        notice=Rules(("municipalities", ("Mação", "Sertã", "Vila de Rei", "Oleiros", "Proença-a-Nova", "Pedrógão Grande", "Figueiró dos Vinhos", "Castanheira de Pera", "Góis", "Pampilhosa da Serra")), COMPANY, "pme", (), ("01", "02", "03")),
        meta=Rules(regions("centro"), COMPANY, ""),
        sections=(
            ("Âmbito territorial", "O presente Aviso aplica-se exclusivamente aos concelhos do Pinhal Interior afetados pelos incêndios rurais, identificados no Anexo I. São beneficiárias as PME com estabelecimento num desses concelhos, excluindo as empresas da produção agrícola primária, silvicultura e exploração florestal, pesca e aquicultura (divisões 01 a 03 da CAE Rev. 3)."),
        ),
        annex=(("Anexo I - Concelhos abrangidos", "NUTS III (2013)"),
               ("Mação", "Médio Tejo"), ("Sertã", "Médio Tejo"), ("Vila de Rei", "Médio Tejo"),
               ("Oleiros", "Beira Baixa"), ("Proença-a-Nova", "Beira Baixa"),
               ("Pedrógão Grande", "Região de Leiria"), ("Figueiró dos Vinhos", "Região de Leiria"),
               ("Castanheira de Pera", "Região de Leiria"), ("Góis", "Região de Coimbra"),
               ("Pampilhosa da Serra", "Região de Coimbra")),
        layout=2,
    ),
    Call(
        9125, "NORTE2030-2027-14", "Comércio Local no Interior", "Local Retail in Inland Territories", "Concurso",
        (Entry("NORTE", P1, RSO13, "Comércio", "FEDER", 4_000_000),),
        "2027-03-15T10:00:00", "2027-04-01T00:00:00", "2027-07-15T17:59:59", "2027-07-15T17:59:59",
        notice=Rules(("nuts3", ("Douro", "Alto Tâmega", "Terras de Trás-os-Montes")), COMPANY, "micro_pequena", ("47",), ("473",)),
        meta=Rules(regions("norte"), COMPANY, "", (), (), ("comercio_retalho",)),
        sections=(
            ("Beneficiários e território", "Podem candidatar-se as micro e pequenas empresas do comércio a retalho (divisão 47 da CAE Rev. 3, com exceção do grupo 473 - comércio a retalho de combustível para veículos a motor) com estabelecimento nas sub-regiões do Douro, Alto Tâmega e Terras de Trás-os-Montes."),
        ),
        layout=1,
    ),
    Call(
        9126, "PESSOAS2030-2027-18", "Rede de Equipamentos Sociais para Pessoas Idosas", "Social Facilities for Older People", "Concurso",
        (Entry("PESSOAS", P4, ESO411, "Respostas sociais", "FSE+", 22_000_000),),
        "2027-02-01T10:00:00", "2027-02-15T00:00:00", "2027-06-15T17:59:59", "2027-06-15T17:59:59",
        notice=Rules(regions(*LESS_DEVELOPED), frozenset({"ipss"}), "", (), (), ("idosos",)),
        meta=Rules(regions(*LESS_DEVELOPED), frozenset({"ipss", "municipio"}), "", (), (), ("idosos",)),
        sections=(
            ("Beneficiários", "São beneficiárias as IPSS e equiparadas que desenvolvam, à data da candidatura, respostas sociais dirigidas a pessoas idosas (estrutura residencial para pessoas idosas, centro de dia ou serviço de apoio domiciliário), nas regiões Norte, Centro e Alentejo. As entidades cujas respostas sejam exclusivamente dirigidas à infância ou à deficiência não são elegíveis."),
        ),
        layout=0,
    ),
    Call(
        9127, "CENTRO2030-2027-30", "SI Qualificação - Recursos Humanos Altamente Qualificados", "Hiring Highly Qualified Staff", "Concurso",
        (Entry("CENTRO", P1, RSO13, "Qualificação das PME", "FEDER", 5_000_000),),
        "2027-02-20T10:00:00", "2027-03-01T00:00:00", "2027-06-30T17:59:59", "2027-06-30T17:59:59",
        notice=Rules(regions("centro"), COMPANY, "pme"),
        meta=Rules(regions("centro"), COMPANY, "pme"),
        sections=(("Beneficiários", "PME da região Centro."),),
        pdf="corrupt",
    ),
    Call(
        9128, "ALGARVE2030-2027-15", "Capacitação Institucional das Autarquias", "Institutional Capacity of Local Authorities", "Convite",
        (Entry("ALGARVE", P4, RSO42, "Capacitação institucional", "FSE+", 2_000_000),),
        "2027-02-01T00:00:00", "2027-02-01T00:00:00", "2027-06-30T17:59:59", "2027-06-30T17:59:59",
        notice=Rules(regions("algarve"), frozenset({"municipio", "cim"})),
        meta=Rules(regions("algarve"), frozenset({"municipio", "cim"})),
        sections=(),
        pdf="missing",
    ),
    Call(
        9129, "NORTE2030-2027-40", "Economia Circular nas PME", "Circular Economy in SMEs", "Concurso",
        (Entry("NORTE", P2, RSO21, "Economia circular", "FEDER", 9_000_000),),
        "2027-01-20T10:00:00", "2027-02-01T00:00:00", "2027-05-12T17:59:59", "2027-05-12T17:59:59",
        notice=Rules(regions("norte"), COMPANY, "pme", INDUSTRY_IN),
        meta=Rules(regions("norte"), COMPANY, "pme"),
        sections=(
            ("Condições", "Dirigido a PME industriais da região Norte (secção C da CAE Rev. 3, divisões 10 a 33, excluindo a divisão 12), para investimentos em eficiência no uso de recursos, simbioses industriais e incorporação de matérias-primas secundárias."),
        ),
        layout=3,
    ),
    Call(
        9130, "LISBOA2030-2027-15", "Inovação Social - Parcerias para o Impacto", "Social Innovation - Partnerships for Impact", "Concurso",
        (Entry("LISBOA", P4, ESO411, "Inovação social", "FSE+", 3_000_000),),
        "2027-04-30T10:00:00", "2027-05-13T09:00:00", "2027-07-13T17:59:59", "2027-07-13T17:59:59",
        notice=Rules(regions("lisboa"), frozenset({"associacao", "fundacao", "ipss", "cooperativa"})),
        meta=Rules(regions("lisboa"), frozenset({"associacao", "fundacao", "ipss", "cooperativa"})),
        sections=(
            ("Beneficiários", "Entidades da economia social com sede na região de Lisboa: associações, fundações, IPSS e cooperativas. O período de candidaturas decorre de 13 de maio a 13 de julho de 2027."),
        ),
        layout=1,
    ),
    Call(
        9131, "ALENTEJO2030-2027-05", "Vale Comércio", "Retail Voucher", "Concurso",
        (Entry("ALENTEJO", P1, RSO13, "Comércio", "FEDER", 3_000_000),),
        "2027-01-10T10:00:00", "2027-01-15T00:00:00", "2027-04-15T00:00:00", "2027-04-15T17:59:59",
        notice=Rules(regions("alentejo"), COMPANY, "micro_pequena", ("47",)),
        meta=Rules(regions("alentejo"), COMPANY, "", (), (), ("comercio_retalho",)),
        sections=(
            ("Encerramento antecipado", "Atingida a dotação do Aviso, o período de candidaturas foi encerrado antecipadamente às 17h59m59s de 15 de abril de 2027, por deliberação da Autoridade de Gestão."),
            ("Beneficiários", "Micro e pequenas empresas do comércio a retalho (divisão 47 da CAE Rev. 3) da região Alentejo."),
        ),
        layout=0,
    ),
    Call(
        9132, "COMPETE2030-2027-40", "Internacionalização Digital das PME", "Digital Internationalisation of SMEs", "Concurso",
        (Entry("COMPETE", P1, RSO13, "Internacionalização das PME", "FEDER", 20_000_000),),
        "2027-03-01T10:00:00", "2027-03-10T00:00:00", "2027-07-10T17:59:59", "2027-07-10T17:59:59",
        notice=Rules(regions(*MAINLAND), COMPANY, "pme", (), GBER_OUT),
        meta=Rules(regions(*LESS_DEVELOPED), COMPANY, "pme"),
        sections=(
            ("Localização das operações", "Para além das operações localizadas nas regiões Norte, Centro e Alentejo, são igualmente elegíveis, ao abrigo do n.º 2 do artigo 70.º do Regulamento (UE) 2021/1060 e nos limites aí previstos, as operações de PME localizadas nas regiões de Lisboa e do Algarve, atendendo à natureza transregional dos mercados digitais visados. As PME com atividade excluída pelo n.º 3 do artigo 1.º do RGIC (CAE 01 a 03, 05, 06, 09, 12, 19, 24100, 301, 35, 64 a 66, 68 e 92) não são elegíveis."),
        ),
        layout=2,
    ),
    Call(
        9133, "ALENTEJO2030-2027-20", "Empreendedorismo de Base Local", "Local Entrepreneurship", "Concurso",
        (Entry("ALENTEJO", P1, RSO13, "Empreendedorismo", "FEDER", 5_000_000),),
        "2027-02-15T10:00:00", "2027-03-01T00:00:00", "2027-06-30T17:59:59", "2027-06-30T17:59:59",
        notice=Rules(regions("alentejo"), COMPANY, "micro_pequena", (), ("01", "02", "03", "4671")),
        meta=Rules(regions("alentejo"), COMPANY),
        sections=(
            ("Beneficiários e regime de auxílio", "Os apoios são concedidos ao abrigo do regime de minimis, nos termos do Regulamento (UE) 2023/2831 da Comissão, de 13 de dezembro de 2023, a micro e pequenas empresas da região Alentejo, excluindo, nos termos do artigo 1.º daquele regulamento, as empresas que operam nos setores da pesca e da aquicultura e da produção primária de produtos agrícolas (CAE 01 a 03), bem como o comércio por grosso de combustíveis (CAE 4671)."),
        ),
        layout=3,
    ),
]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Labels (README, "The rules")
# --------------------------------------------------------------------------------------------


def _lisbon(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _places(org: Org) -> list[tuple[str, str, str]] | None:
    """(municipality, nuts3, region) possibilities of an organisation; None when unknown."""
    if org.municipality:
        nuts3, region = MUNICIPALITIES[(org.district, org.municipality)]
        return [(org.municipality, nuts3, region)]
    if org.district:
        return [("", "", r) for r in sorted(DISTRICT_REGIONS[org.district])]
    return None


def in_territory(org: Org, territory: tuple[str, tuple[str, ...]]) -> bool:
    kind, values = territory
    if kind == "country":
        return True
    places = _places(org)
    if places is None:
        return False
    index = {"municipalities": 0, "nuts3": 1, "regions": 2}[kind]
    return all(p[index] and p[index] in values for p in places)


def check(org: Org, call: Call, rules: Rules) -> str:
    """The first rule an organisation fails for a call, or "" when it may apply."""
    if not _lisbon(call.start) <= EVALUATION_MOMENT <= _lisbon(call.end_now):
        return "dates"
    if not in_territory(org, rules.territory):
        return "geography"
    kinds = kinds_of(org.name, org.cae) & rules.kinds
    if not kinds:
        return "beneficiary"
    as_company = kinds <= COMPANY
    if as_company and rules.size:
        allowed = {
            "pme": {"Micro", "Pequena", "Média"},
            "grande": {"Grande"},
            "micro_pequena": {"Micro", "Pequena"},
        }[rules.size]
        if org.size not in allowed:
            return "size"
    if as_company and (rules.cae_in or rules.cae_out):
        if not org.cae:
            return "cae"
        if rules.cae_in and not org.cae.startswith(rules.cae_in):
            return "cae"
        if rules.cae_out and org.cae.startswith(rules.cae_out):
            return "cae"
    if rules.sectors and not (sectors_of(org.cae) & set(rules.sectors)):
        return "fit"
    return ""


def labels_csv(with_notices: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["nif", "aviso_id", "label", "rule"])
    for call in CALLS:
        rules = call.notice if with_notices and call.pdf == "ok" else call.meta
        for org in ORGS:
            rule = check(org, call, rules)
            writer.writerow([org.nif, call.code, "0" if rule else "1", rule])
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# calls.json, leads.csv
# --------------------------------------------------------------------------------------------


def notice_path(call: Call) -> str:
    year = call.code.split("-")[1]
    return f"Avisos/{year}/{call.code}/Aviso_{call.code}.pdf"


def aviso(call: Call) -> dict[str, object]:
    return {
        "aviso": {
            "avisoGlobalId": call.gid,
            "codigoAviso": call.code,
            "designacaoPT": call.title_pt,
            "designacaoEN": call.title_en,
            "classificacaoAvisoDesignacao": call.classification,
            "dataUltimaAlteracao": max(call.published, call.start)
            if call.end == call.end_now
            else "2027-04-20T15:30:00",
        },
        "estrutura": [
            {
                "programaOperacionalId": PROGRAMMES[e.programme][0],
                "programaOperacionalDesignacao": PROGRAMMES[e.programme][1],
                "prioridadeDesignacao": e.priority,
                "objetivoEspecificoDesignacao": e.objective,
                "tipologiaOperacaoDesignacao": e.typology,
                "fundoDesignacao": e.fund,
                "dotacao": e.budget,
            }
            for e in call.entries
        ],
        "calendario": {
            "dataPublicacao": call.published,
            "dataInicio": call.start,
            "dataFim": call.end,
            "dataFimAtual": call.end_now,
        },
        "documentos": [
            {
                "documentoDesignacao": f"Aviso {call.code}",
                "tipoDocumentoDesignacao": "Aviso",
                "path": notice_path(call),
                "container": "avisos",
            }
        ],
    }


def calls_json() -> str:
    pages = [
        {"status": 200, "avisos": [aviso(c) for c in CALLS[i : i + AVISOS_PER_PAGE]]}
        for i in range(0, len(CALLS), AVISOS_PER_PAGE)
    ]
    return json.dumps(pages, ensure_ascii=False, indent=1) + "\n"


def leads_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Empresa", "NIF", "CAE", "Distrito", "Concelho", "Dimensão", "Atividade"])
    for o in ORGS:
        writer.writerow([o.name, o.nif, o.cae, o.district, o.municipality, o.size, o.activity])
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Notices (PDF)
# --------------------------------------------------------------------------------------------

AUTHORITIES = {
    "NORTE": "Autoridade de Gestão do NORTE 2030, Rua Rainha D. Estefânia, 251, 4150-304 Porto",
    "CENTRO": "Autoridade de Gestão do CENTRO 2030, Rua Bernardim Ribeiro, 80, 3000-069 Coimbra",
    "LISBOA": "Autoridade de Gestão do LISBOA 2030, Rua Alexandre Herculano, 37, 1250-009 Lisboa",
    "ALENTEJO": "Autoridade de Gestão do ALENTEJO 2030, Avenida Engenheiro Arantes e Oliveira, 193, 7004-514 Évora",
    "ALGARVE": "Autoridade de Gestão do ALGARVE 2030, Praça da Liberdade, 2, 8000-164 Faro",
    "ACORES": "Autoridade de Gestão do AÇORES 2030, Rua Cónego Dr. Manuel Vieira, 9500-237 Ponta Delgada",
    "MADEIRA": "Autoridade de Gestão do MADEIRA 2030, Rua Dr. Pestana Júnior, 6, 9064-506 Funchal",
    "COMPETE": "Autoridade de Gestão do COMPETE 2030, Avenida Dr. Alfredo Bensaúde, 11, 1849-012 Lisboa",
    "PESSOAS": "Autoridade de Gestão do PESSOAS 2030, Avenida Infante D. Henrique, 1, 1149-009 Lisboa",
    "SUSTENTAVEL": "Autoridade de Gestão do SUSTENTÁVEL 2030, Rua de São Julião, 63, 1100-524 Lisboa",
    "MAR": "Autoridade de Gestão do MAR 2030, Avenida Infante D. Henrique, 1, 1149-009 Lisboa",
}  # fmt: skip


def _money(value: int) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " EUR"


def _date_pt(value: str) -> str:
    months = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
              "setembro", "outubro", "novembro", "dezembro"]  # fmt: skip
    d = _lisbon(value)
    return f"{d.day} de {months[d.month - 1]} de {d.year}, às {d:%Hh%Mm%Ss}"


def standard_sections(call: Call) -> list[tuple[str, str]]:
    """The sections every notice carries: law, money, dates, merit, payments, contacts."""
    total = sum(e.budget for e in call.entries)
    n = call.gid % 7
    rate = 40 + 5 * (call.gid % 5)
    first = call.entries[0]
    return [
        (
            "Enquadramento",
            f"O presente Aviso é elaborado nos termos do Decreto-Lei n.º 20-A/2023, de 22 de março, que estabelece o modelo de governação dos fundos europeus para o período de programação 2021-2027, do Regulamento (UE) 2021/1060 do Parlamento Europeu e do Conselho, de 24 de junho de 2021 (Regulamento das Disposições Comuns), e, consoante o fundo, dos Regulamentos (UE) 2021/1058 (FEDER e Fundo de Coesão), 2021/1057 (FSE+) ou 2021/1139 (FEAMPA). Aplica-se ainda o Regulamento Específico aplicável à tipologia, aprovado por portaria publicada na 1.ª série do Diário da República, e a decisão de aprovação do programa pela Comissão Europeia C(2022) {8000 + call.gid % 900}, de {10 + n} de dezembro de 2022. O Aviso enquadra-se na prioridade «{first.priority}», no objetivo específico «{first.objective}» e na tipologia de operação «{first.typology}», com o código {call.code}.",
        ),
        (
            "Dotação e forma de apoio",
            f"A dotação do fundo afeta ao presente Aviso é de {_money(total)}, podendo ser reforçada por decisão da Autoridade de Gestão. O apoio assume a forma de subvenção não reembolsável, com uma taxa máxima de cofinanciamento de {rate}% sobre as despesas elegíveis, majorada em 10 pontos percentuais para operações em territórios de baixa densidade e em 5 pontos percentuais para operações que cumpram o critério de igualdade de género, não podendo a taxa global exceder 75%. O investimento elegível por operação tem um limite mínimo de {25 + 5 * n} 000 EUR e um limite máximo de {1 + n} 500 000 EUR, sem prejuízo das regras de acumulação de auxílios aplicáveis.",
        ),
        (
            "Período de candidatura",
            f"As candidaturas são submetidas através do Balcão dos Fundos entre {_date_pt(call.start)} e {_date_pt(call.end)} (hora de Portugal continental). A decisão é comunicada no prazo de 60 dias úteis após a data de encerramento do Aviso, suspendendo-se este prazo sempre que sejam solicitados esclarecimentos, que devem ser prestados em 10 dias úteis, sob pena de desistência da candidatura.",
        ),
        (
            "Critérios de seleção",
            f"O mérito da operação (MO) é determinado pela expressão MO = 0,{30 + n}×A + 0,{25 - n}×B + 0,25×C + 0,20×D, em que A corresponde à qualidade da operação, B ao impacto nos resultados do programa, C ao contributo para a estratégia regional de especialização inteligente e D ao contributo para as prioridades horizontais (igualdade de oportunidades, transição climática e princípio de «não prejudicar significativamente»). Cada critério é pontuado numa escala de 1 a 5, com arredondamento à segunda casa decimal, sendo selecionadas as operações com MO igual ou superior a 3,00 por ordem decrescente até ao limite da dotação. Em caso de empate, prevalece a pontuação do critério A e, subsistindo, a data de submissão.",
        ),
        (
            "Despesas elegíveis",
            f"São elegíveis as despesas efetuadas após a data de submissão da candidatura, com exceção dos estudos e projetos realizados até 12 meses antes, incluindo aquisição de equipamentos, software, serviços de consultoria especializada até {10 + n}% do investimento elegível e custos indiretos calculados à taxa fixa de 7% dos custos diretos com pessoal, nos termos da alínea b) do n.º 1 do artigo 54.º do Regulamento (UE) 2021/1060. Não são elegíveis o IVA recuperável, os juros, a aquisição de terrenos acima de 10% da despesa total e as despesas pagas em numerário acima de 250 EUR.",
        ),
        (
            "Obrigações dos beneficiários",
            "Os beneficiários ficam obrigados a executar a operação nos termos aprovados, a manter a contabilidade organizada e os documentos de suporte durante cinco anos após o pagamento final, a publicitar o apoio nos termos do artigo 50.º do Regulamento (UE) 2021/1060 e a manter a afetação dos investimentos à atividade e à localização durante três anos (PME) ou cinco anos (restantes entidades) após o pagamento final. Devem ainda ter a situação tributária e contributiva regularizada e não ser empresa em dificuldade na aceção do ponto 18) do artigo 2.º do RGIC, condição verificada na data da candidatura e na data do primeiro pagamento.",
        ),
        (
            "Pagamentos",
            f"Os pagamentos são efetuados a título de adiantamento até {15 + n}% do apoio após a assinatura do termo de aceitação, de reembolso contra a apresentação de despesa paga e de saldo final, não podendo os pagamentos intermédios exceder 90% do apoio aprovado. O pedido de pagamento final é apresentado até 90 dias após a conclusão da operação, que não pode exceder {18 + 6 * (n % 3)} meses.",
        ),
        (
            "Princípios horizontais",
            f"As operações devem respeitar o princípio de «não prejudicar significativamente» (DNSH), nos termos do artigo 17.º do Regulamento (UE) 2020/852, demonstrado através da autoavaliação constante do formulário de candidatura, bem como os princípios da igualdade entre homens e mulheres, da igualdade de oportunidades e da não discriminação, da acessibilidade para pessoas com deficiência e do desenvolvimento sustentável previstos no artigo 9.º do Regulamento (UE) 2021/1060. A avaliação do cumprimento destes princípios integra o critério D, com uma ponderação de {20 + n}% na respetiva pontuação, e o incumprimento superveniente pode determinar a redução ou revogação do apoio.",
        ),
        (
            "Acumulação de apoios",
            "Os apoios concedidos ao abrigo do presente Aviso não são cumuláveis, para as mesmas despesas elegíveis, com quaisquer outros apoios de natureza pública, incluindo os financiados pelo Plano de Recuperação e Resiliência, sem prejuízo das regras de acumulação previstas no artigo 8.º do RGIC quando aplicável. O beneficiário declara, no formulário de candidatura, todos os apoios recebidos ou solicitados nos três últimos exercícios financeiros para a mesma operação ou para despesas conexas.",
        ),
        (
            "Audiência prévia e reclamações",
            "As propostas de decisão desfavorável são notificadas aos candidatos para efeitos de audiência prévia, nos termos dos artigos 121.º e seguintes do Código do Procedimento Administrativo, dispondo estes de 10 dias úteis para se pronunciarem. Da decisão final cabe reclamação para a entidade que a proferiu, no prazo de 15 dias úteis, e recurso hierárquico facultativo, sem prejuízo da impugnação contenciosa nos termos gerais. A reclamação não tem efeito suspensivo.",
        ),
        (
            "Tratamento de dados pessoais",
            "Os dados pessoais recolhidos no âmbito do presente Aviso são tratados nos termos do Regulamento (UE) 2016/679 (RGPD) e da Lei n.º 58/2019, de 8 de agosto, exclusivamente para efeitos de gestão, acompanhamento, avaliação, controlo e auditoria das operações, podendo ser comunicados à Comissão Europeia, ao Tribunal de Contas e à Inspeção-Geral de Finanças, e conservados pelo prazo previsto no artigo 82.º do Regulamento (UE) 2021/1060.",
        ),
        (
            "Contactos",
            f"Os pedidos de esclarecimento são dirigidos à {AUTHORITIES[first.programme]}, através do endereço eletrónico indicado no Balcão dos Fundos, ou pela Linha de Apoio 300 500 {400 + n:03d}, nos dias úteis das 9h00 às 17h30.",
        ),
    ]


def render_notice(call: Call) -> bytes:
    """The PDF of a call's notice (the corrupt one: a truncated PDF)."""
    from fpdf import FPDF  # fpdf2 is a test extra

    if call.pdf == "corrupt":
        return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty"
    pdf = FPDF(format="A4")
    pdf.set_creation_date(PDF_DATE)
    pdf.set_producer("Balcão dos Fundos")
    pdf.set_creator("Balcão dos Fundos")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD if FONT_BOLD.exists() else FONT))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    first = call.entries[0]
    pdf.multi_cell(0, 7, PROGRAMMES[first.programme][1], new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    pdf.multi_cell(
        0,
        7,
        f"AVISO DE ABERTURA DE CANDIDATURAS N.º {call.code}",
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
    )
    pdf.multi_cell(0, 7, call.title_pt, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(4)
    sections = standard_sections(call)
    own = list(call.sections)
    at = [1, 3, 5, 7][call.layout % 4]
    ordered = sections[:at] + own + sections[at:]
    for number, (heading, text) in enumerate(ordered, start=1):
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, f"{number}. {heading}", new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    indicators = [
        ("Indicador", "Designação", "Meta 2029"),
        (
            "RCO01",
            "Empresas apoiadas (das quais: micro, pequenas, médias, grandes)",
            f"{40 + call.gid % 60}",
        ),
        ("RCO02", "Empresas apoiadas por subvenções", f"{35 + call.gid % 50}"),
        ("RCR01", "Postos de trabalho criados nas entidades apoiadas", f"{120 + call.gid % 90}"),
        (
            "RCR29",
            "Emissões estimadas de gases com efeito de estufa (t CO2 eq./ano)",
            f"{1500 + call.gid % 700}",
        ),
    ]
    tables = [("Anexo - Indicadores de realização e de resultado", indicators)]
    if call.gid % 3 == 0:
        grid = [("Subcritério", "Descrição", "Ponderação", "Pontuação")]
        for letter, weight in (("A", 35), ("B", 25), ("C", 25), ("D", 15)):
            for k in range(1, 4):
                grid.append(
                    (
                        f"{letter}{k}",
                        f"Subcritério {letter}.{k} - apreciação da componente {k} do critério {letter}, avaliada com base no formulário e nos documentos anexos",
                        f"{weight // 3 + k}%",
                        "1 a 5",
                    )
                )
        tables.append(("Anexo - Grelha de análise do mérito", grid))
    if call.gid % 4 == 1:
        plan = [("Aviso", "Programa", "Tipologia", "Abertura prevista")]
        for other in CALLS:
            if other.code != call.code and other.gid % 5 == call.gid % 5:
                plan.append(
                    (
                        other.code,
                        PROGRAMMES[other.entries[0].programme][1],
                        other.entries[0].typology,
                        other.start[:7],
                    )
                )
        tables.append(
            (
                "Anexo - Outros avisos previstos no plano anual (informativo, sem efeitos no presente Aviso)",
                plan,
            )
        )
    if call.annex:
        tables.insert(call.layout % 2, (call.annex[0][0], [call.annex[0], *call.annex[1:]]))
    for title, rows in tables:
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font("DejaVu", "", 9)
        with pdf.table(first_row_as_headings=True, text_align="LEFT") as table:
            for row in rows:
                r = table.row()
                for cell in row:
                    r.cell(cell)
        pdf.ln(4)
    city = re.sub(r"^.*\d{4}-\d{3} ", "", AUTHORITIES[first.programme])
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        f"{city}, {_date_pt(call.published).split(',')[0]}. A Presidente da Comissão Diretiva.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def main() -> None:
    for org in ORGS:
        assert kinds_of(org.name, org.cae) >= {org.kind}, (org.name, kinds_of(org.name, org.cae))
    assert len({o.nif for o in ORGS}) == len(ORGS)
    (HERE / "calls.json").write_text(calls_json(), encoding="utf-8")
    (HERE / "leads.csv").write_text(leads_csv(), encoding="utf-8")
    (HERE / "labels.csv").write_text(labels_csv(True), encoding="utf-8")
    (HERE / "labels_metadata.csv").write_text(labels_csv(False), encoding="utf-8")
    for call in CALLS:
        if call.pdf == "missing":
            continue
        target = HERE / "notices" / notice_path(call)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render_notice(call))


def readme_table() -> str:
    """The per-call readings, as README.md lists them (print with --table)."""

    def show(r: Rules) -> str:
        kind, values = r.territory
        where = "país" if kind == "country" else f"{kind}: " + ", ".join(values)
        parts = [where, "/".join(sorted(r.kinds))]
        if r.size:
            parts.append(f"size {r.size}")
        if r.cae_in:
            parts.append("CAE in " + " ".join(r.cae_in))
        if r.cae_out:
            parts.append("CAE not " + " ".join(r.cae_out))
        if r.sectors:
            parts.append("sector " + " ".join(r.sectors))
        return "; ".join(parts)

    lines = ["| call | dates (start .. end now) | notice | metadata |", "|---|---|---|---|"]
    for c in CALLS:
        notice = show(c.notice) if c.pdf == "ok" else f"({c.pdf} PDF: metadata reading)"
        lines.append(f"| {c.code} | {c.start} .. {c.end_now} | {notice} | {show(c.meta)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    if "--table" in sys.argv:
        print(readme_table(), end="")
    else:
        main()
