from __future__ import annotations

from pathlib import Path

import typer

from elinara.cli.common import console, print_json, store
from elinara.cli.owner import existing_agent
from elinara.models import Match
from elinara.views import match_view

app = typer.Typer(help="Stored matches.", no_args_is_help=True)


def _select(agent: int | None, min_score: int | None, limit: int) -> list[Match]:
    st = store()
    if agent:  # 0 is the local agent of `agent run`
        existing_agent(st, agent)
    return st.matches.list(
        agent_ids=None if agent is None else [agent], min_score=min_score, limit=limit
    )


@app.command("list")
def list_matches(
    agent: int | None = typer.Option(
        None, "--agent", "--process", help="Only this agent's (0 = the local agent of `agent run`)."
    ),
    min_score: int | None = typer.Option(None, "--min-score", help="Only scores at least this."),
    limit: int = typer.Option(50, "--limit", help="At most this many, best first."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Matches, best first."""
    matches = _select(agent, min_score, limit)
    if as_json:
        print_json([match_view(m) for m in matches])
        return
    from rich.table import Table

    table = Table("agent", "company", "NIF", "call", "score", "reason")
    for m in matches:
        table.add_row(
            str(m.agent_id), m.company, m.lead_key, m.aviso_id, str(m.match_score), m.reasoning
        )
    console().print(table)


@app.command()
def export(
    output: Path = typer.Option(..., "-o", "--output", help="A .xlsx, .csv or .json file."),
    agent: int | None = typer.Option(None, "--agent", "--process", help="Only this agent's."),
    min_score: int | None = typer.Option(None, "--min-score", help="Only scores at least this."),
    limit: int = typer.Option(100_000, "--limit", help="At most this many, best first."),
) -> None:
    """Write matches to a spreadsheet or a data file."""
    from elinara.agent.export import export_matches

    matches = _select(agent, min_score, limit)
    export_matches(matches, output)
    typer.echo(f"wrote {len(matches)} matches to {output}")
