"""Runs executed by the runner: records, events, cancellation, internal errors."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from elinara.agent.events import Event, EventBus
from elinara.agent.inputs import SAMPLE_CALLS, SAMPLE_LEADS
from elinara.agent.options import RunOptions
from elinara.agent.runner import Worker, execute, run_now
from elinara.agent.stages import STAGE_KEYS
from elinara.config import load_settings
from elinara.models import Run
from elinara.store import Store, open_store

# The sample calls' recording moment: runs on them judge "open" as of then, in any year.
AS_OF = "2026-12-01T12:00:00+00:00"


def test_run_record_events_and_stage_order(store: Store) -> None:
    settings = load_settings()
    bus = EventBus(store)
    seen: list[Event] = []
    bus.subscribe(seen.append)
    record, outcome = run_now(store, settings, bus, RunOptions.from_params({}))
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
    # A stored run whose options no edge wrote (a hand-edited document): a bug, not bad input.
    settings = load_settings()
    record = store.runs.create(
        Run(id="", agent_id=0, status="running", params={"min_score": "lots"}, worker_id="w")
    )
    store.runs.renew(record.id, "w", settings.lease_seconds)
    outcome = execute(store, settings, EventBus(store), record, "w")
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
        Run(
            id="",
            agent_id=0,
            params={"leads": [str(leads)], "calls": [str(SAMPLE_CALLS)], "as_of": AS_OF},
        )
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
        Run(
            id="",
            agent_id=0,
            params={"leads": [str(leads)], "calls": [str(SAMPLE_CALLS)], "as_of": AS_OF},
        )
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


def test_stale_matches_are_retired_and_first_seen_kept(tmp_path: Path, store: Store) -> None:
    leads = tmp_path / "l.csv"
    leads.write_text(
        "Empresa;NIF;CAE;Distrito;Dimensão\nMetal Norte Lda;503306665;25110;Porto;Pequena\n",
        encoding="utf-8",
    )
    params = {"leads": [str(leads)], "calls": [str(SAMPLE_CALLS)], "as_of": AS_OF}
    settings, bus = load_settings(), EventBus(store)
    _, outcome = run_now(store, settings, bus, RunOptions.from_params(params))
    assert outcome.counts["matches"] > 0
    seen = {m.aviso_id: m.matched_at for m in store.matches.list([0])}
    again, _ = run_now(store, settings, bus, RunOptions.from_params(params))
    refreshed = store.matches.list([0])
    assert {m.aviso_id: m.matched_at for m in refreshed} == seen  # first seen, kept
    assert {m.run_id for m in refreshed} == {again.id}
    _, outcome = run_now(
        store,
        settings,
        bus,
        RunOptions.from_params({**params, "as_of": "2031-01-01T12:00:00+00:00"}),
    )
    assert outcome.counts["matches"] == 0
    assert store.matches.list([0]) == []  # every call closed: nothing stale is left behind


def test_an_agents_api_filters_reach_the_api(store: Store, tmp_path: Path) -> None:
    import json

    from fakes.p2030 import FakeP2030

    from elinara import accounts
    from elinara.agent import lifecycle
    from elinara.models import DataSource

    settings = load_settings()
    user = accounts.create_user(store, "ana@example.pt", "Str0ng!pass")
    agent = lifecycle.create_agent(store, settings, user.id, "Norte")
    settings.files_path.mkdir(parents=True, exist_ok=True)
    leads = settings.files_path / "l.csv"
    leads.write_text(
        "Empresa;NIF;CAE;Distrito\nMetal Norte Lda;503306665;25110;Porto\n", encoding="utf-8"
    )
    pages = json.loads(SAMPLE_CALLS.read_text(encoding="utf-8"))
    with FakeP2030([a for page in pages for a in page["avisos"]]) as fake:
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
                    platform="external_api",
                    config=[
                        {
                            "name": "Norte",
                            "query_url": fake.url,
                            "download_url": fake.url,
                            "payload": {"programaId": "12", "estadoAvisoId": "7"},
                        }
                    ],
                ),
            ]
        )
        _, outcome = run_now(
            store,
            settings,
            EventBus(store),
            RunOptions.from_params({"as_of": AS_OF}),
            agent.id,
            user.id,
        )
        forms = [dict(r) for r in fake.requests]
    assert outcome.status == "completed", outcome.message
    assert forms and all(
        f.get("programaId") == "12" and f.get("estadoAvisoId") == "7" for f in forms
    )


def test_leads_of_several_files_are_stored_as_the_run_reads_them(
    tmp_path: Path, store: Store
) -> None:
    """A company in two files: the first file's row wins, in the run and in the store; a bad
    calls source fails the run after the leads were stored, and stores them whole."""
    folder = tmp_path / "leads"
    folder.mkdir()
    header = "Empresa;NIF;CAE;Distrito;Dimensão\n"
    (folder / "a.csv").write_text(
        header + "Metal Norte Lda;503306665;25110;Porto;Pequena\n"
        "Padaria Sol Lda;500000000;10711;Braga;Micro\n",
        encoding="utf-8",
    )
    (folder / "b.csv").write_text(
        header + "METAL NORTE (outra folha);503306665;62010;Faro;Grande\n"
        "Vinhos do Sul Lda;501234560;11021;Beja;Média\n",
        encoding="utf-8",
    )
    settings, bus = load_settings(), EventBus(store)
    params = {"leads": [str(folder)], "calls": [str(SAMPLE_CALLS)], "as_of": AS_OF}
    _, outcome = run_now(store, settings, bus, RunOptions.from_params(params))
    assert outcome.status == "completed" and outcome.counts["leads"] == 3
    stored = {lead.nif: lead for lead in store.leads.list(0)}
    assert set(stored) == {"503306665", "500000000", "501234560"}
    assert stored["503306665"].company == "Metal Norte Lda"
    assert stored["503306665"].region == "norte" and stored["503306665"].source == "a.csv"

    (folder / "c.csv").write_text(header + "Nova Lda;502345675;10711;Lisboa;Micro\n")
    broken = tmp_path / "calls.json"
    broken.write_text("{not json", encoding="utf-8")
    _, failed = run_now(
        store, settings, bus, RunOptions.from_params({**params, "calls": [str(broken)]})
    )
    assert failed.status == "failed" and "calls.json" in failed.message
    assert store.leads.count(0) == 4  # read before the calls failed, and stored whole


def test_a_one_off_file_adds_to_an_agents_leads_a_full_run_replaces_them(
    store: Store, tmp_path: Path
) -> None:
    from elinara import accounts
    from elinara.agent import datasources, lifecycle

    settings, bus = load_settings(), EventBus(store)
    user = accounts.create_user(store, "ana@example.pt", "Str0ng!pass")
    agent = lifecycle.create_agent(store, settings, user.id, "Norte")
    settings.files_path.mkdir(parents=True, exist_ok=True)
    own = settings.files_path / "carteira.csv"
    own.write_text(
        "Empresa;NIF\nMetal Norte Lda;503306665\nPadaria Sol Lda;500000000\n", encoding="utf-8"
    )
    source = {"platform": "local_file", "resource_identifier": str(own), "process_id": agent.id}
    datasources.add_datasources(store, settings, user, [source], numbered=False, operator=True)
    once = tmp_path / "feira.csv"
    once.write_text("Empresa;NIF\nVinhos do Sul Lda;501234560\n", encoding="utf-8")

    def run(params: dict[str, object]) -> list[str]:
        params = {**params, "calls": [str(SAMPLE_CALLS)], "as_of": AS_OF}
        _, outcome = run_now(
            store, settings, bus, RunOptions.from_params(params), agent_id=agent.id, user_id=user.id
        )
        assert outcome.status == "completed", outcome.message
        return sorted(lead.company for lead in store.leads.list(agent.id))

    assert run({}) == ["Metal Norte Lda", "Padaria Sol Lda"]
    assert run({"leads": [str(once)]}) == [
        "Metal Norte Lda",
        "Padaria Sol Lda",
        "Vinhos do Sul Lda",
    ]
    own.write_text("Empresa;NIF\nMetal Norte Lda;503306665\n", encoding="utf-8")
    assert run({}) == ["Metal Norte Lda"]  # the agent's own sources decide again


def test_companies_that_leave_take_their_matches_and_dry_runs_leave_nothing(
    store: Store, tmp_path: Path
) -> None:
    settings, bus = load_settings(), EventBus(store)
    header = "Empresa;NIF;CAE;Distrito;Dimensão\n"
    both = tmp_path / "both.csv"
    both.write_text(
        header + "Metal Norte Lda;503306665;25110;Porto;Pequena\n"
        "Conservas Sul Lda;509442013;10201;Faro;Pequena\n",
        encoding="utf-8",
    )
    one = tmp_path / "one.csv"
    one.write_text(header + "Conservas Sul Lda;509442013;10201;Faro;Pequena\n", encoding="utf-8")

    def run(path: Path, **params: object) -> None:
        full = {"leads": [str(path)], "calls": [str(SAMPLE_CALLS)], "as_of": AS_OF, **params}
        _, outcome = run_now(store, settings, bus, RunOptions.from_params(full))
        assert outcome.status == "completed", outcome.message

    def matched() -> set[str]:
        return {m.lead_key for m in store.matches.list([0], limit=1000)}

    run(both)
    assert matched() == {"503306665", "509442013"}
    run(one, dry_run=True)  # a dry run keeps the agent's companies
    assert store.leads.count(0) == 2 and matched() == {"503306665", "509442013"}
    run(one)
    assert [lead.nif for lead in store.leads.list(0)] == ["509442013"]
    assert matched() == {"509442013"}  # Metal Norte's matches left with it
