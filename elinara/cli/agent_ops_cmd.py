"""Operating agents from a terminal: start, stop, pause, resume, status, runs, watch.

The same engine functions as the API's `/agent/control` and `/agent/status` (lifecycle.py), and
the store's events for following a run that executes anywhere (follow.py). As in the other
command modules, the engine modules that load the HTTP stack are imported inside the commands.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import typer

from elinara.agent.events import EventBus
from elinara.agent.follow import follow_run, run_to_watch
from elinara.agent.stages import STAGE_TITLES
from elinara.cli.common import console, parse_moment, print_json, settings, store
from elinara.cli.live import LiveView, PlainLog
from elinara.cli.owner import existing_agent, resolve_user
from elinara.errors import BadInput, NotFound
from elinara.models import Agent, Run
from elinara.store import Store
from elinara.times import countdown, parse_iso, utcnow
from elinara.views import run_view, settings_view

AGENT_ARG = typer.Argument(None, metavar="AGENT", help="The agent's id.")
AGENT_OPT = typer.Option(None, "--agent", "--process", help="The agent's id (or positional).")
USER_OPT = typer.Option(None, "--user", help="Only this user's agents (owner's e-mail).")


def register(app: typer.Typer) -> None:
    """Add these commands to the `elinara agent` group."""
    for name, command in (
        ("start", start),
        ("stop", stop),
        ("pause", pause),
        ("resume", resume),
        ("status", status),
        ("runs", runs),
        ("watch", watch),
        ("task", task),
    ):
        app.command(name)(command)


# -- which agent ---------------------------------------------------------------------------------
def _scope(st: Store, user: str | None) -> list[Agent]:
    """The agents a command may act on: the --user's, else all (the CLI is the operator's)."""
    return st.agents.list(resolve_user(st, user).id if user else None)


def _pick(st: Store, positional: int | None, option: int | None, user: str | None) -> Agent:
    if positional is not None and option is not None and positional != option:
        raise BadInput(f"Two agents named ({positional} and --agent {option}); name one.")
    wanted = positional if positional is not None else option
    scope = _scope(st, user)
    if wanted is None:
        if len(scope) == 1:
            return scope[0]
        raise BadInput("Name the agent, e.g. 'elinara agent start 1' (see 'elinara agent list').")
    agent = existing_agent(st, wanted)
    if agent.id not in {p.id for p in scope}:
        raise NotFound(f"Agent {wanted} does not exist; see 'elinara agent list'.")
    return agent


# -- showing times -------------------------------------------------------------------------------
def _when(text: str | None, now: datetime | None = None) -> str:
    """A stored moment in the configured zone, with the time left when it is ahead."""
    moment = parse_iso(text)
    if moment is None:
        return "-"
    local = moment.astimezone(ZoneInfo(settings().timezone))
    shown = local.strftime("%Y-%m-%d %H:%M %Z")
    now = now or utcnow()
    if moment > now:
        shown += f" (in {countdown(moment - now)})"
    return shown


def _counts(counts: dict[str, Any]) -> str:
    if not counts:
        return "-"
    return (
        f"companies {counts.get('leads', 0)} · calls {counts.get('calls', 0)} "
        f"({counts.get('calls_open', 0)} open) · matches {counts.get('matches', 0)} "
        f"({counts.get('new_matches', 0)} new)"
    )


def _duration(run: Run) -> str:
    seconds = run_view(run)["duration_seconds"]
    return "-" if seconds is None else f"{seconds:.1f}s"


# -- control -------------------------------------------------------------------------------------
def _control(
    action: str, positional: int | None, option: int | None, user: str | None, mode: str | None
) -> tuple[Agent, Any]:
    from elinara.agent import lifecycle

    st = store()
    agent = _pick(st, positional, option, user)
    message, conf = lifecycle.control_agent(st, settings(), EventBus(st), agent, action, mode)
    typer.echo(f"agent {agent.id} ({agent.name}): {message}")
    typer.echo(
        f"status {conf.agent_status} · mode {conf.execution_mode} · next run {_when(conf.next_run)}"
    )
    return agent, conf


MODE_OPT = typer.Option(
    None, "--mode", help="Switch to this execution mode first: manual, scheduled or interval."
)


def start(
    agent: int | None = AGENT_ARG,
    agent_opt: int | None = AGENT_OPT,
    user: str | None = USER_OPT,
    mode: str | None = MODE_OPT,
    now: bool = typer.Option(
        False, "--now", help="Manual agent: execute the queued run here, showing it live."
    ),
) -> None:
    """Start an agent, as the web page's Start does.

    A manual agent gets one run queued: a worker or server executes it ('elinara worker'),
    or --now executes it here. A scheduled or interval agent gets its schedule armed, for the
    server or cron's 'elinara agent run-due'. Exit codes with --now: as 'agent run'.
    """
    from elinara.agent import lifecycle
    from elinara.agent.runner import execute_queued

    chosen, conf = _control("start", agent, agent_opt, user, mode)
    if conf.execution_mode != "manual":
        if now:
            typer.echo("--now runs manual agents only; this one runs on its schedule", err=True)
        return
    st = store()
    queued = [r for r in lifecycle.active_runs(st, chosen.id) if r.status == "queued"]
    if not now:
        if queued:
            typer.echo(
                f"run {queued[0].id} is queued: a worker or 'elinara serve' executes it "
                f"(or 'elinara agent start {chosen.id} --now' runs it here); "
                f"follow it with 'elinara agent watch {chosen.id}'"
            )
        return
    bus = EventBus(st)
    done = None
    if queued:
        with _Display(bus.subscribe):
            done = execute_queued(st, settings(), bus, queued[0].id)
    if done is None:  # a worker took it (or one was already going): follow it instead
        run = run_to_watch(st, str(chosen.id), [chosen])
        typer.echo(f"run {run.id} is executed elsewhere; following it", err=True)
        _end(_watch(st, run))
        return
    _end(done[0])


def stop(
    agent: int | None = AGENT_ARG,
    agent_opt: int | None = AGENT_OPT,
    user: str | None = USER_OPT,
) -> None:
    """Stop an agent: disarm its schedule, drop its queued run, end a running one.

    A running run ends at its next safe point.
    """
    _control("stop", agent, agent_opt, user, None)


def pause(
    agent: int | None = AGENT_ARG,
    agent_opt: int | None = AGENT_OPT,
    user: str | None = USER_OPT,
) -> None:
    """Pause an agent: its running work waits at its next safe point; no scheduled run starts."""
    _control("pause", agent, agent_opt, user, None)


def resume(
    agent: int | None = AGENT_ARG,
    agent_opt: int | None = AGENT_OPT,
    user: str | None = USER_OPT,
) -> None:
    """Resume a paused agent: its work continues and its schedule (if any) is armed again."""
    _control("resume", agent, agent_opt, user, None)


def task(
    filename: str = typer.Argument(
        ..., metavar="FILE", help="An upload's name (elinara files list)."
    ),
    agent: int | None = typer.Option(None, "--agent", "--process", help="The agent's id."),
    user: str | None = USER_OPT,
    phone: str = typer.Option("", "--phone", help="Send a summary to this phone when it ends."),
) -> None:
    """Queue a task: match one uploaded spreadsheet, as the web page's task form does.

    A worker or 'elinara serve' executes it; follow it with 'elinara agent watch RUN'.
    """
    from elinara.agent import lifecycle

    st = store()
    chosen = _pick(st, None, agent, user)
    run = lifecycle.queue_task(st, settings(), EventBus(st), chosen, filename, phone)
    typer.echo(
        f"task {run.id} queued for agent {chosen.id}; follow it with 'elinara agent watch {run.id}'"
    )


# -- status and history --------------------------------------------------------------------------
def status(
    agent: int | None = AGENT_ARG,
    agent_opt: int | None = AGENT_OPT,
    user: str | None = USER_OPT,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Status, mode, next run (with a countdown), last run and the six stages of the latest run.

    Without AGENT: one line per agent.
    """
    st = store()
    if agent is None and agent_opt is None:
        scope = _scope(st, user)
        views = [_status_of(st, p) for p in scope]
        if as_json:
            print_json(views)
            return
        _status_table(views)
        return
    view = _status_of(st, _pick(st, agent, agent_opt, user))
    if as_json:
        print_json(view)
        return
    out = console()
    out.print(
        f"[bold]agent {view['agent_id']}[/bold] {view['name']} · status {view['agent_status']} · "
        f"mode {view['execution_mode']}{_mode_detail(view['settings'])}"
    )
    out.print(f"next run: {_when(view['next_run'])}")
    last = view["last"]
    if last is None:
        out.print("last run: none yet")
    else:
        out.print(
            f"last run: {last['id']} {last['status']} ({last['kind']}, {last['trigger']}) "
            f"started {_when(last['started_at'] or last['created_at'])}: {last['message']}"
        )
        out.print(f"          {_counts(last['counts'])}")
    going = view["running"]
    stages = (going or last or {}).get("stages") or {}
    if going:
        out.print(f"running: {going['id']} ({going['status']}, {going['message'] or 'waiting'})")
    _print_stages(out, stages)


def _mode_detail(conf: dict[str, Any]) -> str:
    if conf["execution_mode"] == "scheduled":
        return f" (daily at {conf['scheduled_time']} {settings().timezone})"
    if conf["execution_mode"] == "interval":
        return f" (every {conf['execution_interval']} min)"
    return ""


def _status_of(st: Store, agent: Agent) -> dict[str, Any]:
    """The API's status view of the agent, with its latest run and the run going, if any."""
    from elinara.agent import lifecycle

    conf = lifecycle.settings_for(st, settings(), agent)
    latest = st.runs.list(agent_ids=[agent.id], limit=1)
    going = lifecycle.active_runs(st, agent.id, kind=None)
    return {
        **lifecycle.status_view(st, settings(), agent, conf),
        "name": agent.name,
        "settings": settings_view(conf),
        "last": run_view(latest[0]) if latest else None,
        "running": run_view(going[0]) if going else None,
    }


def _print_stages(out: Any, stages: dict[str, Any]) -> None:
    for key, stage in stages.items():
        label = f" {stage['label']}" if stage.get("label") else ""
        out.print(
            f"  {STAGE_TITLES.get(key, key):<22} {stage['status']:<10} "
            f"{float(stage['percentage']):>3.0f}%{label}"
        )


def _status_table(views: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table("id", "name", "status", "mode", "next run", "last run", "counts")
    for v in views:
        last = v["last"]
        table.add_row(
            str(v["agent_id"]),
            v["name"],
            v["agent_status"] + (" (running)" if v["running"] else ""),
            v["execution_mode"] + _mode_detail(v["settings"]),
            _when(v["next_run"]),
            f"{last['status']}: {last['message']}" if last else "-",
            _counts(last["counts"]) if last else "-",
        )
    console().print(table)


def runs(
    target: list[str] = typer.Argument(
        None, metavar="AGENT | show RUN", help="An agent's runs, or 'show RUN' for one run."
    ),
    agent_opt: int | None = AGENT_OPT,
    user: str | None = USER_OPT,
    kind: str = typer.Option("all", "--kind", help="run, task or all."),
    limit: int = typer.Option(20, "--limit", help="At most this many, newest first."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Runs, newest first: id, started, duration, status, counts, message.

    'elinara agent runs show RUN' shows one run: its stages, warnings and LLM usage.
    """
    st = store()
    target = list(target or [])
    if target and target[0] == "show":
        if len(target) != 2:
            raise BadInput("Say which run: 'elinara agent runs show RUN'.")
        _show_run(st, target[1], user, as_json)
        return
    if len(target) > 1 or (target and not target[0].isdigit()):
        raise BadInput(f"{' '.join(target)!r}: expected an agent id or 'show RUN'.")
    if kind not in ("run", "task", "all"):
        raise BadInput("--kind must be run, task or all.")
    if limit < 1:
        raise BadInput("--limit must be at least 1.")
    positional = int(target[0]) if target else None
    if positional is None and agent_opt is None:
        ids = [p.id for p in _scope(st, user)]
    else:
        ids = [_pick(st, positional, agent_opt, user).id]
    found = st.runs.list(agent_ids=ids, kind=None if kind == "all" else kind, limit=limit)
    views = [run_view(r) for r in found]
    if as_json:
        print_json(views)
        return
    from rich.table import Column, Table

    table = Table(
        Column("run", no_wrap=True),
        "agent",
        "kind",
        "started",
        "duration",
        "status",
        "counts",
        "message",
    )
    for run, view in zip(found, views, strict=True):
        table.add_row(
            run.id,
            str(run.agent_id),
            f"{run.kind} ({run.trigger})",
            _when(run.started_at or run.created_at),
            _duration(run),
            run.status,
            _counts(view["counts"]),
            run.message,
        )
    console().print(table)


def _owned_run(st: Store, run_id: str, user: str | None) -> Run:
    run = st.runs.get(run_id)
    if run is None or run.agent_id not in {p.id for p in _scope(st, user)}:
        raise NotFound(f"Run {run_id} does not exist; see 'elinara agent runs'.")
    return run


def _show_run(st: Store, run_id: str, user: str | None, as_json: bool) -> None:
    run = _owned_run(st, run_id, user)
    view = run_view(run)
    if as_json:
        print_json(view)
        return
    out = console()
    out.print(f"[bold]run {run.id}[/bold] of agent {run.agent_id} · {run.kind} ({run.trigger})")
    out.print(f"status: {run.status}: {run.message}")
    out.print(
        f"queued {_when(run.created_at)} · started {_when(run.started_at)} · "
        f"finished {_when(run.finished_at)} · took {_duration(run)}"
    )
    out.print(f"counts: {_counts(run.counts)}")
    _print_stages(out, run.pipeline or {})
    for warning in run.warnings:
        out.print(f"[yellow]warning:[/yellow] {warning}")
    if run.usage:
        usage = run.usage
        out.print(
            f"LLM usage: {usage.get('calls', 0)} calls ({usage.get('cached', 0)} cached), "
            f"{usage.get('input_tokens', 0)} input + {usage.get('output_tokens', 0)} output "
            f"tokens, ${float(usage.get('cost_usd', 0.0)):.4f}"
        )


# -- watching a run ------------------------------------------------------------------------------
def watch(
    target: str | None = typer.Argument(
        None, metavar="AGENT|RUN", help="An agent (its run going, else its latest) or a run id."
    ),
    agent_opt: int | None = AGENT_OPT,
    user: str | None = USER_OPT,
    as_json: bool = typer.Option(False, "--json", help="At the end, print the run as JSON."),
) -> None:
    """Follow a run live until it ends, wherever it executes.

    The run may execute in a server's worker, another terminal or cron: its events are read
    from the store. Ctrl-C stops watching, not the run. Without AGENT or RUN: the one run
    queued or going. Exit codes as 'agent run': 0 completed, 1 failed or cancelled.
    """
    st = store()
    if target is not None and agent_opt is not None and target != str(agent_opt):
        raise BadInput(f"Two targets named ({target} and --agent {agent_opt}); name one.")
    chosen = target if target is not None else (str(agent_opt) if agent_opt is not None else None)
    run = run_to_watch(st, chosen, _scope(st, user))
    if run.status == "queued" and not as_json:
        typer.echo(
            f"run {run.id} of agent {run.agent_id} is queued: waiting for a worker", err=True
        )
    ended = _watch(st, run, quiet=as_json)
    if as_json:
        print_json(run_view(ended))
        if ended.status != "completed":
            raise typer.Exit(1)
        return
    _end(ended)


class _Display:
    """The live Rich view on a terminal, plain log lines otherwise (stderr with ``quiet``)."""

    def __init__(self, subscribe: Any, quiet: bool = False) -> None:
        self.live: Any = None
        if sys.stdout.isatty() and not quiet:
            self.live = LiveView(console())
            subscribe(self.live)
        else:
            subscribe(PlainLog(sys.stderr if quiet else None))

    def __enter__(self) -> _Display:
        if self.live is not None:
            self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.__exit__(*exc)


def _watch(st: Store, run: Run, quiet: bool = False) -> Run:
    listeners: list[Any] = []
    with _Display(listeners.append, quiet):
        try:
            return follow_run(st, run.id, lambda event: [f(event) for f in listeners])
        except KeyboardInterrupt:
            typer.echo(f"\nstopped watching; run {run.id} goes on", err=True)
            raise typer.Exit(130) from None


def _end(run: Run) -> None:
    """The end of a run as `agent run` reports it, and its exit status."""
    out = console()
    out.print(f"[bold]{run.status}[/bold]: {run.message}")
    out.print(_counts(run.counts))
    for warning in run.warnings:
        out.print(f"[yellow]warning:[/yellow] {warning}")
    if run.status == "failed":
        print(f"error: {run.message}", file=sys.stderr)
    if run.status != "completed":
        raise typer.Exit(1)


# -- run-due's clock and explanations ------------------------------------------------------------
def moment_at(text: str | None) -> datetime:
    """`run-due --at`: an ISO moment (in the configured zone when it names none); default now."""
    return parse_moment(text, "--at", ZoneInfo(settings().timezone)) if text else utcnow()


def explain_due(st: Store, now: datetime) -> list[dict[str, Any]]:
    """`run-due --explain`'s lines: each agent, whether it is due and why."""
    from elinara.agent import lifecycle

    return [
        {"agent_id": p.id, "name": p.name, "due": due, "why": why}
        for p, due, why in lifecycle.explain_due(st, now)
    ]
