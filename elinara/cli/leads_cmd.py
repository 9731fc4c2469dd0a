from __future__ import annotations

from dataclasses import asdict

import typer

from elinara.cli.common import console, print_json, store
from elinara.cli.owner import existing_agent
from elinara.models import LOCAL_AGENT_ID

app = typer.Typer(help="The companies agents have read.", no_args_is_help=True)


@app.command("list")
def list_leads(
    agent: int = typer.Option(
        LOCAL_AGENT_ID,
        "--agent",
        "--process",
        help="This agent's (0 = the local agent of `agent run`).",
    ),
    problems: bool = typer.Option(
        False, "--problems", help="Only companies whose row had a problem (invalid NIF...)."
    ),
    limit: int = typer.Option(200, "--limit", help="At most this many, in sheet order."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Companies as last read, in sheet order, with what was wrong in their rows."""
    st = store()
    if agent != LOCAL_AGENT_ID:
        existing_agent(st, agent)
    leads = sorted(st.leads.list(agent), key=lambda lead: (lead.source, lead.row))
    if problems:
        leads = [lead for lead in leads if lead.problems]
    leads = leads[:limit]
    if as_json:
        print_json([asdict(lead) for lead in leads])
        return
    from rich.table import Table

    table = Table("file", "row", "company", "NIF", "CAE", "region", "size", "problems")
    for lead in leads:
        table.add_row(
            lead.source,
            str(lead.row),
            lead.company,
            lead.nif or "",
            lead.cae or "",
            lead.region or "",
            lead.size or "",
            "; ".join(lead.problems),
        )
    console().print(table)
