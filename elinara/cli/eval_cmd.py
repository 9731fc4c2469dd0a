from __future__ import annotations

from pathlib import Path

import typer

from elinara.cli.common import print_json, settings


def evaluate(
    leads: Path = typer.Option(..., "--leads", help="Leads spreadsheet."),
    calls: str = typer.Option(..., "--calls", help="Calls file (API JSON, .xlsx or .csv)."),
    labels: Path = typer.Option(..., "--labels", help="CSV of nif,aviso_id,label."),
    threshold: int = typer.Option(
        50, "--threshold", help="Score at or above which a pair counts as a match."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Judge calls as open on this date (YYYY-MM-DD)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Precision, recall and F1 of the matcher against hand-labelled pairs."""
    from elinara.agent.calls import load_calls
    from elinara.agent.evaluate import evaluate as run_eval
    from elinara.agent.evaluate import format_result, read_labels
    from elinara.agent.matching.offline import OfflineMatcher
    from elinara.agent.sheets import read_leads
    from elinara.cli.agent_cmd import _as_of
    from elinara.times import parse_iso, utcnow

    moment = parse_iso(_as_of(as_of)) or utcnow()
    found_leads, _ = read_leads(leads)
    found_calls, _ = load_calls(calls, settings())
    truth = read_labels(labels)
    matcher = OfflineMatcher(found_calls, moment)
    verdicts = [v for lead in found_leads for v in matcher.candidates(lead, 1)]
    result = run_eval(verdicts, truth, threshold)
    if as_json:
        print_json(result.to_dict())
    else:
        typer.echo(format_result(result))
