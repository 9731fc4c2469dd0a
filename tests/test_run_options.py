"""Run options: checked once where they are built, stored with the run, read back whole."""

from __future__ import annotations

import pytest

from elinara.agent.options import RunOptions
from elinara.errors import BadInput


def test_options_round_trip_through_the_runs_params_document() -> None:
    options = RunOptions(leads=["/a.xlsx"], provider=" OpenAI ", min_score=70, max_calls=3)
    assert options.provider == "openai"
    params = options.to_params()
    assert params == {"leads": ["/a.xlsx"], "provider": "openai", "min_score": 70, "max_calls": 3}
    assert RunOptions.from_params(params) == options
    assert RunOptions().to_params() == {}


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"provider": "llama"}, "provider"),
        ({"min_score": 101}, "min_score"),
        ({"max_cost": 0}, "max_cost"),
        ({"max_cost": float("nan")}, "max_cost"),
        ({"max_calls": 0}, "max_calls"),
    ],
)
def test_bad_values_are_refused_with_the_option_named(fields: dict, named: str) -> None:
    with pytest.raises(BadInput) as caught:
        RunOptions(**fields)
    assert list(caught.value.errors) == [named]


def test_an_unknown_stored_option_is_refused_not_ignored() -> None:
    with pytest.raises(BadInput, match="max_cots"):
        RunOptions.from_params({"max_cots": 1.0})
