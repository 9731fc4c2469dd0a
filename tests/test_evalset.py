"""The labelled evaluation set (tests/data/eval) and `elinara eval` on it."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from types import ModuleType

import pytest
from cli_helpers import assert_one_line_error, elinara
from script_helpers import load_script

from elinara.agent.evaluate import evaluate, format_result, read_labels, read_rules
from elinara.agent.sheets import read_leads
from elinara.models import Verdict

EVAL = Path(__file__).parent / "data" / "eval"
KINDS = ("dates", "geography", "beneficiary", "size", "cae", "fit")


@pytest.fixture(scope="module")
def make_set() -> ModuleType:
    return load_script(EVAL / "make_set.py", "make_set")


def _rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return {(r["nif"], r["aviso_id"]): r for r in csv.DictReader(fh)}


def _nif(name: str) -> str:
    with (EVAL / "leads.csv").open(encoding="utf-8") as fh:
        return next(r["NIF"] for r in csv.DictReader(fh) if r["Empresa"] == name)


# ---- the committed files are what the generator writes --------------------------------------


def test_committed_set_is_what_the_generator_writes(make_set: ModuleType) -> None:
    assert (EVAL / "calls.json").read_text(encoding="utf-8") == make_set.calls_json()
    assert (EVAL / "leads.csv").read_text(encoding="utf-8") == make_set.leads_csv()
    assert (EVAL / "labels.csv").read_text(encoding="utf-8") == make_set.labels_csv(
        read_notice=True
    )
    assert (EVAL / "labels_metadata.csv").read_text(encoding="utf-8") == make_set.labels_csv(
        read_notice=False
    )
    expected = {make_set.notice_path(c) for c in make_set.CALLS if c.notice_state != "missing"}
    on_disk = {
        p.relative_to(EVAL / "notices").as_posix()
        for p in (EVAL / "notices").rglob("*")
        if p.is_file()
    }
    assert on_disk == expected


def test_notices_are_the_rendered_specs(make_set: ModuleType) -> None:
    """Every notice byte for byte (fixed creation date), when the generator's font is here."""
    if not make_set.FONT.exists():
        pytest.skip(f"{make_set.FONT} is not installed (Debian: fonts-dejavu-core)")
    for call in make_set.CALLS:
        if call.notice_state != "ok":
            continue
        on_disk = (EVAL / "notices" / make_set.notice_path(call)).read_bytes()
        assert on_disk == make_set.render_notice(call), call.code


def test_notices_look_like_real_ones(make_set: ModuleType) -> None:
    by_state: dict[str, list[str]] = {}
    for call in make_set.CALLS:
        by_state.setdefault(call.notice_state, []).append(call.code)
        path = EVAL / "notices" / make_set.notice_path(call)
        if call.notice_state == "missing":
            assert not path.exists()
        elif call.notice_state == "corrupt":
            assert not path.read_bytes().startswith(b"%PDF")
        else:
            data = path.read_bytes()
            assert data.startswith(b"%PDF-")
            pages = len(re.findall(rb"/Type /Page\b", data))
            assert 3 <= pages <= 4, (call.code, pages)
    assert len(by_state["missing"]) == 1 and len(by_state["corrupt"]) == 1
    annexes = {c.notice.annex for c in make_set.CALLS if c.notice is not None}
    assert {"table", "list", ""} <= annexes
    assert len({c.style for c in make_set.CALLS}) >= 4  # authorities word their notices apart


def test_calls_file_has_the_api_shape(make_set: ModuleType) -> None:
    pages = json.loads((EVAL / "calls.json").read_text(encoding="utf-8"))
    avisos = [a for page in pages for a in page["avisos"]]
    assert len(avisos) == len(make_set.CALLS) >= 40
    for aviso in avisos:
        assert set(aviso) == {"aviso", "estrutura", "calendario", "documentos"}
        (document,) = aviso["documentos"]
        assert document["tipoDocumentoDesignacao"] == "Aviso" and document["container"]
        assert document["path"].endswith(f"{aviso['aviso']['codigoAviso']}.pdf")


def test_generator_uses_the_projects_nuts_map(make_set: ModuleType) -> None:
    """The set's own municipality table agrees with the NUTS 2013 facts the project ships."""
    table = Path(__file__).parents[1] / "elinara" / "data" / "municipalities.csv"
    with table.open(encoding="utf-8") as fh:
        facts = {r["municipality"]: (r["nuts3"], r["region"]) for r in csv.DictReader(fh)}
    for municipality, nuts in make_set.MUNICIPALITIES.items():
        assert facts[municipality] == nuts, municipality
    for company in make_set.COMPANIES:
        assert not company.municipality or company.municipality in make_set.MUNICIPALITIES
    nuts3 = {n for n, _ in facts.values()}
    for call in make_set.CALLS:
        assert call.notice is not None
        assert set(call.notice.nuts3) <= nuts3, call.code
        assert set(call.notice.municipalities) <= set(facts), call.code
        assert set(call.notice.nuts3_excluded) <= nuts3, call.code
        assert set(call.notice.municipalities_excluded) <= set(facts), call.code


# ---- the labels ------------------------------------------------------------------------------


def test_every_pair_is_labelled_with_its_rule(make_set: ModuleType) -> None:
    leads, _ = read_leads(EVAL / "leads.csv")
    assert len(leads) >= 60 and all(company.nif_valid for company in leads)
    for name in ("labels.csv", "labels_metadata.csv"):
        labels = read_labels(EVAL / name)
        rules = read_rules(EVAL / name)
        assert set(labels) == {(c.nif, a.code) for c in leads for a in make_set.CALLS}
        assert all((rules[p] == "") == labels[p] for p in labels)
        assert set(rules.values()) <= {"", *KINDS}
    assert set(read_rules(EVAL / "labels.csv").values()) == {"", *KINDS}


@pytest.mark.parametrize(
    ("company", "aviso", "notice", "metadata"),
    [
        # a Norte call its notice limits to three interior NUTS III
        ("Calçado Feirense, Lda", "NORTE2030-2026-41", "geography", ""),
        ("Fumeiro de Chaves, Lda", "NORTE2030-2026-41", "", ""),
        # COMPETE extended to every mainland region by art. 70(2)
        ("Digital Tejo Software, S.A.", "COMPETE2030-2026-32", "", "geography"),
        ("Hotel Praia da Rocha, S.A.", "COMPETE2030-2026-32", "", "geography"),
        # title about companies, notice for certified training providers
        ("Software Invicta, Lda", "PESSOAS2030-2026-21", "beneficiary", ""),
        (
            "Formação Beira Interior - Centro de Formação Profissional, Lda",
            "PESSOAS2030-2026-21",
            "",
            "",
        ),
        # "PME" in the title, micro and small in the notice
        ("Cerâmicas Vareiras, Lda", "CENTRO2030-2026-51", "size", ""),
        # a CAE annex excluding accommodation and restaurants
        ("Restaurante Alfama Antiga, Lda", "LISBOA2030-2026-21", "cae", ""),
        # border municipalities: Torres Vedras is Centro, Cartaxo Alentejo
        ("Torres Frutas - Comércio de Fruta, Lda", "CENTRO2030-2026-52", "", ""),
        ("Torres Frutas - Comércio de Fruta, Lda", "LISBOA2030-2026-22", "geography", "geography"),
        ("Adega Cooperativa do Cartaxo, CRL", "ALENTEJO2030-2026-31", "", ""),
        # a missing and a corrupt notice: metadata labels in both files
        ("Metalúrgica do Vale do Ave, Lda", "CENTRO2030-2026-55", "geography", "geography"),
        ("Digital Tejo Software, S.A.", "MPR-2026-22", "", ""),
        # no region, no size: not excluded; closed and scheduled calls: nobody
        ("Consultoria Estratégica Global, Lda", "NORTE2030-2026-42", "", ""),
        ("Startup Digital Porto, Lda", "NORTE2030-2026-42", "", ""),
        ("Software Invicta, Lda", "COMPETE2030-2025-19", "dates", "dates"),
        ("Software Invicta, Lda", "SUSTENTAVEL2030-2027-01", "dates", "dates"),
        # kinds of beneficiary from legal form and CAE
        ("Município de Paredes", "NORTE2030-2026-43", "", ""),
        ("Município de Paredes", "NORTE2030-2026-42", "beneficiary", "beneficiary"),
        ("Associação Empresarial do Minho", "COMPETE2030-2026-35", "", ""),
        ("Adega Cooperativa do Cartaxo, CRL", "PESSOAS2030-2026-24", "", ""),
        # sector calls: by CAE, or by activity for a company without one
        ("Casa da Lousã", "ALGARVE2030-2026-18", "geography", "geography"),
        ("Restaurante Alfama Antiga, Lda", "LISBOA2030-2026-23", "fit", "fit"),
        ("Marisqueira de Olhão, Lda", "ALGARVE2030-2026-18", "", ""),
        # carve-outs: a place or a code taken out of what the notice admits
        ("Adega Cooperativa do Cartaxo, CRL", "SUSTENTAVEL2030-2026-16", "geography", ""),
        ("Plásticos de Ourém, Lda", "CENTRO2030-2026-67", "geography", ""),
        ("Papéis do Nabão, Lda", "CENTRO2030-2026-67", "", ""),
        ("Tabacos do Zêzere, S.A.", "CENTRO2030-2026-67", "cae", ""),
        ("Mondego Capital - Sociedade Gestora de Fundos, S.A.", "CENTRO2030-2026-68", "cae", ""),
        ("Seguros Conimbriga - Mediação, Lda", "CENTRO2030-2026-68", "", ""),
        ("Hotel Vilamoura Golfe, S.A.", "ALGARVE2030-2026-26", "geography", ""),
        ("Apartamentos Ria de Tavira, Lda", "ALGARVE2030-2026-26", "cae", ""),
    ],
)
def test_labels_follow_the_notice(company: str, aviso: str, notice: str, metadata: str) -> None:
    pair = (_nif(company), aviso)
    assert _rows(EVAL / "labels.csv")[pair]["rule"] == notice
    assert _rows(EVAL / "labels_metadata.csv")[pair]["rule"] == metadata


# ---- elinara eval ------------------------------------------------------------------------------


def _eval_args(labels: str) -> list[str]:
    return [
        "eval",
        "--leads",
        str(EVAL / "leads.csv"),
        "--calls",
        str(EVAL / "calls.json"),
        "--labels",
        str(EVAL / labels),
        "--as-of",
        "2026-12-01",
    ]


def test_eval_prints_figures_per_rule_kind_and_the_score_distribution() -> None:
    text = elinara(*_eval_args("labels.csv"))
    assert text.code == 0, text.err
    assert "per rule kind" in text.out and "score distribution" in text.out
    rows = {line.split()[0] for line in text.out.splitlines() if line.strip()}
    assert set(KINDS) <= rows
    assert "90-100" in rows

    data = elinara(*_eval_args("labels.csv"), "--json").json()
    labels = read_labels(EVAL / "labels.csv")
    positives = sum(labels.values())
    assert data["tp"] + data["fn"] == positives
    assert set(data["by_rule"]) == set(KINDS)
    rules = read_rules(EVAL / "labels.csv")
    for kind, figures in data["by_rule"].items():
        assert figures["tp"] + figures["fn"] == positives
        assert figures["fp"] + figures["tn"] == sum(1 for r in rules.values() if r == kind)
    histogram = data["histogram"]
    assert len(histogram["bins"]) == len(histogram["match"]) == len(histogram["no_match"]) == 10
    assert sum(histogram["match"]) + histogram["no_verdict"][0] == positives
    assert sum(histogram["no_match"]) + histogram["no_verdict"][1] == len(labels) - positives

    meta = elinara(*_eval_args("labels_metadata.csv"), "--json").json()
    assert "cae" not in meta["by_rule"] and "geography" in meta["by_rule"]


def test_eval_without_a_rule_column_gives_the_overall_figures(tmp_path: Path) -> None:
    plain = tmp_path / "labels.csv"
    with (EVAL / "labels.csv").open(encoding="utf-8") as fh:
        rows = [(r["nif"], r["aviso_id"], r["label"]) for r in csv.DictReader(fh)]
    plain.write_text(
        "nif,aviso_id,label\n" + "".join(f"{n},{a},{v}\n" for n, a, v in rows), encoding="utf-8"
    )
    args = _eval_args("labels.csv")
    args[args.index("--labels") + 1] = str(plain)
    result = elinara(*args, "--json")
    assert result.code == 0, result.err
    assert result.json()["by_rule"] == {}
    assert "per rule kind" not in elinara(*args).out


def test_eval_notices_folder_must_exist(tmp_path: Path) -> None:
    result = elinara(*_eval_args("labels.csv"), "--notices", str(tmp_path / "absent"))
    assert_one_line_error(result, 2, "absent")


def test_per_rule_figures_count_the_positives_and_that_kinds_pairs() -> None:
    labels = {("1", "A"): True, ("1", "B"): False, ("1", "C"): False, ("2", "A"): True}
    rules = {("1", "A"): "", ("1", "B"): "geography", ("1", "C"): "size", ("2", "A"): ""}
    verdicts = [
        Verdict("1", "A", True, 75, ""),
        Verdict("1", "B", True, 60, ""),  # a false positive of the geography kind
        Verdict("1", "C", False, 20, ""),
        Verdict("2", "A", True, 40, ""),  # missed at threshold 50
    ]
    result = evaluate(verdicts, labels, 50, rules)
    assert (result.tp, result.fp, result.fn, result.tn) == (1, 1, 1, 1)
    geography, size = result.by_rule["geography"], result.by_rule["size"]
    assert (geography.tp, geography.fp, geography.fn, geography.tn) == (1, 1, 1, 0)
    assert (size.tp, size.fp, size.fn, size.tn) == (1, 0, 1, 1)
    assert size.precision == 1.0 and geography.precision == 0.5
    assert result.histogram["match"][7] == 1 and result.histogram["match"][4] == 1
    assert result.histogram["no_match"][6] == 1 and result.histogram["no_match"][2] == 1
    text = format_result(result)
    assert re.search(r"geography\s+1\s+1\s+0\.500", text)
    assert list(result.to_dict()["by_rule"]) == ["geography", "size"]
