"""Write the held-out evaluation set (tests/data/eval_holdout) from the specs below.

Run: ``.venv/bin/python tests/data/eval_holdout/make_set.py``. It needs fpdf2 and the DejaVu Sans
font (Debian: fonts-dejavu-core). It imports nothing of elinara: the labels come from what each
notice states (the structured fields beside each notice's wording), by the rules of README.md.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
CREATED = datetime(2027, 1, 4, 9, 0, 0, tzinfo=UTC)
AS_OF = "2027-03-10T12:00:00"  # evaluation date: 2027-03-10, 12:00 Lisbon time

# ---- territory (NUTS 2013, as the project's municipalities table) -----------------------------

# (district, municipality) -> (NUTS III, NUTS II region)
MUNICIPALITIES: dict[tuple[str, str], tuple[str, str]] = {
    ("Braga", "Vila Verde"): ("Cávado", "norte"),
    ("Braga", "Guimarães"): ("Ave", "norte"),
    ("Braga", "Barcelos"): ("Cávado", "norte"),
    ("Braga", "Braga"): ("Cávado", "norte"),
    ("Porto", "Penafiel"): ("Tâmega e Sousa", "norte"),
    ("Porto", "Paços de Ferreira"): ("Tâmega e Sousa", "norte"),
    ("Porto", "Amarante"): ("Tâmega e Sousa", "norte"),
    ("Porto", "Porto"): ("Área Metropolitana do Porto", "norte"),
    ("Porto", "Maia"): ("Área Metropolitana do Porto", "norte"),
    ("Bragança", "Mirandela"): ("Terras de Trás-os-Montes", "norte"),
    ("Bragança", "Miranda do Douro"): ("Terras de Trás-os-Montes", "norte"),
    ("Vila Real", "Valpaços"): ("Alto Tâmega", "norte"),
    ("Vila Real", "Peso da Régua"): ("Douro", "norte"),
    ("Viseu", "Lamego"): ("Douro", "norte"),
    ("Aveiro", "Oliveira de Azeméis"): ("Área Metropolitana do Porto", "norte"),
    ("Aveiro", "São João da Madeira"): ("Área Metropolitana do Porto", "norte"),
    ("Viana do Castelo", "Viana do Castelo"): ("Alto Minho", "norte"),
    ("Aveiro", "Ílhavo"): ("Região de Aveiro", "centro"),
    ("Guarda", "Seia"): ("Beiras e Serra da Estrela", "centro"),
    ("Castelo Branco", "Covilhã"): ("Beiras e Serra da Estrela", "centro"),
    ("Coimbra", "Arganil"): ("Região de Coimbra", "centro"),
    ("Coimbra", "Coimbra"): ("Região de Coimbra", "centro"),
    ("Leiria", "Pombal"): ("Região de Leiria", "centro"),
    ("Leiria", "Nazaré"): ("Oeste", "centro"),
    ("Castelo Branco", "Idanha-a-Nova"): ("Beira Baixa", "centro"),
    ("Castelo Branco", "Sertã"): ("Médio Tejo", "centro"),
    ("Santarém", "Abrantes"): ("Médio Tejo", "centro"),
    ("Santarém", "Mação"): ("Médio Tejo", "centro"),
    ("Lisboa", "Alenquer"): ("Oeste", "centro"),
    ("Lisboa", "Lisboa"): ("Área Metropolitana de Lisboa", "lisboa"),
    ("Lisboa", "Loures"): ("Área Metropolitana de Lisboa", "lisboa"),
    ("Lisboa", "Oeiras"): ("Área Metropolitana de Lisboa", "lisboa"),
    ("Lisboa", "Vila Franca de Xira"): ("Área Metropolitana de Lisboa", "lisboa"),
    ("Setúbal", "Montijo"): ("Área Metropolitana de Lisboa", "lisboa"),
    ("Setúbal", "Almada"): ("Área Metropolitana de Lisboa", "lisboa"),
    ("Setúbal", "Alcácer do Sal"): ("Alentejo Litoral", "alentejo"),
    ("Setúbal", "Sines"): ("Alentejo Litoral", "alentejo"),
    ("Beja", "Odemira"): ("Alentejo Litoral", "alentejo"),
    ("Beja", "Mértola"): ("Baixo Alentejo", "alentejo"),
    ("Santarém", "Benavente"): ("Lezíria do Tejo", "alentejo"),
    ("Évora", "Évora"): ("Alentejo Central", "alentejo"),
    ("Évora", "Estremoz"): ("Alentejo Central", "alentejo"),
    ("Faro", "Portimão"): ("Algarve", "algarve"),
    ("Faro", "Loulé"): ("Algarve", "algarve"),
    ("Faro", "Silves"): ("Algarve", "algarve"),
    ("Faro", "Faro"): ("Algarve", "algarve"),
    ("Faro", "Tavira"): ("Algarve", "algarve"),
    ("Faro", "São Brás de Alportel"): ("Algarve", "algarve"),
    ("Faro", "Alcoutim"): ("Algarve", "algarve"),
    ("Guarda", "Gouveia"): ("Beiras e Serra da Estrela", "centro"),
    ("Guarda", "Manteigas"): ("Beiras e Serra da Estrela", "centro"),
    ("Guarda", "Guarda"): ("Beiras e Serra da Estrela", "centro"),
    ("Açores", "Ponta Delgada"): ("Região Autónoma dos Açores", "acores"),
    ("Madeira", "Calheta"): ("Região Autónoma da Madeira", "madeira"),
}
MAINLAND = ("norte", "centro", "lisboa", "alentejo", "algarve")
LESS_DEVELOPED = ("norte", "centro", "alentejo")

# programme id -> (designação, territory)
PROGRAMMES: dict[int, tuple[str, tuple[str, ...]]] = {
    110: ("COMPETE 2030 - Programa Temático Inovação e Transição Digital", LESS_DEVELOPED),
    120: ("PESSOAS 2030 - Programa Temático Demografia, Qualificações e Inclusão", LESS_DEVELOPED),
    130: ("SUSTENTÁVEL 2030 - Programa Temático Ação Climática e Sustentabilidade", MAINLAND),
    140: ("MAR 2030 - Programa Operacional Mar 2030", (*MAINLAND, "acores", "madeira")),
    210: ("NORTE 2030 - Programa Regional do Norte 2021-2027", ("norte",)),
    220: ("CENTRO 2030 - Programa Regional do Centro 2021-2027", ("centro",)),
    230: ("LISBOA 2030 - Programa Regional de Lisboa 2021-2027", ("lisboa",)),
    240: ("ALENTEJO 2030 - Programa Regional do Alentejo 2021-2027", ("alentejo",)),
    250: ("ALGARVE 2030 - Programa Regional do Algarve 2021-2027", ("algarve",)),
    260: ("AÇORES 2030 - Programa Regional dos Açores 2021-2027", ("acores",)),
    270: ("MADEIRA 2030 - Programa Regional da Madeira 2021-2027", ("madeira",)),
}

# ---- sectors (README "fit") ---------------------------------------------------------------------

SECTORS: dict[str, tuple[str, ...]] = {
    "tourism": ("55", "56", "79", "9321", "9329"),
    "aquaculture": ("032",),
    "fisheries_processing": ("03", "102", "4638"),
    "agrifood": ("10", "11"),
    "short_chains": ("01", "10", "11"),
    "cultural": ("58", "59", "60", "741", "742", "90", "91"),
    "social_services": ("87", "88"),
    "health": ("21", "266", "325", "86"),
    "logistics": ("49", "52", "53"),
    "manufacturing": tuple(f"{d:02d}" for d in range(10, 34)),
    "blue": ("03", "102", "3011", "3012", "3315", "50", "5222", "4638"),
}

SIZES_ALL = ("Micro", "Pequena", "Média", "Grande")
PME = ("Micro", "Pequena", "Média")
MICRO_SMALL = ("Micro", "Pequena")
LARGE = ("Grande",)


def divisions(first: int, last: int) -> tuple[str, ...]:
    """CAE divisions ``first`` to ``last`` as two-digit prefixes ("da divisão 10 à 33")."""
    return tuple(f"{d:02d}" for d in range(first, last + 1))


# ---- companies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Company:
    name: str
    cae: str
    district: str
    municipality: str
    size: str
    activity: str
    sector_by_activity: tuple[str, ...] = ()  # sectors a company without a CAE states it is in


COMPANIES: tuple[Company, ...] = (
    # Norte
    Company(
        "Têxteis Vale do Cávado, Lda",
        "13301",
        "Braga",
        "Vila Verde",
        "Média",
        "Branqueamento e tingimento de fio e tecido para confeção.",
    ),
    Company(
        "Cutelarias de Guimarães, S.A.",
        "25710",
        "Braga",
        "Guimarães",
        "Grande",
        "Fabrico de cutelaria e faqueiros de aço inox; 420 trabalhadores.",
    ),
    Company(
        "Granitos de Penafiel, Lda",
        "08111",
        "Porto",
        "Penafiel",
        "Pequena",
        "Extração e serragem de granito para construção.",
    ),
    Company(
        "Mobiliário Paços de Ferreira, Lda",
        "31091",
        "Porto",
        "Paços de Ferreira",
        "Micro",
        "Fabrico de mobiliário de madeira para sala e quarto.",
    ),
    Company(
        "Azeites de Mirandela, Lda",
        "10412",
        "Bragança",
        "Mirandela",
        "Pequena",
        "Lagar e embalamento de azeite virgem extra DOP Trás-os-Montes.",
    ),
    Company(
        "Cooperativa Agrícola de Valpaços, CRL",
        "10412",
        "Vila Real",
        "Valpaços",
        "Média",
        "Lagar cooperativo; azeite e castanha dos associados.",
    ),
    Company(
        "Município de Miranda do Douro",
        "84110",
        "Bragança",
        "Miranda do Douro",
        "",
        "Autarquia local.",
    ),
    Company(
        "Agrupamento de Escolas de Amarante",
        "84120",
        "Porto",
        "Amarante",
        "",
        "Escolas públicas do pré-escolar ao secundário.",
    ),
    Company(
        "Associação Comercial e Industrial de Barcelos",
        "94110",
        "Braga",
        "Barcelos",
        "",
        "Representação e serviços às empresas do concelho.",
    ),
    Company(
        "Centro Social e Paroquial de Lamego",
        "88101",
        "Viseu",
        "Lamego",
        "",
        "IPSS: centro de dia e apoio domiciliário a idosos.",
    ),
    Company(
        "Instituto de Ciência dos Materiais do Porto - Associação",
        "72190",
        "Porto",
        "Porto",
        "",
        "Investigação em materiais; instituição privada sem fins lucrativos.",
    ),
    Company(
        "Moldes de Oliveira de Azeméis, S.A.",
        "25734",
        "Aveiro",
        "Oliveira de Azeméis",
        "Média",
        "Moldes metálicos para injeção de plásticos.",
    ),
    Company(
        "Calçado de São João da Madeira, Lda",
        "15201",
        "Aveiro",
        "São João da Madeira",
        "Pequena",
        "Fabrico de calçado de homem em couro.",
    ),
    Company(
        "Solar do Douro - Enoturismo, Lda",
        "55202",
        "Vila Real",
        "Peso da Régua",
        "Micro",
        "Turismo no espaço rural e provas de vinho numa quinta do Douro.",
    ),
    Company(
        "Centro de Formação Profissional do Minho, Lda",
        "85591",
        "Viana do Castelo",
        "Viana do Castelo",
        "Pequena",
        "Entidade formadora certificada pela DGERT.",
    ),
    Company(
        "Escola de Condução Minhota, Lda",
        "85530",
        "Braga",
        "Braga",
        "Micro",
        "Escola de condução de ligeiros e pesados.",
    ),
    Company(
        "Transitários do Porto, Lda",
        "52291",
        "Porto",
        "Maia",
        "Média",
        "Transitário e despacho aduaneiro de mercadorias.",
    ),
    Company(
        "NetSoft Braga, Lda",
        "62010",
        "Braga",
        "Braga",
        "Micro",
        "Desenvolvimento de software de gestão para PME.",
    ),
    # Centro
    Company(
        "Cerâmica Aveiro Atlântico, S.A.",
        "23411",
        "Aveiro",
        "Ílhavo",
        "Grande",
        "Porcelana e louça de mesa para hotelaria.",
    ),
    Company(
        "Queijaria da Estrela, Lda",
        "10510",
        "Guarda",
        "Seia",
        "Micro",
        "Queijo Serra da Estrela DOP de ovelha bordaleira.",
    ),
    Company(
        "Hotel Serra da Estrela Neve, Lda",
        "55111",
        "Castelo Branco",
        "Covilhã",
        "Pequena",
        "Hotel de quatro estrelas na serra.",
    ),
    Company(
        "Santa Casa da Misericórdia de Arganil",
        "87301",
        "Coimbra",
        "Arganil",
        "Média",
        "IPSS: estrutura residencial para idosos e creche.",
    ),
    Company(
        "Lar Bem-Estar Sénior, Lda",
        "87301",
        "Leiria",
        "Pombal",
        "Pequena",
        "Residência sénior privada com 40 camas.",
    ),
    Company(
        "Município de Idanha-a-Nova",
        "84110",
        "Castelo Branco",
        "Idanha-a-Nova",
        "",
        "Autarquia local.",
    ),
    Company(
        "Plásticos de Abrantes, Lda",
        "22292",
        "Santarém",
        "Abrantes",
        "Média",
        "Injeção de componentes plásticos para a indústria automóvel.",
    ),
    Company(
        "Vinhos de Alenquer, Lda",
        "11021",
        "Lisboa",
        "Alenquer",
        "Pequena",
        "Produção de vinho regional Lisboa.",
    ),
    Company(
        "Associação de Desenvolvimento do Pinhal Interior",
        "94991",
        "Castelo Branco",
        "Sertã",
        "",
        "Associação de desenvolvimento local sem fins lucrativos.",
    ),
    Company(
        "Mondego Software Labs, Lda",
        "62020",
        "Coimbra",
        "Coimbra",
        "Micro",
        "Consultoria em sistemas e integração de software.",
    ),
    Company(
        "Salga e Seca da Nazaré, Lda",
        "10204",
        "Leiria",
        "Nazaré",
        "Pequena",
        "Salga e secagem de peixe e bacalhau.",
    ),
    Company(
        "Serralharia de Mação, Lda",
        "25120",
        "Santarém",
        "Mação",
        "Micro",
        "Caixilharia e serralharia de alumínio.",
    ),
    # Lisboa
    Company(
        "Fintech Avenida, S.A.",
        "64190",
        "Lisboa",
        "Lisboa",
        "Média",
        "Instituição de pagamento e crédito ao consumo online.",
    ),
    Company(
        "Gráfica de Loures, Lda",
        "18120",
        "Lisboa",
        "Loures",
        "Pequena",
        "Impressão offset e digital de embalagens.",
    ),
    Company(
        "Logística do Montijo, Lda",
        "52102",
        "Setúbal",
        "Montijo",
        "Média",
        "Armazenagem frigorífica e distribuição.",
    ),
    Company(
        "Cooperativa de Consumo de Almada, CRL",
        "47111",
        "Setúbal",
        "Almada",
        "Pequena",
        "Supermercado cooperativo.",
    ),
    Company(
        "Fundação Alcântara para a Inclusão",
        "88990",
        "Lisboa",
        "Lisboa",
        "",
        "Apoio social a pessoas em situação de sem-abrigo.",
    ),
    Company(
        "Estúdio de Animação Oeiras, Lda",
        "59110",
        "Lisboa",
        "Oeiras",
        "Micro",
        "Produção de filmes de animação para televisão.",
    ),
    Company(
        "Metalomecânica de Vila Franca, S.A.",
        "28220",
        "Lisboa",
        "Vila Franca de Xira",
        "Grande",
        "Pontes rolantes e equipamento de elevação.",
    ),
    # Alentejo
    Company(
        "Salinas do Sado, Lda",
        "08931",
        "Setúbal",
        "Alcácer do Sal",
        "Micro",
        "Extração de sal marinho e flor de sal.",
    ),
    Company(
        "Petroquímica Atlântico de Sines, S.A.",
        "20140",
        "Setúbal",
        "Sines",
        "Grande",
        "Produtos químicos orgânicos de base.",
    ),
    Company(
        "Hortícolas de Odemira, Lda",
        "01130",
        "Beja",
        "Odemira",
        "Média",
        "Produção de frutos vermelhos em estufa.",
    ),
    Company("Município de Mértola", "84110", "Beja", "Mértola", "", "Autarquia local."),
    Company(
        "Arroz do Sorraia, Lda",
        "10612",
        "Santarém",
        "Benavente",
        "Pequena",
        "Descasque, branqueamento e embalamento de arroz carolino.",
    ),
    Company(
        "Associação Empresarial da Região de Évora",
        "94110",
        "Évora",
        "Évora",
        "",
        "Associação empresarial regional.",
    ),
    Company(
        "Carnes do Alentejo, Lda",
        "10110",
        "Évora",
        "Estremoz",
        "Pequena",
        "Abate e desmancha de borrego e porco alentejano.",
    ),
    # Algarve
    Company(
        "Conserveira de Portimão, S.A.",
        "10203",
        "Faro",
        "Portimão",
        "Média",
        "Conservas de sardinha e cavala.",
    ),
    Company(
        "Aldeia do Caldeirão - Turismo Rural, Lda",
        "55202",
        "Faro",
        "Loulé",
        "Micro",
        "Casas de campo na serra do Caldeirão.",
    ),
    Company(
        "Citrinos de Silves, Lda",
        "46311",
        "Faro",
        "Silves",
        "Pequena",
        "Comércio por grosso de laranja e tangerina.",
    ),
    Company(
        "Administração Regional de Saúde do Algarve, I.P.",
        "84120",
        "Faro",
        "Faro",
        "",
        "Serviço público de saúde.",
    ),
    # Regiões autónomas
    Company(
        "Hotel Lagoa das Sete Cidades, Lda",
        "55111",
        "Açores",
        "Ponta Delgada",
        "Pequena",
        "Hotel rural em São Miguel.",
    ),
    Company(
        "Destilaria da Calheta, S.A.",
        "11013",
        "Madeira",
        "Calheta",
        "Grande",
        "Aguardente de cana e rum agrícola da Madeira.",
    ),
    # incomplete leads
    Company(
        "Exportadora Lusa de Vinhos, Lda",
        "46341",
        "",
        "",
        "Média",
        "Exportação de vinhos portugueses para o Brasil e Angola.",
    ),
    Company(
        "Consultores Reunidos Norte-Sul, Lda", "70220", "Porto", "", "", "Consultoria de gestão."
    ),
    Company(
        "Quinta das Amendoeiras",
        "",
        "Faro",
        "Tavira",
        "Micro",
        "Produção de amêndoa e doçaria regional vendida na própria quinta.",
        ("short_chains", "agrifood"),
    ),
)


def nif_for(index: int) -> str:
    """A valid (mod 11) NIF, different for every index; first digit 5 (legal persons)."""
    base = f"5{(index * 7919 + 104729) % 10_000_000:07d}"
    total = sum(int(d) * w for d, w in zip(base, range(9, 1, -1), strict=True))
    check = 11 - total % 11
    return base + ("0" if check >= 10 else str(check))


def kinds(company: Company) -> set[str]:
    """Who the company is, by README "Who the company is"."""
    name, cae = company.name, company.cae
    found: set[str] = set()
    if "Município" in name or "Câmara Municipal" in name:
        found |= {"municipality", "public_admin"}
    elif " I.P." in name or cae.startswith("84"):
        found.add("public_admin")
    elif "Associação" in name or "Fundação" in name:
        if cae not in ("94110", "94120"):
            found.add("social")
    elif "Cooperativa" in name or "CRL" in name:
        found |= {"enterprise", "social"}
    elif "Misericórdia" in name or "Centro Social" in name:
        found.add("social")  # IPSS (this set's addition to the rules, see README)
    else:
        found.add("enterprise")
    if "social" in found and (
        cae[:2] in ("87", "88") or "Misericórdia" in name or "Centro Social" in name
    ):
        found.add(
            "ipss"
        )  # IPSS: a social-economy body running social services (this set's addition)
    if "public_admin" in found and "municipality" not in found:
        found.add("central_admin")  # state bodies, institutes, public schools (this set's addition)
    if cae.startswith("8559"):
        found.add("training")
    if cae in ("94110", "94120"):
        found.add("business_assoc")
    if cae.startswith("72"):
        found.add("rd")
    return found


# ---- calls --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """What the notice states (the labels) and how it says it (the text)."""

    admits: tuple[str, ...]  # kinds of beneficiary
    sizes: tuple[str, ...] = SIZES_ALL
    territory: tuple[str, tuple[str, ...]] = (
        "default",
        (),
    )  # default|mainland|nuts3|municipalities
    cae_in: tuple[str, ...] = ()
    cae_out: tuple[str, ...] = ()
    # wording
    beneficiaries: str = ""
    geography: str = ""
    cae_text: str = ""
    annex_title: str = ""
    annex_table: tuple[tuple[str, ...], ...] = ()  # first row: header
    annex_text: str = ""
    extra_sections: int = 2  # irrelevant sections (dotação, despesas, critérios, ...)


@dataclass(frozen=True)
class Call:
    code: str
    title: str
    title_en: str
    programmes: tuple[int, ...]
    objective: str
    typology: str
    fund: str
    allocation: int
    start: str
    end: str
    end_current: str
    style: str  # compete | ccdr | pessoas | mar
    sector: str | None
    notice: Notice
    published: str = ""


def _d(day: str, end: bool = False) -> str:
    return f"{day}T17:59:59" if end else f"{day}T00:00:00"


EXCLUSION_2023_2831 = (
    "Excluem-se do âmbito do presente Aviso as atividades referidas no n.º 3 do artigo 1.º do "
    "Regulamento (UE) 2023/2831 da Comissão, de 13 de dezembro de 2023, e no n.º 3 do artigo 1.º "
    "do Regulamento (UE) n.º 651/2014 da Comissão, de 17 de junho de 2014, bem como, "
    "independentemente da sua dimensão, as empresas cuja atividade principal se enquadre nas "
    "divisões 01, 02 e 03 (produção agrícola primária, silvicultura, pesca e aquicultura), na "
    "divisão 35 (eletricidade, gás, vapor, água quente e fria e ar frio), nas divisões 64, 65 e 66 "
    "(atividades financeiras e de seguros) e na divisão 92 (lotarias e outros jogos de aposta) da "
    "CAE Rev. 3."
)
EXCLUDED_STD = ("01", "02", "03", "35", "64", "65", "66", "92")

CAE_HEADER = ("Secção", "Divisão", "Grupo", "Classe", "Subclasse", "Designação")

CALLS: tuple[Call, ...] = (
    Call(
        "COMPETE2030-2027-03",
        "SICE - Inovação Produtiva - Territórios de Baixa Densidade",
        "SICE - Productive Innovation - Low Density Territories",
        (110, 210, 220, 240),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME e a criação de "
        "emprego nas PME, inclusive através de investimentos produtivos",
        "Inovação produtiva",
        "FEDER",
        100_000_000,
        _d("2027-01-15"),
        _d("2027-05-31", True),
        _d("2027-05-31", True),
        "compete",
        None,
        Notice(
            admits=("enterprise",),
            sizes=PME,
            territory=(
                "municipalities",
                (
                    "Miranda do Douro",
                    "Mirandela",
                    "Valpaços",
                    "Peso da Régua",
                    "Lamego",
                    "Seia",
                    "Covilhã",
                    "Arganil",
                    "Idanha-a-Nova",
                    "Sertã",
                    "Mação",
                    "Mértola",
                    "Odemira",
                    "Alcácer do Sal",
                    "Estremoz",
                ),
            ),
            cae_in=(*divisions(5, 33), "55", "591", "62", "72"),
            cae_out=EXCLUDED_STD,
            beneficiaries=(
                "Nos termos do artigo 4.º do Regulamento Específico da Área Temática Inovação e "
                "Transição Digital, aprovado pela Portaria n.º 103-A/2023, de 12 de abril, na sua "
                "redação atual, e sem prejuízo das demais condições previstas no presente Aviso, "
                "podem apresentar candidatura as empresas de qualquer natureza e sob qualquer "
                "forma jurídica que, à data da candidatura, detenham o estatuto de PME, "
                "certificado eletronicamente pela Agência para a Competitividade e Inovação, "
                "I.P. (IAPMEI) nos termos do Decreto-Lei n.º 372/2007, de 6 de novembro, e da "
                "Recomendação 2003/361/CE da Comissão, de 6 de maio de 2003, não sendo admitidas "
                "candidaturas de não PME, designadamente de empresas de pequena-média "
                "capitalização."
            ),
            geography=(
                "O presente Aviso aplica-se exclusivamente às operações localizadas nos "
                "territórios de baixa densidade, identificados na Deliberação n.º 55/2015 da "
                "Comissão Interministerial de Coordenação do Acordo de Parceria, e cujos "
                "municípios elegíveis, no âmbito deste concurso, constam do Anexo II; a "
                "localização da operação afere-se pelo local do investimento e não pela sede do "
                "beneficiário."
            ),
            cae_text=(
                "Consideram-se elegíveis as operações inseridas nas atividades económicas "
                "identificadas no Anexo I ao presente Aviso, que dele faz parte integrante. "
                + EXCLUSION_2023_2831
            ),
            annex_title="Anexo I - Atividades económicas (CAE) elegíveis",
            annex_table=(
                CAE_HEADER,
                ("B", "05 a 09", "", "", "", "Indústrias extrativas"),
                ("C", "10 a 33", "", "", "", "Indústrias transformadoras"),
                ("I", "55", "", "", "", "Alojamento"),
                (
                    "J",
                    "",
                    "591",
                    "",
                    "",
                    "Atividades cinematográficas, de vídeo e de produção de programas de televisão",
                ),
                (
                    "J",
                    "62",
                    "",
                    "",
                    "",
                    "Consultoria e programação informática e atividades relacionadas",
                ),
                (
                    "M",
                    "72",
                    "",
                    "",
                    "",
                    "Atividades de investigação científica e de desenvolvimento",
                ),
            ),
            annex_text=(
                "Anexo II - Municípios elegíveis (territórios de baixa densidade abrangidos)\n"
                "Região Norte: Miranda do Douro; Mirandela; Valpaços; Peso da Régua; Lamego.\n"
                "Região Centro: Seia; Covilhã; Arganil; Idanha-a-Nova; Sertã; Mação.\n"
                "Região Alentejo: Mértola; Odemira; Alcácer do Sal; Estremoz."
            ),
            extra_sections=9,
        ),
    ),
    Call(
        "COMPETE2030-2027-04",
        "SICE - Inovação Produtiva - Outros Territórios",
        "SICE - Productive Innovation - Other Territories",
        (110, 210, 220, 230, 240, 250),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME e a criação de "
        "emprego nas PME, inclusive através de investimentos produtivos",
        "Inovação produtiva",
        "FEDER",
        220_000_000,
        _d("2027-01-15"),
        _d("2027-06-30", True),
        _d("2027-06-30", True),
        "compete",
        None,
        Notice(
            admits=("enterprise",),
            sizes=PME,
            territory=("default", ()),
            cae_in=(*divisions(10, 33), "55", "62"),
            cae_out=EXCLUDED_STD,
            beneficiaries=(
                "São beneficiárias as empresas, incluindo as cooperativas, que cumpram as "
                "condições de acesso previstas no artigo 13.º do Decreto-Lei n.º 20-A/2023, de 22 "
                "de março, e que sejam micro, pequenas ou médias empresas, tal como definidas "
                "no Anexo I do Regulamento (UE) n.º 651/2014 (RGIC)."
            ),
            geography=(
                "São elegíveis as operações localizadas nas regiões NUTS II do Norte, Centro, "
                "Lisboa, Alentejo e Algarve, sendo financiadas pelo COMPETE 2030 as operações com "
                "investimento elegível superior a 3 milhões de euros ou localizadas em mais do "
                "que uma região menos desenvolvida, e pelos Programas Regionais as restantes."
            ),
            cae_text=(
                "As operações devem inserir-se, em termos de atividade principal do "
                "estabelecimento, na indústria transformadora, isto é, nas atividades da "
                "divisão 10 à 33 da CAE Rev. 3, bem como nas divisões 55 (alojamento) e 62 "
                "(programação informática), nos termos do artigo 6.º do Regulamento Específico; "
                "para efeitos de transição, a correspondência com a CAE Rev. 4, aprovada pelo "
                "Decreto-Lei n.º 9/2025, de 19 de fevereiro, é a publicada pelo INE. "
                + EXCLUSION_2023_2831
            ),
            extra_sections=7,
        ),
    ),
    Call(
        "COMPETE2030-2027-05",
        "SIQRH - Formação-Ação para PME",
        "SIQRH - Training-Action for SMEs",
        (110,),
        "ESO4.4. Promover a adaptação dos trabalhadores, das empresas e dos empresários à mudança",
        "Formação-Ação",
        "FSE+",
        60_000_000,
        _d("2027-02-01"),
        _d("2027-04-30", True),
        _d("2027-04-30", True),
        "compete",
        None,
        Notice(
            admits=("business_assoc",),
            sizes=SIZES_ALL,
            beneficiaries=(
                "Podem candidatar-se ao presente Aviso as entidades referidas no artigo 58.º do "
                "Regulamento Específico, designadamente: a) associações empresariais, "
                "confederações e câmaras de comércio e indústria; b) outras entidades de natureza "
                "associativa com competências em matéria de desenvolvimento empresarial. As PME "
                "participam nos projetos conjuntos como destinatárias da formação e da "
                "consultoria, não podendo apresentar candidatura a título individual."
            ),
            extra_sections=4,
        ),
    ),
    Call(
        "COMPETE2030-2027-06",
        "SIAC - Internacionalização",
        "SIAC - Internationalisation",
        (110,),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Ações coletivas - Internacionalização",
        "FEDER",
        10_000_000,
        _d("2027-01-20"),
        _d("2027-04-15", True),
        _d("2027-04-15", True),
        "compete",
        None,
        Notice(
            admits=("business_assoc", "rd"),
            beneficiaries=(
                "São beneficiários do Sistema de Apoio a Ações Coletivas, no domínio da "
                "internacionalização: i) associações empresariais; ii) entidades não "
                "empresariais do sistema de I&I, incluindo as instituições de ensino superior e "
                "as entidades de interface. Não são beneficiárias as empresas nem os municípios."
            ),
            extra_sections=3,
        ),
    ),
    Call(
        "COMPETE2030-2027-07",
        "SAICT - Projetos de Investigação Científica e Desenvolvimento Tecnológico",
        "SAICT - Scientific Research and Technological Development Projects",
        (110,),
        "RSO1.1. Desenvolver e reforçar as capacidades de investigação e inovação",
        "Investigação científica e tecnológica",
        "FEDER",
        40_000_000,
        _d("2027-02-15"),
        _d("2027-05-15", True),
        _d("2027-05-15", True),
        "compete",
        None,
        Notice(
            admits=("rd",),
            beneficiaries=(
                "Secção 3 - Natureza dos beneficiários. Podem candidatar-se as entidades não "
                "empresariais do sistema de I&I, tal como definidas na alínea ff) do artigo 2.º "
                "do RGIC, designadamente instituições de ensino superior, laboratórios do Estado "
                "e instituições privadas sem fins lucrativos que tenham como objeto principal "
                "atividades de investigação científica."
            ),
            extra_sections=3,
        ),
    ),
    Call(
        "COMPETE2030-2027-08",
        "SICE - Internacionalização das PME",
        "SICE - SME Internationalisation",
        (110,),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Internacionalização das PME",
        "FEDER",
        80_000_000,
        _d("2027-01-10"),
        _d("2027-04-28", True),
        _d("2027-04-28", True),
        "compete",
        None,
        Notice(
            admits=("enterprise",),
            sizes=PME,
            territory=("mainland", ()),
            cae_out=EXCLUDED_STD,
            beneficiaries=(
                "Beneficiários: PME de qualquer natureza e sob qualquer forma jurídica."
            ),
            geography=(
                "As operações localizam-se nas regiões menos desenvolvidas do Continente (Norte, "
                "Centro e Alentejo) e, atento o caráter imaterial das despesas e o benefício "
                "que delas resulta para o conjunto do território, podem igualmente ser apoiadas, "
                "ao abrigo do n.º 2 do artigo 70.º do Regulamento (UE) 2021/1060, de 24 de "
                "junho, operações localizadas nas regiões de Lisboa e do Algarve, sem prejuízo "
                "do disposto no artigo 9.º quanto às taxas de cofinanciamento."
            ),
            cae_text=EXCLUSION_2023_2831,
            extra_sections=6,
        ),
    ),
    Call(
        "NORTE2030-2027-11",
        "Eficiência energética na administração local e nas instituições particulares de "
        "solidariedade social",
        "Energy efficiency in local government and social solidarity institutions",
        (210,),
        "RSO2.1. Promover a eficiência energética e reduzir as emissões de gases com efeito de "
        "estufa",
        "Eficiência energética em infraestruturas públicas",
        "FEDER",
        35_000_000,
        _d("2027-01-05"),
        _d("2027-06-30", True),
        _d("2027-06-30", True),
        "ccdr",
        None,
        Notice(
            admits=("municipality", "ipss"),
            beneficiaries=(
                "Artigo 5.º - Entidades beneficiárias. São entidades beneficiárias as referidas "
                "no artigo 34.º do Regulamento Específico, designadamente: a) Municípios e "
                "associações de municípios; b) Empresas do setor empresarial local detidas a "
                "100 % por entidades públicas; c) Instituições particulares de solidariedade "
                "social e entidades equiparadas, proprietárias de equipamentos sociais; d) "
                "Agências regionais de energia, apenas em ações de capacitação."
            ),
            extra_sections=5,
        ),
    ),
    Call(
        "NORTE2030-2027-12",
        "Modernização de equipamentos educativos - Administração Pública",
        "Modernisation of school facilities - Public Administration",
        (210,),
        "RSO4.2. Melhorar o acesso equitativo a serviços inclusivos e de qualidade no domínio da "
        "educação",
        "Infraestruturas e equipamentos educativos",
        "FEDER",
        25_000_000,
        _d("2027-02-01"),
        _d("2027-05-29", True),
        _d("2027-05-29", True),
        "ccdr",
        None,
        Notice(
            admits=("public_admin",),
            territory=("nuts3", ("Tâmega e Sousa", "Ave", "Cávado")),
            beneficiaries=(
                "Artigo 4.º - Beneficiários. Podem apresentar candidatura os municípios, as "
                "entidades intermunicipais e os agrupamentos de escolas e escolas não agrupadas "
                "da rede pública do Ministério da Educação, Ciência e Inovação."
            ),
            geography=(
                "Artigo 3.º - Âmbito territorial. O presente Aviso abrange as sub-regiões "
                "constantes do quadro seguinte, no âmbito dos respetivos Investimentos "
                "Territoriais Integrados (ITI CIM)."
            ),
            annex_title="Quadro 1 - Sub-regiões NUTS III abrangidas",
            annex_table=(
                ("NUTS II", "NUTS III", "Dotação indicativa (euros)"),
                ("Norte", "Tâmega e Sousa", "9 500 000"),
                ("Norte", "Ave", "8 000 000"),
                ("Norte", "Cávado", "7 500 000"),
            ),
            extra_sections=4,
        ),
    ),
    Call(
        "NORTE2030-2027-13",
        "Indústria 4.0 - Digitalização da indústria transformadora",
        "Industry 4.0 - Digitalisation of manufacturing",
        (210,),
        "RSO1.2. Aproveitar as vantagens da digitalização para os cidadãos, as empresas",
        "Transformação digital das empresas",
        "FEDER",
        30_000_000,
        _d("2027-01-25"),
        _d("2027-04-30", True),
        _d("2027-04-30", True),
        "ccdr",
        "manufacturing",
        Notice(
            admits=("enterprise",),
            sizes=PME,
            cae_in=divisions(10, 33),
            beneficiaries=(
                "Artigo 4.º - Beneficiários. Empresas PME, incluindo cooperativas, com "
                "estabelecimento na Região Norte."
            ),
            cae_text=(
                "Artigo 6.º - Condições específicas de acesso. 1 - Sem prejuízo das condições "
                "gerais previstas no artigo 13.º do Decreto-Lei n.º 20-A/2023, os beneficiários "
                "devem, à data da candidatura, ter a situação tributária e contributiva "
                "regularizada, dispor de contabilidade organizada e desenvolver, a título "
                "principal, atividade inserida nas Indústrias Transformadoras, secção C, "
                "divisões 10 a 33 da CAE Rev. 3 (secção C da CAE Rev. 4, com as mesmas "
                "divisões), não sendo admitidas as indústrias extrativas (secção B) nem a "
                "produção e distribuição de eletricidade (secção D). 2 - As operações têm a "
                "duração máxima de 24 meses."
            ),
            extra_sections=4,
        ),
    ),
    Call(
        "NORTE2030-2027-14",
        "Qualificação das PME - Comércio e Serviços",
        "SME qualification - Retail and services",
        (210,),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Qualificação das PME",
        "FEDER",
        12_000_000,
        _d("2026-10-01"),
        _d("2027-01-31", True),
        _d("2027-01-31", True),
        "ccdr",
        None,
        Notice(
            admits=("enterprise",), sizes=PME, beneficiaries="Beneficiários: PME.", extra_sections=2
        ),
    ),
    Call(
        "CENTRO2030-2027-21",
        "Empreendedorismo qualificado e criativo no interior",
        "Qualified and creative entrepreneurship in the interior",
        (220,),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Empreendedorismo",
        "FEDER",
        15_000_000,
        _d("2027-02-01"),
        _d("2027-05-31", True),
        _d("2027-05-31", True),
        "ccdr",
        None,
        Notice(
            admits=("enterprise",),
            sizes=MICRO_SMALL,
            territory=("nuts3", ("Beiras e Serra da Estrela", "Beira Baixa", "Região de Coimbra")),
            cae_in=(*divisions(10, 33), "55", "58", "59", "62", "72", "90"),
            cae_out=("64", "65", "66"),
            beneficiaries=(
                "Artigo 4.º - Beneficiários. 1 - São beneficiárias as empresas com menos de cinco "
                "anos de atividade que, à data da candidatura, tenham a dimensão de micro ou "
                "pequena empresa, nos termos da Recomendação 2003/361/CE, ficando excluídas as "
                "médias e as grandes empresas. 2 - (...)"
            ),
            geography=(
                "Artigo 3.º - Área geográfica de aplicação. As operações devem localizar-se nas "
                "NUTS III constantes do quadro seguinte:"
            ),
            cae_text=(
                "Artigo 5.º - Atividades elegíveis. São elegíveis as atividades constantes do "
                "Anexo I; excluem-se as atividades financeiras e de seguros (divisões 64 a 66)."
            ),
            annex_title="Anexo I - Atividades económicas (CAE) elegíveis",
            annex_table=(
                CAE_HEADER,
                ("C", "10 a 33", "", "", "", "Indústrias transformadoras"),
                ("I", "55", "", "", "", "Alojamento"),
                ("J", "58", "", "", "", "Atividades de edição"),
                ("J", "59", "", "", "", "Atividades cinematográficas e de vídeo"),
                ("J", "62", "", "", "", "Programação informática"),
                ("M", "72", "", "", "", "Investigação científica e desenvolvimento"),
                (
                    "R",
                    "90",
                    "",
                    "",
                    "",
                    "Atividades de teatro, de música, de dança e outras "
                    "atividades artísticas e literárias",
                ),
            ),
            annex_text=(
                "Quadro 2 - NUTS III elegíveis: Beiras e Serra da Estrela | Beira Baixa | "
                "Região de Coimbra"
            ),
            extra_sections=6,
        ),
    ),
    Call(
        "CENTRO2030-2027-22",
        "Respostas Sociais - Equipamentos para a terceira idade",
        "Social responses - Facilities for the elderly",
        (220,),
        "RSO4.3. Promover a inclusão socioeconómica das comunidades marginalizadas",
        "Respostas Sociais",
        "FEDER",
        18_000_000,
        _d("2027-01-10"),
        _d("2027-04-10", True),
        _d("2027-04-10", True),
        "ccdr",
        "social_services",
        Notice(
            admits=("ipss",),
            beneficiaries=(
                "Artigo 4.º - Beneficiários. Podem apresentar candidatura as instituições "
                "particulares de solidariedade social ou equiparadas, incluindo as Misericórdias "
                "e as cooperativas de solidariedade social, proprietárias ou gestoras dos "
                "equipamentos; as entidades com fins lucrativos não são elegíveis."
            ),
            extra_sections=4,
        ),
    ),
    Call(
        "CENTRO2030-2027-23",
        "Valorização turística dos recursos endógenos da Serra da Estrela",
        "Tourism valorisation of the Serra da Estrela endogenous resources",
        (220,),
        "RSO4.6. Reforçar o papel da cultura e do turismo sustentável",
        "Turismo",
        "FEDER",
        8_000_000,
        _d("2027-02-10"),
        _d("2027-06-10", True),
        _d("2027-06-10", True),
        "ccdr",
        "tourism",
        Notice(
            admits=("enterprise",),
            sizes=PME,
            territory=("municipalities", ("Seia", "Gouveia", "Manteigas", "Covilhã", "Guarda")),
            cae_in=("55", "56", "79", "93293"),
            beneficiaries="Artigo 4.º - Beneficiários. PME do setor do turismo.",
            geography=(
                "Artigo 3.º - Área geográfica. Municípios do Parque Natural da Serra da Estrela "
                "identificados no Anexo II."
            ),
            cae_text=(
                "Artigo 6.º - Atividades. CAE Rev. 3: 55 (alojamento), 56 (restauração), 79 "
                "(agências de viagem) e subclasse 93293 (atividades de animação turística)."
            ),
            annex_text=(
                "Anexo II - Municípios abrangidos\n"
                "| Município | NUTS III |\n| Seia | Beiras e Serra da Estrela |\n"
                "| Gouveia | Beiras e Serra da Estrela |\n| Manteigas | Beiras e Serra da Estrela |\n"
                "| Covilhã | Beiras e Serra da Estrela |\n| Guarda | Beiras e Serra da Estrela |"
            ),
            extra_sections=3,
        ),
    ),
    Call(
        "CENTRO2030-2027-24",
        "Descarbonização das PME industriais",
        "Decarbonisation of industrial SMEs",
        (220,),
        "RSO2.1. Promover a eficiência energética",
        "Eficiência energética nas empresas",
        "FEDER",
        20_000_000,
        _d("2027-04-01"),
        _d("2027-07-31", True),
        _d("2027-07-31", True),
        "ccdr",
        None,
        Notice(
            admits=("enterprise",), sizes=PME, beneficiaries="Beneficiários: PME.", extra_sections=2
        ),
    ),
    Call(
        "LISBOA2030-2027-05",
        "Qualificação e Internacionalização das PME",
        "SME Qualification and Internationalisation",
        (230,),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Qualificação das PME",
        "FEDER",
        14_000_000,
        _d("2027-01-12"),
        _d("2027-04-12", True),
        _d("2027-04-12", True),
        "ccdr",
        None,
        Notice(
            admits=("enterprise",),
            sizes=PME,
            cae_out=EXCLUDED_STD,
            beneficiaries="Artigo 4.º - Beneficiários. PME, nos termos da Recomendação 2003/361/CE.",
            cae_text=(
                "Artigo 7.º - Exclusões. " + EXCLUSION_2023_2831 + " Para as empresas que já "
                "adotaram a CAE Rev. 4, aplica-se a tabela de correspondência do INE."
            ),
            extra_sections=8,
        ),
    ),
    Call(
        "LISBOA2030-2027-06",
        "Capacitação das organizações da Economia Social",
        "Capacity building of social economy organisations",
        (230,),
        "ESO4.11. Reforçar o acesso equitativo e atempado a serviços de qualidade",
        "Capacitação institucional",
        "FSE+",
        6_000_000,
        _d("2027-02-20"),
        _d("2027-04-20", True),
        _d("2027-04-20", True),
        "ccdr",
        None,
        Notice(
            admits=("social",),
            beneficiaries=(
                "Artigo 4.º - Beneficiários. Entidades da economia social referidas no artigo 4.º "
                "da Lei n.º 30/2013, de 8 de maio, designadamente: a) cooperativas; b) "
                "associações mutualistas; c) misericórdias; d) fundações; e) instituições "
                "particulares de solidariedade social; f) associações com fins altruísticos."
            ),
            extra_sections=3,
        ),
    ),
    Call(
        "LISBOA2030-2027-07",
        "Inovação produtiva nas PME da Área Metropolitana de Lisboa",
        "Productive innovation in Lisbon SMEs",
        (230,),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Inovação produtiva",
        "FEDER",
        10_000_000,
        _d("2026-11-02"),
        _d("2027-02-26", True),
        _d("2027-03-31", True),
        "ccdr",
        None,
        Notice(
            admits=("enterprise",),
            sizes=PME,
            cae_in=(*divisions(10, 33), "58", "59", "62"),
            beneficiaries="Artigo 4.º - PME.",
            cae_text=(
                "Artigo 6.º - São elegíveis as operações das divisões 10 a 33, 58, 59 e 62 da "
                "CAE Rev. 3."
            ),
            extra_sections=3,
        ),
    ),
    Call(
        "ALENTEJO2030-2027-09",
        "SICE - Inovação Produtiva (ITI Alentejo Litoral e Baixo Alentejo)",
        "SICE - Productive Innovation (ITI Alentejo Litoral and Baixo Alentejo)",
        (240,),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Inovação produtiva",
        "FEDER",
        16_000_000,
        _d("2027-01-20"),
        _d("2027-05-20", True),
        _d("2027-05-20", True),
        "ccdr",
        None,
        Notice(
            admits=("enterprise",),
            sizes=PME,
            territory=("nuts3", ("Alentejo Litoral", "Baixo Alentejo")),
            cae_out=EXCLUDED_STD,
            beneficiaries="Artigo 4.º - PME de qualquer forma jurídica.",
            geography=("Artigo 3.º - Área de aplicação. Sub-regiões do quadro seguinte."),
            annex_title="Quadro - Área geográfica de aplicação",
            annex_table=(
                ("Código NUTS III", "Sub-região", "Municípios"),
                (
                    "PT181",
                    "Alentejo Litoral",
                    "Alcácer do Sal, Grândola, Odemira, Santiago do Cacém, Sines",
                ),
                (
                    "PT184",
                    "Baixo Alentejo",
                    "Aljustrel, Almodôvar, Alvito, Barrancos, Beja, "
                    "Castro Verde, Cuba, Ferreira do Alentejo, Mértola, Moura, Ourique, Serpa, "
                    "Vidigueira",
                ),
            ),
            cae_text=EXCLUSION_2023_2831,
            extra_sections=4,
        ),
    ),
    Call(
        "ALENTEJO2030-2027-10",
        "Reforço das infraestruturas sociais - Municípios",
        "Reinforcement of social infrastructure - Municipalities",
        (240,),
        "RSO4.3. Promover a inclusão socioeconómica",
        "Equipamentos sociais",
        "FEDER",
        3_800_000,
        _d("2027-02-01"),
        _d("2027-05-02", True),
        _d("2027-05-02", True),
        "ccdr",
        None,
        Notice(
            admits=("municipality", "ipss"),
            beneficiaries=(
                "Artigo 4.º - Beneficiários. Os Municípios, as Comunidades Intermunicipais e, "
                "mediante protocolo com os Municípios, as Instituições Particulares de "
                "Solidariedade Social (IPSS)."
            ),
            extra_sections=3,
        ),
    ),
    Call(
        "ALGARVE2030-2027-04",
        "Transição digital nas PME",
        "Digital transition in SMEs",
        (250,),
        "RSO1.2. Aproveitar as vantagens da digitalização",
        "Transformação digital das empresas",
        "FEDER",
        7_000_000,
        _d("2027-01-15"),
        _d("2027-03-10", True),
        _d("2027-03-10", True),
        "ccdr",
        None,
        Notice(
            admits=("enterprise",),
            sizes=MICRO_SMALL,
            cae_out=("64", "65", "66", "68"),
            beneficiaries=(
                "Artigo 4.º - Beneficiários. Micro e pequenas empresas, conforme definidas no "
                "Anexo I do RGIC."
            ),
            cae_text=(
                "Artigo 6.º - Não são elegíveis as empresas com CAE principal nas divisões 64, "
                "65, 66 e 68."
            ),
            extra_sections=3,
        ),
    ),
    Call(
        "ALGARVE2030-2027-05",
        "Cadeias curtas agroalimentares no interior do Algarve",
        "Short agri-food chains in the Algarve interior",
        (250,),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Cadeias curtas agroalimentares",
        "FEDER",
        4_000_000,
        _d("2027-02-05"),
        _d("2027-05-05", True),
        _d("2027-05-05", True),
        "ccdr",
        "short_chains",
        Notice(
            admits=("enterprise",),
            sizes=MICRO_SMALL,
            territory=(
                "municipalities",
                ("Loulé", "Silves", "Tavira", "São Brás de Alportel", "Alcoutim"),
            ),
            beneficiaries="Artigo 4.º - Micro e pequenas empresas agrícolas e agroalimentares.",
            geography="Artigo 3.º - Municípios: Loulé, Silves, Tavira, São Brás de Alportel, Alcoutim.",
            extra_sections=2,
        ),
    ),
    Call(
        "PESSOAS2030-2027-03",
        "Formações Modulares Certificadas",
        "Certified Modular Training",
        (120,),
        "ESO4.7. Promover a aprendizagem ao longo da vida",
        "Formações modulares certificadas",
        "FSE+",
        224_000_000,
        _d("2027-01-19"),
        _d("2027-03-21", True),
        _d("2027-03-21", True),
        "pessoas",
        None,
        Notice(
            admits=("training", "central_admin"),
            beneficiaries=(
                "Podem candidatar-se, nos termos do artigo 83.º do Regulamento Específico, as "
                "pessoas coletivas de direito público da administração central, a rede de "
                "centros do IEFP, I.P., e as pessoas coletivas de direito privado, com ou sem "
                "fins lucrativos, na qualidade de entidades formadoras certificadas, conforme "
                "alíneas b) e c) do n.º 1 do artigo 6.º do referido regulamento."
            ),
            extra_sections=6,
        ),
    ),
    Call(
        "PESSOAS2030-2027-04",
        "Cursos de Educação e Formação de Adultos",
        "Adult Education and Training Courses",
        (120,),
        "ESO4.7. Promover a aprendizagem ao longo da vida",
        "Cursos EFA",
        "FSE+",
        183_400_000,
        _d("2026-09-30"),
        _d("2026-11-13", True),
        _d("2026-11-13", True),
        "pessoas",
        None,
        Notice(
            admits=("training", "public_admin"),
            beneficiaries="Entidades formadoras certificadas e escolas públicas.",
            extra_sections=2,
        ),
    ),
    Call(
        "PESSOAS2030-2027-05",
        "Apoio à contratação - Estágios profissionais em empresas",
        "Hiring support - Traineeships in companies",
        (120,),
        "ESO4.1. Melhorar o acesso ao emprego",
        "Apoios à contratação",
        "FSE+",
        50_000_000,
        _d("2027-01-04"),
        _d("2027-12-30", True),
        _d("2027-12-30", True),
        "pessoas",
        None,
        Notice(
            admits=("enterprise", "social"),
            beneficiaries=(
                "Entidades promotoras: pessoas coletivas de natureza privada, com ou sem fins "
                "lucrativos, designadamente empresas, cooperativas, associações e fundações; "
                "excluem-se as entidades da administração pública central, regional e local."
            ),
            extra_sections=3,
        ),
    ),
    Call(
        "SUSTENTAVEL2030-2027-02",
        "Mobilidade urbana sustentável - Municípios",
        "Sustainable urban mobility - Municipalities",
        (130,),
        "RSO2.8. Promover a mobilidade urbana multimodal sustentável",
        "Mobilidade urbana sustentável",
        "Fundo de Coesão",
        90_000_000,
        _d("2027-01-30"),
        _d("2027-07-30", True),
        _d("2027-07-30", True),
        "mar",
        None,
        Notice(
            admits=("public_admin",),
            beneficiaries=(
                "Capítulo II - Beneficiários. São beneficiários os municípios, as áreas "
                "metropolitanas e as comunidades intermunicipais, as empresas públicas de "
                "transporte e, em geral, as entidades da administração pública central e local, "
                "incluindo os institutos públicos e os agrupamentos de escolas, estes no âmbito "
                "dos planos de mobilidade escolar."
            ),
            extra_sections=4,
        ),
    ),
    Call(
        "MAR2030-2027-02",
        "Transformação dos produtos da pesca e da aquicultura",
        "Processing of fishery and aquaculture products",
        (140,),
        "Fomentar atividades de aquicultura sustentáveis e a transformação e comercialização "
        "de produtos da pesca e da aquicultura",
        "Transformação dos produtos da pesca e da aquicultura",
        "FEAMPA",
        20_000_000,
        _d("2027-01-15"),
        _d("2027-06-15", True),
        _d("2027-06-15", True),
        "mar",
        "fisheries_processing",
        Notice(
            admits=("enterprise",),
            sizes=PME,
            cae_in=("10201", "10202", "10203", "10204", "46381"),
            beneficiaries=(
                "Capítulo II - Beneficiários. Micro, pequenas e médias empresas do setor da "
                "transformação de produtos da pesca e da aquicultura, nos termos da Recomendação "
                "2003/361/CE."
            ),
            cae_text=(
                "Capítulo III - As operações devem respeitar às atividades das subclasses "
                "10201, 10202, 10203 e 10204 e 46381 da CAE Rev. 3."
            ),
            annex_title="Anexo I - CAE elegíveis",
            annex_table=(
                CAE_HEADER,
                (
                    "C",
                    "10",
                    "102",
                    "1020",
                    "10201",
                    "Preparação de produtos da pesca e da aquicultura",
                ),
                (
                    "C",
                    "10",
                    "102",
                    "1020",
                    "10202",
                    "Congelação de produtos da pesca e da aquicultura",
                ),
                (
                    "C",
                    "10",
                    "102",
                    "1020",
                    "10203",
                    "Conservação de produtos da pesca e da "
                    "aquicultura em azeite e outros óleos vegetais e outros molhos",
                ),
                (
                    "C",
                    "10",
                    "102",
                    "1020",
                    "10204",
                    "Salga, secagem e outras atividades de "
                    "transformação de produtos da pesca e aquicultura",
                ),
                (
                    "G",
                    "46",
                    "463",
                    "4638",
                    "46381",
                    "Comércio por grosso de peixe, crustáceos e moluscos",
                ),
            ),
            extra_sections=5,
        ),
    ),
    Call(
        "ACORES2030-2027-02",
        "Qualificação da oferta turística",
        "Qualification of the tourism offer",
        (260,),
        "RSO4.6. Reforçar o papel da cultura e do turismo sustentável",
        "Turismo",
        "FEDER",
        9_000_000,
        _d("2027-01-10"),
        _d("2027-05-10", True),
        _d("2027-05-10", True),
        "ccdr",
        "tourism",
        Notice(
            admits=("enterprise",),
            beneficiaries="Artigo 4.º - Empresas do setor do turismo.",
            extra_sections=2,
        ),
    ),
    Call(
        "MADEIRA2030-2027-03",
        "Investimento empresarial produtivo - Não PME",
        "Productive business investment - Non-SMEs",
        (270,),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Inovação produtiva",
        "FEDER",
        12_000_000,
        _d("2027-02-01"),
        _d("2027-05-31", True),
        _d("2027-05-31", True),
        "ccdr",
        None,
        Notice(
            admits=("enterprise",),
            sizes=LARGE,
            beneficiaries=(
                "Artigo 4.º - Beneficiários. Empresas que não sejam PME (grandes empresas), com "
                "estabelecimento na Região Autónoma da Madeira."
            ),
            extra_sections=2,
        ),
    ),
    Call(
        "COMPETE2030-2027-09",
        "SICE - Inovação Produtiva Não PME",
        "SICE - Productive Innovation Non-SMEs",
        (110,),
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Inovação produtiva",
        "FEDER",
        150_000_000,
        _d("2027-02-15"),
        _d("2027-07-15", True),
        _d("2027-07-15", True),
        "compete",
        None,
        Notice(
            admits=("enterprise",),
            sizes=LARGE,
            cae_in=divisions(10, 33),
            beneficiaries=(
                "Podem candidatar-se as empresas de qualquer natureza que não se enquadrem na "
                "definição de PME constante da Recomendação 2003/361/CE."
            ),
            cae_text=(
                "A atividade do projeto insere-se nas divisões 10 a 33 da CAE Rev. 3 (indústria "
                "transformadora)."
            ),
            extra_sections=6,
        ),
    ),
    Call(
        "MAR2030-2027-03",
        "Promoção da economia azul sustentável nas comunidades costeiras",
        "Sustainable blue economy in coastal communities",
        (140,),
        "Promoção de uma economia azul sustentável nas regiões costeiras",
        "Economia azul",
        "FEAMPA",
        5_000_000,
        _d("2027-02-01"),
        _d("2027-03-10", True),
        _d("2027-03-10", True),
        "mar",
        "blue",
        Notice(
            admits=("enterprise", "social", "business_assoc"),
            beneficiaries="Capítulo II - Empresas, cooperativas e associações do setor.",
            extra_sections=2,
        ),
    ),
)


# ---- labels -------------------------------------------------------------------------------------


# districts that lie wholly in one NUTS II region: a company with only its district is placed there
DISTRICT_REGIONS = {"Porto": "norte", "Braga": "norte", "Faro": "algarve", "Évora": "alentejo"}


def _region(company: Company) -> tuple[str, str] | None:
    """(NUTS III or "" when unknown, region); None when the company's place is unknown."""
    if not company.municipality:
        region = DISTRICT_REGIONS.get(company.district)
        return ("", region) if region else None
    return MUNICIPALITIES[(company.district, company.municipality)]


def _programme_regions(call: Call) -> set[str]:
    return {r for p in call.programmes for r in PROGRAMMES[p][1]}


def metadata_kinds(call: Call) -> tuple[str, ...]:
    """The kinds of beneficiary the title/typology names (README "labels_metadata.csv")."""
    text = f"{call.title} {call.typology}".casefold()
    found: list[str] = []
    if "associações empresariais" in text:
        found.append("business_assoc")
    if "administração pública" in text:
        found.append("public_admin")
    if "administração local" in text:
        found.append("municipality")
    if "municípios" in text or "municipais" in text:
        found.append("municipality")
    if "economia social" in text:
        found.append("social")
    if "solidariedade social" in text:
        found.append("ipss")
    if "saict" in text:
        found.append("rd")
    if "entidades formadoras" in text:
        found.append("training")
    if "respostas sociais" in text:
        found += ["enterprise", "social"]
    return tuple(found) or ("enterprise",)


def metadata_sizes(call: Call) -> tuple[str, ...]:
    if "Não PME" in call.title:
        return LARGE
    if "PME" in call.title:
        return PME
    return SIZES_ALL


def _starts(cae: str, prefixes: tuple[str, ...]) -> bool:
    return any(cae.startswith(p) for p in prefixes)


def label(company: Company, call: Call, read_notice: bool) -> str:
    """'' for a match, else the first rule that fails."""
    dates = call.start <= AS_OF <= (call.end_current or call.end)
    if not dates:
        return "dates"
    where = _region(company)
    if where is not None:
        nuts3, region = where
        kind, places = call.notice.territory if read_notice else ("default", ())
        if kind == "default":
            ok = region in _programme_regions(call)
        elif kind == "mainland":
            ok = region in MAINLAND
        elif kind == "nuts3":
            if nuts3:
                ok = nuts3 in places
            else:  # district only: the region must be one of the listed subregions'
                ok = region in {r for n, r in MUNICIPALITIES.values() if n in places}
        elif company.municipality:
            ok = company.municipality in places
        else:
            ok = region in {r for (_, m), (_, r) in MUNICIPALITIES.items() if m in places}
        if not ok:
            return "geography"
    admits = call.notice.admits if read_notice else metadata_kinds(call)
    if not kinds(company) & set(admits):
        return "beneficiary"
    sizes = call.notice.sizes if read_notice else metadata_sizes(call)
    if company.size and company.size not in sizes:
        return "size"
    if read_notice and company.cae:
        if call.notice.cae_in and not _starts(company.cae, call.notice.cae_in):
            return "cae"
        if call.notice.cae_out and _starts(company.cae, call.notice.cae_out):
            return "cae"
    if call.sector is not None:
        if company.cae:
            fits = _starts(company.cae, SECTORS[call.sector])
        else:
            fits = call.sector in company.sector_by_activity
        if not fits:
            return "fit"
    return ""


def labels_csv(read_notice: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["nif", "aviso_id", "label", "rule"])
    for i, company in enumerate(COMPANIES):
        for call in CALLS:
            rule = label(company, call, read_notice)
            writer.writerow([nif_for(i), call.code, 0 if rule else 1, rule])
    return out.getvalue()


def leads_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Empresa", "NIF", "CAE", "Distrito", "Concelho", "Dimensão", "Atividade"])
    for i, c in enumerate(COMPANIES):
        writer.writerow([c.name, nif_for(i), c.cae, c.district, c.municipality, c.size, c.activity])
    return out.getvalue()


# ---- calls.json ----------------------------------------------------------------------------------


def notice_path(call: Call) -> str:
    year = call.code.split("-")[1]
    return f"Avisos/{year}/{call.code}/Aviso_{call.code}.pdf"


def _aviso(index: int, call: Call) -> dict[str, object]:
    return {
        "aviso": {
            "avisoGlobalId": 12000 + index,
            "codigoAviso": call.code,
            "designacaoPT": call.title,
            "designacaoEN": call.title_en,
            "classificacaoAvisoDesignacao": "Concurso",
            "dataUltimaAlteracao": call.start,
        },
        "estrutura": [
            {
                "programaOperacionalId": p,
                "programaOperacionalDesignacao": PROGRAMMES[p][0],
                "prioridadeDesignacao": "",
                "objetivoEspecificoDesignacao": call.objective,
                "tipologiaOperacaoDesignacao": call.typology,
                "fundoDesignacao": call.fund,
                "dotacao": call.allocation // len(call.programmes),
            }
            for p in call.programmes
        ],
        "calendario": {
            "dataPublicacao": call.start,
            "dataInicio": call.start,
            "dataFim": call.end,
            "dataFimAtual": call.end_current,
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
    avisos = [_aviso(i, c) for i, c in enumerate(CALLS)]
    pages = [{"status": 200, "avisos": avisos[i : i + 6]} for i in range(0, len(avisos), 6)]
    return json.dumps(pages, ensure_ascii=False, indent=1) + "\n"


# ---- notices (PDF) ------------------------------------------------------------------------------

MONTHS = (
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
)


def _long_date(iso: str) -> str:
    y, m, d = iso[:10].split("-")
    return f"{int(d)} de {MONTHS[int(m) - 1]} de {y}"


def _money(value: int) -> str:
    return f"{value:,}".replace(",", " ") + " euros"


def _filler(call: Call) -> list[tuple[str, str]]:
    """Sections a consultant skims: numbers, dates and article references that are not CAE."""
    alloc = call.allocation
    end = _long_date(call.end_current)
    return [
        (
            "Dotação orçamental",
            (
                f"A dotação do Fundo ({call.fund}) afeta ao presente Aviso é de {_money(alloc)}, "
                f"correspondendo a uma despesa pública de {_money(alloc * 100 // 85)}, distribuída "
                "pelos programas financiadores nos termos do quadro de programação financeira, "
                "podendo ser reforçada por decisão da autoridade de gestão nos termos do n.º 4 do "
                "artigo 15.º do Decreto-Lei n.º 20-A/2023, de 22 de março. Em caso de overbooking "
                "condicionado, até 25 % da dotação, as candidaturas aprovadas aguardam cabimento."
            ),
        ),
        (
            "Despesas elegíveis e limites",
            (
                "São elegíveis as despesas previstas no artigo 15.º do Regulamento Específico, "
                "designadamente: a) aquisição de máquinas e equipamentos, incluindo os custos de "
                "transporte, seguros, montagem e instalação; b) aquisição de equipamentos "
                "informáticos e software, até ao limite de 60 000 euros por operação; c) "
                "intervenções em instalações, até 20 % das despesas elegíveis totais; d) custos "
                "com o contabilista certificado, até 5 000 euros. Não são elegíveis, nos termos do "
                "artigo 16.º, a aquisição de terrenos, de veículos automóveis e de bens em estado "
                "de uso, os juros durante a realização do investimento e o IVA recuperável. O "
                "investimento elegível mínimo é de 250 000 euros e o máximo de 25 000 000 euros "
                "por candidatura, com duração até 24 meses, contados desde 1 de janeiro de 2027."
            ),
        ),
        (
            "Critérios de seleção",
            (
                "O mérito da operação (MO) é determinado por MO = 0,30 A + 0,25 B + 0,25 C + 0,20 D, "
                "sendo A a qualidade do projeto, B o impacto na competitividade, C o contributo "
                "para os objetivos do programa e D o alinhamento com a Estratégia de Especialização "
                "Inteligente (ENEI 2030, domínios 3.1 a 3.15). São selecionadas as operações com "
                "MO igual ou superior a 3,00 pontos, ordenadas por ordem decrescente; em caso de "
                "empate, prevalece o critério A, e depois a data de submissão. Os critérios foram "
                "aprovados pelo Comité de Acompanhamento em 14 de novembro de 2024."
            ),
        ),
        (
            "Taxas de financiamento",
            (
                "A taxa base de incentivo é de 30 %, acrescida de majorações: 10 p.p. para médias "
                "empresas localizadas nas NUTS III Alto Alentejo e Beiras e Serra da Estrela (taxa "
                "máxima de 50 %); 20 p.p. para micro e pequenas empresas (taxa máxima de 60 %); "
                "10 p.p. para investimentos em Indústria 4.0 ou transição climática, nos termos do "
                "artigo 14.º do Regulamento (UE) n.º 651/2014. O apoio reveste a forma de "
                "subvenção reembolsável, convertível em não reembolsável até 50 % em função do "
                "grau de cumprimento das metas, de acordo com o n.º 2 do artigo 18.º."
            ),
        ),
        (
            "Calendário e procedimento",
            (
                f"As candidaturas são submetidas no Balcão dos Fundos até às 17:59:59 de {end}, "
                "sendo analisadas em três fases com datas de corte a 31 de março, 30 de abril e 31 "
                "de maio. A decisão é comunicada no prazo de 60 dias úteis a contar da data de "
                "corte, conforme o artigo 20.º do Decreto-Lei n.º 20-A/2023; em audiência prévia, "
                "o candidato dispõe de 10 dias úteis para se pronunciar, nos termos dos artigos "
                "121.º e 122.º do Código do Procedimento Administrativo."
            ),
        ),
        (
            "Indicadores de realização e resultado",
            (
                "RCO01 - Empresas apoiadas (das quais: micro, pequenas, médias e grandes); RCO02 - "
                "Empresas apoiadas através de subvenções; RCR01 - Postos de trabalho criados nas "
                "entidades apoiadas; RCR02 - Investimento privado complementar do apoio público. A "
                "meta contratualizada para o indicador RCR01 é de 1,5 postos de trabalho por cada "
                "500 000 euros de incentivo, e o incumprimento superior a 25 % determina a "
                "redução proporcional do apoio."
            ),
        ),
        (
            "Obrigações dos beneficiários",
            (
                "Os beneficiários ficam obrigados, nos termos do artigo 26.º do Decreto-Lei n.º "
                "20-A/2023, a: a) executar a operação nos termos aprovados; b) manter a atividade e "
                "a localização geográfica durante três anos (PME) ou cinco anos (não PME) após o "
                "pagamento final; c) publicitar o apoio de acordo com o Anexo IX do Regulamento (UE) "
                "2021/1060; d) conservar os documentos durante o prazo de 5 anos a contar de 31 "
                "de dezembro do ano do último pagamento."
            ),
        ),
        (
            "Pagamentos",
            (
                "Os pagamentos são efetuados a título de adiantamento, até 40 % do incentivo "
                "aprovado, mediante garantia bancária, e de reembolso, com pedidos de pagamento "
                "intercalares de montante mínimo de 10 % do investimento elegível, sendo retidos "
                "5 % até ao encerramento, conforme o artigo 24.º. O pedido de pagamento final é "
                "apresentado no prazo de 90 dias após a conclusão."
            ),
        ),
        (
            "Regras de auxílios de Estado",
            (
                "Os apoios são concedidos ao abrigo do artigo 14.º (auxílios regionais ao "
                "investimento), do artigo 17.º (auxílios ao investimento a favor das PME) e do "
                "artigo 18.º (auxílios a serviços de consultoria) do Regulamento (UE) n.º 651/2014, "
                "na redação do Regulamento (UE) 2023/1315, ou do Regulamento (UE) 2023/2831 (de "
                "minimis), com o limite de 300 000 euros por empresa única em três anos."
            ),
        ),
        (
            "Pontos de contacto",
            (
                "Para esclarecimentos, a Linha dos Fundos (300 500 123, dias úteis das 9h às 18h) e "
                "o endereço eletrónico indicado no sítio do programa. As perguntas frequentes "
                "(FAQ) são publicadas e atualizadas no mesmo sítio, não dispensando a leitura do "
                "presente Aviso e da regulamentação aplicável."
            ),
        ),
    ]


BOILERPLATE = (
    (
        "Preâmbulo",
        (
            "Considerando o Acordo de Parceria Portugal 2030, aprovado pela Decisão de Execução "
            "C(2022) 4787 da Comissão Europeia, de 14 de julho de 2022, e o modelo de governação "
            "estabelecido pelo Decreto-Lei n.º 5/2023, de 25 de janeiro; considerando o Plano Anual de "
            "Avisos, publicado nos termos do artigo 7.º do Decreto-Lei n.º 20-A/2023, de 22 de março; "
            "considerando, por fim, a necessidade de assegurar a previsibilidade e a transparência no "
            "acesso aos fundos europeus, a autoridade de gestão, ouvida a comissão diretiva em reunião "
            "de 12 de dezembro de 2026, aprova o presente Aviso, que se publica no Balcão dos Fundos."
        ),
    ),
    (
        "Modalidade e forma de apresentação",
        (
            "As candidaturas são individuais ou em copromoção, apresentadas por formulário eletrónico "
            "no Balcão dos Fundos, instruídas com os documentos do Anexo A (memória descritiva, "
            "demonstrações financeiras dos exercícios de 2024 e 2025, declaração de compromisso de "
            "honra prevista no artigo 14.º e certidões de não dívida), sendo a autenticação feita com "
            "credenciais de acesso do Portal das Finanças ou Chave Móvel Digital, nos termos da Lei n.º "
            "37/2014, de 26 de junho."
        ),
    ),
    (
        "Condições de alteração da operação",
        (
            "As alterações à operação aprovada, designadamente à calendarização, ao plano de "
            "investimentos ou às metas, carecem de pedido fundamentado, decidido no prazo de 30 dias "
            "úteis; consideram-se tacitamente aprovadas as reprogramações temporais até 6 meses que "
            "não alterem o mérito, em conformidade com o artigo 28.º do Decreto-Lei n.º 20-A/2023."
        ),
    ),
    (
        "Divulgação de resultados e publicitação",
        (
            "A lista das operações aprovadas é publicada no sítio do programa e no Portal da "
            "Transparência, com a identificação do beneficiário, do montante de investimento elegível "
            "e do apoio, nos termos do artigo 49.º do Regulamento (UE) 2021/1060, sendo os dados "
            "pessoais tratados nos termos do Regulamento (UE) 2016/679 (RGPD) e da Lei n.º 58/2019."
        ),
    ),
    (
        "Princípios horizontais",
        (
            "As operações respeitam o princípio de «não prejudicar significativamente» (DNSH), "
            "previsto no artigo 17.º do Regulamento (UE) 2020/852, a Carta dos Direitos Fundamentais "
            "da União Europeia e a Convenção das Nações Unidas sobre os Direitos das Pessoas com "
            "Deficiência, bem como a igualdade entre homens e mulheres, nos termos do artigo 9.º do "
            "Regulamento (UE) 2021/1060, sendo verificada a conformidade na fase de análise."
        ),
    ),
    (
        "Disposições finais",
        (
            "Em tudo o que não estiver expressamente previsto no presente Aviso aplica-se o disposto "
            "no Regulamento Específico e no Decreto-Lei n.º 20-A/2023; as dúvidas de interpretação são "
            "resolvidas por deliberação da autoridade de gestão, publicada no sítio do programa. O "
            "presente Aviso entra em vigor no dia seguinte ao da sua publicação."
        ),
    ),
)


HEADINGS = {
    # style -> (numbering, names of the key sections)
    "compete": (
        "{n}. {t}",
        "Enquadramento e objetivos",
        "Natureza dos beneficiários",
        "Área geográfica de aplicação",
        "Âmbito setorial e condições de acesso",
    ),
    "ccdr": (
        "Artigo {n}.º - {t}",
        "Objeto",
        "Entidades beneficiárias",
        "Âmbito territorial",
        "Condições específicas de acesso",
    ),
    "pessoas": (
        "Secção {n} - {t}",
        "Enquadramento",
        "Quem pode candidatar-se",
        "Território",
        "Atividades",
    ),
    "mar": (
        "Capítulo {n} - {t}",
        "Disposições gerais",
        "Beneficiários",
        "Localização das operações",
        "Elegibilidade das operações",
    ),
}


def _sections(call: Call) -> list[tuple[str, str]]:
    _, intro, ben, geo, acc = HEADINGS[call.style]
    notice = call.notice
    programmes = "; ".join(PROGRAMMES[p][0] for p in call.programmes)
    filler = _filler(call)
    keep = filler[: notice.extra_sections]
    sections: list[tuple[str, str]] = [
        (
            intro,
            (
                f"O presente Aviso para Apresentação de Candidaturas (AAC) é aprovado pela autoridade "
                f"de gestão no âmbito do(s) programa(s) {programmes}, tipologia de operação "
                f"«{call.typology}», e rege-se pelo Decreto-Lei n.º 20-A/2023, de 22 de março, pelo "
                "Regulamento (UE) 2021/1060, de 24 de junho, e pelo Regulamento Específico "
                "aplicável. Visa o objetivo específico "
                + call.objective
                + ". O presente Aviso não "
                "dispensa a consulta da regulamentação aplicável."
            ),
        ),
    ]
    # the key clauses sit among irrelevant sections, in an order that differs by style
    middle: list[tuple[str, str]] = []
    if keep:
        middle.append(keep[0])
    middle.append((ben, notice.beneficiaries or "Beneficiários: empresas."))
    if notice.geography:
        middle.append((geo, notice.geography))
    middle += keep[1:3]
    if notice.cae_text:
        middle.append((acc, notice.cae_text))
    middle += keep[3:]
    pad = list(BOILERPLATE)
    # the long notices repeat their boilerplate (as republished avisos carry old and new text)
    repeats = notice.extra_sections - 3 if notice.extra_sections >= 6 else 1
    for r in range(repeats):
        pad += [(f"{t} ({'ABCDEFGH'[r]})", x) for t, x in BOILERPLATE[1:]]
    keep_tail = filler[notice.extra_sections :] if notice.extra_sections >= 6 else []
    return [pad[0], *sections, *middle, *pad[1:], *keep_tail]


def render_notice(call: Call) -> bytes:
    from fpdf import FPDF

    code = call.code
    programme = PROGRAMMES[call.programmes[0]][0].split(" - ")[0]

    class NoticePDF(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", "", 8)
            self.cell(0, 5, f"{programme} | Aviso n.º {code}", align="L")
            self.ln(8)

        def para(self, h: float, text: str, align: str = "L") -> None:
            self.multi_cell(0, h, text, align=align, new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", "", 8)
            self.cell(0, 5, f"Página {self.page_no()} de {{nb}}", align="C")

    pdf = NoticePDF(format="A4")
    pdf.set_creation_date(CREATED)
    pdf.set_creator("make_set")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.para(7, "AVISO PARA APRESENTAÇÃO DE CANDIDATURAS", align="C")
    pdf.para(7, f"Aviso n.º {code}", align="C")
    pdf.set_font("DejaVu", "B", 11)
    pdf.para(6, call.title, align="C")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 9)
    pdf.para(
        5,
        (
            f"Programa(s): {'; '.join(PROGRAMMES[p][0] for p in call.programmes)}\n"
            f"Fundo: {call.fund} | Tipologia: {call.typology}\n"
            f"Período de candidaturas: {_long_date(call.start)} a {_long_date(call.end)}"
        ),
    )
    pdf.ln(3)
    numbering = HEADINGS[call.style][0]
    for n, (title, text) in enumerate(_sections(call), start=1):
        pdf.set_font("DejaVu", "B", 10)
        pdf.para(6, numbering.format(n=n, t=title))
        pdf.set_font("DejaVu", "", 10.5)
        pdf.para(5.5, text)
        pdf.ln(2)
    notice = call.notice
    if notice.annex_table or notice.annex_text:
        pdf.add_page()
    if notice.annex_table:
        pdf.set_font("DejaVu", "B", 10)
        pdf.para(6, notice.annex_title)
        pdf.set_font("DejaVu", "", 8.5)
        with pdf.table(first_row_as_headings=True) as table:
            for row in notice.annex_table:
                cells = table.row()
                for value in row:
                    cells.cell(value)
        pdf.ln(4)
    if notice.annex_text:
        pdf.set_font("DejaVu", "", 9.5)
        pdf.para(5, notice.annex_text)
    return bytes(pdf.output())


# ---- main ---------------------------------------------------------------------------------------


def main() -> None:
    (HERE / "calls.json").write_text(calls_json(), encoding="utf-8")
    (HERE / "leads.csv").write_text(leads_csv(), encoding="utf-8")
    (HERE / "labels.csv").write_text(labels_csv(read_notice=True), encoding="utf-8")
    (HERE / "labels_metadata.csv").write_text(labels_csv(read_notice=False), encoding="utf-8")
    for call in CALLS:
        path = HERE / "notices" / notice_path(call)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_notice(call))


if __name__ == "__main__":
    main()
