"""Write elinara/data/sample/leads.xlsx: 50 fictional Portuguese companies, messy on purpose.

The sheet looks like what consultants are sent: a title row and a blank row above the
Portuguese header, district names in any case and without accents, phones with spaces or
+351, two invalid NIFs, one duplicate NIF (whose later row fills a gap), a blank row in the
middle, sizes as labels or head counts or ranges, CAE codes with and without a "CAE" prefix
(and two agricultural ones typed as numbers, so Excel dropped their leading zero). The
companies cover all seven NUTS II regions, including the districts split between regions.

Deterministic: run it again and the file is byte for byte the same.

    python scripts/make_sample_leads.py
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).resolve().parent.parent / "elinara" / "data" / "sample" / "leads.xlsx"
FIXED_TIME = (2025, 1, 1, 0, 0, 0)
HEADER = [
    "Empresa",
    "NIF",
    "CAE",
    "Distrito",
    "Concelho",
    "Dimensão",
    "Nº Trabalhadores",
    "Atividade",
    "Email",
    "Telefone",
    "Website",
]

# name, CAE (as typed), district (as typed), municipality, size label, employees, activity
COMPANIES: list[tuple[str, Any, str, str, str, Any, str]] = [
    # Norte
    ("Têxteis Vale do Ave, Lda.", 13201, "Braga", "Guimarães", "", 85,
     "Tecelagem de tecidos de lã e mistos para vestuário"),
    ("Metalomecânica Cávado, S.A.", "CAE 25620", "braga", "Barcelos", "Média", "",
     "Maquinagem de peças metálicas de precisão"),
    ("Calçado Lusitano do Norte, Lda.", 15201, "Porto", "Felgueiras", "", 120,
     "Fabrico de calçado de couro para exportação"),
    ("Douro Vinhos de Quinta, Lda.", 11021, "Vila Real", "Peso da Régua", "Pequena", "",
     "Produção e engarrafamento de vinho do Porto e DOC Douro"),
    ("Código Invicta Software, Lda.", "CAE 62010", "PORTO", "Porto", "", 32,
     "Desenvolvimento de software à medida e plataformas SaaS"),
    ("Moldes Feira Tech, S.A.", 25734, "Aveiro", "Santa Maria da Feira", "", 210,
     "Fabricação de moldes metálicos para a indústria automóvel"),
    ("Castanhas de Trás-os-Montes, Lda.", "CAE 10393", "braganca", "Bragança", "Micro", "",
     "Transformação e embalamento de castanha"),
    ("Alto Minho Turismo Rural, Lda.", 55202, "Viana do Castelo", "Ponte de Lima", "", 6,
     "Turismo em espaço rural e agroturismo"),
    ("Espumantes de Lamego, Lda.", 11021, "Viseu", "Lamego", "", 18,
     "Produção de espumantes naturais"),
    ("Transportes Minhotos Rodrigues, Lda.", 49410, "Braga", "Vila Nova de Famalicão", "",
     "50 a 249", "Transporte rodoviário de mercadorias e logística"),
    # Centro
    ("Cerâmica da Bairrada, S.A.", 23411, "Aveiro", "Anadia", "Grande", "",
     "Fabricação de louça cerâmica utilitária e decorativa"),
    ("Serração do Pinhal Interior, Lda.", 16101, "Castelo Branco", "Sertã", "", 22,
     "Serração e aplainamento de madeira de pinho"),
    ("BioLab Coimbra Diagnósticos, Lda.", "CAE 86901", "Coimbra", "Coimbra", "Pequena", "",
     "Laboratório de análises clínicas e diagnóstico molecular"),
    ("Queijaria Serra da Estrela, Lda.", 10510, "Guarda", "Seia", "", 9,
     "Produção de queijo Serra da Estrela DOP"),
    ("Vidros Marinha, S.A.", 23131, "leiria", "Marinha Grande", "", 310,
     "Fabricação de vidro de embalagem e cristalaria"),
    ("Frutas do Oeste, CRL", "CAE 01240", "Lisboa", "Torres Vedras", "Média", "",
     "Produção e central fruteira de pera Rocha do Oeste"),
    ("Tomar Digital Studio, Lda.", 74100, "Santarem", "Tomar", "Micro", "",
     "Design gráfico, ilustração e comunicação digital"),
    ("Dão Lafões Agroalimentar, Lda.", 10130, "Viseu", "Viseu", "", 45,
     "Fabricação de enchidos e presuntos tradicionais"),
    ("Construções Eficientes do Centro, Lda.", 43290, "Leiria", "Pombal", "", 38,
     "Isolamento térmico e reabilitação energética de edifícios"),
    ("Hotel Termas da Beira, S.A.", 55111, "Viseu", "São Pedro do Sul", "", 60,
     "Hotelaria e turismo termal"),
    # Lisboa
    ("Lisboa Fintech Labs, S.A.", 62020, "LISBOA", "Lisboa", "", "+250",
     "Consultoria informática e soluções de pagamento"),
    ("Clínica Dentária Avenidas, Lda.", 86230, "Lisboa", "Lisboa", "", 14,
     "Medicina dentária e ortodontia"),
    ("Tejo Logística e Armazenagem, S.A.", 52102, "lisboa", "Vila Franca de Xira", "Grande",
     "", "Armazenagem e distribuição para o retalho alimentar"),
    ("Estúdio Alfama Produções, Lda.", 59110, "Lisboa", "Lisboa", "", 7,
     "Produção audiovisual e documentários"),
    ("Sintra Energia Solar, Lda.", "CAE 43210", "Lisboa", "Sintra", "Pequena", "",
     "Instalação de painéis fotovoltaicos e bombas de calor"),
    ("Almada Biotech, S.A.", 72110, "setubal", "Almada", "", 55,
     "Investigação e desenvolvimento em biotecnologia marinha"),
    ("Restaurante Cais do Seixal, Lda.", 56101, "Setúbal", "Seixal", "Micro", "",
     "Restaurante de cozinha tradicional portuguesa"),
    ("Mercearia Fina de Cascais, Lda.", 47290, "Lisboa", "Cascais", "", 4,
     "Comércio a retalho de produtos gourmet portugueses"),
    # Alentejo
    ("Azeites do Alentejo Central, Lda.", "CAE 10412", "Evora", "Évora", "Média", "",
     "Produção e engarrafamento de azeite virgem extra"),
    ("Cortiça Montado Vivo, S.A.", 16294, "Santarém", "Coruche", "", 140,
     "Preparação e transformação de cortiça"),
    ("Sines Port Services, Lda.", 52220, "Setúbal", "Sines", "", 75,
     "Serviços de apoio ao transporte marítimo e logística portuária"),
    ("Herdade da Planície Dourada, Lda.", 1110, "Beja", "Beja", "", 12,
     "Cereais, olival e amendoal em regadio"),
    ("Mármores de Estremoz, S.A.", 23701, "Évora", "Estremoz", "Grande", "",
     "Serragem e transformação de mármore"),
    ("Litoral Alentejano Surf Hostel, Lda.", 55201, "beja", "Odemira", "Micro", "",
     "Alojamento local e turismo de natureza"),
    ("Hortícolas de Almeirim, Lda.", "CAE 01130", "santarem", "Almeirim", "", 28,
     "Produção de tomate para indústria e hortícolas"),
    ("Portalegre Têxteis Lar, Lda.", 13921, "Portalegre", "Portalegre", "", "10-49",
     "Confeção de têxteis para o lar"),
    # Algarve
    ("Hotel Falésia Azul, S.A.", 55111, "Faro", "Albufeira", "", 180,
     "Hotel de quatro estrelas com restaurante e spa"),
    ("Ria Formosa Bivalves, Lda.", "CAE 03213", "Faro", "Olhão", "Micro", "",
     "Produção de amêijoa e ostra em viveiro"),
    ("Citrinos do Barlavento, Lda.", 1230, "Faro", "Silves", "", 16,
     "Produção e comercialização de laranja do Algarve"),
    ("Algarve Clean Energy, Lda.", 35113, "faro", "Loulé", "Pequena", "",
     "Produção de energia solar fotovoltaica"),
    ("Peixaria Lota de Portimão, Lda.", 46381, "Faro", "Portimão", "", 11,
     "Comércio por grosso de peixe fresco"),
    ("Lagos Eventos Culturais, Lda.", 90040, "Faro", "Lagos", "", 3,
     "Gestão de espaços culturais e organização de festivais"),
    # Açores
    ("Lacticínios Ilha Verde, Lda.", 10510, "Acores", "Ribeira Grande", "Média", "",
     "Produção de queijo e manteiga dos Açores"),
    ("Baleias do Faial Tours, Lda.", 79120, "R.A. Açores", "Horta", "", 8,
     "Observação de cetáceos e turismo marítimo"),
    ("Plantação de Chá do Nordeste, Lda.", "CAE 01270", "Açores", "Nordeste", "Micro", "",
     "Cultivo e transformação de chá"),
    ("Conservas Atlântico Açores, S.A.", 10201, "Região Autónoma dos Açores",
     "Praia da Vitória", "", 95, "Conservas de atum e peixe"),
    # Madeira
    ("Vinhos Madeira Heritage, Lda.", 11021, "Madeira", "Funchal", "Média", "",
     "Produção e envelhecimento de vinho Madeira"),
    ("Funchal Cloud Services, Lda.", 63110, "R.A. Madeira", "Funchal", "", 19,
     "Alojamento de dados e serviços cloud"),
    ("Bananas da Ponta do Sol, Lda.", "01220", "madeira", "Ponta do Sol", "Pequena", "",
     "Produção e embalamento de banana da Madeira"),
    ("Porto Santo Resort, S.A.", 55111, "Madeira", "Porto Santo", "Grande", "",
     "Hotelaria e animação turística"),
]  # fmt: skip
INVALID_NIF = {6: "check", 26: "short"}  # indexes into COMPANIES
DUPLICATE_OF = 12  # BioLab: a second row with the same NIF and the website the first lacks
DUPLICATE_AFTER = 20
BLANK_AFTER = 24


def nif(base: int) -> str:
    """A valid NIPC from the 8 digits of ``base``."""
    digits = f"{base:08d}"
    total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
    check = 11 - total % 11
    return digits + str(0 if check >= 10 else check)


def slug(name: str) -> str:
    plain = name.lower()
    for accented, letter in zip("áàâãéêíóôõúç", "aaaaeeiooouc", strict=True):
        plain = plain.replace(accented, letter)
    skip = {"", "lda", "s", "a", "crl", "de", "do", "da", "dos", "das", "e"}
    words = [w for w in re.split(r"[^a-z0-9]+", plain) if w not in skip]
    return "".join(words[:3])


def phone(rng: random.Random, style: int) -> str | int:
    prefix = rng.choice(["91", "92", "93", "96", "21", "22", "23", "25", "28", "29"])
    number = f"{prefix}{rng.randrange(10**7):07d}"
    if style == 0:
        return f"+351 {number[:3]} {number[3:6]} {number[6:]}"
    if style == 1:
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    if style == 2:
        return int(number)
    return f"00351{number}"


def rows() -> list[list[Any]]:
    rng = random.Random(2030)
    out: list[list[Any]] = []
    for index, (name, cae, district, municipality, size, employees, activity) in enumerate(
        COMPANIES
    ):
        number = nif(50000000 + rng.randrange(10000000))  # 5xxxxxxxx: companies
        if INVALID_NIF.get(index) == "check":
            number = number[:8] + str((int(number[8]) + 3) % 10)
        elif INVALID_NIF.get(index) == "short":
            number = number[:8]
        site = f"www.{slug(name)}.pt" if index % 3 else ""
        if index == DUPLICATE_OF:
            site = ""
        out.append(
            [
                name,
                int(number) if index % 2 else number,
                cae,
                district,
                municipality,
                size,
                employees,
                activity,
                f"geral@{slug(name)}.pt",
                phone(rng, index % 4),
                site,
            ]
        )
        if index == DUPLICATE_AFTER:
            first = out[DUPLICATE_OF]
            twin = [first[0].upper(), first[1], first[2], first[3], "", "", "", "", "", "", ""]
            twin[10] = f"www.{slug(first[0])}.pt"
            out.append(twin)
        if index == BLANK_AFTER:
            out.append([None] * len(HEADER))
    return out


def write(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Leads"
    sheet.append(["Lista de potenciais clientes - Portugal 2030 (exemplo fictício)"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows():
        sheet.append(row)
    for column, width in zip(
        "ABCDEFGHIJK", (38, 12, 11, 26, 22, 10, 16, 56, 34, 18, 30), strict=True
    ):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("Notas")
    notes.append(["Empresas e contactos fictícios, criados para demonstração."])
    book.properties.creator = "elinara"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    _pin_timestamps(path)


def _pin_timestamps(path: Path) -> None:
    """Fix the zip entries' dates and the document's created/modified stamps."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    stamp = b"2025-01-01T00:00:00Z"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp, data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


if __name__ == "__main__":
    write(OUT)
    print(f"wrote {OUT} ({len(COMPANIES)} companies)")
