"""Runs executed by the runner: records, events, cancellation, internal errors."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from elinara.agent.events import Event, EventBus
from elinara.agent.inputs import SAMPLE_CALLS, SAMPLE_LEADS
from elinara.agent.runner import Worker, run_now
from elinara.agent.stages import STAGE_KEYS
from elinara.config import load_settings
from elinara.models import Run
from elinara.store import Store, open_store


def test_run_record_events_and_stage_order(store: Store) -> None:
    settings = load_settings()
    bus = EventBus(store)
    seen: list[Event] = []
    bus.subscribe(seen.append)
    record, outcome = run_now(store, settings, bus, {})
    assert outcome.status == "completed" and record.status == "completed"
    assert record.counts["matches"] == outcome.counts["matches"] > 0
    assert record.finished_at and record.started_at and record.progress == 100
    updates = [e for e in seen if e.name == "pipeline_update"]
    assert updates and all(list(e.payload["pipeline"]) == list(STAGE_KEYS) for e in updates)
    assert all(e.payload["provider"] == "offline" and "model" in e.payload for e in updates)
    stored = store.events.for_run(record.id, "pipeline_update")
    assert len(stored) == len(updates)
    thoughts = [e.payload["content"] for e in seen if e.name == "agent_action"]
    assert any("sample data" in t for t in thoughts)


def test_internal_error_fails_the_run_instead_of_leaving_it_running(store: Store) -> None:
    record, outcome = run_now(store, load_settings(), EventBus(store), {"min_score": "lots"})
    assert outcome.status == "failed" and "Internal error" in outcome.message
    assert store.runs.get(record.id).status == "failed"


def test_cancel_takes_effect_at_the_next_company(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'runs.db'}"
    leads = tmp_path / "many.csv"
    rows = ["Empresa;NIF;CAE;Distrito;Dimensão"]
    rows += [f"Empresa {i};;25110;Porto;Pequena" for i in range(3000)]
    leads.write_text("\n".join(rows), encoding="utf-8")
    settings = load_settings()
    store = open_store(store_url)
    run = store.runs.create(
        Run(id="", agent_id=0, params={"leads": [str(leads)], "calls": [str(SAMPLE_CALLS)]})
    )
    worker = Worker(
        lambda: open_store(store_url, migrate_now=False), settings, EventBus, poll_seconds=0.05
    )
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while store.runs.get(run.id).pipeline.get("cross_data", {}).get("status") != "tracking":
            assert time.monotonic() < deadline, "the run never reached cross_data"
            time.sleep(0.02)
        store.runs.request(run.id, cancel_requested=True)
        while store.runs.get(run.id).status not in ("cancelled", "completed"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        worker.stop(5)
    final = store.runs.get(run.id)
    assert final.status == "cancelled"
    statuses = [stage["status"] for stage in final.pipeline.values()]
    assert "error" in statuses  # the stage it stopped in says so
    assert final.pipeline["send_results"]["status"] != "completed"
    assert final.pipeline["sending_email"]["status"] == "pending"
    assert "matches saved so far are kept" in final.message


def test_worker_shutdown_requeues_a_running_run(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'runs.db'}"
    leads = tmp_path / "many.csv"
    rows = ["Empresa;NIF;CAE;Distrito;Dimensão"]
    rows += [f"Empresa {i};;25110;Porto;Pequena" for i in range(3000)]
    leads.write_text("\n".join(rows), encoding="utf-8")
    store = open_store(store_url)
    run = store.runs.create(
        Run(id="", agent_id=0, params={"leads": [str(leads)], "calls": [str(SAMPLE_CALLS)]})
    )
    worker = Worker(
        lambda: open_store(store_url, migrate_now=False),
        load_settings(),
        EventBus,
        poll_seconds=0.05,
    )
    worker.start()
    deadline = time.monotonic() + 30
    while store.runs.get(run.id).status != "running":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    stopper = threading.Thread(target=worker.stop, args=(10,))
    stopper.start()
    stopper.join(15)
    final = store.runs.get(run.id)
    assert final.status in ("queued", "completed")  # requeued, unless it finished first
    if final.status == "queued":
        assert final.worker_id is None and "requeued" in final.message


def test_sample_files_are_shipped() -> None:
    assert SAMPLE_LEADS.is_file() and SAMPLE_CALLS.is_file()
