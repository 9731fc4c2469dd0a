"""Reading leads from spreadsheets: headers, columns, rows, CSV flavours and bad files."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from script_helpers import load_script

import elinara
from elinara.agent import sheets
from elinara.agent.sheets import header_fields, map_columns, read_leads
from elinara.errors import BadInput
from elinara.models import REGIONS, Lead

SAMPLE = Path(elinara.__file__).resolve().parent / "data" / "sample" / "leads.xlsx"
HEADER = ["Empresa", "NIF", "CAE", "Distrito", "Concelho", "Dimensão", "Email", "Telefone"]
ROW_A = ["Padaria Central, Lda.", "500000000", "10711", "Braga", "Guimarães", "Micro"]
ROW_A += ["geral@padaria.pt", "253 123 456"]
ROW_B = ["Código Norte, Lda.", 501234560, "CAE 62010", "porto", "Matosinhos", 35, "", ""]


def xlsx(path: Path, *sheets: tuple[str, list[list[Any]]]) -> Path:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def one_sheet(tmp_path: Path, rows: list[list[Any]], name: str = "leads.xlsx") -> Path:
    return xlsx(tmp_path / name, ("Leads", rows))


def by_name(leads: list[Lead]) -> dict[str, Lead]:
    return {lead.company: lead for lead in leads}


# -- header detection ------------------------------------------------------------------------


def test_header_below_title_rows(tmp_path: Path) -> None:
    rows = [
        ["Leads - Portugal 2030"],
        ["Exportado em 2025-01-10", None, "Consultor: Ana"],
        [],
        [],
        HEADER,
        ROW_A,
        ROW_B,
    ]
    leads, report = read_leads(one_sheet(tmp_path, rows))
    assert report.header_row == 5
    assert report.sheet == "Leads"
    assert [lead.row for lead in leads] == [6, 7]
    assert report.columns == {
        "company": "Empresa",
        "nif": "NIF",
        "cae": "CAE",
        "district": "Distrito",
        "municipality": "Concelho",
        "size": "Dimensão",
        "email": "Email",
        "phone": "Telefone",
    }
    first = leads[0]
    assert first.source == "leads.xlsx"
    assert (first.company, first.nif, first.nif_valid) == (
        "Padaria Central, Lda.",
        "500000000",
        True,
    )
    assert (first.cae, first.cae_section) == ("10711", "C")
    assert (first.district, first.municipality, first.region) == ("Braga", "Guimarães", "norte")
    assert (first.size, first.email, first.phone) == ("micro", "geral@padaria.pt", "+351253123456")
    second = leads[1]
    assert (second.nif, second.cae, second.cae_section) == ("501234560", "62010", "J")
    assert (second.district, second.region, second.size, second.employees) == (
        "Porto",
        "norte",
        "small",
        35,
    )


def test_header_away_from_the_top_left_corner(tmp_path: Path) -> None:
    path = tmp_path / "offset.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for col, value in enumerate(HEADER[:3], start=3):
        sheet.cell(row=4, column=col, value=value)
        sheet.cell(row=5, column=col, value=ROW_A[col - 3])
        sheet.cell(row=8, column=col, value=ROW_B[col - 3])
    book.save(path)
    leads, report = read_leads(path)
    assert report.header_row == 4
    assert [(lead.row, lead.nif) for lead in leads] == [(5, "500000000"), (8, "501234560")]
    assert report.rows_skipped == 2  # rows 6 and 7


def test_the_sheet_with_the_best_header_wins(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "book.xlsx",
        ("Instruções", [["Preencha a folha Empresas"], ["Nome", "Observações"]]),
        ("Empresas", [HEADER, ROW_A, ROW_B]),
        ("Resumo", [["Empresa", "Total"], ["x", 1]]),
    )
    leads, report = read_leads(path)
    assert report.sheet == "Empresas"
    assert len(leads) == 2


def test_header_scan_stops_after_30_rows(tmp_path: Path) -> None:
    rows: list[list[Any]] = [[f"nota {i}"] for i in range(30)]
    with pytest.raises(BadInput, match="first 30 rows"):
        read_leads(one_sheet(tmp_path, [*rows, HEADER, ROW_A]))
    leads, report = read_leads(one_sheet(tmp_path, [*rows[:29], HEADER, ROW_A], "ok.xlsx"))
    assert report.header_row == 30 and len(leads) == 1


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Empresa", "company"),
        ("EMPRESA", "company"),
        ("Nome", "company"),
        ("Nome da Empresa", "company"),
        ("Company", "company"),
        ("Company name", "company"),
        ("Razão Social", "company"),
        ("razao social", "company"),
        ("Denominação", "company"),
        ("Denominação social", "company"),
        ("Firma", "company"),
        ("NIF", "nif"),
        ("nif", "nif"),
        ("NIPC", "nif"),
        ("NIF/NIPC", "nif"),
        ("VAT", "nif"),
        ("VAT number", "nif"),
        ("Contribuinte", "nif"),
        ("Nº Contribuinte", "nif"),
        ("N.º de contribuinte", "nif"),
        ("CAE", "cae"),
        ("Código CAE", "cae"),
        ("CAE Principal", "cae"),
        ("CAE Rev.3", "cae"),
        ("Atividade económica", "cae"),
        ("Sector", "cae"),
        ("Setor", "cae"),
        ("CAE - Descrição", "cae_description"),
        ("Descrição CAE", "cae_description"),
        ("Designação da CAE", "cae_description"),
        ("Distrito", "district"),
        ("DISTRITO", "district"),
        ("District", "district"),
        ("Região", "region"),
        ("Regiao NUTS II", "region"),
        ("Region", "region"),
        ("Concelho", "municipality"),
        ("Município", "municipality"),
        ("Municipality", "municipality"),
        ("Localidade", "locality"),
        ("Cidade", "locality"),
        ("City", "locality"),
        ("Código Postal", "postal_code"),
        ("CP", "postal_code"),
        ("Morada", "address"),
        ("Dimensão", "size"),
        ("Dimensao da empresa", "size"),
        ("Size", "size"),
        ("Classificação PME", "size"),
        ("Nº Trabalhadores", "employees"),
        ("Trabalhadores", "employees"),
        ("Employees", "employees"),
        ("N.º de colaboradores", "employees"),
        ("Atividade", "activity"),
        ("Descrição", "activity"),
        ("Description", "activity"),
        ("Objeto social", "activity"),
        ("Descrição da atividade", "activity"),
        ("Email", "email"),
        ("E-mail", "email"),
        ("e-mail da empresa", "email"),
        ("Correio eletrónico", "email"),
        ("Telefone", "phone"),
        ("Telemóvel", "phone"),
        ("Phone", "phone"),
        ("Contacto", "phone"),
        ("Tel.", "phone"),
        ("Website", "website"),
        ("Site", "website"),
        ("URL", "website"),
        ("Web site da empresa", "website"),
    ],
)
def test_header_synonyms(text: str, field: str) -> None:
    assert header_fields(text)[0][0] == field


@pytest.mark.parametrize(
    "text",
    [
        "Pessoa de contacto",
        "Nome do contacto",
        "Contact name",
        "Observações",
        "Data",
        "#",
        2024,
        None,
    ],
)
def test_headers_that_are_not_fields(text: object) -> None:
    assert header_fields(text) == ()


def test_cae_code_and_description_columns_stay_apart() -> None:
    columns = map_columns(["Empresa", "CAE - Descrição", "Código CAE", "Atividade"])
    assert columns["cae"] == [2]
    assert columns["cae_description"] == [1]
    assert columns["activity"] == [3]


def test_equally_good_columns_are_fallbacks_weaker_ones_are_not() -> None:
    columns = map_columns(["Empresa", "Nome", "Telefone", "Telemóvel", "Email", "Email 2"])
    assert columns == {"company": [0], "phone": [2, 3], "email": [4, 5]}


def test_a_second_cae_like_column_becomes_the_activity() -> None:
    columns = map_columns(["Empresa", "CAE", "Atividade económica"])
    assert columns["cae"] == [1]
    assert columns["activity"] == [2]


@pytest.mark.parametrize(
    "header",
    [
        ["Company", "VAT", "NACE", "District", "Size", "Email", "Phone", "Website"],
        [
            "RAZÃO SOCIAL",
            "Nº CONTRIBUINTE",
            "CÓDIGO CAE",
            "DISTRITO",
            "DIMENSÃO",
            "E-MAIL",
            "TELEMÓVEL",
            "SITE",
        ],
        [
            "denominacao",
            "nipc",
            "cae principal",
            "distrito",
            "dimensao",
            "correio eletronico",
            "contacto",
            "url",
        ],
    ],
)
def test_synonym_headers_read_the_same(tmp_path: Path, header: list[str]) -> None:
    row = ["Têxteis Ave, Lda.", "PT 500 000 000", "13201", "BRAGA", "pequena", "Geral@Ave.pt"]
    row += ["+351 253 000 000", "www.ave.pt"]
    leads, report = read_leads(one_sheet(tmp_path, [header, row]))
    (lead,) = leads
    assert set(report.columns) == {
        "company",
        "nif",
        "cae",
        "district",
        "size",
        "email",
        "phone",
        "website",
    }
    assert (lead.company, lead.nif, lead.nif_valid) == ("Têxteis Ave, Lda.", "500000000", True)
    assert (lead.cae_section, lead.region, lead.size) == ("C", "norte", "small")
    assert (lead.email, lead.phone, lead.website) == (
        "geral@ave.pt",
        "+351253000000",
        "https://www.ave.pt",
    )


def test_contact_person_name_is_not_the_company(tmp_path: Path) -> None:
    rows = [["Nome do contacto", "Empresa", "NIF"], ["Ana Silva", "Vidros Lda", "500000000"]]
    (lead,), report = read_leads(one_sheet(tmp_path, rows))
    assert lead.company == "Vidros Lda"
    assert report.columns["company"] == "Empresa"


# -- row contents ----------------------------------------------------------------------------


def test_cae_description_column_gives_code_and_activity(tmp_path: Path) -> None:
    rows = [
        ["Empresa", "CAE - Descrição"],
        ["Padaria", "10711 - Panificação"],
        ["Software", "CAE 62010 Atividades de programação informática"],
    ]
    leads, _ = read_leads(one_sheet(tmp_path, rows))
    assert [(x.cae, x.cae_section, x.activity) for x in leads] == [
        ("10711", "C", "Panificação"),
        ("62010", "J", "Atividades de programação informática"),
    ]


def test_sector_text_becomes_the_activity(tmp_path: Path) -> None:
    rows = [["Empresa", "Sector"], ["Hotel Mar", "Turismo e hotelaria"], ["Fab", "25734"]]
    leads, report = read_leads(one_sheet(tmp_path, rows))
    hotel, fab = leads
    assert (hotel.cae, hotel.activity) == (None, "Turismo e hotelaria")
    assert (fab.cae, fab.cae_section) == ("25734", "C")
    assert report.problems == []


def test_number_cae_codes_get_their_leading_zero_back(tmp_path: Path) -> None:
    rows = [["Empresa", "CAE"], ["Horta", 1130], ["Fábrica", 10711], ["Pesca", "03111"]]
    leads, _ = read_leads(one_sheet(tmp_path, rows))
    assert [(x.cae, x.cae_section) for x in leads] == [
        ("01130", "A"),
        ("10711", "C"),
        ("03111", "A"),
    ]
    # without 5-digit codes around, a 4-digit number is a CAE class
    leads, _ = read_leads(one_sheet(tmp_path, [["Empresa", "CAE"], ["Padaria", 1071]], "b.xlsx"))
    assert (leads[0].cae, leads[0].cae_section) == ("1071", "C")


def test_unreadable_values_are_flagged_not_fatal(tmp_path: Path) -> None:
    rows = [
        ["Empresa", "NIF", "CAE", "Distrito", "Dimensão", "Email", "Telefone"],
        ["Firma X", "12345", "9999999", "Narnia", "enorme", "sem email", "n/d"],
    ]
    (lead,), report = read_leads(one_sheet(tmp_path, rows))
    assert lead.nif == "12345" and not lead.nif_valid
    assert (lead.cae, lead.region, lead.size, lead.email, lead.phone) == (None,) * 5
    assert lead.district == "Narnia"
    assert lead.problems == [
        "invalid NIF 12345: a NIF has 9 digits",
        "CAE not recognised: 9999999",
        "size not recognised: enorme",
        "e-mail not recognised: sem email",
        "phone not recognised: n/d",
        "place not recognised: Narnia",
    ]
    assert report.problems == [(2, problem) for problem in lead.problems]
    assert report.rows_invalid == 1


def test_size_from_label_and_head_count_columns(tmp_path: Path) -> None:
    rows = [
        ["Empresa", "Dimensão", "Nº Trabalhadores"],
        ["A", "PME", 30],
        ["B", "", 300],
        ["C", "Média", ""],
        ["D", "", "10-49"],
        ["E", "", "+250"],
    ]
    leads = by_name(read_leads(one_sheet(tmp_path, rows))[0])
    assert [(x.size, x.employees) for x in leads.values()] == [
        ("small", 30),
        ("large", 300),
        ("medium", None),
        ("small", None),
        ("large", None),
    ]


def test_place_from_locality_or_address_only(tmp_path: Path) -> None:
    rows = [
        ["Empresa", "Localidade", "Morada"],
        ["A", "Torres Vedras", ""],
        ["B", "", "Rua do Mar 12, 8000-123 Faro"],
        ["C", "", "Av. da Liberdade 1, 1250-096 Lisboa"],
        ["D", "", "Rua X, 2500-100"],
    ]
    leads = by_name(read_leads(one_sheet(tmp_path, rows))[0])
    assert (leads["A"].district, leads["A"].region) == ("Lisboa", "centro")
    assert (leads["B"].municipality, leads["B"].region) == ("Faro", "algarve")
    assert leads["C"].region == "lisboa"
    assert leads["D"].region is None


def test_fallback_columns(tmp_path: Path) -> None:
    rows = [
        ["Empresa", "Telefone", "Telemóvel", "Email", "Email 2"],
        ["A", "", "912 345 678", "", "a@a.pt"],
        ["B", "253 000 000", "912 000 000", "b@b.pt", "x@x.pt"],
    ]
    leads = by_name(read_leads(one_sheet(tmp_path, rows))[0])
    assert (leads["A"].phone, leads["A"].email) == ("+351912345678", "a@a.pt")
    assert (leads["B"].phone, leads["B"].email) == ("+351253000000", "b@b.pt")


def test_every_region_from_a_sheet(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["Empresa", "Distrito", "Concelho"]]
    places = [
        ("Braga", "Braga", "norte"),
        ("Coimbra", "", "centro"),
        ("Lisboa", "Oeiras", "lisboa"),
        ("Evora", "", "alentejo"),
        ("faro", "Tavira", "algarve"),
        ("Açores", "Ponta Delgada", "acores"),
        ("R.A. Madeira", "", "madeira"),
        ("Lisboa", "Torres Vedras", "centro"),
        ("Setúbal", "Sines", "alentejo"),
        ("Santarém", "Tomar", "centro"),
    ]
    rows += [[f"Empresa {i}", d, m] for i, (d, m, _) in enumerate(places)]
    leads, _ = read_leads(one_sheet(tmp_path, rows))
    assert [lead.region for lead in leads] == [region for _, _, region in places]
    assert {lead.region for lead in leads} == set(REGIONS)


# -- rows kept, skipped, merged ----------------------------------------------------------------


def test_counts_blank_rows_duplicates_and_invalid_nifs(tmp_path: Path) -> None:
    rows = [
        ["Lista"],
        [],
        ["Empresa", "NIF", "Telefone", "Website", "Observações"],  # row 3
        ["Alfa, Lda.", "500000000", "", "", ""],  # 4
        [None, None, None, None, None],  # 5 blank
        ["Beta, S.A.", "501234567", "912 345 678", "", ""],  # 6 invalid NIF, kept
        ["", "", "", "", "só uma nota"],  # 7 neither name nor NIF: skipped
        ["", "501234560", "", "", ""],  # 8 NIF without a name
        ["ALFA LDA", "500 000 000", "253 000 000", "www.alfa.pt", ""],  # 9 duplicate of 4
        ["   ", "", "", "", ""],  # 10 white space only: blank
        ["Gama", "", "", "", ""],  # 11 no NIF
        ["gama", "", "", "", ""],  # 12 same name, no NIF: the same company
        [],  # trailing blank rows are not counted
        [],
    ]
    leads, report = read_leads(one_sheet(tmp_path, rows))
    assert [lead.row for lead in leads] == [4, 6, 8, 11]
    assert report.header_row == 3
    assert report.rows_read == 9
    assert report.rows_used == 6
    assert report.rows_skipped == 3
    assert report.rows_invalid == 1
    assert report.duplicates_merged == 2
    assert report.leads == 4
    alfa, beta, nameless, gama = leads
    assert (alfa.company, alfa.phone, alfa.website) == (
        "Alfa, Lda.",
        "+351253000000",
        "https://www.alfa.pt",
    )
    assert beta.nif == "501234567" and not beta.nif_valid
    assert beta.problems == ["invalid NIF 501234567: the check digit does not match"]
    assert (nameless.company, nameless.nif_valid) == ("501234560", True)
    assert nameless.problems == ["no company name; the NIF stands in for it"]
    assert gama.nif is None
    assert report.problems == [
        (6, "invalid NIF 501234567: the check digit does not match"),
        (7, "row has neither a company name nor a NIF; skipped"),
        (8, "no company name; the NIF stands in for it"),
        (9, "duplicate of row 4 (NIF 500000000); merged"),
        (12, "duplicate of row 11 (company name gama); merged"),
    ]


def test_duplicate_fills_a_missing_name(tmp_path: Path) -> None:
    rows = [["Empresa", "NIF", "Distrito"], ["", "500000000", ""], ["Alfa", "500000000", "Faro"]]
    (lead,), report = read_leads(one_sheet(tmp_path, rows))
    assert (lead.company, lead.region, lead.row) == ("Alfa", "algarve", 2)
    assert report.duplicates_merged == 1


def test_a_sink_gets_every_lead_as_finally_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Leads reach a sink in batches while the file is read; one that changes after it was
    handed over (a later duplicate, a CAE that turns out to have lost its leading zero) is
    handed over again, so replaying the batches gives exactly the leads returned."""
    monkeypatch.setattr(sheets, "SINK_BATCH", 2)
    rows = [
        ["Empresa", "NIF", "CAE", "Telefone"],
        ["Alfa", "500000000", 1130, ""],  # 01130 once a 5-digit code shows up
        ["Beta", "501234560", "", ""],
        ["Gama", "502345675", 10711, ""],
        ["Beta (dup)", "501234560", 62010, "253 123 456"],  # fills Beta's CAE and phone
        ["Delta", "503306665", 25110, ""],
    ]
    batches: list[list[Lead]] = []
    leads, report = read_leads(
        one_sheet(tmp_path, rows), lambda batch: batches.append(copy.deepcopy(batch))
    )
    assert len(batches) >= 3 and report.duplicates_merged == 1
    assert batches[0][0].cae == "1130"  # handed over before its zero came back
    replayed = {lead.key: lead for batch in batches for lead in batch}
    assert list(replayed.values()) == leads
    assert [(x.company, x.cae, x.phone) for x in leads] == [
        ("Alfa", "01130", None),
        ("Beta", "62010", "+351253123456"),
        ("Gama", "10711", None),
        ("Delta", "25110", None),
    ]


@pytest.mark.parametrize("order", [1, -1])
def test_true_and_1_cells_read_each_as_itself(tmp_path: Path, order: int) -> None:
    """TRUE, 1 and 1.0 are one key to a Python dict; a memo table must not mix them up."""
    rows = [
        ["Alfa", "500000000", "62010 Programação informática", True, True],
        ["Beta", "501234560", "10711 Panificação", 1, 1],
    ][::order]
    leads, _ = read_leads(
        one_sheet(tmp_path, [["Empresa", "NIF", "CAE", "Dimensão", "Atividade"], *rows])
    )
    read = {x.company: (x.size, x.employees, x.activity) for x in leads}
    assert read == {
        "Alfa": (None, None, "Programação informática"),
        "Beta": ("micro", 1, "1"),
    }


def test_control_and_invisible_characters_leave_names_and_nifs(tmp_path: Path) -> None:
    sheet = tmp_path / "nul.csv"
    filler = "".join(f"Empresa de enchimento número {i};\n" for i in range(200))  # past 4 KB
    sheet.write_text("Empresa;NIF\n" + filler + "Loja\x00A;\nLoja\u200bB;\nLoja C;5012\x0034560\n")
    leads, _ = read_leads(sheet)
    assert [(x.company, x.nif, x.nif_valid, x.key) for x in leads[200:]] == [
        ("LojaA", None, False, "name:lojaa"),
        ("LojaB", None, False, "name:lojab"),
        ("Loja C", "501234560", True, "501234560"),
    ]


def test_an_impossible_head_count_is_flagged_not_stored(tmp_path: Path) -> None:
    sheet = tmp_path / "big.csv"
    sheet.write_text("Empresa;NIF;Trabalhadores\nAlfa;500000000;99999999999999999999\n")
    (lead,), _ = read_leads(sheet)
    assert (lead.size, lead.employees) == (None, None)
    assert lead.problems == ["size not recognised: 99999999999999999999"]


def test_a_bad_file_gives_a_sink_nothing(tmp_path: Path) -> None:
    batches: list[list[Lead]] = []
    with pytest.raises(BadInput):
        read_leads(one_sheet(tmp_path, [["Empresa", "NIF"], ["", ""]]), batches.append)
    assert batches == []


def test_report_to_dict_is_json(tmp_path: Path) -> None:
    rows = [HEADER, ROW_A, ["", "", "", "", "", "", "", "nota"]]
    _, report = read_leads(one_sheet(tmp_path, rows))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["source"] == "leads.xlsx"
    assert data["columns"]["nif"] == "NIF"
    assert data["rows_used"] == 1 and data["rows_skipped"] == 1
    assert data["problems"] == [
        {"row": 3, "message": "row has neither a company name nor a NIF; skipped"}
    ]


def test_xlsm_and_path_as_text(tmp_path: Path) -> None:
    path = one_sheet(tmp_path, [HEADER, ROW_A], "leads.xlsm")
    leads, _ = read_leads(str(path))
    assert leads[0].nif == "500000000"


# -- CSV ---------------------------------------------------------------------------------------

CSV_ROWS = [
    ["Empresa", "NIF", "Distrito", "Concelho", "Atividade"],
    ["Cerâmica Águeda, Lda.", "500000000", "Aveiro", "Águeda", "Fabricação de louça"],
    ["Conservas Peniche", "501234560", "Leiria", "Peniche", "Conservas de peixe"],
]


def write_csv(path: Path, delimiter: str, encoding: str, rows: list[list[str]] = CSV_ROWS) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "leads.csv", delimiter, encoding)
    leads, report = read_leads(path)
    assert [lead.company for lead in leads] == ["Cerâmica Águeda, Lda.", "Conservas Peniche"]
    assert [lead.municipality for lead in leads] == ["Águeda", "Peniche"]
    assert [lead.region for lead in leads] == ["centro", "centro"]
    assert report.columns["company"] == "Empresa"
    assert report.sheet is None
    assert [lead.row for lead in leads] == [2, 3]


def test_csv_quoted_fields_and_short_rows(tmp_path: Path) -> None:
    text = (
        "Leads exportados\n\n"
        'Empresa,NIF,Atividade,Telefone\n"Silva, Santos & Filhos, Lda.",500000000,"Pão, bolos"\n'
        "Beta,501234560,Comércio,912345678\n"
    )
    path = tmp_path / "leads.csv"
    path.write_text(text, encoding="utf-8")
    leads, report = read_leads(path)
    assert report.header_row == 3
    assert [(x.company, x.activity, x.phone) for x in leads] == [
        ("Silva, Santos & Filhos, Lda.", "Pão, bolos", None),
        ("Beta", "Comércio", "+351912345678"),
    ]


def test_csv_numbers_lose_leading_zeros(tmp_path: Path) -> None:
    rows = [["Empresa", "CAE"], ["Horta", "1130"], ["Padaria", "10711"]]
    leads, _ = read_leads(write_csv(tmp_path / "c.csv", ";", "utf-8", rows))
    assert [x.cae for x in leads] == ["01130", "10711"]


# -- the sample workbook -------------------------------------------------------------------------


def test_sample_workbook() -> None:
    leads, report = read_leads(SAMPLE)
    assert report.sheet == "Leads"
    assert report.header_row == 3
    assert report.rows_read == 52
    assert report.rows_used == 51
    assert report.rows_skipped == 1
    assert report.rows_invalid == 2
    assert report.duplicates_merged == 1
    assert len(leads) == report.leads == 50
    assert len({lead.nif for lead in leads}) == 50
    assert sum(not lead.nif_valid for lead in leads) == 2
    assert {lead.region for lead in leads} == set(REGIONS)
    assert all(lead.region for lead in leads)
    assert all(lead.cae_section for lead in leads)
    assert all(lead.size for lead in leads)
    assert all(lead.phone and lead.phone.startswith("+351") for lead in leads)
    assert len({lead.cae_section for lead in leads}) >= 10
    companies = by_name(leads)
    assert companies["Frutas do Oeste, CRL"].region == "centro"  # Lisboa district, Oeste
    assert companies["Sines Port Services, Lda."].region == "alentejo"  # Setúbal district
    assert companies["Moldes Feira Tech, S.A."].region == "norte"  # Aveiro district
    assert companies["Herdade da Planície Dourada, Lda."].cae == "01110"
    biolab = companies["BioLab Coimbra Diagnósticos, Lda."]
    assert biolab.website  # filled in from its duplicate row
    problems = [message for _, message in report.problems]
    assert sum("invalid NIF" in p for p in problems) == 2
    assert sum("duplicate of row" in p for p in problems) == 1


def test_sample_script_is_deterministic(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parent.parent / "scripts" / "make_sample_leads.py"
    module = load_script(script, "make_sample_leads")
    module.write(tmp_path / "a.xlsx")
    module.write(tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    # the shipped file holds what the script writes (bytes may differ across openpyxl versions)
    expected, _ = read_leads(SAMPLE)
    fresh, _ = read_leads(tmp_path / "a.xlsx")
    for lead in (*expected, *fresh):
        lead.source = ""
    assert fresh == expected


# -- bad input -----------------------------------------------------------------------------------


def assert_one_sentence(message: str, *words: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert message.endswith(".")
    assert message.count("; ") <= 1
    for word in words:
        assert word in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput) as caught:
        read_leads(tmp_path / "nope.xlsx")
    assert_one_sentence(caught.value.message, "nope.xlsx", "does not exist", "check the path")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput) as caught:
        read_leads(tmp_path)
    assert_one_sentence(caught.value.message, "folder", ".xlsx")


@pytest.mark.parametrize("name", ["leads.pdf", "leads.docx", "leads"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Empresa;NIF\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        read_leads(path)
    assert_one_sentence(caught.value.message, name, "cannot be read as leads", ".xlsx", ".csv")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "leads.xlsx"
    path.write_bytes(b"")
    with pytest.raises(BadInput) as caught:
        read_leads(path)
    assert_one_sentence(caught.value.message, "leads.xlsx", "empty")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"Empresa;NIF\nAlfa;500000000\n", ("text file", "rename it to .csv")),
        (b"<html><body><table><tr><td>Empresa</td></tr></table></body></html>", ("web page",)),
        (b"\x00\x01\x02\x03garbage\xff\xfe" * 20, ("damaged or not an Excel workbook",)),
    ],
)
def test_files_that_are_not_workbooks(tmp_path: Path, content: bytes, words: tuple[str]) -> None:
    path = tmp_path / "leads.xlsx"
    path.write_bytes(content)
    with pytest.raises(BadInput) as caught:
        read_leads(path)
    assert_one_sentence(caught.value.message, "leads.xlsx", *words)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "leads.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    with pytest.raises(BadInput) as caught:
        read_leads(path)
    assert_one_sentence(caught.value.message, "leads.xlsx", "zip archive", "save it as .xlsx")


def test_html_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><table><tr><td>Empresa</td></tr></table></html>", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        read_leads(path)
    assert_one_sentence(caught.value.message, "export.xls", "web page")


def test_workbook_saved_as_csv(tmp_path: Path) -> None:
    workbook = one_sheet(tmp_path, [HEADER, ROW_A])
    path = tmp_path / "leads.csv"
    path.write_bytes(workbook.read_bytes())
    with pytest.raises(BadInput) as caught:
        read_leads(path)
    assert_one_sentence(caught.value.message, "leads.csv", "rename it to .xlsx")


def test_no_header(tmp_path: Path) -> None:
    rows = [["Alfa", 500000000, "Braga"], ["Beta", 501234560, "Porto"]]
    with pytest.raises(BadInput) as caught:
        read_leads(one_sheet(tmp_path, rows))
    assert_one_sentence(
        caught.value.message,
        "No header row with a company name or NIF column",
        "first 30 rows of any sheet of leads.xlsx",
        "Empresa, NIF, CAE, Distrito",
    )


def test_no_header_in_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ";", "utf-8", [["a", "b"], ["1", "2"]])
    with pytest.raises(BadInput, match=r"first 30 rows of x\.csv"):
        read_leads(path)


def test_header_without_leads(tmp_path: Path) -> None:
    rows = [["Título"], HEADER, [], ["", "", "", "", "", "", "", "nota solta"]]
    with pytest.raises(BadInput) as caught:
        read_leads(one_sheet(tmp_path, rows))
    assert_one_sentence(caught.value.message, "leads.xlsx", "row 2", "Leads", "no leads")


def test_empty_workbook(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="No header row"):
        read_leads(xlsx(tmp_path / "empty.xlsx", ("Folha1", [])))
