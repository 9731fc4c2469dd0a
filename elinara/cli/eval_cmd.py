from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from elinara.cli.common import as_of_iso, print_json, settings, store


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
    provider: str | None = typer.Option(
        None,
        "--provider",
        help="Also judge the offline matches with this LLM provider (as a run would) and compare.",
    ),
    model: str | None = typer.Option(None, "--model", help="Model of the --provider."),
    notices: Path | None = typer.Option(
        None,
        "--notices",
        help="Folder of the calls' notices (default: the notices/ folder beside the calls file).",
    ),
    no_notices: bool = typer.Option(
        False, "--no-notices", help="Judge from the calls' metadata only, reading no notice."
    ),
) -> None:
    """Precision, recall and F1 of the matcher against hand-labelled pairs.

    With a `rule` column in the labels, the figures are also given per kind of rule (dates,
    geography, beneficiary, size, cae, fit), with the score distribution of label-1 and label-0
    pairs to choose a threshold from.

    With --provider, the offline candidates scoring at least --threshold go to the LLM judge (the
    best llm_top_k per company, as in a run) and both results are shown side by side.
    """
    from elinara.agent.evaluate import evaluate as run_eval
    from elinara.agent.evaluate import format_result, labelled_run_verdicts, read_labels, read_rules
    from elinara.agent.notices.fetch import existing_notices_folder
    from elinara.times import parse_iso, utcnow

    moment = parse_iso(as_of_iso(as_of)) or utcnow()
    found_leads, found_calls, verdicts = labelled_run_verdicts(
        store(),
        settings(),
        leads,
        calls,
        moment,
        notices=str(existing_notices_folder(notices)) if notices else None,
        with_notices=not no_notices,
    )
    truth = read_labels(labels)
    rules = read_rules(labels)
    result = run_eval(verdicts, truth, threshold, rules)
    if provider is None or provider.lower() == "offline":
        if as_json:
            print_json(result.to_dict())
        else:
            typer.echo(format_result(result))
        return
    from elinara.agent.matching.judge import judge_outside_run

    # As in a run: only candidates at the threshold or above reach the judge.
    candidates = [v for v in verdicts if v.match_score >= threshold]
    rest = [v for v in verdicts if v.match_score < threshold]
    judged, outcome = judge_outside_run(
        store(), settings(), found_leads, found_calls, candidates, provider, model or ""
    )
    compared = run_eval(judged + rest, truth, threshold, rules)
    label = f"{provider.lower()} ({_model_used(judged, model)})"
    changes = _changes(result, compared)
    if as_json:
        print_json(
            {
                "offline": result.to_dict(),
                "llm": compared.to_dict(),
                "provider": provider.lower(),
                "model": _model_used(judged, model),
                "judged": sum(1 for v in judged if v.provider != "offline"),
                "changes": changes,
                "usage": outcome.usage,
                "warnings": outcome.warnings,
            }
        )
        return
    u = outcome.usage
    typer.echo("offline:\n" + format_result(result))
    typer.echo(f"{label}:\n" + format_result(compared))
    typer.echo(
        f"LLM: {u['calls']} call(s), {u['cached']} cached pairs, {u['input_tokens']} input + "
        f"{u['output_tokens']} output tokens, ${u['cost_usd']:.4f}; "
        f"{changes['fixed']} labelled pair(s) fixed, {changes['broken']} broken"
    )
    for warning in outcome.warnings:
        typer.echo(f"warning: {warning}")


def _model_used(judged: list[Any], model: str | None) -> str:
    """The model the judge used (its default when none was given)."""
    return next((v.model for v in judged if v.model), model or "")


def _changes(before: Any, after: Any) -> dict[str, int]:
    """Labelled pairs the LLM got right that the offline matcher got wrong, and the reverse."""
    wrong_before = set(before.false_positives) | set(before.false_negatives)
    wrong_after = set(after.false_positives) | set(after.false_negatives)
    return {"fixed": len(wrong_before - wrong_after), "broken": len(wrong_after - wrong_before)}
