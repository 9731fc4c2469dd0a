"""A worker process killed (SIGKILL) in the middle of a run: its lease lapses, another worker
takes the run over, and the run completes exactly once, its matches stored once each."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from server_helpers import PASSWORD, copy_sample_calls, wait_until, write_leads_csv

COMPANIES = 3000  # about 2-3 s of work, most of it saving ~30 000 matches in batches


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "elinara", "worker"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ),
        )
        log.close()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


@pytest.mark.slow
def test_a_killed_workers_run_completes_once_on_another_worker(
    monkeypatch: pytest.MonkeyPatch, workers: Callable[[str], subprocess.Popen[bytes]], tmp_path
) -> None:
    from elinara.accounts import create_user
    from elinara.agent import datasources, lifecycle
    from elinara.agent.events import EventBus
    from elinara.config import load_settings
    from elinara.store import open_store

    monkeypatch.setenv("ELINARA_LEASE_SECONDS", "2")
    settings = load_settings()
    store = open_store(settings.database_url)
    try:
        user = create_user(store, "worker-kill@example.pt", PASSWORD)
        agent = lifecycle.create_agent(store, settings, user.id, "big agent")
        write_leads_csv(settings.files_path / "big.csv", COMPANIES)
        copy_sample_calls(settings.files_path)
        store.datasources.create_many(
            [
                datasources.validate_datasource(
                    {"platform": "local_file", "resource_identifier": name},
                    settings,
                    user.id,
                    agent,
                    operator=True,  # as `elinara datasources add` does
                )
                for name in ("big.csv", "p2030_avisos.json")
            ]
        )
        lifecycle.control_agent(store, settings, EventBus(store), agent, "start")
        [run] = lifecycle.active_runs(store, agent.id)

        first = workers("first")
        wait_until(
            lambda: store.matches.count([agent.id]) > 0 or first.poll() is not None,
            timeout=60,
            what="the first worker to start saving matches",
        )
        running = store.runs.get(run.id)
        assert first.poll() is None, (tmp_path / "first.log").read_text()
        assert running.status == "running" and running.attempts == 1, running.message
        first.send_signal(signal.SIGKILL)
        first.wait(10)

        saved_by_first = store.matches.count([agent.id])
        assert store.runs.get(run.id).status == "running"  # nobody recorded an end
        second = workers("second")
        final = wait_until(
            lambda: (
                (r := store.runs.get(run.id)).status in ("completed", "failed", "cancelled") and r
            ),
            timeout=90,
            what="the second worker to finish the run",
        )
        log = (tmp_path / "second.log").read_text()
        assert final.status == "completed", (final.message, log)
        assert final.attempts == 2
        assert final.worker_id != running.worker_id

        matches = store.matches.list(agent_ids=[agent.id], limit=10_000_000)
        pairs = {(m.lead_key, m.aviso_id) for m in matches}
        assert len(matches) == len(pairs) == final.counts["matches"]
        assert 0 < saved_by_first < len(matches)
        assert final.counts["leads"] == COMPANIES
        assert final.counts["new_matches"] == len(matches) - saved_by_first

        # the browser hears of one end, and the agent shows it
        ends = [
            e["payload"]["status"]
            for e in store.events.for_run(run.id, "agent_status")
            if e["payload"]["status"] in ("completed", "failed", "cancelled")
        ]
        assert ends == ["completed"]
        assert store.agents.get(agent.id).status == "completed"
        assert store.runs.count_by_status()["completed"] == 1

        # and the surviving worker stops cleanly on SIGTERM
        second.send_signal(signal.SIGTERM)
        assert second.wait(15) == 0, log
    finally:
        store.close()
