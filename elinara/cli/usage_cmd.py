from __future__ import annotations

from datetime import time

import typer

from elinara.cli.common import console, parse_moment, print_json, store
from elinara.cli.owner import existing_agent


def _since(text: str | None) -> str | None:
    """The start of a day (Lisbon time) or an ISO instant, as the store's UTC ISO text."""
    from elinara.times import iso

    return iso(parse_moment(text, "--since", bare_date_at=time(0))) if text else None


def usage(
    since: str | None = typer.Option(
        None, "--since", help="Only calls from this date on (YYYY-MM-DD, Lisbon time)."
    ),
    agent: int | None = typer.Option(None, "--agent", "--process", help="Only this agent's calls."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """LLM calls made by runs: tokens and cost in USD, in total and per provider and model."""
    st = store()
    if agent:  # 0 is the local agent of `agent run`
        existing_agent(st, agent)
    summary = st.llm_calls.summary(since=_since(since), agent_id=agent)
    if as_json:
        print_json({"since": since, "agent": agent, **summary})
        return
    out = console()
    if summary["by_model"]:
        from rich.table import Table

        table = Table("provider", "model", "calls", "input tokens", "output tokens", "cost (USD)")
        for row in summary["by_model"]:
            table.add_row(
                row["provider"],
                row["model"],
                str(row["calls"]),
                str(row["input_tokens"]),
                str(row["output_tokens"]),
                f"{row['cost_usd']:.4f}",
            )
        out.print(table)
    scope = f" since {since}" if since else ""
    scope += f" for agent {agent}" if agent is not None else ""
    out.print(
        f"{summary['calls']} LLM call(s){scope} in {summary['runs']} run(s): "
        f"{summary['input_tokens']} input + {summary['output_tokens']} output tokens, "
        f"${summary['cost_usd']:.4f}"
    )
