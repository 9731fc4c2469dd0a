"""The held-out evaluation set (tests/data/eval_holdout): it is what its generator writes, and
`elinara eval` runs on it. No figures are asserted: the set is held out, not a target."""

from __future__ import annotations

import csv
from pathlib import Path
from types import ModuleType

import pytest
from eval_helpers import assert_eval_runs, assert_every_pair_labelled
from script_helpers import load_script

HOLDOUT = Path(__file__).parent / "data" / "eval_holdout"


@pytest.fixture(scope="module")
def make_set() -> ModuleType:
    return load_script(HOLDOUT / "make_set.py", "make_holdout_set")


def test_committed_files_are_what_the_generator_writes(make_set: ModuleType) -> None:
    assert (HOLDOUT / "calls.json").read_text(encoding="utf-8") == make_set.calls_json()
    assert (HOLDOUT / "leads.csv").read_text(encoding="utf-8") == make_set.leads_csv()
    assert (HOLDOUT / "labels.csv").read_text(encoding="utf-8") == make_set.labels_csv(True)
    assert (HOLDOUT / "labels_metadata.csv").read_text(encoding="utf-8") == make_set.labels_csv(
        False
    )
    on_disk = {
        p.relative_to(HOLDOUT / "notices").as_posix()
        for p in (HOLDOUT / "notices").rglob("*")
        if p.is_file()
    }
    assert on_disk == {make_set.notice_path(c) for c in make_set.CALLS}


def test_notices_are_the_rendered_specs(make_set: ModuleType) -> None:
    if not make_set.FONT.exists():
        pytest.skip(f"{make_set.FONT} is not installed (Debian: fonts-dejavu-core)")
    for call in make_set.CALLS:
        on_disk = (HOLDOUT / "notices" / make_set.notice_path(call)).read_bytes()
        assert on_disk == make_set.render_notice(call), call.code


def test_set_uses_the_projects_nuts_map(make_set: ModuleType) -> None:
    table = Path(__file__).parents[1] / "elinara" / "data" / "municipalities.csv"
    with table.open(encoding="utf-8") as fh:
        facts = {
            (r["district"], r["municipality"]): (r["nuts3"], r["region"])
            for r in csv.DictReader(fh)
        }
    for place, nuts in make_set.MUNICIPALITIES.items():
        assert facts[place] == nuts, place
    municipalities = {m for _, m in facts}
    nuts3 = {n for n, _ in facts.values()}
    for call in make_set.CALLS:
        kind, places = call.notice.territory
        if kind == "nuts3":
            assert set(places) <= nuts3, call.code
        elif kind == "municipalities":
            assert set(places) <= municipalities, call.code


def test_every_pair_is_labelled_and_every_rule_occurs() -> None:
    assert_every_pair_labelled(HOLDOUT)


@pytest.mark.parametrize(
    ("labels", "extra"), [("labels.csv", ()), ("labels_metadata.csv", ("--no-notices",))]
)
def test_eval_runs_on_the_set(labels: str, extra: tuple[str, ...]) -> None:
    assert_eval_runs(HOLDOUT, labels, "2027-03-10", *extra)
