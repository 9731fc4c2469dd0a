"""`elinara agent run-due`: cron runs every agent whose schedule is due, once, under a lock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from cli_helpers import elinara
from sample_calls import fresh_sample_calls

from elinara import accounts
from elinara.agent import lifecycle
from elinara.agent.events import EventBus
from elinara.agent.lifecycle import control_agent
from elinara.config import load_settings
from elinara.models import DataSource
from elinara.store import open_store
from elinara.times import iso, parse_iso, utcnow


def _armed_agent(tmp_path: Path) -> tuple[object, int]:
    settings = load_settings()
    store = open_store(settings.database_url)
    user = accounts.create_user(store, "ana@example.pt", "Str0ng!pass")
    agent = lifecycle.create_agent(store, settings, user.id, "Norte")
    settings.files_path.mkdir(parents=True, exist_ok=True)
    leads = settings.files_path / "leads.csv"
    leads.write_text(
        "Empresa;NIF;CAE;Distrito;Dimensão\nMetal Norte Lda;503306665;25110;Porto;Pequena\n",
        encoding="utf-8",
    )
    fresh_sample_calls(settings.files_path / "avisos.json")  # scheduled runs judge on today
    store.datasources.create_many(
        [
            DataSource(
                id="",
                user_id=user.id,
                agent_id=agent.id,
                platform="local_file",
                resource_identifier=str(leads),
            ),
            DataSource(
                id="",
                user_id=user.id,
                agent_id=agent.id,
                platform="local_file",
                resource_identifier=str(settings.files_path / "avisos.json"),
            ),
        ]
    )
    lifecycle.update_settings(
        store, settings, agent, {"execution_mode": "interval", "execution_interval": 30}
    )
    control_agent(store, settings, EventBus(store), agent, "start")
    return store, agent.id


def test_nothing_due_then_one_run_when_due(tmp_path: Path) -> None:
    store, agent_id = _armed_agent(tmp_path)
    idle = elinara("agent", "run-due", "--json")
    assert idle.code == 0 and idle.json() == {"runs": []}
    store.settings.update(agent_id, {"next_run": iso(utcnow() - timedelta(seconds=5))})
    due = elinara("agent", "run-due", "--json")
    assert due.code == 0, due.err
    runs = due.json()["runs"]
    assert [(r["agent_id"], r["status"]) for r in runs] == [(agent_id, "completed")]
    assert runs[0]["counts"]["leads"] == 1 and runs[0]["counts"]["matches"] > 0
    following = parse_iso(store.settings.get(agent_id).next_run)
    assert following is not None and following > utcnow() + timedelta(minutes=29)
    assert elinara("agent", "run-due", "--json").json() == {"runs": []}


def test_a_second_run_due_waits_for_the_first(tmp_path: Path) -> None:
    store, _ = _armed_agent(tmp_path)
    assert store.locks.acquire("run-due", "another-cron", 600)
    result = elinara("agent", "run-due", "--json")
    assert result.code == 0  # not an error for cron: the other one does the work
    assert result.json()["runs"] == [] and "another" in result.err
