"""Derive labels.csv from leads.csv and calls.json by a consultant's written rules.

Run from anywhere: ``python tests/data/eval/make_labels.py`` (rewrites labels.csv beside it).

Deliberately independent of elinara's matcher: no import of ``elinara``; the sector judgement of
every call is written by hand in CALL_RULES below (what a consultant concludes after reading the
aviso), not derived from keywords. See README.md for the rules in prose.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL_DATE = datetime(2026, 12, 1, 12, 0)  # Lisbon wall-clock time; calendario dates are too

# Divisions the horizontal business schemes leave out: primary agriculture/forestry/fishing
# (PEPAC and MAR 2030 fund them through their own calls), finance and insurance, public
# administration, gambling, membership organisations, households, extraterritorial bodies.
NON_BUSINESS = {"01", "02", "03", "64", "65", "66", "84", "92", "94", "97", "98", "99"}
# Regional investment aid (GBER art. 13) excludes steel, synthetic fibres, energy generation and
# the transport sector: "Inovação Produtiva" calls are regional investment aid.
REGIONAL_AID_EXCLUDED = ("241", "2060", "35", "49", "50", "51", "522")

ANY = "any sector"  # FSE+ (training, employment): no business-sector exclusions at all
H = "horizontal"  # any business sector
RA = "horizontal, regional investment aid"  # any business sector except REGIONAL_AID_EXCLUDED
PUBLIC = "public bodies only"

# aviso -> (who may apply, size rule, sectors): hand-written after reading each call.
CALL_RULES: dict[str, tuple[str, str, str | tuple[str, ...]]] = {
    "MPR-2026-11": ("companies", "pme", RA),
    "NORTE2030-2026-21": ("companies", "pme", H),
    "CENTRO2030-2026-14": ("companies", "pme", H),
    "LISBOA2030-2026-08": ("companies", "pme", H),
    "COMPETE2030-2026-17": ("companies", "any", H),
    "ALENTEJO2030-2026-09": ("companies", "non_pme", RA),
    # tourism: accommodation, restaurants, travel agencies, tourist animation (93293)
    "ALGARVE2030-2026-12": ("companies", "pme", ("55", "56", "79", "9321", "9329")),
    # aquaculture producers only
    "MAR2030-2026-05": ("companies", "any", ("032",)),
    # processing (fish canning 102) and marketing: fish wholesalers and the producers themselves
    "MAR2030-2026-07": ("companies", "pme", ("03", "102", "4638")),
    "SUSTENTAVEL2030-2026-03": ("companies", "any", H),
    "CENTRO2030-2026-19": ("companies", "pme", H),
    "PESSOAS2030-2026-10": ("companies", "pme", ANY),  # FSE+
    "NORTE2030-2026-24": ("companies", "pme", H),
    "LISBOA2030-2026-11": ("companies", "pme", H),
    # "empreendimentos turísticos" are accommodation units only
    "ACORES2030-2026-06": ("companies", "any", ("55",)),
    # processing of agricultural products: food (except fish) and beverages
    "MADEIRA2030-2026-04": (
        "companies",
        "any",
        ("101", "103", "104", "105", "106", "107", "108", "109", "11"),
    ),
    # cultural and creative industries: publishing, film/TV, design, photography, arts, heritage
    "CENTRO2030-2026-22": ("companies", "pme", ("58", "59", "60", "741", "742", "90", "91")),
    "NORTE2030-2026-30": (PUBLIC, "any", ()),
    "COMPETE2030-2025-04": ("companies", "any", RA),  # closed
    "COMPETE2030-2027-01": ("companies", "pme", H),  # scheduled
    # social services: residential care and social work
    "PESSOAS2030-2026-15": ("companies", "any", ("87", "88")),
    # road freight, warehousing/logistics, couriers
    "SUSTENTAVEL2030-2026-08": ("companies", "any", ("49", "52", "53")),
    # farmers and food/beverage producers selling locally
    "ALENTEJO2030-2026-15": ("companies", "pme", ("01", "10", "11")),
    "ALGARVE2030-2026-07": ("companies", "pme", H),
    # health: pharma, electromedical and medical devices, health care
    "LISBOA2030-2026-14": ("companies", "pme", ("21", "266", "325", "86")),
    # manufacturing only
    "NORTE2030-2026-33": ("companies", "pme", tuple(f"{d:02d}" for d in range(10, 34))),
    "CENTRO2030-2026-25": ("companies", "pme", ANY),  # FSE+
    "PESSOAS2030-2026-20": (PUBLIC, "any", ()),
    "COMPETE2030-2026-25": (PUBLIC, "any", ()),  # non-business R&I entities
    "ACORES2030-2026-09": ("companies", "any", H),
}

# Programme designation -> NUTS II region; thematic programmes are national.
PROGRAMME_REGIONS = {
    "regional do norte": "norte",
    "regional do centro": "centro",
    "regional de lisboa": "lisboa",
    "regional do alentejo": "alentejo",
    "regional do algarve": "algarve",
    "regional dos acores": "acores",
    "regional da madeira": "madeira",
}

# Municipality -> NUTS II region (2013 NUTS, as the Portugal 2030 programmes use). Note Santa
# Maria da Feira: Aveiro district, but Norte region (Área Metropolitana do Porto); Ovar, of the
# same district, is Centro (Região de Aveiro).
MUNICIPALITY_REGIONS = {
    "seia": "centro",
    "matosinhos": "norte",
    "guimaraes": "norte",
    "barcelos": "norte",
    "santa maria da feira": "norte",
    "marinha grande": "centro",
    "peso da regua": "norte",
    "porto": "norte",
    "coimbra": "centro",
    "albufeira": "algarve",
    "lagos": "algarve",
    "ponta delgada": "acores",
    "povoa de varzim": "norte",
    "olhao": "algarve",
    "lisboa": "lisboa",
    "cantanhede": "centro",
    "oeiras": "lisboa",
    "amadora": "lisboa",
    "viseu": "centro",
    "evora": "alentejo",
    "braga": "norte",
    "leiria": "centro",
    "loule": "algarve",
    "beja": "alentejo",
    "montemor-o-novo": "alentejo",
    "fundao": "centro",
    "ovar": "centro",
    "serpa": "alentejo",
    "funchal": "madeira",
    "gondomar": "norte",
    "faro": "algarve",
    "maia": "norte",
    "ponte de lima": "norte",
    "cascais": "lisboa",
    "ilhavo": "centro",
    "angra do heroismo": "acores",
}
SIZES = {"micro": "micro", "pequena": "small", "media": "medium", "grande": "large"}
PME = {"micro", "small", "medium"}

# A company with no CAE: the consultant reads the activity and assumes a code.
ASSUMED_CAE = {
    "Casa do Rio Lima": (
        "55202",
        "rural tourism and local accommodation (turismo no espaço rural)",
    ),
}

# (company, aviso) -> (label, why): judgement cases where the written rules give the wrong answer.
OVERRIDES: dict[tuple[str, str], tuple[int, str]] = {
    ("Restaurante O Lagar, Lda", "MPR-2026-11"): (
        0,
        "a plain restaurant is a non-tradable local service; SICE Inovação Produtiva only takes "
        "restaurants declared of tourist interest",
    ),
    ("Restaurante O Lagar, Lda", "CENTRO2030-2026-14"): (
        0,
        "a neighbourhood restaurant sells nothing abroad: no internationalisation project to fund",
    ),
    ("Lar Sénior Boa Esperança, Lda", "MPR-2026-11"): (
        0,
        "residential elderly care is a non-tradable local service, outside SICE Inovação Produtiva",
    ),
}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def call_facts(aviso: dict) -> tuple[str, frozenset[str] | None, bool]:
    """(aviso id, regions or None for national, open on EVAL_DATE)."""
    code = aviso["aviso"]["codigoAviso"]
    regions: set[str] = set()
    national = False
    for part in aviso.get("estrutura") or []:
        name = fold(part.get("programaOperacionalDesignacao") or "")
        found = [r for key, r in PROGRAMME_REGIONS.items() if key in name]
        if found:
            regions.update(found)
        else:
            national = True
    cal = aviso.get("calendario") or {}
    start = datetime.fromisoformat(cal["dataInicio"])
    end = datetime.fromisoformat(cal.get("dataFimAtual") or cal["dataFim"])
    is_open = start <= EVAL_DATE <= end
    return code, (None if national or not regions else frozenset(regions)), is_open


def sector_fits(cae: str, sectors: str | tuple[str, ...]) -> bool:
    if sectors == ANY:
        return True
    if sectors in (H, RA):
        if cae[:2] in NON_BUSINESS:
            return False
        return not (sectors == RA and cae.startswith(REGIONAL_AID_EXCLUDED))
    return cae.startswith(tuple(sectors))


def size_fits(size: str | None, rule: str) -> bool:
    if size is None or rule == "any":
        return True
    if rule == "pme":
        return size in PME
    return size == "large"  # non_pme, large


def build_rows() -> list[tuple[str, str, int]]:
    """(nif, aviso_id, label) for every company x call pair, companies then calls in file order."""
    pages = json.loads((HERE / "calls.json").read_text(encoding="utf-8"))
    avisos = [a for page in pages for a in page.get("avisos", [])]
    with (HERE / "leads.csv").open(encoding="utf-8", newline="") as fh:
        leads = list(csv.DictReader(fh))
    seen_overrides: set[tuple[str, str]] = set()
    rows: list[tuple[str, str, int]] = []
    for lead in leads:
        name = lead["Empresa"]
        cae = "".join(c for c in lead["CAE"] if c.isdigit())
        if not cae:
            cae = ASSUMED_CAE[name][0]
        region = MUNICIPALITY_REGIONS.get(fold(lead["Concelho"])) if lead["Concelho"] else None
        if lead["Concelho"] and region is None:
            raise SystemExit(f"no region for municipality {lead['Concelho']!r}")
        size = SIZES.get(fold(lead["Dimensão"])) if lead["Dimensão"] else None
        for aviso in avisos:
            code, regions, is_open = call_facts(aviso)
            audience, size_rule, sectors = CALL_RULES[code]
            label = int(
                is_open
                and audience == "companies"
                and (regions is None or region is None or region in regions)
                and size_fits(size, size_rule)
                and sector_fits(cae, sectors)
            )
            override = OVERRIDES.get((name, code))
            if override is not None:
                label = override[0]
                seen_overrides.add((name, code))
            rows.append((lead["NIF"], code, label))
    unused = set(OVERRIDES) - seen_overrides
    if unused:
        raise SystemExit(f"overrides that match nothing: {sorted(unused)}")
    missing = {a["aviso"]["codigoAviso"] for a in avisos} ^ set(CALL_RULES)
    if missing:
        raise SystemExit(f"calls without rules or rules without calls: {sorted(missing)}")
    return rows


def main() -> None:
    rows = build_rows()
    with (HERE / "labels.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["nif", "aviso_id", "label"])
        writer.writerows(rows)
    pairs = len(rows)
    print(f"{pairs} pairs, {sum(r[2] for r in rows)} matches")


if __name__ == "__main__":
    main()
