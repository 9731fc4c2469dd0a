from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from elinara.agent.checks import PROVIDERS
from elinara.agent.options import RunOptions
from elinara.agent.shortlist import BEST_PER_COMPANY, call_counts, shortlist
from elinara.cli.agent_ops_cmd import explain_due, moment_at
from elinara.cli.common import as_of_iso, console, print_json, settings, store
from elinara.cli.owner import existing_agent
from elinara.errors import BadInput

app = typer.Typer(help="Run agents.", no_args_is_help=True)


def _run_options(
    cfg: Any,
    leads: list[Path],
    calls: list[str],
    provider: str | None,
    model: str | None,
    min_score: int | None,
    dry_run: bool,
    as_of: str | None,
    max_cost: float | None,
    max_calls: int | None,
    no_fallback: bool,
    notices: Path | None = None,
) -> RunOptions:
    """The run's options from the command line, checked (RunOptions checks the values). An LLM
    asked for on the command line without a key is an error (one line naming the variable);
    from an agent's settings it falls back instead."""
    for path in leads:
        if not path.exists():
            raise BadInput(f"Leads file {path} does not exist.")
    from elinara.agent.notices.fetch import existing_notices_folder

    options = RunOptions(
        leads=[str(p.resolve()) for p in leads],
        calls=[c if c == "p2030" or "://" in c else str(Path(c).resolve()) for c in calls],
        provider=provider,
        model=model,
        min_score=min_score,
        dry_run=dry_run,
        as_of=as_of_iso(as_of),
        max_cost=max_cost,
        max_calls=max_calls,
        no_fallback=no_fallback,
        notices=str(existing_notices_folder(notices)) if notices is not None else None,
    )
    if options.provider is not None and not dry_run:
        from elinara.agent.llm.providers import require_key

        require_key(cfg, options.provider)
    return options


@app.command()
def run(
    agent: int | None = typer.Option(
        None, "--agent", "--process", help="Run this agent (its data sources and settings)."
    ),
    leads: list[Path] = typer.Option(
        [], "--leads", help="Leads spreadsheet or folder (repeatable)."
    ),
    calls: list[str] = typer.Option(
        [],
        "--calls",
        help="Calls file, folder or API URL; 'p2030' = the live Portugal 2030 API (repeatable).",
    ),
    notices: Path | None = typer.Option(
        None,
        "--notices",
        help="Folder of the calls' notices (PDFs) for calls read from a file (default: the "
        "notices/ folder beside it).",
    ),
    provider: str | None = typer.Option(
        None, "--provider", help=f"Matcher: {', '.join(PROVIDERS)}."
    ),
    model: str | None = typer.Option(None, "--model", help="Model of the provider."),
    min_score: int | None = typer.Option(
        None, "--min-score", help="Keep matches scoring at least this (0-100; default 50)."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Judge calls as open on this date (YYYY-MM-DD; default now)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print only the result as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        help="Do everything except saving matches; with an LLM provider, print the prompts it "
        "would send and their estimated cost, and call nothing.",
    ),
    top: int = typer.Option(20, "--top", help="Companies shown in the shortlist."),
    best: int = typer.Option(
        BEST_PER_COMPANY, "--best", min=1, help="Calls shown per company in the shortlist."
    ),
    show_all: bool = typer.Option(
        False, "--all", help="Show every match of every company (the JSON output always has all)."
    ),
    max_cost: float | None = typer.Option(
        None, "--max-cost", help="Stop the LLM judge before spending more than this (USD)."
    ),
    max_calls: int | None = typer.Option(
        None, "--max-calls", help="Stop the LLM judge after this many provider calls."
    ),
    no_fallback: bool = typer.Option(
        False,
        "--no-fallback",
        help="Fail the run when the LLM provider stays down, instead of keeping the offline "
        "verdicts.",
    ),
) -> None:
    """Run an agent once: load calls and leads, match them, save and report the matches.

    With no --agent, --leads or --calls it runs on the sample data shipped with elinara.

    Exit codes: 0 completed, 1 the run failed, 2 bad input.
    """
    from elinara.agent.events import EventBus
    from elinara.agent.runner import run_now
    from elinara.models import LOCAL_AGENT_ID

    st = store()
    cfg = settings()
    agent_id, user_id = LOCAL_AGENT_ID, None
    if agent is not None:
        found = existing_agent(st, agent)
        agent_id, user_id = found.id, found.user_id
    options = _run_options(
        cfg,
        leads,
        calls,
        provider,
        model,
        min_score,
        dry_run,
        as_of,
        max_cost,
        max_calls,
        no_fallback,
        notices,
    )
    bus = EventBus(st)
    out = console()
    interactive = sys.stdout.isatty() and not as_json and not quiet
    if as_json and not quiet:
        from elinara.cli.live import PlainLog

        bus.subscribe(PlainLog(sys.stderr))
    elif not quiet and not interactive:
        from elinara.cli.live import PlainLog

        bus.subscribe(PlainLog())
    if interactive:
        from elinara.cli.live import LiveView

        with LiveView(out) as view:
            bus.subscribe(view)
            record, outcome = run_now(st, cfg, bus, options, agent_id, user_id)
    else:
        record, outcome = run_now(st, cfg, bus, options, agent_id, user_id)

    if as_json:
        print_json(run_json(record, outcome))
    elif outcome.status != "failed" and not quiet:
        if outcome.prompts:
            _print_prompts(outcome)
        _print_results(out, outcome, top, None if show_all else best)
    if outcome.status == "failed":
        error = outcome.error
        code = error.exit_code if error is not None else 1
        print(f"error: {outcome.message}", file=sys.stderr)
        raise typer.Exit(code)
    if outcome.status == "cancelled":
        raise typer.Exit(1)


def run_json(record: Any, outcome: Any) -> dict[str, Any]:
    return {
        "run_id": record.id,
        "agent_id": record.agent_id,
        "status": outcome.status,
        "message": outcome.message,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "stages": record.pipeline,
        "counts": outcome.counts,
        "matches": [
            {
                "company": m.company,
                "nif": m.lead_key,
                "aviso_id": m.aviso_id,
                "title": m.title,
                "match_score": m.match_score,
                "eligible": m.eligible,
                "reasoning": m.reasoning,
                "provider": m.provider,
                "model": m.model,
            }
            for m in outcome.matches
        ],
        "usage": outcome.usage,
        "warnings": outcome.warnings,
        **({"prompts": outcome.prompts} if outcome.prompts else {}),
    }


def _print_prompts(outcome: Any) -> None:
    """A dry run's prompts, as they would be sent, and what they would cost."""
    for prompt in outcome.prompts:
        print(
            f"--- prompt {prompt['number']} of {len(outcome.prompts)}: {prompt['pairs']} pairs, "
            f"~{prompt['estimated_input_tokens']} input + ~{prompt['estimated_output_tokens']} "
            f"output tokens, ~${prompt['estimated_cost_usd']:.4f}"
        )
        print("[system]\n" + prompt["system"])
        print("[user]\n" + prompt["user"])
    cost = outcome.usage.get("estimated_cost_usd", 0.0)
    print(f"--- {len(outcome.prompts)} prompt(s), estimated cost ${cost:.4f}; nothing was sent.")


def _print_results(out: Any, outcome: Any, top: int, best: int | None) -> None:
    from rich.table import Table

    if outcome.matches:
        companies = shortlist(outcome.matches, best)
        shown = companies if best is None else companies[:top]
        each = "every match" if best is None else f"best {best} calls each"
        table = Table(
            title=f"Shortlist: {len(shown)} of {len(companies)} companies, {each} "
            f"({len(outcome.matches)} matches in all; --all shows every one)"
        )
        for column in ("company", "NIF", "score", "call", "title", "why"):
            table.add_column(column, overflow="fold")
        for entry in shown:
            more = entry.total - len(entry.best)
            for rank, m in enumerate(entry.best):
                name = entry.company if rank == 0 else ""
                if rank == 0 and more:
                    name += f"\n(+{more} more)"
                table.add_row(
                    name,
                    m.lead_key if rank == 0 else "",
                    str(m.match_score),
                    m.aviso_id,
                    m.title,
                    m.reasoning,
                )
            table.add_section()
        out.print(table)
        calls = Table(title="Calls and how many companies fit them")
        for column in ("call", "title", "companies"):
            calls.add_column(column, overflow="fold")
        for entry in call_counts(outcome.matches):
            calls.add_row(entry.aviso_id, entry.title, str(entry.companies))
        out.print(calls)
    c = outcome.counts
    out.print(
        f"[bold]{outcome.status}[/bold]: {outcome.message}\n"
        f"companies {c['leads']} ({c['leads_invalid']} invalid NIF) · calls {c['calls']} "
        f"({c['calls_open']} open) · candidates {c['candidates']} · matches {c['matches']} "
        f"({c['new_matches']} new)"
    )
    for warning in outcome.warnings:
        out.print(f"[yellow]warning:[/yellow] {warning}")


@app.command("run-due")
def run_due(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    explain: bool = typer.Option(
        False, "--explain", help="First say, for each agent, why it is or is not due."
    ),
    at: str | None = typer.Option(
        None, "--at", help="Act as if it were this moment (ISO, local zone if none given)."
    ),
) -> None:
    """For cron: run, once, every agent whose schedule is due (under a lock; no server needed).

    Prints one line per run ('agent N: STATUS - message') or 'no agent is due'. Exit codes:
    0 all due runs completed (or none was due), 1 a run failed.
    """
    from elinara.agent.events import EventBus
    from elinara.agent.runner import run_due_agents

    st = store()
    now = moment_at(at)
    reasons = explain_due(st, now) if explain else []
    if explain and not as_json:
        for line in reasons:
            typer.echo(f"agent {line['agent_id']} ({line['name']}): {line['why']}")
    results = run_due_agents(st, settings(), EventBus(st), now)
    extra = {"explain": reasons} if explain else {}
    if results is None:  # not an error for cron: the other one is doing the work
        typer.echo("another 'elinara agent run-due' is running; nothing to do", err=True)
        if as_json:
            print_json({"runs": [], "skipped": "another run-due is running", **extra})
        return
    if as_json:
        print_json({"runs": results, **extra})
    else:
        for r in results:
            typer.echo(f"agent {r['agent_id']}: {r['status']} - {r['message']}")
        if not results:
            typer.echo("no agent is due")
    if any(r["status"] == "failed" for r in results):
        raise typer.Exit(1)
