"""The blind evaluation set (tests/data/eval_blind): it is what its generator writes, and
`elinara eval` runs on it. No figures are asserted: the set measures, it is not a target."""

from __future__ import annotations

import csv
from pathlib import Path
from types import ModuleType

import pytest
from eval_helpers import assert_eval_runs, assert_every_pair_labelled
from script_helpers import load_script

from elinara.agent.sheets import read_leads

BLIND = Path(__file__).parent / "data" / "eval_blind"


@pytest.fixture(scope="module")
def make_set() -> ModuleType:
    return load_script(BLIND / "make_set.py", "make_blind_set")


def test_committed_files_are_what_the_generator_writes(make_set: ModuleType) -> None:
    assert (BLIND / "calls.json").read_text(encoding="utf-8") == make_set.calls_json()
    assert (BLIND / "leads.csv").read_text(encoding="utf-8") == make_set.leads_csv()
    assert (BLIND / "labels.csv").read_text(encoding="utf-8") == make_set.labels_csv(True)
    assert (BLIND / "labels_metadata.csv").read_text(encoding="utf-8") == make_set.labels_csv(False)
    on_disk = {
        p.relative_to(BLIND / "notices").as_posix()
        for p in (BLIND / "notices").rglob("*")
        if p.is_file()
    }
    written = {make_set.notice_path(c) for c in make_set.CALLS if c.pdf != "missing"}
    assert on_disk == written
    assert any(c.pdf == "missing" for c in make_set.CALLS)


def test_notices_are_the_rendered_specs(make_set: ModuleType) -> None:
    if not make_set.FONT.exists():
        pytest.skip(f"{make_set.FONT} is not installed (Debian: fonts-dejavu-core)")
    for call in make_set.CALLS:
        if call.pdf == "missing":
            continue
        on_disk = (BLIND / "notices" / make_set.notice_path(call)).read_bytes()
        assert on_disk == make_set.render_notice(call), call.code


def test_set_uses_the_projects_nuts_map(make_set: ModuleType) -> None:
    table = Path(__file__).parents[1] / "elinara" / "data" / "municipalities.csv"
    with table.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    facts = {(r["district"], r["municipality"]): (r["nuts3"], r["region"]) for r in rows}
    for place, nuts in make_set.MUNICIPALITIES.items():
        assert facts[place] == nuts, place
    for district, regions in make_set.DISTRICT_REGIONS.items():
        assert {r["region"] for r in rows if r["district"] == district} == regions, district
    municipalities = {m for _, m in facts}
    nuts3 = {n for n, _ in facts.values()}
    for call in make_set.CALLS:
        kind, places = call.notice.territory
        if kind == "nuts3":
            assert set(places) <= nuts3, call.code
        elif kind == "municipalities":
            assert set(places) <= municipalities, call.code


def test_every_pair_is_labelled_and_every_rule_occurs() -> None:
    assert_every_pair_labelled(BLIND)
    leads, _ = read_leads(BLIND / "leads.csv")
    assert all(company.nif_valid for company in leads)


@pytest.mark.parametrize(
    ("labels", "extra"), [("labels.csv", ()), ("labels_metadata.csv", ("--no-notices",))]
)
def test_eval_runs_on_the_set(labels: str, extra: tuple[str, ...]) -> None:
    assert_eval_runs(BLIND, labels, "2027-05-12", *extra)
