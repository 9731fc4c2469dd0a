from __future__ import annotations

import json
from pathlib import Path

import typer

from elinara.cli.common import console, parse_pairs, print_json, settings, store
from elinara.cli.owner import existing_agent
from elinara.errors import BadInput, NotFound
from elinara.models import DataSource
from elinara.views import datasource_view

app = typer.Typer(help="Data sources of agents.", no_args_is_help=True)


@app.command()
def add(
    agent: int = typer.Option(..., "--agent", "--process", help="The agent."),
    platform: str = typer.Option(..., "--platform", help="local_file or external_api."),
    path: Path | None = typer.Option(
        None, "--path", help="local_file: a spreadsheet inside the allowed folder."
    ),
    query_url: str | None = typer.Option(
        None, "--query-url", help="external_api: the query endpoint (default Portugal 2030)."
    ),
    download_url: str | None = typer.Option(
        None, "--download-url", help="external_api: the documents endpoint."
    ),
    name: str | None = typer.Option(None, "--name", help="A name to show."),
) -> None:
    """Add a data source to an agent."""
    st = store()
    owner = existing_agent(store(), agent)
    payload: dict[str, object] = {"platform": platform, "resource_name": name or ""}
    if platform == "local_file":
        if path is None:
            raise BadInput("--path is required for a local_file source.")
        payload["resource_identifier"] = str(path.expanduser().resolve())
    elif platform == "external_api":
        payload["config"] = [
            {
                "name": name or "Portugal 2030",
                "query_url": query_url or settings().p2030_query_url,
                "download_url": download_url or settings().p2030_download_url,
                "payload": {},
            }
        ]
    payload["process_id"] = owner.id
    user = st.users.get(owner.user_id)
    if user is None:
        raise NotFound(f"Agent {agent} has no owner any more; create the agent again.")
    from elinara.agent import datasources

    created = datasources.add_datasources(
        st, settings(), user, [payload], numbered=False, operator=True
    )[0]
    typer.echo(f"added data source {created.id} ({created.platform}: {created.resource_name})")


@app.command("list")
def list_sources(
    agent: int | None = typer.Option(None, "--agent", "--process", help="Only this agent's."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Data sources."""
    st = store()
    names = {p.id: p.name for p in st.agents.list()}
    rows = [
        datasource_view(s, names.get(s.agent_id, "")) for s in st.datasources.list(agent_id=agent)
    ]
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table("id", "agent", "platform", "name", "identifier")
    for s in rows:
        table.add_row(
            s["id"],
            f"{s['agent_id']} {s['agent_name']}",
            s["platform"],
            s["resource_name"],
            s["resource_identifier"],
        )
    console().print(table)


@app.command()
def delete(source_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Delete a data source."""
    if not store().datasources.delete_many([source_id]):
        raise NotFound(f"Data source {source_id} does not exist.")
    typer.echo(f"deleted data source {source_id}")


def _source(source_id: str) -> DataSource:
    found = store().datasources.get(source_id)
    if found is None:
        raise NotFound(f"Data source {source_id} does not exist; see 'elinara datasources list'.")
    return found


@app.command()
def show(source_id: str = typer.Argument(..., metavar="ID")) -> None:
    """One data source, as JSON."""
    source = _source(source_id)
    owner = store().agents.get(source.agent_id)
    print_json(datasource_view(source, owner.name if owner else ""))


@app.command()
def update(
    source_id: str = typer.Argument(..., metavar="ID"),
    pairs: list[str] = typer.Argument(
        ...,
        metavar="KEY=VALUE...",
        help="resource_identifier, resource_name, resource_format, platform; config=JSON.",
    ),
) -> None:
    """Change a data source, e.g. `elinara datasources update ID resource_name=Leads`."""
    changes: dict[str, object] = dict(parse_pairs(pairs))
    if "config" in changes:
        try:
            changes["config"] = json.loads(str(changes["config"]))
        except json.JSONDecodeError:
            raise BadInput("config must be JSON, e.g. config='[{\"query_url\": ...}]'.") from None
    from elinara.agent import datasources

    updated = datasources.update_datasource(
        store(), settings(), _source(source_id), changes, operator=True
    )
    typer.echo(f"updated data source {updated.id} ({updated.platform}: {updated.resource_name})")
