"""`elinara agent create | list | update | delete` (and the hidden `elinara processes` alias of
them)."""

from __future__ import annotations

import typer

from elinara.agent.events import EventBus
from elinara.cli.common import console, print_json, settings, store
from elinara.cli.owner import existing_agent, resolve_user
from elinara.errors import BadInput
from elinara.views import process_view

# The alias `elinara processes ...`, hidden, kept for one release; `elinara agent ...` is the name.
app = typer.Typer(
    help="Agents (old name of `elinara agent create | list | update | delete`).",
    no_args_is_help=True,
)


@app.command()
def create(
    name: str = typer.Argument(..., help="A name for the agent."),
    user: str | None = typer.Option(
        None, "--user", help="Owner's e-mail (default: the only user or the first admin)."
    ),
    trigger: str = typer.Option(
        "manual",
        "--trigger",
        help="A label kept for the frontend (manual, scheduled, interval or webhook); when the "
        "agent runs is its execution_mode setting.",
    ),
) -> None:
    """Create an agent."""
    st = store()
    owner = resolve_user(st, user)
    from elinara.agent import lifecycle

    agent = lifecycle.create_agent(st, settings(), owner.id, name, trigger)
    typer.echo(f"created agent {agent.id} {agent.name!r} for {owner.email}")


@app.command("list")
def list_agents(
    user: str | None = typer.Option(None, "--user", help="Only this user's agents."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Agents and their status."""
    st = store()
    owner_id = resolve_user(st, user).id if user else None
    rows = [process_view(p) for p in st.agents.list(owner_id)]
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table("id", "name", "user", "status", "trigger", "created")
    for p in rows:
        table.add_row(
            str(p["id"]),
            p["name"],
            str(p["user_id"]),
            p["status"],
            p["trigger_type"],
            p["created_at"][:19],
        )
    console().print(table)


@app.command()
def update(
    agent_id: int = typer.Argument(..., metavar="N"),
    name: str | None = typer.Option(None, "--name", help="A new name."),
    trigger: str | None = typer.Option(
        None, "--trigger", help="manual, scheduled, interval or webhook."
    ),
) -> None:
    """Rename an agent or change its trigger type."""
    if name is None and trigger is None:
        raise BadInput("Say what to change: --name and/or --trigger.")
    from elinara.agent import lifecycle

    st = store()
    updated = lifecycle.update_agent(
        st, existing_agent(st, agent_id), {"name": name, "trigger_type": trigger}
    )
    typer.echo(f"agent {updated.id}: name {updated.name!r}, trigger {updated.trigger_type}")


@app.command()
def delete(agent_id: int = typer.Argument(..., metavar="N")) -> None:
    """Delete an agent with its data sources, settings, runs and matches."""
    st = store()
    from elinara.agent import lifecycle

    lifecycle.delete_agent(st, settings(), EventBus(st), existing_agent(st, agent_id))
    typer.echo(f"deleted agent {agent_id}")
