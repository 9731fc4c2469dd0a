"""An operator without a browser: start, stop, pause, resume, status, runs and cron's run-due,
all through the real `elinara` command on a fresh data folder."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from cli_helpers import Result, assert_one_line_error, elinara
from sample_calls import fresh_sample_calls

from elinara.config import load_settings
from elinara.store import open_store

LEADS = (
    "Empresa;NIF;CAE;Distrito;Dimensão\n"
    "Metal Norte Lda;503306665;25110;Porto;Pequena\n"
    "Têxteis do Ave SA;500000000;13920;Braga;Média\n"
)


def ok(*args: str) -> Result:
    result = elinara(*args)
    assert result.code == 0, (args, result.out, result.err)
    return result


def _fresh_agent(files: Path, email: str = "ana@example.pt", name: str = "Norte") -> int:
    """What the README tells a new user to do: a user, an agent, its leads and calls sources."""
    files.mkdir(parents=True, exist_ok=True)
    (files / "leads.csv").write_text(LEADS, encoding="utf-8")
    fresh_sample_calls(files / "avisos.json")  # scheduled runs judge calls on today
    ok("users", "create", email, "--password", "Str0ng!pass")
    created = ok("agent", "create", name, "--user", email).out
    agent = int(re.search(r"created agent (\d+)", created)[1])  # type: ignore[index]
    for source in ("leads.csv", "avisos.json"):
        ok("datasources", "add", "--process", str(agent), "--platform", "local_file",
           "--path", str(files / source))  # fmt: skip
    return agent


def _runs(agent: int) -> list[dict]:
    return ok("agent", "runs", str(agent), "--json").json()  # type: ignore[no-any-return]


def test_cron_runs_a_scheduled_agent_once_per_slot_from_a_fresh_folder() -> None:
    settings = load_settings()
    agent = _fresh_agent(settings.files_path)
    ok("settings", "set", str(agent), "execution_mode=scheduled", "scheduled_time=07:30")

    # set but not started: cron says why nothing runs
    idle = ok("agent", "run-due", "--explain")
    assert (
        f"agent {agent} (Norte): stopped: arm its schedule with 'elinara agent start {agent}'"
        in (idle.out)
    )
    assert "no agent is due" in idle.out

    started = ok("agent", "start", str(agent))
    assert "Schedule armed: next run at" in started.out
    assert "status active · mode scheduled · next run" in started.out
    next_run = ok("agent", "status", str(agent), "--json").json()["next_run"]
    slot = datetime.fromisoformat(next_run).astimezone(ZoneInfo(settings.timezone))
    assert (slot.hour, slot.minute) == (7, 30)
    local = slot.replace(tzinfo=None)

    early = ok("agent", "run-due", "--explain", "--at", (local - timedelta(minutes=1)).isoformat())
    assert "not yet: next run at" in early.out and "(in 1m 00s)" in early.out
    assert "no agent is due" in early.out and _runs(agent) == []

    at = (local + timedelta(minutes=1)).isoformat()  # cron's minute after the slot
    due = ok("agent", "run-due", "--explain", "--at", at)
    assert f"agent {agent} (Norte): due since" in due.out
    assert re.search(rf"^agent {agent}: completed - ", due.out, re.M), due.out
    runs = _runs(agent)
    assert [(r["status"], r["trigger"]) for r in runs] == [("completed", "scheduled")]
    assert runs[0]["counts"]["leads"] == 2

    again = ok("agent", "run-due", "--json", "--explain", "--at", at)
    assert again.json()["runs"] == []
    assert again.json()["explain"][0]["why"].startswith("not yet: next run at")
    assert len(_runs(agent)) == 1  # one run per slot

    stopped = ok("agent", "stop", str(agent))
    assert "Agent stopped" in stopped.out and "next run -" in stopped.out
    tomorrow = (local + timedelta(days=1, minutes=1)).isoformat()
    after = ok("agent", "run-due", "--explain", "--at", tomorrow)
    assert "stopped: arm its schedule" in after.out and "no agent is due" in after.out
    assert len(_runs(agent)) == 1


def test_start_on_a_manual_agent_queues_one_run_and_now_runs_it_here() -> None:
    agent = _fresh_agent(load_settings().files_path)

    queued = ok("agent", "start", str(agent))
    assert "Run queued." in queued.out and "is queued: a worker" in queued.out
    again = ok("agent", "start", "--agent", str(agent))
    assert "already queued or running" in again.out
    assert [r["status"] for r in _runs(agent)] == ["queued"]

    status = ok("agent", "status", str(agent))
    assert "status active · mode manual" in status.out and "running:" in status.out

    stopped = ok("agent", "stop", "--process", str(agent))
    assert "status stopped" in stopped.out
    assert [r["status"] for r in _runs(agent)] == ["cancelled"]

    here = elinara("agent", "start", str(agent), "--now")  # not a terminal: plain log lines
    assert here.code == 0, here.err
    assert "[Cross Data] completed" in here.out and "completed:" in here.out
    runs = _runs(agent)
    assert [r["status"] for r in runs] == ["completed", "cancelled"]  # newest first
    assert ok("agent", "status", str(agent), "--json").json()["agent_status"] == "stopped"


def test_pause_and_resume_hold_and_continue() -> None:
    agent = _fresh_agent(load_settings().files_path)
    ok("settings", "set", str(agent), "execution_mode=interval", "execution_interval=30")
    ok("agent", "start", str(agent))
    paused = ok("agent", "pause", str(agent))
    assert "Agent paused" in paused.out and "status paused" in paused.out
    explained = ok("agent", "run-due", "--explain", "--at", "2099-01-01T00:00")
    assert "paused: resume it to continue" in explained.out
    assert "no agent is due" in explained.out
    resumed = ok("agent", "resume", str(agent))
    assert "Agent resumed." in resumed.out and "status active · mode interval" in resumed.out
    assert "(in 29m" in resumed.out or "(in 30m" in resumed.out


def test_runs_and_run_details() -> None:
    agent = _fresh_agent(load_settings().files_path)
    ok("agent", "start", str(agent), "--now")
    ok("agent", "start", str(agent), "--now")
    listed = _runs(agent)
    assert len(listed) == 2 and listed[0]["created_at"] > listed[1]["created_at"]
    assert {"id", "started_at", "duration_seconds", "status", "counts", "message"} <= set(listed[0])
    assert len(ok("agent", "runs", "--limit", "1", "--json").json()) == 1

    table = ok("agent", "runs", str(agent)).out
    assert listed[0]["id"] in table and "companies 2" in table

    shown = ok("agent", "runs", "show", listed[0]["id"]).out
    assert "status: completed" in shown and "Cross Data" in shown and "LLM usage" in shown
    as_json = ok("agent", "runs", "show", listed[0]["id"], "--json").json()
    assert set(as_json["stages"]) >= {"loading_data", "cross_data"}
    assert as_json["warnings"] == listed[0]["warnings"]

    assert_one_line_error(elinara("agent", "runs", "show", "nope"), 2, "run nope does not exist")
    assert_one_line_error(elinara("agent", "runs", "many", "words"), 2, "expected an agent id")


def test_user_scoping_and_bad_input() -> None:
    settings = load_settings()
    mine = _fresh_agent(settings.files_path)
    other = _fresh_agent(settings.files_path / "b", "bea@example.pt", "Sul")
    store = open_store(settings.database_url)
    assert {p.id for p in store.agents.list()} == {mine, other}

    assert_one_line_error(
        elinara("agent", "start", str(other), "--user", "ana@example.pt"), 2, "does not exist"
    )
    assert_one_line_error(elinara("agent", "start"), 2, "name the agent")
    assert_one_line_error(elinara("agent", "stop", "1", "--agent", "2"), 2, "two agents")
    assert_one_line_error(elinara("agent", "status", "99"), 2, "agent 99 does not exist")
    assert_one_line_error(elinara("agent", "run-due", "--at", "soon"), 2, "--at 'soon'")
    assert_one_line_error(elinara("agent", "start", str(mine), "--mode", "hourly"), 2, "mode")
    assert_one_line_error(elinara("agent", "watch"), 2, "no run is queued or going")

    mine_only = ok("agent", "status", "--user", "ana@example.pt", "--json").json()
    assert [v["agent_id"] for v in mine_only] == [mine]
    ok("agent", "start", str(mine), "--now")
    assert ok("agent", "runs", "--user", "bea@example.pt", "--json").json() == []
