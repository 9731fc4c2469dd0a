"""The cell normalisers: NIF, phone, e-mail, website, CAE, size and places."""

from __future__ import annotations

from collections import Counter

import pytest

from elinara.agent.cae import cae_section
from elinara.agent.normalize import (
    DISTRICTS,
    cell_text,
    district_region,
    find_district,
    find_municipality,
    municipalities,
    nif_is_valid,
    normalize_cae,
    normalize_email,
    normalize_nif,
    normalize_phone,
    normalize_size,
    normalize_website,
    parse_cae,
    place_key,
    postal_region,
    region_of,
    resolve_place,
    size_for_employees,
)
from elinara.models import REGIONS, SIZES

# -- cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Lisboa ", "Lisboa"),
        (501234560.0, "501234560"),
        (12.5, "12.5"),
        (42, "42"),
        (True, ""),
        (float("nan"), ""),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


# -- NIF -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nif",
    [
        "500000000",  # remainder 1: check digit 0
        "501234560",
        "123456789",  # a person
        "999999990",  # prefix 99
        "453456782",  # prefix 45: non-resident person
        "700000003",  # prefix 70: an estate
        "980000009",  # prefix 98: non-resident without establishment
    ],
)
def test_valid_nifs(nif: str) -> None:
    assert nif_is_valid(nif)
    assert normalize_nif(nif) == (nif, True)


@pytest.mark.parametrize(
    "nif",
    [
        "501234567",  # check digit off
        "123456780",
        "404000000",  # 4 is only assigned as 45
        "000000000",
        "730000000",  # 73 is not an assigned prefix
        "50123456",  # 8 digits
        "5012345600",
        "²²²²²²²²²",  # unicode digits
    ],
)
def test_invalid_nifs(nif: str) -> None:
    assert not nif_is_valid(nif)
    assert normalize_nif(nif) == (nif, False)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("PT 501 234 560", ("501234560", True)),
        ("pt501234560", ("501234560", True)),
        ("PT:501234560", ("501234560", True)),
        ("501.234.560", ("501234560", True)),
        ("501-234-560", ("501234560", True)),
        (501234560, ("501234560", True)),
        (501234560.0, ("501234560", True)),
        ("501234560.0", ("501234560", True)),  # a CSV export that went through a float
        ("  ", (None, False)),
        (None, (None, False)),
        ("PT 501 234 567", ("PT 501 234 567", False)),  # invalid: kept as given
        ("n/d", ("n/d", False)),
    ],
)
def test_normalize_nif(given: object, expected: tuple[str | None, bool]) -> None:
    assert normalize_nif(given) == expected


# -- phone -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("912 345 678", "+351912345678"),
        ("912345678", "+351912345678"),
        (912345678, "+351912345678"),
        (912345678.0, "+351912345678"),
        ("912345678.0", "+351912345678"),
        ("+351 912 345 678", "+351912345678"),
        ("+351912345678", "+351912345678"),
        ("00351 21 123 45 67", "+351211234567"),
        ("351912345678", "+351912345678"),
        ("(+351) 253-123-456", "+351253123456"),
        ("21.234.5678", "+351212345678"),
        ("253 123 456 / 912 345 678", "+351253123456"),
        ("Tel: 21 123 4567", "+351211234567"),
        ("253 123 456 ext. 12", "+351253123456"),
        ("+34 912 345 678", "+34912345678"),
        ("+44 (0)20 7946 0958", "+442079460958"),
        ("0034 912 345 678", "+34912345678"),
    ],
)
def test_phone_to_e164(given: object, expected: str) -> None:
    assert normalize_phone(given) == expected


@pytest.mark.parametrize(
    "given",
    ["", None, "123", "112", "n/d", "-", "123456789", "+351 12345", "+", "geral@x.pt", 0.0],
)
def test_phone_garbage(given: object) -> None:
    assert normalize_phone(given) is None


# -- e-mail and website ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Geral@Empresa.PT", "geral@empresa.pt"),
        (" info@empresa.com.pt ", "info@empresa.com.pt"),
        ("a@b.pt; c@d.pt", "a@b.pt"),
        ("email: x@y.com", "x@y.com"),
        ("mailto:x@y.pt", "x@y.pt"),
        ("<x@y.pt>", "x@y.pt"),
        ("nope", None),
        ("a@b", None),
        ("x@y..pt", None),
        ("", None),
    ],
)
def test_normalize_email(given: str, expected: str | None) -> None:
    assert normalize_email(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("www.empresa.pt", "https://www.empresa.pt"),
        ("http://Empresa.PT/", "http://empresa.pt"),
        ("Empresa.pt/Contactos", "https://empresa.pt/Contactos"),
        ("https://www.x.pt/a?b=1", "https://www.x.pt/a?b=1"),
        ("n/a", None),
        ("geral@x.pt", None),
        ("ftp://x.pt", None),
        ("two words.pt", None),
    ],
)
def test_normalize_website(given: str, expected: str | None) -> None:
    assert normalize_website(given) == expected


# -- CAE -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("division", "section"),
    [
        ("01", "A"),
        ("03", "A"),
        ("05", "B"),
        ("09", "B"),
        ("10", "C"),
        ("33", "C"),
        ("35", "D"),
        ("36", "E"),
        ("39", "E"),
        ("41", "F"),
        ("43", "F"),
        ("45", "G"),
        ("47", "G"),
        ("49", "H"),
        ("53", "H"),
        ("55", "I"),
        ("56", "I"),
        ("58", "J"),
        ("63", "J"),
        ("64", "K"),
        ("66", "K"),
        ("68", "L"),
        ("69", "M"),
        ("75", "M"),
        ("77", "N"),
        ("82", "N"),
        ("84", "O"),
        ("85", "P"),
        ("86", "Q"),
        ("88", "Q"),
        ("90", "R"),
        ("93", "R"),
        ("94", "S"),
        ("96", "S"),
        ("97", "T"),
        ("98", "T"),
        ("99", "U"),
    ],
)
def test_cae_sections(division: str, section: str) -> None:
    assert cae_section(division) == section
    assert cae_section(division + "100") == section


@pytest.mark.parametrize("division", ["00", "04", "34", "40", "44", "48", "54", "57", "67", "76"])
def test_unused_divisions_have_no_section(division: str) -> None:
    assert cae_section(division) is None
    assert normalize_cae(division + "111") == (None, None)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("10711", ("10711", "C")),
        (10711, ("10711", "C")),
        (10711.0, ("10711", "C")),
        ("CAE 10711", ("10711", "C")),
        ("cae: 62010", ("62010", "J")),
        ("C.A.E. 62.010", ("62010", "J")),
        ("47 190", ("47190", "G")),
        ("47-190", ("47190", "G")),
        ("01130", ("01130", "A")),  # leading zero kept
        ("Código CAE 55111", ("55111", "I")),
        ("CAE Rev.3 - 62010", ("62010", "J")),
        ("86", ("86", "Q")),
        ("862", ("862", "Q")),
        ("8621", ("8621", "Q")),
        ("107110", (None, None)),  # six digits: not a CAE
        ("Fabricação de pão", (None, None)),
        ("", (None, None)),
    ],
)
def test_normalize_cae(given: object, expected: tuple[str | None, str | None]) -> None:
    assert normalize_cae(given) == expected


def test_parse_cae_separates_the_description() -> None:
    assert parse_cae("CAE 10711 - Panificação") == ("10711", "Panificação")
    assert parse_cae("10711 – Panificação") == ("10711", "Panificação")
    assert parse_cae("Panificação (10711)") == ("10711", "Panificação")
    assert parse_cae("62010 / 47190") == ("62010", "")
    assert parse_cae("Fabricação de pão") == (None, "Fabricação de pão")


# -- size ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "size"),
    [(0, "micro"), (9, "micro"), (10, "small"), (49, "small"), (50, "medium"), (249, "medium")],
)
def test_size_for_employees(count: int, size: str) -> None:
    assert size_for_employees(count) == size
    assert size_for_employees(250) == "large"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("micro", ("micro", None)),
        ("Microempresa", ("micro", None)),
        ("Pequena", ("small", None)),
        ("pequena empresa", ("small", None)),
        ("Média", ("medium", None)),
        ("MEDIA EMPRESA", ("medium", None)),
        ("Grande", ("large", None)),
        ("Grande Empresa", ("large", None)),
        ("small", ("small", None)),
        ("Medium", ("medium", None)),
        ("large", ("large", None)),
        ("PME", ("small", None)),  # an SME of unknown class: eligible for SME-only calls
        ("SME", ("small", None)),
        ("PME Líder", ("small", None)),
        ("Não PME", ("large", None)),
        ("non-SME", ("large", None)),
        ("Small Mid Cap", ("large", None)),
        ("Pequena (10-49)", ("small", None)),
        (12, ("small", 12)),
        (12.0, ("small", 12)),
        ("12", ("small", 12)),
        ("7 trabalhadores", ("micro", 7)),
        ("1.250", ("large", 1250)),
        (300, ("large", 300)),
        ("10-49", ("small", None)),
        ("10 a 49", ("small", None)),
        ("50 a 249", ("medium", None)),
        ("de 50 a 249 trabalhadores", ("medium", None)),
        ("+250", ("large", None)),
        ("250+", ("large", None)),
        ("> 250", ("large", None)),
        ("mais de 250", ("large", None)),
        ("<10", ("micro", None)),
        ("menos de 10", ("micro", None)),
        ("até 9", ("micro", None)),
        ("", (None, None)),
        ("xyz", (None, None)),
        (-3, (None, None)),
        (99999999999999999999, (None, None)),  # a typo, not a head count: not stored
        (float("inf"), (None, None)),
        (float("nan"), (None, None)),
        ("99999999999999999999", (None, None)),
        (10_000_000, ("large", 10_000_000)),
    ],
)
def test_normalize_size(given: object, expected: tuple[str | None, int | None]) -> None:
    assert normalize_size(given) == expected
    assert expected[0] is None or expected[0] in SIZES


# -- places ----------------------------------------------------------------------------------


def test_municipality_table_is_complete() -> None:
    table = municipalities()
    assert len(table) == 308
    assert len({(m.name, m.district) for m in table}) == 308
    per_region = Counter(m.region for m in table)
    assert per_region == {
        "norte": 86,
        "centro": 100,
        "lisboa": 18,
        "alentejo": 58,
        "algarve": 16,
        "acores": 19,
        "madeira": 11,
    }
    per_district = Counter(m.district for m in table)
    assert set(per_district) == set(DISTRICTS)
    assert per_district["Viseu"] == 24 and per_district["Santarém"] == 21
    assert per_district["Lisboa"] == 16 and per_district["Setúbal"] == 13


def test_every_municipality_resolves_by_name() -> None:
    for m in municipalities():
        found = find_municipality(m.name, m.district)
        assert found == m
        if m.name not in ("Lagoa", "Calheta"):  # two of each: the district settles it
            assert find_municipality(m.name.upper()) == m
            assert resolve_place(municipality=m.name).region == m.region


@pytest.mark.parametrize(
    ("district", "region"),
    [
        ("Aveiro", "centro"),
        ("Beja", "alentejo"),
        ("Braga", "norte"),
        ("Bragança", "norte"),
        ("Castelo Branco", "centro"),
        ("Coimbra", "centro"),
        ("Évora", "alentejo"),
        ("Faro", "algarve"),
        ("Guarda", "centro"),
        ("Leiria", "centro"),
        ("Lisboa", "lisboa"),
        ("Portalegre", "alentejo"),
        ("Porto", "norte"),
        ("Santarém", "alentejo"),
        ("Setúbal", "lisboa"),
        ("Viana do Castelo", "norte"),
        ("Vila Real", "norte"),
        ("Viseu", "centro"),
        ("Açores", "acores"),
        ("Madeira", "madeira"),
    ],
)
def test_every_district_gives_a_region(district: str, region: str) -> None:
    """A split district without its municipality takes its seat's region."""
    assert district_region(district) == region
    for spelling in (district, district.upper(), district.lower(), place_key(district)):
        place = resolve_place(district=spelling)
        assert (place.district, place.region) == (district, region)


@pytest.mark.parametrize(
    "text",
    [
        "Açores",
        "acores",
        "AÇORES",
        "Azores",
        "Região Autónoma dos Açores",
        "R.A. Açores",
        "RAA",
        "São Miguel",
        "Ilha Terceira",
        "ilha do Pico",
        "Faial",
        "Santa Maria",
    ],
)
def test_azores_names(text: str) -> None:
    assert find_district(text) == "Açores"
    assert resolve_place(district=text).region == "acores"


@pytest.mark.parametrize(
    "text", ["Madeira", "MADEIRA", "Região Autónoma da Madeira", "R.A. Madeira", "RAM"]
)
def test_madeira_names(text: str) -> None:
    assert resolve_place(district=text).region == "madeira"
    assert region_of(text) == "madeira"


@pytest.mark.parametrize(
    ("district", "municipality", "region"),
    [
        # Lisboa district: Oeste is Centro, Azambuja is in the Lezíria do Tejo (Alentejo)
        ("Lisboa", "Torres Vedras", "centro"),
        ("Lisboa", "Alenquer", "centro"),
        ("Lisboa", "Lourinhã", "centro"),
        ("lisboa", "lourinha", "centro"),
        ("Lisboa", "Cadaval", "centro"),
        ("Lisboa", "Sobral de Monte Agraço", "centro"),
        ("Lisboa", "Arruda dos Vinhos", "centro"),
        ("Lisboa", "Azambuja", "alentejo"),
        ("Lisboa", "Sintra", "lisboa"),
        ("Lisboa", "Vila Franca de Xira", "lisboa"),
        # Setúbal district: Alentejo Litoral
        ("Setúbal", "Alcácer do Sal", "alentejo"),
        ("Setubal", "Grandola", "alentejo"),
        ("Setúbal", "Santiago do Cacém", "alentejo"),
        ("Setúbal", "Sines", "alentejo"),
        ("Setúbal", "Almada", "lisboa"),
        ("Setúbal", "Setúbal", "lisboa"),
        # Santarém district: Médio Tejo is Centro, Lezíria do Tejo Alentejo
        ("Santarém", "Tomar", "centro"),
        ("Santarém", "Abrantes", "centro"),
        ("Santarém", "Ourém", "centro"),
        ("Santarém", "Torres Novas", "centro"),
        ("Santarém", "Entroncamento", "centro"),
        ("Santarém", "Santarém", "alentejo"),
        ("Santarém", "Almeirim", "alentejo"),
        ("Santarém", "Coruche", "alentejo"),
        ("Santarém", "Rio Maior", "alentejo"),
        # Aveiro district: Entre Douro e Vouga is Norte
        ("Aveiro", "Santa Maria da Feira", "norte"),
        ("Aveiro", "S. João da Madeira", "norte"),
        ("Aveiro", "Oliveira de Azeméis", "norte"),
        ("Aveiro", "Espinho", "norte"),
        ("Aveiro", "Castelo de Paiva", "norte"),
        ("Aveiro", "Ovar", "centro"),
        ("Aveiro", "Águeda", "centro"),
        # Viseu district: Douro and Tâmega municipalities are Norte
        ("Viseu", "Lamego", "norte"),
        ("Viseu", "Cinfães", "norte"),
        ("Viseu", "Resende", "norte"),
        ("Viseu", "Tondela", "centro"),
        # Guarda district: Vila Nova de Foz Côa is Douro (Norte)
        ("Guarda", "Vila Nova de Foz Côa", "norte"),
        ("Guarda", "Mêda", "centro"),
        # Castelo Branco: Sertã and Vila de Rei are Médio Tejo, still Centro
        ("Castelo Branco", "Sertã", "centro"),
    ],
)
def test_split_districts_resolve_by_municipality(
    district: str, municipality: str, region: str
) -> None:
    place = resolve_place(district=district, municipality=municipality)
    assert place.region == region
    assert place.problem is None
    assert resolve_place(municipality=municipality).region == region


def test_split_district_without_municipality_says_so() -> None:
    santarem = resolve_place(district="Santarém")
    assert santarem.region == "alentejo"
    assert santarem.problem and "Concelho" in santarem.problem
    assert resolve_place(district="Lisboa").problem is None
    unknown = resolve_place(district="Lisboa", municipality="Xpto")
    assert unknown.region == "lisboa"
    assert unknown.problem and "Xpto" in unknown.problem


@pytest.mark.parametrize(
    ("kwargs", "municipality", "region"),
    [
        ({"locality": "V.N. Gaia"}, "Vila Nova de Gaia", "norte"),
        ({"locality": "Gaia"}, "Vila Nova de Gaia", "norte"),
        ({"locality": "Famalicão"}, "Vila Nova de Famalicão", "norte"),
        ({"locality": "Sta. Maria da Feira"}, "Santa Maria da Feira", "norte"),
        ({"locality": "Vila Real de S. António"}, "Vila Real de Santo António", "algarve"),
        ({"locality": "Praia da Vitória"}, "Vila da Praia da Vitória", "acores"),
        ({"locality": "Freixo de Espada-à-Cinta"}, "Freixo de Espada à Cinta", "norte"),
        ({"locality": "Matosinhos, Porto"}, "Matosinhos", "norte"),
        ({"locality": "Lisbon"}, "Lisboa", "lisboa"),
        ({"municipality": "Concelho de Évora"}, "Évora", "alentejo"),
        ({"district": "Faro", "locality": "Lagoa"}, "Lagoa", "algarve"),
        ({"district": "Açores", "municipality": "Lagoa"}, "Lagoa", "acores"),
        ({"locality": "Calheta (São Jorge)"}, "Calheta", "acores"),
        ({"district": "Madeira", "municipality": "Calheta"}, "Calheta", "madeira"),
        ({"district": "Matosinhos"}, "Matosinhos", "norte"),  # a concelho in a district column
    ],
)
def test_municipality_spellings(kwargs: dict[str, str], municipality: str, region: str) -> None:
    place = resolve_place(**kwargs)
    assert (place.municipality, place.region) == (municipality, region)


def test_ambiguous_and_unknown_places() -> None:
    lagoa = resolve_place(locality="Lagoa")
    assert lagoa.region is None
    assert lagoa.problem and "ambiguous" in lagoa.problem and "district" in lagoa.problem
    narnia = resolve_place(district="Narnia")
    assert (narnia.district, narnia.region) == ("Narnia", None)
    assert narnia.problem == "place not recognised: Narnia"
    assert resolve_place().region is None
    wrong = resolve_place(district="Porto", municipality="Faro")
    assert wrong.region == "algarve" and wrong.problem and "not Porto" in wrong.problem


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Norte", "norte"),
        ("Região Norte", "norte"),
        ("Centro", "centro"),
        ("Área Metropolitana de Lisboa", "lisboa"),
        ("Alentejo", "alentejo"),
        ("Algarve", "algarve"),
        ("PT11", "norte"),
        ("Oeste", "centro"),
        ("Médio Tejo", "centro"),
        ("Lezíria do Tejo", "alentejo"),
        ("Alentejo Litoral", "alentejo"),
        ("Área Metropolitana do Porto", "norte"),
        ("Lisboa e Vale do Tejo", None),  # spans three regions
    ],
)
def test_region_names(text: str, region: str | None) -> None:
    assert resolve_place(region=text).region == region
    assert region is None or region in REGIONS


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("1000-001", "lisboa"),
        ("4700-123", "norte"),
        ("5000", "norte"),
        ("7000-100", "alentejo"),
        ("8000-001", "algarve"),
        ("9000-001", "madeira"),
        ("9400-123", "madeira"),
        ("9500-123", "acores"),
        ("9900-001", "acores"),
        ("2500-001", None),  # Oeste, Lezíria and Lisboa share the 2xxx block
        ("3700-001", None),
        ("6000-001", None),
        ("abc", None),
    ],
)
def test_postal_code_fallback(code: str, region: str | None) -> None:
    assert postal_region(code) == region
    assert resolve_place(postal_code=code).region == region


def test_head_counts_with_thousands_separators() -> None:
    from elinara.agent.normalize import normalize_size

    for text in ("1,200", "1.200", "1 200"):
        assert normalize_size(text) == ("large", 1200)
    assert normalize_size("12,5") == ("small", 12)
