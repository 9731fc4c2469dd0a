"""Write the evaluation set: calls, their notices (PDF), leads and two label files.

Run from anywhere: ``python tests/data/eval/make_set.py [OUT_DIR]`` (default: this folder).

Everything comes from the specs below: one per call (what its notice states: territory,
beneficiaries, sizes, CAE clauses, dates) and one per company. The notices are *rendered* from
those specs, and the labels are *derived* from them by the rules in README.md; nothing here imports
or reads elinara's code. Needs fpdf2 and a TTF with Portuguese glyphs (DejaVu Sans, Debian's
fonts-dejavu-core).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL_DATE = datetime(2026, 12, 1, 12, 0)  # Lisbon wall-clock time, as the calendario dates
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
PDF_DATE = datetime(2026, 11, 1, 9, 0)  # fixed creation date: the PDFs are reproducible

# ---- geography (NUTS 2013) -----------------------------------------------------------------

NORTE, CENTRO, LISBOA, ALENTEJO, ALGARVE = "norte", "centro", "lisboa", "alentejo", "algarve"
ACORES, MADEIRA = "acores", "madeira"
CONTINENTE = (NORTE, CENTRO, LISBOA, ALENTEJO, ALGARVE)
NATIONAL = (*CONTINENTE, ACORES, MADEIRA)
REGION_NAMES = {
    NORTE: "Norte",
    CENTRO: "Centro",
    LISBOA: "Lisboa",
    ALENTEJO: "Alentejo",
    ALGARVE: "Algarve",
    ACORES: "Região Autónoma dos Açores",
    MADEIRA: "Região Autónoma da Madeira",
}

# municipality -> (NUTS III, NUTS II) for the municipalities the leads use (NUTS 2013).
MUNICIPALITIES: dict[str, tuple[str, str]] = {
    "Guimarães": ("Ave", NORTE),
    "Barcelos": ("Cávado", NORTE),
    "Braga": ("Cávado", NORTE),
    "Matosinhos": ("Área Metropolitana do Porto", NORTE),
    "Santa Maria da Feira": ("Área Metropolitana do Porto", NORTE),
    "Arouca": ("Área Metropolitana do Porto", NORTE),
    "Porto": ("Área Metropolitana do Porto", NORTE),
    "Maia": ("Área Metropolitana do Porto", NORTE),
    "Paredes": ("Área Metropolitana do Porto", NORTE),
    "Penafiel": ("Tâmega e Sousa", NORTE),
    "Alijó": ("Douro", NORTE),
    "Peso da Régua": ("Douro", NORTE),
    "Chaves": ("Alto Tâmega", NORTE),
    "Bragança": ("Terras de Trás-os-Montes", NORTE),
    "Caminha": ("Alto Minho", NORTE),
    "Seia": ("Beiras e Serra da Estrela", CENTRO),
    "Covilhã": ("Beiras e Serra da Estrela", CENTRO),
    "Guarda": ("Beiras e Serra da Estrela", CENTRO),
    "Ovar": ("Região de Aveiro", CENTRO),
    "Marinha Grande": ("Região de Leiria", CENTRO),
    "Pombal": ("Região de Leiria", CENTRO),
    "Torres Vedras": ("Oeste", CENTRO),
    "Alcobaça": ("Oeste", CENTRO),
    "Ourém": ("Médio Tejo", CENTRO),
    "Coimbra": ("Região de Coimbra", CENTRO),
    "Lousã": ("Região de Coimbra", CENTRO),
    "Montemor-o-Velho": ("Região de Coimbra", CENTRO),
    "Viseu": ("Viseu Dão Lafões", CENTRO),
    "Tondela": ("Viseu Dão Lafões", CENTRO),
    "Lisboa": ("Área Metropolitana de Lisboa", LISBOA),
    "Cascais": ("Área Metropolitana de Lisboa", LISBOA),
    "Oeiras": ("Área Metropolitana de Lisboa", LISBOA),
    "Vila Franca de Xira": ("Área Metropolitana de Lisboa", LISBOA),
    "Setúbal": ("Área Metropolitana de Lisboa", LISBOA),
    "Barreiro": ("Área Metropolitana de Lisboa", LISBOA),
    "Cartaxo": ("Lezíria do Tejo", ALENTEJO),
    "Santarém": ("Lezíria do Tejo", ALENTEJO),
    "Sines": ("Alentejo Litoral", ALENTEJO),
    "Moura": ("Baixo Alentejo", ALENTEJO),
    "Serpa": ("Baixo Alentejo", ALENTEJO),
    "Évora": ("Alentejo Central", ALENTEJO),
    "Estremoz": ("Alentejo Central", ALENTEJO),
    "Ponte de Sor": ("Alto Alentejo", ALENTEJO),
    "Portimão": ("Algarve", ALGARVE),
    "Olhão": ("Algarve", ALGARVE),
    "Tavira": ("Algarve", ALGARVE),
    "Silves": ("Algarve", ALGARVE),
    "Faro": ("Algarve", ALGARVE),
    "Loulé": ("Algarve", ALGARVE),
    "Ponta Delgada": ("Região Autónoma dos Açores", ACORES),
    "Horta": ("Região Autónoma dos Açores", ACORES),
    "Angra do Heroísmo": ("Região Autónoma dos Açores", ACORES),
    "Funchal": ("Região Autónoma da Madeira", MADEIRA),
    "Câmara de Lobos": ("Região Autónoma da Madeira", MADEIRA),
    "Santa Cruz": ("Região Autónoma da Madeira", MADEIRA),
    # carve-outs (territory and CAE exceptions)
    "Tomar": ("Médio Tejo", CENTRO),
    "Torres Novas": ("Médio Tejo", CENTRO),
}

# ---- programmes: who they cover when a notice says nothing else -----------------------------


@dataclass(frozen=True)
class Programme:
    pid: int
    name: str
    short: str
    regions: tuple[str, ...]
    fund: str


PROGRAMMES = {
    "NORTE": Programme(
        101, "NORTE 2030 - Programa Regional do Norte 2021-2027", "Norte 2030", (NORTE,), "FEDER"
    ),
    "CENTRO": Programme(
        102,
        "CENTRO 2030 - Programa Regional do Centro 2021-2027",
        "Centro 2030",
        (CENTRO,),
        "FEDER",
    ),
    "LISBOA": Programme(
        103,
        "LISBOA 2030 - Programa Regional de Lisboa 2021-2027",
        "Lisboa 2030",
        (LISBOA,),
        "FEDER",
    ),
    "ALENTEJO": Programme(
        104,
        "ALENTEJO 2030 - Programa Regional do Alentejo 2021-2027",
        "Alentejo 2030",
        (ALENTEJO,),
        "FEDER",
    ),
    "ALGARVE": Programme(
        105,
        "ALGARVE 2030 - Programa Regional do Algarve 2021-2027",
        "Algarve 2030",
        (ALGARVE,),
        "FEDER",
    ),
    "ACORES": Programme(
        106,
        "AÇORES 2030 - Programa Regional dos Açores 2021-2027",
        "Açores 2030",
        (ACORES,),
        "FEDER",
    ),
    "MADEIRA": Programme(
        107,
        "MADEIRA 2030 - Programa Regional da Madeira 2021-2027",
        "Madeira 2030",
        (MADEIRA,),
        "FEDER",
    ),
    "COMPETE": Programme(
        110,
        "COMPETE 2030 - Programa Temático Inovação e Transição Digital",
        "COMPETE 2030",
        (NORTE, CENTRO, ALENTEJO),
        "FEDER",
    ),
    "PESSOAS": Programme(
        111,
        "PESSOAS 2030 - Programa Temático Demografia, Qualificações e Inclusão",
        "PESSOAS 2030",
        (NORTE, CENTRO, ALENTEJO),
        "FSE+",
    ),
    "SUSTENTAVEL": Programme(
        112,
        "SUSTENTÁVEL 2030 - Programa Temático Ação Climática e Sustentabilidade",
        "Sustentável 2030",
        CONTINENTE,
        "Fundo de Coesão",
    ),
    "MAR": Programme(113, "MAR 2030 - Programa Mar 2021-2027", "Mar 2030", NATIONAL, "FEAMPA"),
}

# ---- kinds of beneficiary, sizes, sectors ---------------------------------------------------

# What a call may admit. "empresa" is any enterprise (an entity carrying on an economic activity,
# whatever its legal form: commercial companies and cooperatives, Recomendação 2003/361/CE).
EMPRESA = "empresa"
FORMADORA = "entidade_formadora"  # certified training providers
ADMIN = "administracao_publica"  # central, regional and local public administration
MUNICIPIO = "municipio"  # municipalities and intermunicipal entities
ASSOC_EMP = "associacao_empresarial"  # business and professional associations
ID = "entidade_id"  # R&D entities
SOCIAL = "economia_social"  # cooperatives, associations, foundations (non-profit)
CENTRAL = "administracao_central"  # the State's direct and indirect administration
IPSS = "ipss"  # instituições particulares de solidariedade social (Decreto-Lei 172-A/2014)
BENEFICIARY_WORDS = {
    EMPRESA: "empresas",
    FORMADORA: "entidades formadoras certificadas",
    ADMIN: "entidades da Administração Pública",
    MUNICIPIO: "municípios e entidades intermunicipais",
    ASSOC_EMP: "associações empresariais",
    ID: "entidades do Sistema de I&I",
    SOCIAL: "entidades da economia social",
    CENTRAL: "serviços e organismos da administração central do Estado",
    IPSS: "instituições particulares de solidariedade social",
}

MICRO, PEQUENA, MEDIA, GRANDE = "micro", "pequena", "media", "grande"
ALL_SIZES = frozenset({MICRO, PEQUENA, MEDIA, GRANDE})
PME = frozenset({MICRO, PEQUENA, MEDIA})
MICRO_PEQUENA = frozenset({MICRO, PEQUENA})
NAO_PME = frozenset({GRANDE})
SIZE_OF = {"Micro": MICRO, "Pequena": PEQUENA, "Média": MEDIA, "Grande": GRANDE}

# A sector call fits only companies whose CAE starts with one of these codes ("a-b" = the
# divisions a to b). A horizontal call (sector None) fits any eligible company.
SECTORS: dict[str, tuple[str, ...]] = {
    "turismo": ("55", "56", "79", "9321", "9329"),
    "aquicultura": ("032",),
    "pesca": ("03", "102", "4638"),
    "agroalimentar": ("10", "11"),
    "cadeias_curtas": ("01", "10", "11"),
    "cultura": ("58", "59", "60", "741", "742", "90", "91"),
    "social": ("87", "88"),
    "saude": ("21", "266", "325", "86"),
    "logistica": ("49", "52", "53"),
    "industria": ("10-33",),
    "economia_azul": ("03", "102", "3011", "3012", "3315", "50", "5222", "4638"),
}

CAE_NAMES = {
    "01": "Agricultura, produção animal, caça e atividades dos serviços relacionados",
    "02": "Silvicultura e exploração florestal",
    "03": "Pesca e aquicultura",
    "032": "Aquicultura",
    "0321": "Aquicultura em águas salgadas e salobras",
    "0322": "Aquicultura em águas doces",
    "05-09": "Indústrias extrativas",
    "10": "Indústrias alimentares",
    "102": "Preparação e conservação de peixes, crustáceos e moluscos",
    "11": "Indústria das bebidas",
    "10-33": "Indústrias transformadoras",
    "12": "Indústria do tabaco",
    "21": "Fabricação de produtos farmacêuticos de base e de preparações farmacêuticas",
    "241": "Siderurgia e fabricação de ferro-ligas",
    "266": "Fabricação de equipamentos de radiação, eletromedicina e eletroterapêutico",
    "3011": "Construção de navios e de estruturas flutuantes",
    "3012": "Construção de embarcações de recreio e de desporto",
    "325": "Fabricação de instrumentos e material médico-cirúrgico",
    "3315": "Reparação e manutenção de embarcações",
    "35": "Eletricidade, gás, vapor, água quente e fria e ar frio",
    "4638": "Comércio por grosso de outros produtos alimentares (inclui peixe)",
    "49": "Transportes terrestres e transportes por oleodutos ou gasodutos",
    "50": "Transportes por água",
    "52": "Armazenagem e atividades auxiliares dos transportes",
    "5222": "Atividades auxiliares dos transportes por água",
    "53": "Atividades postais e de courier",
    "55": "Alojamento",
    "56": "Restauração e similares",
    "58": "Atividades de edição",
    "59": "Atividades cinematográficas, de vídeo, de produção de programas de televisão",
    "60": "Atividades de rádio e de televisão",
    "64-66": "Atividades financeiras e de seguros",
    "68": "Atividades imobiliárias",
    "741": "Atividades de design",
    "742": "Atividades fotográficas",
    "79": "Agências de viagem, operadores turísticos e outros serviços de reservas",
    "84": "Administração Pública e Defesa; Segurança Social Obrigatória",
    "86": "Atividades de saúde humana",
    "87": "Atividades de apoio social com alojamento",
    "88": "Atividades de apoio social sem alojamento",
    "90": "Atividades de teatro, de música, de dança e outras atividades artísticas",
    "91": "Atividades das bibliotecas, arquivos, museus e outras atividades culturais",
    "92": "Lotarias e outros jogos de aposta",
    "9321": "Atividades de parques de diversão e temáticos",
    "9329": "Outras atividades de diversão e recreativas",
    "94": "Atividades das organizações associativas",
    "K": "Atividades financeiras e de seguros",
    "55201": "Alojamento mobilado para turistas",
    "66300": "Atividades de gestão de fundos",
}


# The CAE sections (letters) the notices name, as ranges of divisions.
SECTION_DIVISIONS = {"C": "10-33", "K": "64-66"}


def cae_matches(cae: str, code: str) -> bool:
    """Does the CAE ``cae`` fall under ``code`` (a prefix, a range "a-b" of equal-length codes,
    or a section letter)?"""
    code = SECTION_DIVISIONS.get(code, code)
    if "-" in code:
        low, high = code.split("-")
        head = cae[: len(low)]
        return len(head) == len(low) and low <= head <= high
    return cae.startswith(code)


# ---- companies ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Company:
    name: str
    cae: str
    district: str
    municipality: str
    size: str  # Micro / Pequena / Média / Grande / ""
    activity: str
    # Only for a company without a CAE: the sector a consultant reads in its activity.
    activity_sector: str = ""

    @property
    def region(self) -> str:
        return MUNICIPALITIES[self.municipality][1] if self.municipality else ""

    @property
    def nuts3(self) -> str:
        return MUNICIPALITIES[self.municipality][0] if self.municipality else ""

    @property
    def kinds(self) -> frozenset[str]:
        """Which kinds of beneficiary this lead is (README: "Who the company is")."""
        name = f" {self.name.casefold()} "
        found: set[str] = set()
        if "município" in name or "câmara municipal" in name:
            found |= {MUNICIPIO, ADMIN}
        elif " i.p." in name or "agrupamento de escolas" in name:
            found |= {ADMIN, CENTRAL}
        elif self.cae.startswith("84"):
            found.add(ADMIN)
        elif "cooperativa" in name or " crl" in name or "c.r.l." in name:
            found |= {EMPRESA, SOCIAL}
        elif any(w in name for w in ("misericórdia", "centro social", "solidariedade social")):
            found |= {SOCIAL, IPSS}
        elif "associação" in name or "fundação" in name:
            # business and professional associations are not social-economy entities here
            if not self.cae.startswith(("9411", "9412")):
                found.add(SOCIAL)
        else:
            found.add(EMPRESA)
        if SOCIAL in found and self.cae.startswith(("87", "88")):
            found.add(IPSS)  # social services: IPSS, or a cooperative the law equates to one
        if self.cae.startswith("8559"):
            found.add(FORMADORA)
        if self.cae.startswith(("9411", "9412")):
            found.add(ASSOC_EMP)
        if self.cae.startswith("72"):
            found.add(ID)
        return frozenset(found)


def _c(
    name: str,
    cae: str,
    district: str,
    municipality: str,
    size: str,
    activity: str,
    sector: str = "",
) -> Company:
    return Company(name, cae, district, municipality, size, activity, sector)


COMPANIES: tuple[Company, ...] = (
    # Norte
    _c(
        "Metalúrgica do Vale do Ave, Lda",
        "25110",
        "Braga",
        "Guimarães",
        "Pequena",
        "Fabrico de estruturas metálicas e serralharia para a indústria e construção.",
    ),
    _c(
        "Confeções Barcelense, S.A.",
        "14131",
        "Braga",
        "Barcelos",
        "Média",
        "Confeção de vestuário exterior em série para marcas internacionais.",
    ),
    _c(
        "Conservas Leixões, S.A.",
        "10201",
        "Porto",
        "Matosinhos",
        "Média",
        "Conservas de sardinha, atum e cavala para exportação.",
    ),
    _c(
        "Calçado Feirense, Lda",
        "15201",
        "Aveiro",
        "Santa Maria da Feira",
        "Pequena",
        "Fabrico de calçado de couro de senhora; exporta 80% da produção.",
    ),
    _c(
        "Quinta do Xisto - Vinhos, Lda",
        "11021",
        "Vila Real",
        "Alijó",
        "Micro",
        "Produção e engarrafamento de vinho do Douro DOC e vinho do Porto.",
    ),
    _c(
        "Fumeiro de Chaves, Lda",
        "10130",
        "Vila Real",
        "Chaves",
        "Micro",
        "Enchidos e presunto tradicionais de porco bísaro.",
    ),
    _c(
        "Cooperativa Agrícola Castanha Transmontana, CRL",
        "01250",
        "Bragança",
        "Bragança",
        "Pequena",
        "Produção e comercialização de castanha dos associados.",
    ),
    _c(
        "Software Invicta, Lda",
        "62010",
        "Porto",
        "Porto",
        "Pequena",
        "Desenvolvimento de software de gestão para a indústria.",
    ),
    _c(
        "Aços do Norte - Siderurgia, S.A.",
        "24100",
        "Porto",
        "Maia",
        "Grande",
        "Produção de varão de aço para construção a partir de sucata.",
    ),
    _c(
        "Moldes Arouca, Lda",
        "25734",
        "Aveiro",
        "Arouca",
        "Média",
        "Fabrico de moldes metálicos para injeção de plásticos.",
    ),
    _c(
        "Hotel Ribeira do Douro, Lda",
        "55111",
        "Vila Real",
        "Peso da Régua",
        "Pequena",
        "Hotel de quatro estrelas com 40 quartos e enoturismo.",
    ),
    _c(
        "Associação Empresarial do Minho",
        "94110",
        "Braga",
        "Braga",
        "",
        "Representação das empresas do Minho, feiras e missões empresariais.",
    ),
    _c("Município de Paredes", "84110", "Porto", "Paredes", "", "Autarquia local."),
    _c(
        "Transportes Rápidos do Tâmega, Lda",
        "49410",
        "Porto",
        "Penafiel",
        "Média",
        "Transporte rodoviário de mercadorias nacional e internacional; frota de 60 camiões.",
    ),
    _c(
        "Aquicultura Rio Minho, Lda",
        "03220",
        "Viana do Castelo",
        "Caminha",
        "Micro",
        "Produção de truta em tanques de água doce.",
    ),
    _c(
        "BioInova Porto - Investigação, Lda",
        "72110",
        "Porto",
        "Porto",
        "Pequena",
        "Investigação e desenvolvimento em biotecnologia aplicada à saúde.",
    ),
    _c(
        "Cortiças Lusas, S.A.",
        "16293",
        "Aveiro",
        "Santa Maria da Feira",
        "Grande",
        "Rolhas de cortiça natural e técnicas para vinhos e espumantes.",
    ),
    _c(
        "Startup Digital Porto, Lda",
        "62010",
        "Porto",
        "Porto",
        "",
        "Plataforma de comércio eletrónico para pequenos retalhistas.",
    ),
    # Centro
    _c(
        "Queijaria Serra da Estrela, Lda",
        "10510",
        "Guarda",
        "Seia",
        "Pequena",
        "Queijo Serra da Estrela DOP e outros lacticínios de ovelha.",
    ),
    _c(
        "Cerâmicas Vareiras, Lda",
        "23412",
        "Aveiro",
        "Ovar",
        "Média",
        "Louça de faiança e grés para mesa, exportada para a Europa.",
    ),
    _c(
        "Vidros da Marinha, S.A.",
        "23131",
        "Leiria",
        "Marinha Grande",
        "Grande",
        "Vidro de embalagem para as indústrias alimentar e de bebidas.",
    ),
    _c(
        "Torres Frutas - Comércio de Fruta, Lda",
        "46311",
        "Lisboa",
        "Torres Vedras",
        "Pequena",
        "Comércio por grosso de pera rocha e maçã de Alcobaça.",
    ),
    _c(
        "Plásticos de Ourém, Lda",
        "22292",
        "Santarém",
        "Ourém",
        "Pequena",
        "Injeção de peças plásticas técnicas para a indústria automóvel.",
    ),
    _c(
        "Formação Beira Interior - Centro de Formação Profissional, Lda",
        "85591",
        "Castelo Branco",
        "Covilhã",
        "Micro",
        "Entidade formadora certificada pela DGERT: formação profissional para empresas.",
    ),
    _c(
        "Editora Mondego, Lda",
        "58110",
        "Coimbra",
        "Coimbra",
        "Micro",
        "Edição de livros de autores portugueses.",
    ),
    _c(
        "Clínica Dentária Viriato, Lda",
        "86230",
        "Viseu",
        "Viseu",
        "Micro",
        "Clínica de medicina dentária.",
    ),
    _c(
        "Lar Residencial Sol Nascente, Lda",
        "87301",
        "Leiria",
        "Pombal",
        "Pequena",
        "Estrutura residencial para pessoas idosas com 45 camas.",
    ),
    _c(
        "Casa da Lousã",
        "",
        "Coimbra",
        "Lousã",
        "Micro",
        "Turismo no espaço rural: casa de campo com seis quartos na serra da Lousã.",
        "turismo",
    ),
    _c(
        "Associação Centro de Investigação em Materiais",
        "72190",
        "Coimbra",
        "Coimbra",
        "",
        "Investigação em materiais compósitos; associação privada sem fins lucrativos.",
    ),
    _c("Câmara Municipal de Tondela", "84110", "Viseu", "Tondela", "", "Autarquia local."),
    _c(
        "Pastelaria Tradicional de Tentúgal, Lda",
        "10711",
        "Coimbra",
        "Montemor-o-Velho",
        "Micro",
        "Fabrico de pastéis de Tentúgal e pastelaria conventual.",
    ),
    _c(
        "Fundação Beira Solidária",
        "88910",
        "Guarda",
        "Guarda",
        "",
        "Creche e centro de atividades de tempos livres.",
    ),
    _c(
        "Agência Regional de Desenvolvimento do Centro, I.P.",
        "84130",
        "Coimbra",
        "Coimbra",
        "",
        "Instituto público de apoio ao desenvolvimento regional.",
    ),
    _c(
        "Adega Cooperativa de Alcobaça, CRL",
        "11021",
        "Leiria",
        "Alcobaça",
        "Média",
        "Vinificação e engarrafamento dos vinhos dos associados.",
    ),
    # Lisboa
    _c(
        "Digital Tejo Software, S.A.",
        "62020",
        "Lisboa",
        "Lisboa",
        "Média",
        "Consultoria e integração de sistemas informáticos para a banca.",
    ),
    _c(
        "Restaurante Alfama Antiga, Lda",
        "56101",
        "Lisboa",
        "Lisboa",
        "Micro",
        "Restaurante de cozinha portuguesa com fado.",
    ),
    _c(
        "Setúbal Pescado, Lda",
        "46381",
        "Setúbal",
        "Setúbal",
        "Pequena",
        "Comércio por grosso de peixe fresco e congelado.",
    ),
    _c(
        "Produtora Audiovisual Cascais, Lda",
        "59110",
        "Lisboa",
        "Cascais",
        "Micro",
        "Produção de documentários e publicidade.",
    ),
    _c(
        "MedTech Oeiras, Lda",
        "32502",
        "Lisboa",
        "Oeiras",
        "Pequena",
        "Dispositivos médicos para cirurgia minimamente invasiva.",
    ),
    _c(
        "Banco Lusitano de Investimento, S.A.",
        "64190",
        "Lisboa",
        "Lisboa",
        "Grande",
        "Banca de investimento.",
    ),
    _c(
        "Vila Franca Logística, S.A.",
        "52102",
        "Lisboa",
        "Vila Franca de Xira",
        "Grande",
        "Armazenagem frigorífica e distribuição.",
    ),
    _c(
        "Associação dos Comerciantes do Barreiro",
        "94110",
        "Setúbal",
        "Barreiro",
        "",
        "Associação do comércio local.",
    ),
    # Alentejo
    _c(
        "Azeites do Alqueva, Lda",
        "10412",
        "Beja",
        "Moura",
        "Pequena",
        "Produção de azeite virgem extra a partir de olival próprio e de terceiros.",
    ),
    _c(
        "Mármores de Estremoz, S.A.",
        "08111",
        "Évora",
        "Estremoz",
        "Média",
        "Extração e transformação de mármore.",
    ),
    _c(
        "Herdade do Montado - Vinhos, Lda",
        "01210",
        "Évora",
        "Évora",
        "Micro",
        "Viticultura em produção integrada.",
    ),
    _c(
        "Cortiças de Ponte de Sor, S.A.",
        "16294",
        "Portalegre",
        "Ponte de Sor",
        "Média",
        "Preparação de cortiça e fabrico de aglomerados.",
    ),
    _c(
        "Sines Energia Solar, Lda",
        "35113",
        "Setúbal",
        "Sines",
        "Pequena",
        "Produção de eletricidade fotovoltaica.",
    ),
    _c(
        "Agro Máquinas Santarém, Lda",
        "28300",
        "Santarém",
        "Santarém",
        "Média",
        "Fabrico de máquinas agrícolas e florestais.",
    ),
    _c(
        "Alentejo Tours, Lda",
        "79120",
        "Évora",
        "Évora",
        "Micro",
        "Operador turístico: enoturismo e rotas do património.",
    ),
    _c(
        "Associação para a Formação Profissional do Alentejo",
        "85591",
        "Évora",
        "Évora",
        "",
        "Entidade formadora certificada; formação de ativos e desempregados.",
    ),
    _c(
        "Adega Cooperativa do Cartaxo, CRL",
        "11021",
        "Santarém",
        "Cartaxo",
        "Média",
        "Vinhos do Tejo dos associados.",
    ),
    # Algarve
    _c(
        "Hotel Praia da Rocha, S.A.",
        "55111",
        "Faro",
        "Portimão",
        "Média",
        "Hotel de praia com 180 quartos.",
    ),
    _c("Marisqueira de Olhão, Lda", "56101", "Faro", "Olhão", "Micro", "Restaurante de marisco."),
    _c(
        "Aquicultura Ria Formosa, Lda",
        "03210",
        "Faro",
        "Tavira",
        "Pequena",
        "Produção de ostra e amêijoa em viveiros na Ria Formosa.",
    ),
    _c(
        "Cooperativa Agrícola Laranja do Algarve, CRL",
        "01230",
        "Faro",
        "Silves",
        "Média",
        "Produção e embalamento de citrinos dos associados.",
    ),
    _c(
        "AlgarTech Soluções, Lda",
        "62010",
        "Faro",
        "Faro",
        "Micro",
        "Software de reservas para alojamento local.",
    ),
    _c("Município de Loulé", "84110", "Faro", "Loulé", "", "Autarquia local."),
    # Açores
    _c(
        "Lacticínios Ilha Verde, Lda",
        "10510",
        "Açores",
        "Ponta Delgada",
        "Média",
        "Queijo e manteiga de leite de vaca de pastagem.",
    ),
    _c(
        "Pousada Faial Mar, Lda",
        "55111",
        "Açores",
        "Horta",
        "Micro",
        "Pequeno hotel junto à marina da Horta.",
    ),
    _c(
        "Pescas Açorianas, Lda",
        "03111",
        "Açores",
        "Angra do Heroísmo",
        "Pequena",
        "Pesca de atum com salto e vara.",
    ),
    # Madeira
    _c(
        "Vinhos da Madeira Atlântico, S.A.",
        "11021",
        "Madeira",
        "Funchal",
        "Média",
        "Produção e envelhecimento de vinho Madeira.",
    ),
    _c(
        "Bordados da Madeira Tradição, Lda",
        "13992",
        "Madeira",
        "Câmara de Lobos",
        "Micro",
        "Bordado Madeira certificado.",
    ),
    _c(
        "Frutas Tropicais da Madeira, Lda",
        "10320",
        "Madeira",
        "Santa Cruz",
        "Pequena",
        "Sumos e polpas de maracujá e anona.",
    ),
    # no region
    _c(
        "Consultoria Estratégica Global, Lda",
        "70220",
        "",
        "",
        "Pequena",
        "Consultoria de gestão e candidaturas a fundos europeus.",
    ),
    # IPSS and the State's central administration (beside a plain association and municipalities)
    _c(
        "Santa Casa da Misericórdia de Viseu",
        "87301",
        "Viseu",
        "Viseu",
        "",
        "Estrutura residencial para pessoas idosas, centro de dia e apoio domiciliário.",
    ),
    _c(
        "Centro Social Paroquial de Penafiel",
        "88910",
        "Porto",
        "Penafiel",
        "",
        "Creche, pré-escolar e centro de atividades de tempos livres.",
    ),
    _c(
        "Cooperativa de Solidariedade Social Os Amigos de Évora, CRL",
        "88101",
        "Évora",
        "Évora",
        "Pequena",
        "Centro de atividades ocupacionais para pessoas com deficiência.",
    ),
    _c(
        "Associação Cultural e Recreativa de Ovar",
        "94991",
        "Aveiro",
        "Ovar",
        "",
        "Grupo de teatro amador, rancho folclórico e banda filarmónica.",
    ),
    _c(
        "Agrupamento de Escolas de Matosinhos Sul",
        "85310",
        "Porto",
        "Matosinhos",
        "",
        "Escolas públicas do pré-escolar ao ensino secundário.",
    ),
    # carve-outs: companies on both sides of a territory or CAE exception
    _c(
        "Papéis do Nabão, Lda",
        "17120",
        "Santarém",
        "Tomar",
        "Pequena",
        "Fabrico de papel e cartão para embalagem a partir de fibra reciclada.",
    ),
    _c(
        "Tabacos do Zêzere, S.A.",
        "12000",
        "Santarém",
        "Torres Novas",
        "Média",
        "Fabrico de cigarrilhas e tabaco de enrolar.",
    ),
    _c(
        "Mondego Capital - Sociedade Gestora de Fundos, S.A.",
        "66300",
        "Coimbra",
        "Coimbra",
        "Pequena",
        "Gestão de fundos de investimento imobiliário e de capital de risco.",
    ),
    _c(
        "Seguros Conimbriga - Mediação, Lda",
        "66220",
        "Coimbra",
        "Coimbra",
        "Micro",
        "Mediação de seguros para empresas e particulares.",
    ),
    _c(
        "Apartamentos Ria de Tavira, Lda",
        "55201",
        "Faro",
        "Tavira",
        "Micro",
        "Apartamentos turísticos mobilados junto à Ria Formosa.",
    ),
    _c(
        "Hotel Vilamoura Golfe, S.A.",
        "55111",
        "Faro",
        "Loulé",
        "Média",
        "Hotel de golfe com 120 quartos.",
    ),
)


def nif_for(index: int, public: bool) -> str:
    """A valid NIF (mod-11 check digit), fictional and stable for ``index``."""
    head = ("6" if public else "5") + f"{(7919 * (index + 11) * 131) % 10**7:07d}"
    total = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True))
    check = 11 - total % 11
    return head + str(0 if check >= 10 else check)


def company_nif(index: int, company: Company) -> str:
    return nif_for(index, " i.p." in f" {company.name.casefold()} ")


# ---- calls ----------------------------------------------------------------------------------

CaeList = tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    """What a call's notice states about who may apply (the notice is rendered from this)."""

    beneficiaries: frozenset[str]
    sizes: frozenset[str]
    # Territory: None = the programmes' own regions; otherwise one of the overrides.
    regions: tuple[str, ...] | None = None  # e.g. all mainland regions by art. 70(2)
    nuts3: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    cae_eligible: CaeList = ()
    cae_excluded: CaeList = ()
    annex: str = ""  # "table" / "list": where the CAE clause is; "" = in the body text
    # Carve-outs: places taken out of the territory stated above, and CAE codes excepted
    # inside the eligible list ("divisões 10 a 33, com exceção da divisão 12").
    nuts3_excluded: tuple[str, ...] = ()
    municipalities_excluded: tuple[str, ...] = ()
    cae_except: CaeList = ()
    carve_wording: int = 0  # which wording of the territory carve-out the notice uses


@dataclass(frozen=True)
class Call:
    code: str
    title: str
    title_en: str
    programmes: tuple[str, ...]
    typology: str
    objective: str
    start: str
    end: str
    end_current: str = ""
    sector: str | None = None  # None = horizontal
    # A consultant's reading of the title/typology alone (labels_metadata.csv):
    meta_beneficiaries: frozenset[str] = frozenset({EMPRESA})
    meta_sizes: frozenset[str] = ALL_SIZES
    notice: Notice | None = None
    notice_state: str = "ok"  # ok / missing / corrupt
    style: int = 0
    published: str = ""
    dotacao: int = 10_000_000
    purpose: str = ""  # one sentence on what the call funds (rendered in the notice)


RSO13 = (
    "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME e a criação de "
    "emprego nas PME, inclusive através de investimentos produtivos"
)
RSO12 = "RSO1.2. Aproveitar as vantagens da digitalização para os cidadãos, as empresas, as organizações de investigação e as autoridades públicas"
RSO11 = "RSO1.1. Desenvolver e reforçar as capacidades de investigação e inovação e a adoção de tecnologias avançadas"
RSO21 = (
    "RSO2.1. Promover a eficiência energética e reduzir as emissões de gases com efeito de estufa"
)
RSO26 = (
    "RSO2.6. Promover a transição para uma economia circular e eficiente na utilização dos recursos"
)
ESO44 = "ESO4.4. Promover a adaptação dos trabalhadores, das empresas e dos empresários à mudança"
ESO41 = "ESO4.1. Melhorar o acesso ao emprego e a medidas de ativação"
ESO48 = "ESO4.8. Fomentar a inclusão ativa, a fim de promover a igualdade de oportunidades"
RSO51 = "RSO5.1. Promover o desenvolvimento social, económico e ambiental integrado e inclusivo"
MAR21 = "1.2. Promover atividades de aquicultura sustentáveis"
MAR23 = "2.2. Promover a comercialização e a transformação dos produtos da pesca e da aquicultura"

# Sectors a horizontal business notice commonly excludes (primary production, finance,
# public administration, gambling, membership organisations, energy).
USUAL_EXCLUDED: CaeList = ("01", "02", "03", "35", "64-66", "84", "92", "94")
REGIONAL_AID_EXCLUDED: CaeList = (
    "01",
    "02",
    "03",
    "241",
    "35",
    "49",
    "50",
    "64-66",
    "84",
    "92",
    "94",
)

N = Notice
COMPANY_ONLY = frozenset({EMPRESA})

CALLS: tuple[Call, ...] = (
    # 0: COMPETE, title silent on size; the notice admits PME only and excludes sectors (table)
    Call(
        "COMPETE2030-2026-31",
        "SICE - Inovação Produtiva",
        "SICE - Productive Innovation",
        ("COMPETE",),
        "Inovação produtiva",
        RSO13,
        "2026-10-01",
        "2027-02-27T17:59:59",
        notice=N(COMPANY_ONLY, PME, cae_excluded=REGIONAL_AID_EXCLUDED, annex="table"),
        style=0,
        dotacao=120_000_000,
        purpose="investimentos produtivos que introduzam novos produtos ou processos",
    ),
    # 1: COMPETE, the notice extends it to all mainland regions (art. 70(2))
    Call(
        "COMPETE2030-2026-32",
        "SICE - Qualificação das PME",
        "SICE - SME Qualification",
        ("COMPETE",),
        "Qualificação das PME",
        RSO13,
        "2026-09-15",
        "2027-01-29T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, regions=CONTINENTE, cae_excluded=USUAL_EXCLUDED),
        style=0,
        dotacao=60_000_000,
        purpose="a qualificação das PME em domínios imateriais da competitividade: "
        "organização, gestão, marketing, qualidade e economia digital",
    ),
    # 2: COMPETE, large companies only (title says so)
    Call(
        "COMPETE2030-2026-33",
        "SICE - Inovação Produtiva Não PME",
        "SICE - Productive Innovation Non-SME",
        ("COMPETE",),
        "Inovação produtiva",
        RSO13,
        "2026-10-15",
        "2027-03-31T17:59:59",
        meta_sizes=NAO_PME,
        notice=N(COMPANY_ONLY, NAO_PME, cae_excluded=REGIONAL_AID_EXCLUDED, annex="list"),
        style=0,
        dotacao=90_000_000,
        purpose="projetos de investimento produtivo de grandes empresas",
    ),
    # 3: Norte, limited to three NUTS III by its notice
    Call(
        "NORTE2030-2026-41",
        "SICE - Inovação Produtiva PME",
        "SICE - SME Productive Innovation",
        ("NORTE",),
        "Inovação produtiva",
        RSO13,
        "2026-09-01",
        "2027-01-15T17:59:59",
        meta_sizes=PME,
        notice=N(
            COMPANY_ONLY,
            PME,
            nuts3=("Alto Tâmega", "Terras de Trás-os-Montes", "Douro"),
            cae_excluded=REGIONAL_AID_EXCLUDED,
            annex="table",
        ),
        style=1,
        dotacao=35_000_000,
        purpose="investimento produtivo de PME nos territórios do interior do Norte",
    ),
    # 4: Norte, horizontal, plain
    Call(
        "NORTE2030-2026-42",
        "Transição Digital das PME",
        "Digital Transition of SMEs",
        ("NORTE",),
        "Transição digital das PME",
        RSO12,
        "2026-07-01",
        "2026-12-30T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_excluded=USUAL_EXCLUDED),
        style=1,
        dotacao=20_000_000,
        purpose="a adoção de tecnologias digitais nos processos de negócio das PME",
    ),
    # 5: Norte, municipalities (title says municipal)
    Call(
        "NORTE2030-2026-43",
        "Requalificação de Equipamentos Municipais de Proximidade",
        "Refurbishment of Local Municipal Facilities",
        ("NORTE",),
        "Equipamentos sociais e de proximidade",
        RSO51,
        "2026-08-01",
        "2027-02-15T17:59:59",
        meta_beneficiaries=frozenset({MUNICIPIO}),
        notice=N(frozenset({MUNICIPIO}), ALL_SIZES),
        style=1,
        dotacao=25_000_000,
        purpose="a requalificação de equipamentos municipais de proximidade",
    ),
    # 6: Norte, manufacturing only (sector call), CAE range in the body
    Call(
        "NORTE2030-2026-44",
        "Indústria 4.0 - Transformação Digital da Indústria",
        "Industry 4.0 - Digital Transformation of Manufacturing",
        ("NORTE",),
        "Transição digital das PME",
        RSO12,
        "2026-10-01",
        "2027-01-31T17:59:59",
        sector="industria",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_eligible=("10-33",), cae_excluded=("12",)),
        style=1,
        dotacao=15_000_000,
        purpose="a digitalização de processos produtivos na indústria transformadora",
    ),
    # 7: Centro, "PME" title whose notice admits only micro and small companies
    Call(
        "CENTRO2030-2026-51",
        "Empreendedorismo Qualificado e Criativo - PME",
        "Qualified and Creative Entrepreneurship - SME",
        ("CENTRO",),
        "Empreendedorismo qualificado e criativo",
        RSO13,
        "2026-09-20",
        "2027-01-20T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, MICRO_PEQUENA, cae_excluded=USUAL_EXCLUDED),
        style=2,
        dotacao=18_000_000,
        purpose="a criação e o arranque de empresas em atividades inovadoras",
    ),
    # 8: Centro, plain horizontal, CAE exclusions in a list annex
    Call(
        "CENTRO2030-2026-52",
        "Internacionalização das PME",
        "SME Internationalisation",
        ("CENTRO",),
        "Internacionalização das PME",
        RSO13,
        "2026-10-10",
        "2027-02-10T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_excluded=USUAL_EXCLUDED, annex="list"),
        style=2,
        dotacao=22_000_000,
        purpose="o reforço da presença das PME nos mercados externos",
    ),
    # 9: COMPETE, business associations (title says so)
    Call(
        "COMPETE2030-2026-35",
        "SIAC - Ações Coletivas de Associações Empresariais",
        "Collective Actions by Business Associations",
        ("COMPETE",),
        "Ações coletivas",
        RSO13,
        "2026-09-01",
        "2027-01-08T17:59:59",
        meta_beneficiaries=frozenset({ASSOC_EMP}),
        notice=N(frozenset({ASSOC_EMP}), ALL_SIZES),
        style=2,
        dotacao=8_000_000,
        purpose="ações coletivas de promoção e capacitação empresarial",
    ),
    # 10: Centro, short food chains (sector), cooperatives named
    Call(
        "CENTRO2030-2026-54",
        "Cadeias Curtas Agroalimentares",
        "Short Agri-food Supply Chains",
        ("CENTRO",),
        "Inovação produtiva",
        RSO13,
        "2026-10-05",
        "2027-02-05T17:59:59",
        sector="cadeias_curtas",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_eligible=("01", "10", "11"), annex="table"),
        style=2,
        dotacao=6_000_000,
        purpose="a venda direta e os circuitos curtos de produtos agrícolas e alimentares",
    ),
    # 11: Centro, notice listed but missing: labels from metadata
    Call(
        "CENTRO2030-2026-55",
        "SICE - Inovação Produtiva PME - Centro",
        "SICE - SME Productive Innovation - Centro",
        ("CENTRO",),
        "Inovação produtiva",
        RSO13,
        "2026-09-25",
        "2027-01-25T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME),
        notice_state="missing",
        style=2,
        dotacao=40_000_000,
    ),
    # 12: Lisboa, an annex excludes accommodation and restaurants
    Call(
        "LISBOA2030-2026-21",
        "SICE - Inovação Produtiva PME - Lisboa",
        "SICE - SME Productive Innovation - Lisboa",
        ("LISBOA",),
        "Inovação produtiva",
        RSO13,
        "2026-09-10",
        "2027-01-10T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_excluded=(*USUAL_EXCLUDED, "55", "56"), annex="table"),
        style=3,
        dotacao=30_000_000,
        purpose="investimento produtivo inovador de PME da região de Lisboa",
    ),
    # 13: Lisboa, horizontal
    Call(
        "LISBOA2030-2026-22",
        "Internacionalização das PME - Lisboa",
        "SME Internationalisation - Lisboa",
        ("LISBOA",),
        "Internacionalização das PME",
        RSO13,
        "2026-10-01",
        "2027-01-30T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_excluded=USUAL_EXCLUDED),
        style=3,
        dotacao=12_000_000,
        purpose="projetos conjuntos e individuais de internacionalização",
    ),
    # 14: Lisboa, cultural and creative industries (sector, no CAE clause: fit decides)
    Call(
        "LISBOA2030-2026-23",
        "Indústrias Culturais e Criativas",
        "Cultural and Creative Industries",
        ("LISBOA",),
        "Inovação produtiva",
        RSO13,
        "2026-09-01",
        "2026-12-01T17:59:59",
        sector="cultura",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME),
        style=3,
        dotacao=7_000_000,
        purpose="projetos de empresas das indústrias culturais e criativas: edição, "
        "audiovisual, design, artes do espetáculo e património",
    ),
    # 15: Lisboa, health (sector) with an eligible CAE list
    Call(
        "LISBOA2030-2026-24",
        "Saúde Digital e Dispositivos Médicos",
        "Digital Health and Medical Devices",
        ("LISBOA",),
        "Inovação produtiva",
        RSO11,
        "2026-10-20",
        "2027-03-20T17:59:59",
        sector="saude",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_eligible=("21", "266", "325", "86"), annex="list"),
        style=3,
        dotacao=10_000_000,
        purpose="produtos e serviços inovadores de saúde digital e dispositivos médicos",
    ),
    # 16: Alentejo, horizontal
    Call(
        "ALENTEJO2030-2026-31",
        "SICE - Inovação Produtiva - Alentejo",
        "SICE - Productive Innovation - Alentejo",
        ("ALENTEJO",),
        "Inovação produtiva",
        RSO13,
        "2026-09-01",
        "2027-01-29T17:59:59",
        notice=N(COMPANY_ONLY, ALL_SIZES, cae_excluded=REGIONAL_AID_EXCLUDED, annex="list"),
        style=1,
        dotacao=28_000_000,
        purpose="investimento produtivo empresarial no Alentejo",
    ),
    # 17: Alentejo, large companies only by its notice (title silent)
    Call(
        "ALENTEJO2030-2026-32",
        "Projetos Estruturantes de Investimento Empresarial",
        "Structuring Business Investment Projects",
        ("ALENTEJO",),
        "Inovação produtiva",
        RSO13,
        "2026-10-01",
        "2027-03-31T17:59:59",
        notice=N(COMPANY_ONLY, NAO_PME, cae_excluded=REGIONAL_AID_EXCLUDED),
        style=1,
        dotacao=50_000_000,
        purpose="projetos de investimento de grande dimensão",
    ),
    # 18: Alentejo, limited to six municipalities of the Alqueva by its notice
    Call(
        "ALENTEJO2030-2026-33",
        "Valorização Económica do Território do Alqueva",
        "Economic Development of the Alqueva Territory",
        ("ALENTEJO",),
        "Inovação produtiva",
        RSO13,
        "2026-10-15",
        "2027-02-15T17:59:59",
        meta_sizes=PME,
        notice=N(
            COMPANY_ONLY,
            PME,
            municipalities=(
                "Moura",
                "Serpa",
                "Mourão",
                "Portel",
                "Reguengos de Monsaraz",
                "Vidigueira",
            ),
            cae_excluded=USUAL_EXCLUDED,
        ),
        style=0,
        dotacao=9_000_000,
        purpose="investimento empresarial nos concelhos da área de influência do Alqueva",
    ),
    # 19: Alentejo, social services (sector), companies and the social economy
    Call(
        "ALENTEJO2030-2026-34",
        "Respostas Sociais - Investimento em Equipamentos",
        "Social Care Facilities",
        ("ALENTEJO",),
        "Equipamentos sociais e de proximidade",
        RSO51,
        "2026-08-15",
        "2027-01-15T17:59:59",
        sector="social",
        meta_beneficiaries=frozenset({EMPRESA, SOCIAL}),
        notice=N(frozenset({EMPRESA, SOCIAL}), ALL_SIZES, cae_eligible=("87", "88")),
        style=2,
        dotacao=11_000_000,
        purpose="equipamentos de apoio social",
    ),
    # 20: Algarve, horizontal
    Call(
        "ALGARVE2030-2026-17",
        "Diversificação da Base Económica - Inovação nas PME",
        "Economic Diversification - SME Innovation",
        ("ALGARVE",),
        "Inovação produtiva",
        RSO13,
        "2026-09-15",
        "2027-01-15T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_excluded=(*USUAL_EXCLUDED, "55", "56")),
        style=3,
        dotacao=14_000_000,
        purpose="a diversificação da economia regional para lá do turismo",
    ),
    # 21: Algarve, tourism (sector) with an eligible CAE table
    Call(
        "ALGARVE2030-2026-18",
        "Qualificação da Oferta Turística",
        "Tourism Offer Upgrade",
        ("ALGARVE",),
        "Inovação produtiva",
        RSO13,
        "2026-10-01",
        "2027-02-28T17:59:59",
        sector="turismo",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_eligible=("55", "56", "79", "9321", "9329"), annex="table"),
        style=3,
        dotacao=16_000_000,
        purpose="a requalificação de empreendimentos turísticos e de animação turística",
    ),
    # 22: Algarve + Lisboa, horizontal, notice corrupt: labels from metadata
    Call(
        "MPR-2026-22",
        "Transição Digital das PME - Regiões de Lisboa e Algarve",
        "SME Digital Transition - Lisboa and Algarve",
        ("LISBOA", "ALGARVE"),
        "Transição digital das PME",
        RSO12,
        "2026-10-01",
        "2027-01-31T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME),
        notice_state="corrupt",
        style=3,
    ),
    # 23: Açores, horizontal
    Call(
        "ACORES2030-2026-11",
        "Competir+ - Empreendedorismo e Inovação",
        "Competir+ - Entrepreneurship and Innovation",
        ("ACORES",),
        "Inovação produtiva",
        RSO13,
        "2026-07-15",
        "2027-01-15T17:59:59",
        notice=N(COMPANY_ONLY, ALL_SIZES, cae_excluded=USUAL_EXCLUDED),
        style=3,
        dotacao=12_000_000,
        purpose="o empreendedorismo e a inovação empresarial nos Açores",
    ),
    # 24: Açores, tourism accommodation only (CAE 55 list)
    Call(
        "ACORES2030-2026-12",
        "Empreendimentos Turísticos",
        "Tourist Accommodation",
        ("ACORES",),
        "Inovação produtiva",
        RSO13,
        "2026-09-01",
        "2027-02-27T17:59:59",
        sector="turismo",
        notice=N(COMPANY_ONLY, ALL_SIZES, cae_eligible=("55",)),
        style=0,
        dotacao=9_000_000,
        purpose="a criação e a requalificação de empreendimentos turísticos",
    ),
    # 25: Madeira, agri-food processing (sector) with a CAE table excluding fish
    Call(
        "MADEIRA2030-2026-09",
        "Valorização de Produtos Agroalimentares Regionais",
        "Regional Agri-food Products",
        ("MADEIRA",),
        "Inovação produtiva",
        RSO13,
        "2026-09-10",
        "2027-01-29T17:59:59",
        sector="agroalimentar",
        notice=N(
            COMPANY_ONLY, ALL_SIZES, cae_eligible=("10", "11"), cae_excluded=("102",), annex="table"
        ),
        style=2,
        dotacao=5_000_000,
        purpose="a transformação e a comercialização de produtos agrícolas regionais",
    ),
    # 26: Mar 2030, aquaculture (national)
    Call(
        "MAR2030-2026-14",
        "Aquicultura Sustentável",
        "Sustainable Aquaculture",
        ("MAR",),
        "Aquicultura",
        MAR21,
        "2026-06-01",
        "2027-03-31T17:59:59",
        sector="aquicultura",
        notice=N(COMPANY_ONLY, ALL_SIZES, cae_eligible=("032",)),
        style=0,
        dotacao=20_000_000,
        purpose="investimentos produtivos na aquicultura",
    ),
    # 27: Mar 2030, fish processing and marketing, PME
    Call(
        "MAR2030-2026-15",
        "Transformação e Comercialização de Produtos da Pesca",
        "Processing and Marketing of Fishery Products",
        ("MAR",),
        "Transformação e comercialização",
        MAR23,
        "2026-09-01",
        "2027-02-15T17:59:59",
        sector="pesca",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_eligible=("03", "102", "4638"), annex="list"),
        style=0,
        dotacao=25_000_000,
        purpose="a transformação e a comercialização de produtos da pesca e da aquicultura",
    ),
    # 28: Mar 2030, blue economy innovation (sector, no CAE clause)
    Call(
        "MAR2030-2026-16",
        "Inovação na Economia Azul",
        "Blue Economy Innovation",
        ("MAR",),
        "Inovação",
        MAR23,
        "2026-10-01",
        "2027-01-31T17:59:59",
        sector="economia_azul",
        notice=N(COMPANY_ONLY, ALL_SIZES),
        style=1,
        dotacao=8_000_000,
        purpose="a inovação em produtos e processos das atividades da economia do mar: "
        "pesca, aquicultura, transformação do pescado, construção e reparação naval e "
        "transporte marítimo",
    ),
    # 29: Sustentável 2030, energy efficiency (continent), energy producers excluded
    Call(
        "SUSTENTAVEL2030-2026-11",
        "Eficiência Energética nas Empresas",
        "Energy Efficiency in Businesses",
        ("SUSTENTAVEL",),
        "Eficiência energética",
        RSO21,
        "2026-09-01",
        "2027-02-26T17:59:59",
        notice=N(COMPANY_ONLY, ALL_SIZES, cae_excluded=("35", "64-66", "84")),
        style=2,
        dotacao=45_000_000,
        purpose="medidas de eficiência energética em instalações empresariais",
    ),
    # 30: Sustentável 2030, freight fleet decarbonisation (sector)
    Call(
        "SUSTENTAVEL2030-2026-12",
        "Descarbonização das Frotas de Transporte de Mercadorias",
        "Freight Fleet Decarbonisation",
        ("SUSTENTAVEL",),
        "Mobilidade sustentável",
        RSO21,
        "2026-10-01",
        "2027-03-15T17:59:59",
        sector="logistica",
        notice=N(COMPANY_ONLY, ALL_SIZES, cae_eligible=("49", "52", "53"), annex="table"),
        style=2,
        dotacao=30_000_000,
        purpose="a substituição de veículos pesados de mercadorias por veículos de emissões nulas",
    ),
    # 31: Sustentável 2030, circular economy, scheduled (opens in 2027)
    Call(
        "SUSTENTAVEL2030-2027-01",
        "Economia Circular nas Empresas",
        "Circular Economy in Businesses",
        ("SUSTENTAVEL",),
        "Economia circular",
        RSO26,
        "2027-01-20",
        "2027-04-30T17:59:59",
        notice=N(COMPANY_ONLY, ALL_SIZES, cae_excluded=USUAL_EXCLUDED),
        style=1,
        purpose="a transição das empresas para modelos de economia circular",
    ),
    # 32: PESSOAS 2030, title about companies; the notice admits certified trainers only
    Call(
        "PESSOAS2030-2026-21",
        "Formação para Empresas - Qualificação de Ativos",
        "Training for Companies - Workforce Skills",
        ("PESSOAS",),
        "Formação de ativos",
        ESO44,
        "2026-09-01",
        "2027-01-31T17:59:59",
        notice=N(frozenset({FORMADORA}), ALL_SIZES),
        style=2,
        dotacao=35_000_000,
        purpose="a formação modular certificada de ativos empregados",
    ),
    # 33: PESSOAS 2030, hiring highly qualified staff, PME
    Call(
        "PESSOAS2030-2026-22",
        "Contratação de Recursos Humanos Altamente Qualificados",
        "Hiring Highly Qualified Staff",
        ("PESSOAS",),
        "Emprego qualificado",
        ESO41,
        "2026-10-01",
        "2027-03-31T17:59:59",
        notice=N(COMPANY_ONLY, PME),
        style=2,
        dotacao=20_000_000,
        purpose="a contratação de quadros altamente qualificados por empresas",
    ),
    # 34: PESSOAS 2030, public administration capacity building (title says so)
    Call(
        "PESSOAS2030-2026-23",
        "Capacitação da Administração Pública",
        "Public Administration Capacity Building",
        ("PESSOAS",),
        "Capacitação institucional",
        ESO44,
        "2026-09-15",
        "2027-02-15T17:59:59",
        meta_beneficiaries=frozenset({ADMIN}),
        notice=N(frozenset({ADMIN}), ALL_SIZES),
        style=0,
        dotacao=15_000_000,
        purpose="a formação de trabalhadores em funções públicas",
    ),
    # 35: PESSOAS 2030, social economy; deadline extended (dataFimAtual)
    Call(
        "PESSOAS2030-2026-24",
        "Capacitação das Entidades da Economia Social",
        "Social Economy Capacity Building",
        ("PESSOAS",),
        "Capacitação institucional",
        ESO48,
        "2026-08-01",
        "2026-11-20T17:59:59",
        end_current="2026-12-18T17:59:59",
        meta_beneficiaries=frozenset({SOCIAL}),
        notice=N(frozenset({SOCIAL}), ALL_SIZES),
        style=3,
        dotacao=6_000_000,
        purpose="a capacitação das organizações da economia social",
    ),
    # 36: COMPETE, R&D entities only (title says non-business R&I entities)
    Call(
        "COMPETE2030-2026-34",
        "SAICT - Projetos de Investigação Científica e Desenvolvimento Tecnológico",
        "Scientific Research and Technological Development Projects",
        ("COMPETE",),
        "Investigação científica",
        RSO11,
        "2026-10-01",
        "2027-02-28T17:59:59",
        meta_beneficiaries=frozenset({ID}),
        notice=N(frozenset({ID}), ALL_SIZES),
        style=0,
        dotacao=40_000_000,
        purpose="projetos de investigação científica e desenvolvimento tecnológico",
    ),
    # 37: multi-programme: Norte + Centro + Algarve internationalisation
    Call(
        "MPR-2026-21",
        "Internacionalização das PME - Norte, Centro e Algarve",
        "SME Internationalisation - Norte, Centro and Algarve",
        ("NORTE", "CENTRO", "ALGARVE"),
        "Internacionalização das PME",
        RSO13,
        "2026-10-05",
        "2027-02-05T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_excluded=USUAL_EXCLUDED, annex="list"),
        style=1,
        dotacao=50_000_000,
        purpose="a internacionalização das PME das três regiões",
    ),
    # 38: closed in 2025
    Call(
        "COMPETE2030-2025-19",
        "SICE - Internacionalização das PME",
        "SICE - SME Internationalisation",
        ("COMPETE",),
        "Internacionalização das PME",
        RSO13,
        "2025-06-01",
        "2025-10-31T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, PME, cae_excluded=USUAL_EXCLUDED),
        style=0,
        purpose="a internacionalização das PME",
    ),
    # 39: closed the day before the evaluation date
    Call(
        "ALGARVE2030-2026-19",
        "Empreendedorismo Jovem no Algarve",
        "Youth Entrepreneurship in the Algarve",
        ("ALGARVE",),
        "Empreendedorismo",
        RSO13,
        "2026-07-01",
        "2026-11-30T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, MICRO_PEQUENA),
        style=3,
        purpose="a criação de empresas por jovens empreendedores",
    ),
    # 40: Madeira, horizontal qualification; the notice admits micro and small only
    Call(
        "MADEIRA2030-2026-10",
        "Qualificação e Inovação das PME da Madeira",
        "Qualification and Innovation of Madeira SMEs",
        ("MADEIRA",),
        "Qualificação das PME",
        RSO13,
        "2026-10-01",
        "2027-01-31T17:59:59",
        meta_sizes=PME,
        notice=N(COMPANY_ONLY, MICRO_PEQUENA, cae_excluded=USUAL_EXCLUDED),
        style=0,
        purpose="projetos de qualificação e inovação das empresas madeirenses",
    ),
    # 41: Sustentável 2030, energy efficiency of social facilities: IPSS only (title says so)
    Call(
        "SUSTENTAVEL2030-2026-14",
        "Eficiência Energética em Equipamentos Sociais de IPSS",
        "Energy Efficiency in Social Facilities of Private Social Solidarity Institutions",
        ("SUSTENTAVEL",),
        "Eficiência energética",
        RSO21,
        "2026-10-15",
        "2027-02-26T17:59:59",
        meta_beneficiaries=frozenset({IPSS}),
        notice=N(frozenset({IPSS}), ALL_SIZES),
        style=3,
        dotacao=20_000_000,
        purpose="a eficiência energética dos equipamentos sociais: lares, creches e centros de dia",
    ),
    # 42: COMPETE, digital services of the State's central administration (title says so)
    Call(
        "COMPETE2030-2026-36",
        "Transformação Digital da Administração Pública Central",
        "Digital Transformation of Central Public Administration",
        ("COMPETE",),
        "Transformação digital da administração pública",
        RSO12,
        "2026-09-15",
        "2027-01-29T17:59:59",
        meta_beneficiaries=frozenset({CENTRAL}),
        notice=N(frozenset({CENTRAL}), ALL_SIZES),
        style=0,
        dotacao=30_000_000,
        purpose="a digitalização dos serviços públicos da administração central do Estado",
    ),
    # ---- carve-outs: territory and CAE exceptions ----
    # 43: the whole mainland but one NUTS III (it has its own integrated territorial call)
    Call(
        "SUSTENTAVEL2030-2026-16",
        "Eficiência Energética nas Empresas",
        "Energy Efficiency in Companies",
        ("SUSTENTAVEL",),
        "Eficiência energética nas empresas",
        RSO21,
        "2026-10-20",
        "2027-02-26T17:59:59",
        notice=N(
            COMPANY_ONLY,
            ALL_SIZES,
            regions=CONTINENTE,
            nuts3_excluded=("Lezíria do Tejo",),
            cae_excluded=USUAL_EXCLUDED,
        ),
        style=0,
        dotacao=40_000_000,
        purpose="investimentos de eficiência energética nas instalações das empresas",
    ),
    # 44: one NUTS III but one of its municipalities; manufacturing but tobacco
    Call(
        "CENTRO2030-2026-67",
        "Modernização da Indústria Transformadora do Médio Tejo",
        "Modernising Manufacturing in Médio Tejo",
        ("CENTRO",),
        "Inovação produtiva",
        RSO13,
        "2026-10-01",
        "2027-01-29T17:59:59",
        sector="industria",
        notice=N(
            COMPANY_ONLY,
            PME,
            nuts3=("Médio Tejo",),
            municipalities_excluded=("Ourém",),
            cae_eligible=("10-33",),
            cae_except=("12",),
        ),
        style=1,
        dotacao=12_000_000,
        purpose="a modernização tecnológica das indústrias transformadoras do Médio Tejo",
    ),
    # 45: the Centro region but two municipalities; the financial sector but fund managers
    Call(
        "CENTRO2030-2026-68",
        "Transição Digital dos Serviços Financeiros e de Seguros",
        "Digital Transition of Financial and Insurance Services",
        ("CENTRO",),
        "Transição digital das PME",
        RSO12,
        "2026-11-02",
        "2027-03-15T17:59:59",
        meta_sizes=PME,  # the typology names PME
        notice=N(
            COMPANY_ONLY,
            PME,
            municipalities_excluded=("Ourém", "Alcobaça"),
            cae_eligible=("K",),
            cae_except=("66300",),
        ),
        style=3,
        dotacao=8_000_000,
        purpose="a digitalização dos processos e dos canais das PME financeiras e de seguros",
    ),
    # 46: the Algarve but one municipality (said in a sentence of its own); accommodation
    # but furnished tourist flats
    Call(
        "ALGARVE2030-2026-26",
        "Requalificação da Oferta Hoteleira",
        "Upgrading Hotel Accommodation",
        ("ALGARVE",),
        "Turismo",
        RSO13,
        "2026-09-15",
        "2027-02-12T17:59:59",
        sector="turismo",
        notice=N(
            COMPANY_ONLY,
            ALL_SIZES,
            municipalities_excluded=("Loulé",),
            cae_eligible=("55",),
            cae_except=("55201",),
            carve_wording=1,
        ),
        style=2,
        dotacao=15_000_000,
        purpose="a requalificação e a subida de categoria dos empreendimentos hoteleiros",
    ),
)


# ---- the labels -----------------------------------------------------------------------------


def is_open(call: Call) -> bool:
    start = datetime.fromisoformat(call.start)
    end = datetime.fromisoformat(call.end_current or call.end)
    return start <= EVAL_DATE <= end


def admits(call_kinds: frozenset[str], company_kinds: frozenset[str]) -> bool:
    return bool(call_kinds & company_kinds)


def label(company: Company, call: Call, *, read_notice: bool) -> str:
    """The first rule that makes the pair 0 (README: "The rules"), or "" when it is a 1."""
    if not is_open(call):
        return "dates"
    notice = call.notice if read_notice and call.notice_state == "ok" else None
    regions = {r for p in call.programmes for r in PROGRAMMES[p].regions}
    if notice is not None and notice.regions is not None:
        regions = set(notice.regions)
    if company.municipality:
        if company.region not in regions:
            return "geography"
        if notice is not None and notice.nuts3 and company.nuts3 not in notice.nuts3:
            return "geography"
        if (
            notice is not None
            and notice.municipalities
            and (company.municipality not in notice.municipalities)
        ):
            return "geography"
        if notice is not None and (
            company.nuts3 in notice.nuts3_excluded
            or company.municipality in notice.municipalities_excluded
        ):
            return "geography"  # a carve-out: the more specific place wins
    beneficiaries = notice.beneficiaries if notice else call.meta_beneficiaries
    if not admits(beneficiaries, company.kinds):
        return "beneficiary"
    sizes = notice.sizes if notice else call.meta_sizes
    if company.size and SIZE_OF[company.size] not in sizes:
        return "size"
    if notice is not None and company.cae:
        if notice.cae_eligible and not any(
            cae_matches(company.cae, c) for c in notice.cae_eligible
        ):
            return "cae"
        if any(cae_matches(company.cae, c) for c in notice.cae_excluded + notice.cae_except):
            return "cae"  # an exception inside the eligible list wins over it
    if call.sector is not None:
        if company.cae:
            fits = any(cae_matches(company.cae, c) for c in SECTORS[call.sector])
        else:
            fits = company.activity_sector in SECTORS_FITTING[call.sector]
        if not fits:
            return "fit"
    return ""


# A company without CAE: its activity's sector fits these sector calls.
SECTORS_FITTING = {
    "turismo": {"turismo"},
    **{s: set() for s in SECTORS if s != "turismo"},
}


def label_rows(*, read_notice: bool) -> list[tuple[str, str, int, str]]:
    rows = []
    for index, company in enumerate(COMPANIES):
        nif = company_nif(index, company)
        for call in CALLS:
            rule = label(company, call, read_notice=read_notice)
            rows.append((nif, call.code, 0 if rule else 1, rule))
    return rows


# ---- calls.json -----------------------------------------------------------------------------


def notice_path(call: Call) -> str:
    year = call.code.split("-")[1]
    return f"Avisos/{year}/{call.code}/Aviso_{call.code}.pdf"


def aviso_json(index: int, call: Call) -> dict[str, object]:
    published = call.published or call.start
    per = call.dotacao // len(call.programmes)
    return {
        "aviso": {
            "avisoGlobalId": 9100 + index,
            "codigoAviso": call.code,
            "designacaoPT": call.title,
            "designacaoEN": call.title_en,
            "classificacaoAvisoDesignacao": "Concurso",
            "dataUltimaAlteracao": f"{published}T00:00:00",
        },
        "estrutura": [
            {
                "programaOperacionalId": PROGRAMMES[p].pid,
                "programaOperacionalDesignacao": PROGRAMMES[p].name,
                "prioridadeDesignacao": PRIORITY.get(
                    p, "Uma Europa mais competitiva e mais inteligente"
                ),
                "objetivoEspecificoDesignacao": call.objective,
                "tipologiaOperacaoDesignacao": call.typology,
                "fundoDesignacao": PROGRAMMES[p].fund,
                "dotacao": per,
            }
            for p in call.programmes
        ],
        "calendario": {
            "dataPublicacao": f"{published}T00:00:00",
            "dataInicio": f"{call.start}T00:00:00",
            "dataFim": call.end,
            "dataFimAtual": call.end_current or call.end,
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


PRIORITY = {
    "PESSOAS": "Mais e melhor emprego e qualificações",
    "SUSTENTAVEL": "Transição climática e sustentabilidade",
    "MAR": "Pesca e aquicultura sustentáveis",
}


def calls_json() -> str:
    pages = []
    size = 6  # a handful of avisos per API page
    for start in range(0, len(CALLS), size):
        avisos = [aviso_json(i, CALLS[i]) for i in range(start, min(start + size, len(CALLS)))]
        pages.append({"status": 200, "avisos": avisos})
    return json.dumps(pages, ensure_ascii=False, indent=1) + "\n"


def leads_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Empresa", "NIF", "CAE", "Distrito", "Concelho", "Dimensão", "Atividade"])
    for index, c in enumerate(COMPANIES):
        nif = company_nif(index, c)
        writer.writerow([c.name, nif, c.cae, c.district, c.municipality, c.size, c.activity])
    return out.getvalue()


def labels_csv(*, read_notice: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["nif", "aviso_id", "label", "rule"])
    writer.writerows(label_rows(read_notice=read_notice))
    return out.getvalue()


# ---- the notices (PDF) ----------------------------------------------------------------------

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


def pt_date(value: str) -> str:
    day = datetime.fromisoformat(value)
    text = f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"
    if day.hour:
        text = f"{day.hour}h{day.minute:02d} de {text}"
    return text


def pt_list(items: list[str] | tuple[str, ...]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " e " + items[-1]


def cae_label(code: str) -> str:
    return code.replace("-", " a ")


def money(value: int) -> str:
    return f"{value:,}".replace(",", ".") + " euros"


def territory_text(call: Call, style: int) -> str:
    """The notice's territorial clause, in the wording of its authority (``style``)."""
    notice = call.notice
    assert notice is not None
    regions = [r for p in call.programmes for r in PROGRAMMES[p].regions]
    names = pt_list([REGION_NAMES[r] for r in dict.fromkeys(regions)])
    if notice.nuts3_excluded or notice.municipalities_excluded:
        return carve_out_text(call)
    if notice.regions is not None:
        return (
            "Em derrogação do disposto quanto à categoria de região, e ao abrigo da exceção "
            "prevista no n.º 2 do artigo 70.º do Regulamento (UE) 2021/1060, de 24 de junho, "
            "são elegíveis as operações localizadas em todas as regiões NUTS II do Continente ("
            + pt_list([REGION_NAMES[r] for r in notice.regions])
            + "), atendendo a que os benefícios da operação se estendem a todo o território."
        )
    if notice.nuts3:
        return (
            f"Não obstante o âmbito do {PROGRAMMES[call.programmes[0]].short}, o presente "
            "concurso destina-se exclusivamente a operações localizadas nas sub-regiões NUTS III "
            f"{pt_list(notice.nuts3)}, territórios de baixa densidade definidos na "
            "Deliberação da Comissão Interministerial de Coordenação n.º 20/2018."
        )
    if notice.municipalities:
        return (
            "Consideram-se elegíveis apenas as operações cujo investimento se localize num dos "
            f"seguintes concelhos: {pt_list(notice.municipalities)}. Investimentos noutros "
            f"concelhos da região {REGION_NAMES[ALENTEJO]} não são apoiados ao abrigo deste Aviso."
        )
    if call.programmes == ("MAR",):
        return (
            "O presente Aviso abrange todo o território nacional, incluindo as Regiões "
            "Autónomas dos Açores e da Madeira."
        )
    if call.programmes == ("SUSTENTAVEL",):
        return (
            "São elegíveis operações localizadas em qualquer região NUTS II do Continente "
            "(Norte, Centro, Lisboa, Alentejo e Algarve)."
        )
    if call.programmes in (("COMPETE",), ("PESSOAS",)):
        return [
            "As operações localizam-se nas regiões menos desenvolvidas do Continente, isto é, "
            f"nas regiões NUTS II {names}.",
            f"O âmbito territorial do Aviso corresponde às NUTS II {names}.",
            f"Apenas são elegíveis operações nas regiões {names} (NUTS II).",
            f"Território abrangido: regiões NUTS II {names}.",
        ][style]
    if set(regions) <= {ACORES, MADEIRA}:
        return [
            f"O presente Aviso aplica-se a todo o território da {names}.",
            f"São elegíveis as operações localizadas na {names}.",
            f"Âmbito territorial: {names}.",
            f"As operações devem localizar-se na {names}.",
        ][style]
    plural = len(set(regions)) > 1
    return [
        f"As operações a apoiar localizam-se na{'s' if plural else ''} "
        f"{'regiões' if plural else 'região'} NUTS II {names}.",
        f"São elegíveis as operações localizadas na{'s' if plural else ''} NUTS II {names}.",
        f"O presente aviso aplica-se ao território da{'s' if plural else ''} NUTS II {names}.",
        f"Âmbito territorial: {names} (NUTS II).",
    ][style]


def carve_out_text(call: Call) -> str:
    """A territorial clause that takes places out of the territory it states."""
    notice = call.notice
    assert notice is not None
    towns = list(notice.municipalities_excluded)
    if notice.regions is not None:
        return (
            "São elegíveis as operações localizadas em todo o território do Continente, "
            f"excluindo a NUTS III {pt_list(notice.nuts3_excluded)}, abrangida por "
            "Investimento Territorial Integrado próprio."
        )
    if notice.nuts3:
        return (
            "O presente concurso abrange as operações localizadas nos municípios da NUTS III "
            f"{pt_list(notice.nuts3)}, com exceção de {pt_list(towns)}."
        )
    (region,) = {r for p in call.programmes for r in PROGRAMMES[p].regions}
    if notice.carve_wording == 1:
        return (
            f"O presente Aviso aplica-se a toda a região do {REGION_NAMES[region]} (NUTS II). "
            "Ficam, no entanto, fora do seu âmbito as operações a realizar no concelho de "
            f"{pt_list(towns)}, que dispõe de aviso próprio no quadro do respetivo "
            "Investimento Territorial Integrado."
        )
    return (
        f"As operações devem localizar-se na região {REGION_NAMES[region]}, à exceção dos "
        f"municípios de {pt_list(towns)}."
    )


def size_words(sizes: frozenset[str], style: int) -> str:
    if sizes == PME:
        return [
            "que sejam PME, de acordo com a definição constante da Recomendação 2003/361/CE "
            "da Comissão, de 6 de maio de 2003",
            "com estatuto PME (micro, pequenas e médias empresas) certificado pelo IAPMEI",
            "que se qualifiquem como micro, pequena ou média empresa",
            "classificadas como PME nos termos do anexo I do Regulamento (UE) n.º 651/2014",
        ][style]
    if sizes == MICRO_PEQUENA:
        return [
            "que sejam micro ou pequenas empresas, na aceção da Recomendação 2003/361/CE, "
            "não sendo elegíveis as médias empresas",
            "de micro e pequena dimensão (excluem-se as médias e as grandes empresas)",
            "que sejam micro ou pequenas empresas, ficando excluídas as médias empresas",
            "com a dimensão de micro ou pequena empresa, com certificação eletrónica válida",
        ][style]
    if sizes == NAO_PME:
        return [
            "que não sejam PME, ou seja, grandes empresas na aceção da Recomendação 2003/361/CE",
            "não PME (grandes empresas), não sendo elegíveis micro, pequenas ou médias empresas",
            "de grande dimensão, estando excluídas as PME",
            "que não se qualifiquem como PME",
        ][style]
    return [
        "de qualquer dimensão",
        "independentemente da sua dimensão",
        "de qualquer natureza e dimensão",
        "sem restrição de dimensão",
    ][style]


def beneficiary_text(call: Call, style: int) -> str:
    notice = call.notice
    assert notice is not None
    kinds = notice.beneficiaries
    if kinds == COMPANY_ONLY:
        return [
            "Podem candidatar-se empresas de qualquer natureza e sob qualquer forma jurídica "
            f"{size_words(notice.sizes, style)}.",
            f"São entidades beneficiárias as empresas {size_words(notice.sizes, style)}, "
            "incluindo cooperativas que exerçam atividade económica.",
            "Quem pode candidatar-se: empresas, qualquer que seja a forma jurídica, "
            f"{size_words(notice.sizes, style)}.",
            f"São beneficiárias as empresas {size_words(notice.sizes, style)}.",
        ][style]
    if kinds == frozenset({FORMADORA}):
        return (
            "São beneficiárias exclusivamente as entidades formadoras certificadas pela "
            "DGERT (ou com certificação setorial equivalente), que organizam e executam a "
            "formação. As empresas cujos trabalhadores frequentam as ações são destinatárias "
            "da formação e não podem apresentar candidatura."
        )
    if kinds == frozenset({ADMIN}):
        return (
            "Podem apresentar candidatura as entidades da Administração Pública central, "
            "regional e local, incluindo os municípios e as entidades intermunicipais, e os "
            "institutos públicos."
        )
    if kinds == frozenset({MUNICIPIO}):
        return (
            "São entidades beneficiárias os municípios, as associações de municípios e as "
            "entidades intermunicipais da região."
        )
    if kinds == frozenset({ASSOC_EMP}):
        return (
            "Podem candidatar-se associações empresariais e associações de natureza "
            "profissional, sem fins lucrativos, que representem empresas da região. As "
            "empresas não são beneficiárias diretas."
        )
    if kinds == frozenset({ID}):
        return (
            "São beneficiárias as entidades do Sistema de Investigação e Inovação cuja "
            "atividade principal seja a investigação científica e o desenvolvimento "
            "experimental (CAE 72), qualquer que seja a sua natureza jurídica."
        )
    if kinds == frozenset({SOCIAL}):
        return (
            "Podem candidatar-se as entidades da economia social, nos termos da Lei "
            "n.º 30/2013, de 8 de maio: cooperativas, associações e fundações. Não são "
            "elegíveis sociedades comerciais."
        )
    if kinds == frozenset({IPSS}):
        return (
            "São beneficiárias as instituições particulares de solidariedade social (IPSS) e as "
            "entidades legalmente equiparadas, incluindo as Santas Casas da Misericórdia, "
            "proprietárias dos equipamentos sociais a intervencionar. As associações e "
            "fundações que não detenham o estatuto de IPSS não são beneficiárias."
        )
    if kinds == frozenset({CENTRAL}):
        return (
            "Podem candidatar-se os serviços e organismos da administração direta e indireta do "
            "Estado, incluindo os institutos públicos e os agrupamentos de escolas. As autarquias "
            "locais e as entidades intermunicipais não são beneficiárias deste aviso."
        )
    if kinds == frozenset({EMPRESA, SOCIAL}):
        return (
            "São beneficiárias as empresas e as entidades da economia social (IPSS, "
            "cooperativas, associações e fundações) que explorem ou venham a explorar "
            "respostas sociais."
        )
    raise ValueError(f"no wording for {sorted(kinds)}")


def cae_text(call: Call, style: int, annex_no: str) -> list[str]:
    notice = call.notice
    assert notice is not None
    out: list[str] = []
    if notice.cae_except:
        out.append(cae_except_text(notice))
    elif notice.cae_eligible:
        codes = pt_list([cae_label(c) for c in notice.cae_eligible])
        if notice.annex:
            out.append(
                [
                    "São elegíveis os projetos de empresas cuja atividade se enquadre nas CAE "
                    f"identificadas no Anexo {annex_no}.",
                    f"Só são apoiadas as atividades económicas constantes do Anexo {annex_no}.",
                    f"O projeto deve inserir-se numa das CAE listadas no Anexo {annex_no}.",
                    f"As atividades elegíveis constam do Anexo {annex_no} ao presente Aviso.",
                ][style]
            )
        else:
            out.append(
                [
                    f"São elegíveis os projetos inseridos nas CAE (Rev. 3) {codes}.",
                    f"Apenas são elegíveis as empresas com atividade principal nas CAE {codes}.",
                    f"Atividades abrangidas: CAE {codes}.",
                    f"Consideram-se elegíveis as atividades das CAE {codes}.",
                ][style]
            )
    if notice.cae_excluded:
        codes = pt_list([cae_label(c) for c in notice.cae_excluded])
        if notice.annex and not notice.cae_eligible:
            out.append(
                [
                    "Não são elegíveis os projetos de empresas cuja atividade principal se enquadre "
                    f"nas CAE identificadas no Anexo {annex_no}.",
                    f"Excluem-se as atividades económicas constantes do Anexo {annex_no}.",
                    f"As CAE excluídas constam do Anexo {annex_no}.",
                    f"São excluídas as atividades listadas no Anexo {annex_no}.",
                ][style]
            )
        else:
            out.append(
                [
                    f"Não são elegíveis os projetos das CAE {codes}.",
                    f"Excluem-se do presente Aviso as atividades das CAE {codes}.",
                    f"Ficam excluídas as empresas com atividade principal nas CAE {codes}.",
                    f"Não são apoiadas as atividades das CAE {codes}.",
                ][style]
            )
    return out


def cae_level(code: str, plural: bool = False) -> str:
    """ "a divisão 12", "a subclasse 66300", "a secção K", "as divisões 10 a 33"."""
    if code.isalpha():
        return f"secção {code}"
    words = {2: "divisão", 3: "grupo", 4: "classe", 5: "subclasse"}
    word = words[len(code.split("-")[0])]
    if "-" in code or plural:
        word = {"divisão": "divisões", "grupo": "grupos", "classe": "classes"}.get(word, word + "s")
    return f"{word} {cae_label(code)}"


def cae_except_text(notice: Notice) -> str:
    """An eligible list with codes excepted inside it, worded as the notices word it."""
    (eligible,) = notice.cae_eligible
    excepted = pt_list(list(notice.cae_except))
    if "-" in eligible:
        return (
            f"São elegíveis as atividades das {cae_level(eligible)}, com exceção da "
            f"{cae_level(notice.cae_except[0])}."
        )
    if eligible.isalpha():
        return (
            f"São elegíveis as empresas com atividade na {cae_level(eligible)}, exceto a "
            f"{cae_level(notice.cae_except[0])}."
        )
    return f"São elegíveis os projetos inseridos na CAE {eligible}, excluindo {excepted}."


def dates_text(call: Call, style: int) -> str:
    start, end = pt_date(call.start), pt_date(call.end)
    return [
        f"As candidaturas são submetidas entre {start} e as {end}.",
        f"O período de receção de candidaturas decorre de {start} até às {end}.",
        f"Prazo: de {start} às {end}, através do Balcão dos Fundos.",
        f"Período de candidatura: {start} a {end} (hora de Portugal continental).",
    ][style]


LEGAL = (
    "O presente Aviso é publicado ao abrigo do Decreto-Lei n.º 20-A/2023, de 22 de março, que "
    "estabelece o modelo de governação dos fundos europeus para o período de programação "
    "2021-2027, e do Regulamento (UE) 2021/1060 do Parlamento Europeu e do Conselho, de 24 de "
    "junho de 2021, que estabelece disposições comuns relativas aos fundos.",
    "Aplicam-se ainda o Regulamento Geral de Isenção por Categoria (Regulamento (UE) "
    "n.º 651/2014 da Comissão, de 17 de junho de 2014) e, quando aplicável, o Regulamento (UE) "
    "2023/2831 da Comissão, relativo aos auxílios de minimis.",
)
EXPENSES = (
    "São elegíveis as despesas diretamente relacionadas com a operação, realizadas após a data "
    "de submissão da candidatura, nomeadamente aquisição de máquinas e equipamentos, software, "
    "serviços de consultoria especializada, registo de propriedade industrial e custos com a "
    "intervenção de contabilista certificado ou revisor oficial de contas.",
    "Não são elegíveis despesas com aquisição de terrenos, trespasses, fundo de maneio, "
    "juros durante o período de realização do investimento, IVA recuperável, bem como "
    "despesas pagas em numerário, exceto quando o seu valor unitário não ultrapasse 250 euros.",
)
SUPPORT = (
    "O apoio a conceder assume a natureza de subvenção não reembolsável, calculada por "
    "aplicação de uma taxa base de 30% às despesas elegíveis, podendo ser majorada até ao "
    "limite das intensidades máximas do mapa de auxílios com finalidade regional.",
    "Os projetos devem ter um investimento elegível mínimo de 25.000 euros e um prazo máximo "
    "de execução de 24 meses a contar da data de início do projeto.",
)
MERIT = (
    "O mérito do projeto (MP) é determinado pela fórmula MP = 0,35 A + 0,25 B + 0,25 C + "
    "0,15 D, em que A é a qualidade do projeto, B o impacto na competitividade, C o contributo "
    "para a transição climática e digital e D o contributo para a coesão territorial.",
    "São selecionados os projetos com mérito igual ou superior a 3,00, hierarquizados por "
    "ordem decrescente até ao limite da dotação; em caso de empate prevalece a maior "
    "pontuação no critério A.",
)
PROCEDURE = (
    "As candidaturas são submetidas através do Balcão dos Fundos, mediante autenticação, e "
    "instruídas com os documentos indicados no formulário. A decisão é comunicada no prazo de "
    "60 dias úteis a contar da data-limite de submissão, precedida de audiência prévia.",
    "Os pedidos de esclarecimento são dirigidos à Autoridade de Gestão através do endereço "
    "indicado no Portal Portugal 2030. O tratamento dos dados pessoais obedece ao Regulamento "
    "(UE) 2016/679 (RGPD).",
)
FINAL = (
    "O beneficiário obriga-se a cumprir as normas de publicidade dos apoios, as regras de "
    "contratação pública quando aplicáveis, e as políticas da União em matéria de igualdade "
    "de oportunidades, não discriminação e acessibilidade.",
    "Em tudo o que não estiver previsto no presente Aviso aplica-se o disposto no Regulamento "
    "Específico aplicável e na legislação nacional e europeia em vigor.",
)

DUTIES = (
    "Constituem obrigações dos beneficiários executar a operação nos termos e prazos "
    "aprovados, manter a contabilidade organizada e um sistema de contabilidade separada ou "
    "codificação contabilística adequada, conservar os documentos relativos à operação durante "
    "o prazo de cinco anos após o último pagamento e permitir o acesso aos locais de realização "
    "da operação às entidades com competências de acompanhamento e controlo.",
    "Os beneficiários devem ainda manter afetos à respetiva atividade os ativos apoiados, bem "
    "como a localização geográfica definida na operação, durante um período mínimo de três "
    "anos, ou cinco anos no caso de grandes empresas, a contar da data do pagamento final.",
)
INDICATORS = (
    "Cada operação contratualiza metas para os indicadores de realização e de resultado "
    "aplicáveis à tipologia, designadamente o número de empresas apoiadas, o investimento "
    "privado paralelo ao apoio público e o número de postos de trabalho criados. O grau de "
    "cumprimento das metas é aferido no ano seguinte ao da conclusão da operação.",
    "O incumprimento das metas contratualizadas, quando imputável ao beneficiário, pode "
    "determinar a redução ou a revogação do apoio, nos termos do regime jurídico aplicável "
    "às reduções e revogações de apoios dos fundos europeus.",
)
DOCUMENTS = (
    "A candidatura é instruída com a memória descritiva do projeto, a demonstração de "
    "viabilidade económico-financeira, os orçamentos das despesas previstas, a declaração "
    "de compromisso de honra e, quando aplicável, a certificação eletrónica do estatuto PME.",
    "A Autoridade de Gestão pode solicitar esclarecimentos ou elementos complementares, que "
    "devem ser prestados no prazo de dez dias úteis, sob pena de a candidatura ser "
    "analisada com os elementos disponíveis.",
)

HEADINGS = {
    # key: one heading per style (0: national authority, 1: regional, 2: FSE+, 3: islands)
    "legal": (
        "Enquadramento legal",
        "Objeto e enquadramento",
        "Enquadramento",
        "Disposições gerais",
    ),
    "purpose": (
        "Objetivos e tipologia das operações",
        "Tipologia de operações",
        "O que se pretende apoiar",
        "Objeto do concurso",
    ),
    "where": (
        "Área geográfica de aplicação",
        "Localização das operações",
        "Onde se aplica",
        "Âmbito territorial",
    ),
    "who": (
        "Beneficiários",
        "Entidades beneficiárias",
        "Quem pode candidatar-se",
        "Beneficiários e condições de acesso",
    ),
    "what": (
        "Condições de elegibilidade das operações",
        "Atividades elegíveis",
        "Que atividades são abrangidas",
        "Elegibilidade das operações",
    ),
    "expenses": (
        "Despesas elegíveis",
        "Despesas elegíveis e não elegíveis",
        "Custos elegíveis",
        "Despesas",
    ),
    "support": (
        "Forma e taxas de apoio",
        "Natureza e montante do apoio",
        "Financiamento",
        "Taxas de cofinanciamento",
    ),
    "merit": (
        "Critérios de seleção",
        "Metodologia de apuramento do mérito",
        "Como são avaliadas as candidaturas",
        "Critérios de seleção e hierarquização",
    ),
    "when": (
        "Período para apresentação de candidaturas",
        "Calendário",
        "Prazos",
        "Calendário do concurso",
    ),
    "budget": ("Dotação orçamental", "Dotação do Fundo", "Dotação", "Dotação indicativa"),
    "procedure": (
        "Procedimento de candidatura e decisão",
        "Submissão e decisão",
        "Como se candidatar",
        "Apresentação de candidaturas",
    ),
    "final": (
        "Disposições finais",
        "Disposições finais e transitórias",
        "Outras disposições",
        "Disposições finais",
    ),
    "duties": (
        "Obrigações dos beneficiários",
        "Obrigações das entidades beneficiárias",
        "Compromissos do beneficiário",
        "Obrigações",
    ),
    "indicators": (
        "Indicadores e metas",
        "Indicadores de realização e de resultado",
        "Resultados esperados",
        "Indicadores",
    ),
    "documents": (
        "Instrução da candidatura",
        "Documentos a apresentar",
        "Que documentos apresentar",
        "Documentação",
    ),
}
# the order of sections differs between authorities
ORDER = (
    (
        "legal",
        "purpose",
        "where",
        "who",
        "what",
        "expenses",
        "support",
        "merit",
        "when",
        "budget",
        "documents",
        "procedure",
        "duties",
        "indicators",
        "final",
    ),
    (
        "legal",
        "where",
        "who",
        "purpose",
        "what",
        "expenses",
        "support",
        "merit",
        "budget",
        "when",
        "procedure",
        "documents",
        "duties",
        "indicators",
        "final",
    ),
    (
        "legal",
        "purpose",
        "who",
        "where",
        "what",
        "when",
        "expenses",
        "support",
        "merit",
        "documents",
        "procedure",
        "budget",
        "indicators",
        "duties",
        "final",
    ),
    (
        "legal",
        "purpose",
        "who",
        "what",
        "where",
        "expenses",
        "support",
        "merit",
        "when",
        "budget",
        "procedure",
        "documents",
        "duties",
        "indicators",
        "final",
    ),
)
ROMAN = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
)


def heading(style: int, number: int, title: str) -> str:
    return [
        f"{number}. {title}",
        f"Artigo {number}.º - {title}",
        f"{ROMAN[number - 1]}. {title}",
        f"Secção {number} - {title}",
    ][style]


def notice_sections(call: Call) -> list[tuple[str, list[str]]]:
    """(heading key, paragraphs) of a notice, in its authority's order."""
    style = call.style
    wording = sum(call.code.encode()) % 4  # sentence shapes vary apart from the layout
    notice = call.notice
    assert notice is not None
    programme = pt_list([PROGRAMMES[p].short for p in call.programmes])
    annex_no = "I"
    body = {
        "legal": [
            *LEGAL,
            f"O concurso é financiado pelo {programme}, no âmbito do objetivo "
            f"específico {call.objective}.",
        ],
        "purpose": [
            f"O presente Aviso tem por objeto {call.purpose or call.title.lower()}, "
            f"na tipologia de operações «{call.typology}»."
        ],
        "where": [territory_text(call, wording)],
        "who": [
            beneficiary_text(call, wording),
            "Os beneficiários devem ter a situação tributária e contributiva regularizada "
            "e não ser empresas em dificuldade na aceção do artigo 2.º, n.º 18, do "
            "Regulamento (UE) n.º 651/2014.",
        ],
        "what": [
            *cae_text(call, wording, annex_no),
            "As operações devem demonstrar sustentabilidade financeira e respeitar o "
            "princípio de «não prejudicar significativamente» (DNSH).",
        ],
        "expenses": list(EXPENSES),
        "support": list(SUPPORT),
        "merit": list(MERIT),
        "when": [dates_text(call, wording)],
        "budget": [
            f"A dotação indicativa do fundo afeta ao presente Aviso é de "
            f"{money(call.dotacao)}, podendo ser reforçada por decisão da Autoridade de "
            "Gestão."
        ],
        "procedure": list(PROCEDURE),
        "final": list(FINAL),
        "duties": list(DUTIES),
        "indicators": list(INDICATORS),
        "documents": list(DOCUMENTS),
    }
    return [(key, body[key]) for key in ORDER[style]]


def annex_rows(call: Call) -> tuple[str, list[tuple[str, str]]]:
    notice = call.notice
    assert notice is not None
    if notice.cae_eligible:
        rows = [(cae_label(c), CAE_NAMES.get(c, "")) for c in notice.cae_eligible]
        rows += [(cae_label(c), "(excluída) " + CAE_NAMES.get(c, "")) for c in notice.cae_excluded]
        return "Atividades económicas elegíveis (CAE Rev. 3)", rows
    return (
        "Atividades económicas excluídas (CAE Rev. 3)",
        [(cae_label(c), CAE_NAMES.get(c, "")) for c in notice.cae_excluded],
    )


HEADER = (
    "Portugal 2030",
    "Autoridade de Gestão",
    "Aviso de abertura de concurso",
    "Programa Regional",
)


def render_notice(call: Call) -> bytes:
    """The call's notice as a 3-4 page PDF."""
    from fpdf import FPDF  # lazy: only the generator needs it

    if not FONT.exists():
        raise SystemExit(f"{FONT} not found: install fonts-dejavu-core to write the notices.")
    style = call.style
    programme = pt_list([PROGRAMMES[p].short for p in call.programmes])

    class Aviso(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", "", 8)
            self.cell(0, 5, f"{programme} | {HEADER[style]}", align="L")
            self.cell(0, 5, f"Aviso n.º {call.code}", align="R", new_x="LMARGIN", new_y="NEXT")
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("DejaVu", "", 8)
            self.cell(0, 5, "Cofinanciado pela União Europeia", align="L")
            self.cell(0, 5, f"Página {self.page_no()} de {{nb}}", align="R")

    pdf = Aviso(format="A4")
    pdf.set_creation_date(PDF_DATE)
    pdf.set_producer("elinara evaluation set")
    pdf.set_title(f"Aviso {call.code}")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD if FONT_BOLD.exists() else FONT))
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    title = (
        "AVISO PARA APRESENTAÇÃO DE CANDIDATURAS",
        "AVISO DE ABERTURA DE CONCURSO",
        "AVISO DE CONCURSO",
        "AVISO",
    )[style]
    pdf.multi_cell(0, 7, f"{title}\nN.º {call.code}", align="C")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6, call.title, align="C")
    pdf.ln(4)
    for number, (key, paragraphs) in enumerate(notice_sections(call), start=1):
        if pdf.get_y() > pdf.h - 42:  # no heading alone at the foot of a page
            pdf.add_page()
        pdf.set_font("DejaVu", "B", 10.5)
        pdf.multi_cell(0, 6, heading(style, number, HEADINGS[key][style]))
        pdf.ln(1)
        pdf.set_font("DejaVu", "", 10.5)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5.6, paragraph, align="J")
            pdf.ln(2.2)
        pdf.ln(1.5)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5.4, f"A Autoridade de Gestão do {programme}", align="R")
    notice = call.notice
    assert notice is not None
    if notice.annex:
        pdf.add_page()
        caption, rows = annex_rows(call)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, f"Anexo I - {caption}")
        pdf.ln(3)
        pdf.set_font("DejaVu", "", 10)
        if notice.annex == "table":
            with pdf.table(col_widths=(25, 75), text_align=("CENTER", "LEFT")) as table:
                head = table.row()
                head.cell("CAE")
                head.cell("Designação")
                for code, name in rows:
                    row = table.row()
                    row.cell(code)
                    row.cell(name)
        else:
            for code, name in rows:
                pdf.multi_cell(0, 5.4, f"• {code} - {name}")
                pdf.ln(1)
    return bytes(pdf.output())


CORRUPT = (
    b"<!DOCTYPE html>\n<html><head><title>Erro</title></head><body>"
    b"<h1>Documento temporariamente indispon\xc3\xadvel</h1></body></html>\n"
)


def write_set(out: Path) -> None:
    """Write every file of the set under ``out`` (notices under ``out/notices``)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "calls.json").write_text(calls_json(), encoding="utf-8")
    (out / "leads.csv").write_text(leads_csv(), encoding="utf-8")
    (out / "labels.csv").write_text(labels_csv(read_notice=True), encoding="utf-8")
    (out / "labels_metadata.csv").write_text(labels_csv(read_notice=False), encoding="utf-8")
    for call in CALLS:
        path = out / "notices" / notice_path(call)
        if call.notice_state == "missing":
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if call.notice_state == "corrupt":
            path.write_bytes(CORRUPT)
        else:
            path.write_bytes(render_notice(call))


if __name__ == "__main__":
    write_set(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
