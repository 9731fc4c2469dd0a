from __future__ import annotations

import typer

from elinara.cli.common import console, parse_pairs, print_json, settings, store
from elinara.cli.owner import existing_agent
from elinara.views import settings_view

app = typer.Typer(help="Agent settings (schedule, alerts, provider, model).", no_args_is_help=True)


@app.command()
def show(
    agent_id: int = typer.Argument(..., metavar="N"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """An agent's settings (defaults for a new agent)."""
    from elinara.agent import lifecycle

    view = settings_view(
        lifecycle.settings_for(store(), settings(), existing_agent(store(), agent_id))
    )
    if as_json:
        print_json(view)
        return
    from rich.table import Table

    table = Table("setting", "value")
    for key, value in view.items():
        table.add_row(key, ", ".join(value) if isinstance(value, list) else str(value))
    console().print(table)


@app.command("set")
def set_values(
    agent_id: int = typer.Argument(..., metavar="N"),
    pairs: list[str] = typer.Argument(
        ...,
        metavar="KEY=VALUE...",
        help=(
            "execution_mode, execution_interval, scheduled_time, alert_emails (comma-separated), "
            "llm_provider, llm_model, min_score, max_cost_usd, max_calls"
        ),
    ),
) -> None:
    """Change settings, e.g. `elinara settings set 3 execution_mode=interval execution_interval=30`."""
    changes = parse_pairs(pairs)
    from elinara.agent import lifecycle

    saved = lifecycle.update_settings(
        store(), settings(), existing_agent(store(), agent_id), changes
    )
    typer.echo("saved: " + ", ".join(f"{k}={getattr(saved, k)}" for k in changes))
