"""The `elinara` command: a thin edge over the engine and the store.

Heavy libraries (quart, socketio, openai, google.genai, googleapiclient, msal, openpyxl) are
imported only inside the commands that need them, so `elinara --help` and cron runs stay fast.
"""

from __future__ import annotations

import sys

import typer

from elinara import __version__
from elinara.cli import (
    agent_cmd,
    agent_ops_cmd,
    agents_cmd,
    calls_cmd,
    config_cmd,
    datasources_cmd,
    db_cmd,
    eval_cmd,
    files_cmd,
    leads_cmd,
    matches_cmd,
    server_cmd,
    settings_cmd,
    usage_cmd,
    users_cmd,
)
from elinara.cli.common import state
from elinara.errors import ElinaraError

app = typer.Typer(
    name="elinara",
    help="Funding-match agents: Portugal 2030 calls x company leads.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"elinara {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of failures."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    state.debug = debug


# `elinara agent create | list | update | delete` beside `run` and `run-due`.
agent_cmd.app.command("create")(agents_cmd.create)
agent_cmd.app.command("list")(agents_cmd.list_agents)
agent_cmd.app.command("update")(agents_cmd.update)
agent_cmd.app.command("delete")(agents_cmd.delete)
# Operating agents: `elinara agent start | stop | pause | resume | status | runs | watch | task`.
agent_ops_cmd.register(agent_cmd.app)
app.add_typer(agent_cmd.app, name="agent")
app.add_typer(calls_cmd.app, name="calls")
app.add_typer(config_cmd.app, name="config")
app.add_typer(datasources_cmd.app, name="datasources")
app.add_typer(db_cmd.app, name="db")
app.add_typer(files_cmd.app, name="files")
app.command("eval")(eval_cmd.evaluate)
app.add_typer(leads_cmd.app, name="leads")
app.add_typer(matches_cmd.app, name="matches")
app.add_typer(agents_cmd.app, name="processes", hidden=True)  # old name, for one release
app.add_typer(settings_cmd.app, name="settings")
app.add_typer(users_cmd.app, name="users")
app.command("usage")(usage_cmd.usage)
app.command("serve")(server_cmd.serve)
app.command("worker")(server_cmd.worker)


def main() -> None:
    try:
        app()
    except ElinaraError as exc:
        if state.debug:
            raise
        print(f"error: {exc.message}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: one line for the user, the traceback with --debug
        if state.debug:
            raise
        print(
            f"error: internal error ({type(exc).__name__}: {exc}); rerun with --debug for details",
            file=sys.stderr,
        )
        sys.exit(1)
