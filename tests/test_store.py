"""The store's contract, run on both backends (SQLite and MongoDB) through the ``store`` fixture."""

from __future__ import annotations

import gc
import multiprocessing
import queue
import re
import socket
import threading
import time
import traceback
import warnings
from datetime import timedelta
from typing import Any

import pytest

from elinara.errors import StoreUnavailable
from elinara.models import Agent, AgentSettings, DataSource, Lead, Match, Notice, Run, User
from elinara.store import Duplicate, Store, open_store
from elinara.store.migrations import COLLECTIONS, MIGRATIONS, SCHEMA_VERSION
from elinara.store.repos import Leads
from elinara.store.urls import mask_url
from elinara.times import iso, parse_iso, utcnow


# -- helpers -------------------------------------------------------------------------------------
def make_user(store: Store, name: str = "ana", **fields: Any) -> User:
    return store.users.create(User(id=0, username=name, email=f"{name}@example.pt", **fields))


def make_agent(store: Store, user_id: int, name: str = "Agent") -> Agent:
    return store.agents.create(Agent(id=0, user_id=user_id, name=name))


def make_match(agent_id: int, nif: str, aviso: str, score: int, **fields: Any) -> Match:
    values: dict[str, Any] = {
        "id": "",
        "agent_id": agent_id,
        "aviso_id": aviso,
        "lead_key": nif,
        "company": f"Company {nif}",
        "title": f"Call {aviso}",
        "match_score": score,
        "eligible": True,
        "reasoning": "fits",
    }
    values.update(fields)
    return Match(**values)


def ids(docs: list[dict[str, Any]]) -> list[Any]:
    return [d["_id"] for d in docs]


# -- users ---------------------------------------------------------------------------------------
def test_users_get_sequential_ids_and_are_found_by_login(store: Store) -> None:
    ana = make_user(store, "ana", firstname="Ana")
    rui = make_user(store, "rui")
    assert (ana.id, rui.id) == (1, 2)
    assert ana.created_at and ana.created_at == ana.updated_at

    got = store.users.get(ana.id)
    assert got == ana
    assert store.users.get(99) is None
    assert [u.username for u in store.users.list()] == ["ana", "rui"]
    assert store.users.count() == 2
    assert store.users.by_username("rui") == rui
    assert store.users.by_username("nobody") is None
    assert store.users.by_login(" ana ") == ana
    assert store.users.by_login("rui@example.pt") == rui
    assert store.users.by_login("zé@example.pt") is None


def test_users_email_is_matched_case_insensitively(store: Store) -> None:
    created = store.users.create(User(id=0, username="Ana", email="Ana.Silva@Example.PT"))
    assert created.email == "ana.silva@example.pt"
    assert store.users.by_email("ana.silva@example.pt") == created
    assert store.users.by_login("ANA.SILVA@example.pt") == created
    with pytest.raises(Duplicate):
        store.users.create(User(id=0, username="other", email="ana.silva@EXAMPLE.pt"))


def test_users_update_changes_fields_and_unique_fields_refuse_duplicates(store: Store) -> None:
    ana = make_user(store, "ana")
    make_user(store, "rui")
    updated = store.users.update(ana.id, {"phone": "+351912345678", "is_administrator": True})
    assert updated is not None
    assert updated.phone == "+351912345678"
    assert updated.is_administrator is True
    assert updated.updated_at >= ana.updated_at

    with pytest.raises(Duplicate):
        store.users.create(User(id=0, username="ana", email="another@example.pt"))
    with pytest.raises(Duplicate):
        store.users.create(User(id=0, username="ana2", email="rui@example.pt"))
    with pytest.raises(Duplicate):
        store.users.update(ana.id, {"username": "rui"})
    assert store.users.count() == 2
    assert store.users.get(ana.id).username == "ana"  # type: ignore[union-attr]


# -- processes and their settings ----------------------------------------------------------------
def test_processes_are_listed_per_user(store: Store) -> None:
    ana, rui = make_user(store, "ana"), make_user(store, "rui")
    p1 = make_agent(store, ana.id, "First")
    p2 = make_agent(store, rui.id, "Other")
    p3 = make_agent(store, ana.id, "Second")
    assert (p1.id, p2.id, p3.id) == (1, 2, 3)

    assert [p.name for p in store.agents.list(ana.id)] == ["First", "Second"]
    assert [p.id for p in store.agents.list()] == [1, 2, 3]
    assert store.agents.count(ana.id) == 2
    assert store.agents.count(999) == 0
    assert store.agents.first_of(ana.id) == p1
    assert store.agents.first_of(999) is None

    changed = store.agents.update(p3.id, {"status": "running", "config_snapshot": {"a": [1]}})
    assert changed is not None and changed.status == "running"
    assert changed.config_snapshot == {"a": [1]}
    assert store.agents.get(p3.id) == changed
    assert store.agents.get(42) is None


def test_settings_save_keeps_created_at_and_list_active(store: Store) -> None:
    assert store.settings.get(1) is None
    first = store.settings.save(
        AgentSettings(id=1, user_id=7, agent_status="active", alert_emails=["a@b.pt"])
    )
    assert first.alert_emails == ["a@b.pt"]
    assert first.created_at

    first.min_score = 70
    first.max_cost_usd = 1.5
    second = store.settings.save(first)
    assert second.min_score == 70
    assert second.max_cost_usd == 1.5
    assert second.created_at == first.created_at

    store.settings.save(AgentSettings(id=2, user_id=7, agent_status="stopped"))
    store.settings.update(2, {"next_run": "2030-01-01T08:00:00.000000+00:00"})
    assert store.settings.get(2).next_run == "2030-01-01T08:00:00.000000+00:00"  # type: ignore[union-attr]
    assert [s.id for s in store.settings.list_active()] == [1]


# -- data sources and cloud files ----------------------------------------------------------------
def test_datasources_create_list_update_delete(store: Store) -> None:
    made = store.datasources.create_many(
        [
            DataSource(id="", user_id=1, agent_id=1, platform="local_file", resource_name="a"),
            DataSource(id="", user_id=1, agent_id=2, platform="google_drive", resource_name="b"),
            DataSource(id="", user_id=2, agent_id=3, platform="sharepoint", resource_name="c"),
        ]
    )
    assert all(re.fullmatch(r"[0-9a-f]{24}", s.id) for s in made)
    assert len({s.id for s in made}) == 3

    assert [s.resource_name for s in store.datasources.list()] == ["a", "b", "c"]
    assert [s.resource_name for s in store.datasources.list(user_id=1)] == ["a", "b"]
    assert [s.resource_name for s in store.datasources.list(agent_id=2)] == ["b"]
    assert store.datasources.list(user_id=1, agent_id=3) == []

    updated = store.datasources.update(made[0].id, {"config": [{"sheet": "Leads"}]})
    assert updated is not None and updated.config == [{"sheet": "Leads"}]
    assert store.datasources.get(made[0].id) == updated

    # Another user's source is not deleted through this user's request.
    assert store.datasources.delete_many([made[0].id, made[2].id], user_id=1) == 1
    assert [s.resource_name for s in store.datasources.list()] == ["b", "c"]
    assert store.datasources.delete_many([made[2].id]) == 1
    assert store.datasources.get(made[2].id) is None


def test_cloud_files_merge_without_duplicates(store: Store) -> None:
    first = [
        {"id": "f1", "name": "Leads.xlsx", "provider": "google"},
        {"id": "f2", "name": "More.csv", "provider": "google"},
    ]
    assert store.cloud_files.merge(1, first) == 2
    again = [
        {"id": "f2", "name": "More (renamed).csv", "provider": "google"},
        {"id": "f2", "name": "Other drive.csv", "provider": "microsoft"},
    ]
    assert store.cloud_files.merge(1, again) == 1
    assert store.cloud_files.merge(1, again) == 0
    assert store.cloud_files.merge(2, first[:1]) == 1

    listed = store.cloud_files.list(1)
    assert sorted((f["provider"], f["id"], f["name"]) for f in listed) == [
        ("google", "f1", "Leads.xlsx"),
        ("google", "f2", "More (renamed).csv"),
        ("microsoft", "f2", "Other drive.csv"),
    ]
    assert listed[-1]["provider"] == "microsoft"  # merged later, listed last
    assert store.cloud_files.list(2) == [{"id": "f1", "name": "Leads.xlsx", "provider": "google"}]
    assert store.cloud_files.list(3) == []


# -- runs ----------------------------------------------------------------------------------------
def test_runs_create_get_and_list_newest_first_with_filters(store: Store) -> None:
    a = store.runs.create(Run(id="", agent_id=1, user_id=1))
    b = store.runs.create(Run(id="", agent_id=2, user_id=1, kind="task", params={"file": "x"}))
    c = store.runs.create(Run(id="fixed-id", agent_id=1, user_id=1, status="completed"))
    assert re.fullmatch(r"[0-9a-f-]{36}", a.id)
    assert c.id == "fixed-id"
    assert store.runs.get(b.id) == b
    assert store.runs.get("missing") is None

    assert [r.id for r in store.runs.list()] == [c.id, b.id, a.id]
    assert [r.id for r in store.runs.list(agent_ids=[1])] == [c.id, a.id]
    assert [r.id for r in store.runs.list(agent_ids=[])] == []
    assert [r.id for r in store.runs.list(kind="task")] == [b.id]
    assert [r.id for r in store.runs.list(agent_ids=[1], status="queued")] == [a.id]
    assert [r.id for r in store.runs.list(limit=2)] == [c.id, b.id]
    assert [r.id for r in store.runs.active_for_agent(1)] == [a.id]
    assert store.runs.count_by_status() == {
        "queued": 2,
        "running": 0,
        "paused": 0,
        "completed": 1,
        "failed": 0,
        "cancelled": 0,
    }


def test_runs_claim_next_takes_the_oldest_queued_once(store: Store) -> None:
    assert store.runs.claim_next("w1", 60) is None
    first = store.runs.create(Run(id="", agent_id=1))
    second = store.runs.create(Run(id="", agent_id=1))
    store.runs.create(Run(id="", agent_id=1, status="completed"))

    before = utcnow()
    claimed = store.runs.claim_next("w1", 60)
    assert claimed is not None and claimed.id == first.id
    assert claimed.status == "running"
    assert claimed.worker_id == "w1"
    assert claimed.attempts == 1
    lease = parse_iso(claimed.lease_until)
    assert lease is not None and before + timedelta(seconds=59) <= lease
    assert store.runs.get(first.id) == claimed

    nxt = store.runs.claim_next("w2", 60)
    assert nxt is not None and (nxt.id, nxt.worker_id) == (second.id, "w2")
    assert store.runs.claim_next("w3", 60) is None


def test_runs_renew_and_finish_only_for_the_holder(store: Store) -> None:
    run = store.runs.create(Run(id="", agent_id=1))
    claimed = store.runs.claim_next("w1", 5)
    assert claimed is not None

    assert store.runs.renew(run.id, "intruder", 600) is None
    renewed = store.runs.renew(run.id, "w1", 600)
    assert renewed is not None
    assert renewed.lease_until > claimed.lease_until  # type: ignore[operator]

    assert store.runs.finish(run.id, "intruder", {"status": "failed"}) is False
    assert store.runs.get(run.id).status == "running"  # type: ignore[union-attr]
    assert store.runs.finish(run.id, "w1", {"status": "completed", "counts": {"matches": 3}})
    done = store.runs.get(run.id)
    assert done is not None
    assert (done.status, done.counts, done.lease_until) == ("completed", {"matches": 3}, None)
    assert done.finished_at
    # Once finished, the worker no longer holds it.
    assert store.runs.renew(run.id, "w1", 600) is None
    # finish without a worker (an edge cancelling a queued run) always applies.
    other = store.runs.create(Run(id="", agent_id=1))
    assert store.runs.finish(other.id, None, {"status": "cancelled"})
    assert store.runs.get(other.id).status == "cancelled"  # type: ignore[union-attr]


def test_runs_with_lapsed_leases_are_reclaimed(store: Store) -> None:
    lapsed = store.runs.create(Run(id="", agent_id=1))
    paused = store.runs.create(Run(id="", agent_id=1))
    healthy = store.runs.create(Run(id="", agent_id=1))
    store.runs.claim_next("dead", 30)
    store.runs.claim_next("dead", 30)
    store.runs.update(paused.id, {"status": "paused"})
    store.runs.claim_next("alive", 3600)

    assert store.runs.reclaim_expired() == 0
    later = utcnow() + timedelta(seconds=120)
    assert store.runs.reclaim_expired(later) == 2
    back = store.runs.get(lapsed.id)
    assert back is not None
    assert (back.status, back.worker_id, back.lease_until) == ("queued", None, None)
    assert store.runs.get(paused.id).status == "queued"  # type: ignore[union-attr]
    assert store.runs.get(healthy.id).worker_id == "alive"  # type: ignore[union-attr]
    assert store.runs.reclaim_expired(later) == 0

    # The dead worker lost it; a new claim takes it again and counts the attempt.
    assert store.runs.renew(lapsed.id, "dead", 30) is None
    again = store.runs.claim_next("w2", 30)
    assert again is not None and (again.id, again.attempts) == (lapsed.id, 2)


def test_runs_claim_next_reclaims_lapsed_leases_first(store: Store) -> None:
    run = store.runs.create(Run(id="", agent_id=1))
    assert store.runs.claim_next("dead", -1) is not None  # a lease already in the past
    again = store.runs.claim_next("w2", 60)
    assert again is not None and (again.id, again.worker_id) == (run.id, "w2")


def test_runs_request_flags(store: Store) -> None:
    run = store.runs.create(Run(id="", agent_id=1))
    store.runs.request(run.id, cancel_requested=True)
    got = store.runs.get(run.id)
    assert got is not None and (got.cancel_requested, got.pause_requested) == (True, False)
    store.runs.request(run.id, cancel_requested=False, pause_requested=True)
    got = store.runs.get(run.id)
    assert got is not None and (got.cancel_requested, got.pause_requested) == (False, True)


# -- matches and leads ---------------------------------------------------------------------------
def test_matches_upsert_is_idempotent_and_counts_new(store: Store) -> None:
    batch = [
        make_match(1, "500000001", "AV1", 40),
        make_match(1, "500000002", "AV1", 90),
        make_match(1, "500000001", "AV2", 70),
    ]
    assert store.matches.upsert_many(batch) == 3
    first_ids = {(m.lead_key, m.aviso_id): m.id for m in store.matches.list()}
    assert store.matches.upsert_many(batch) == 0
    assert store.matches.count() == 3

    rescored = [
        make_match(1, "500000001", "AV1", 95, reasoning="better"),
        make_match(2, "500000001", "AV1", 10),
    ]
    assert store.matches.upsert_many(rescored) == 1
    assert store.matches.count() == 4
    assert store.matches.count([1]) == 3
    listed = store.matches.list(agent_ids=[1])
    assert [(m.lead_key, m.aviso_id, m.match_score) for m in listed] == [
        ("500000001", "AV1", 95),
        ("500000002", "AV1", 90),
        ("500000001", "AV2", 70),
    ]
    assert listed[0].reasoning == "better"
    # A refreshed match keeps its identity.
    assert {(m.lead_key, m.aviso_id): m.id for m in listed} == first_ids
    assert all(re.fullmatch(r"[0-9a-f]{24}", m.id) for m in listed)
    assert store.matches.upsert_many([]) == 0


def test_matches_list_filters_and_pages_best_first(store: Store) -> None:
    scores = [55, 10, 80, 30, 100, 65]
    store.matches.upsert_many(
        [
            make_match(1, f"50000000{i}", "AV", s, run_id="r1" if i % 2 else "r2")
            for i, s in enumerate(scores)
        ]
    )
    store.matches.upsert_many([make_match(2, "599999999", "AV", 99)])

    def scores_of(**kw: Any) -> list[int]:
        return [m.match_score for m in store.matches.list(agent_ids=[1], **kw)]

    assert scores_of() == [100, 80, 65, 55, 30, 10]
    assert scores_of(min_score=55) == [100, 80, 65, 55]
    assert scores_of(limit=2) == [100, 80]
    assert scores_of(limit=2, offset=2) == [65, 55]
    assert scores_of(min_score=50, limit=10, offset=3) == [55]
    assert scores_of(offset=10) == []
    assert scores_of(run_id="r1") == [65, 30, 10]
    assert [m.match_score for m in store.matches.list()][:2] == [100, 99]
    assert store.matches.list(agent_ids=[3]) == []


def test_leads_save_many_inserts_then_refreshes(store: Store) -> None:
    leads = [
        Lead(company="Padaria Sol", nif="500000001", cae="10711", region="norte", problems=["x"]),
        Lead(company="Sem NIF, Lda"),
    ]
    assert store.leads.save_many(1, leads, run_id="r1") == 2
    assert store.leads.save_many(2, leads[:1]) == 1
    leads[0].employees = 12
    assert store.leads.save_many(1, leads, run_id="r2") == 0

    listed = store.leads.list(1)
    assert store.leads.count(1) == 2
    by_company = {lead.company: lead for lead in listed}
    assert by_company["Padaria Sol"] == leads[0]
    assert by_company["Sem NIF, Lda"] == leads[1]
    assert store.leads.count(2) == 1
    assert store.leads.list(3) == []


def test_leads_saving_stores_batches_in_order_in_the_background(store: Store) -> None:
    alfa = Lead(company="Alfa", nif="500000000", nif_valid=True, problems=["a note"])
    beta = Lead(company="Beta", nif="501234560", nif_valid=True)
    with store.leads.saving(1, run_id="r1") as saver:
        saver.add([alfa])
        saver.add([])
        changed = Lead(company="Alfa Açúcar, S.A.", nif="500000000", nif_valid=True, region="norte")
        saver.add([beta, changed])  # the same company again: the later version stays
    assert saver.new == 2
    assert {lead.company: lead for lead in store.leads.list(1)} == {
        "Alfa Açúcar, S.A.": changed,
        "Beta": beta,
    }
    doc = store.db.get("leads", "1:500000000")
    assert doc is not None and doc["run_id"] == "r1" and doc["nif_valid"] is True
    first_seen = doc["created_at"]

    with store.leads.saving(1, run_id="r2") as again:
        again.add([beta])
    assert again.new == 0
    doc = store.db.get("leads", "1:501234560")
    assert doc is not None and doc["run_id"] == "r2"
    assert store.db.get("leads", "1:500000000")["created_at"] == first_seen


def test_leads_are_scoped_by_agent_and_deleted_by_source(store: Store) -> None:
    for agent_id in (1, 10, 11, 2):
        store.leads.save_many(
            agent_id,
            [
                Lead(company=f"A{agent_id}", source="a.xlsx"),
                Lead(company=f"B{agent_id}", source="b.csv"),
            ],
        )
    assert [store.leads.count(a) for a in (1, 10, 11, 2, 3)] == [2, 2, 2, 2, 0]
    assert [lead.company for lead in store.leads.list(1)] == ["A1", "B1"]
    assert store.leads.delete(1, "b.csv") == 1
    assert [lead.company for lead in store.leads.list(1)] == ["A1"]
    assert store.leads.count(10) == 2
    make_user(store)
    agent = make_agent(store, 1)
    store.leads.save_many(agent.id, [Lead(company="Kept until the agent goes")])
    store.delete_agent(agent.id)
    assert store.leads.count(agent.id) == 0 and store.leads.count(10) == 2


def test_keep_only_drops_by_key_whatever_run_wrote_last(store: Store) -> None:
    store.leads.save_many(1, [Lead(company="A"), Lead(company="B"), Lead(company="C")], "r1")
    store.leads.save_many(1, [Lead(company="B")], "r2")  # another run rewrote B meanwhile
    store.leads.save_many(10, [Lead(company="Z")], "r1")
    assert store.leads.keep_only(1, {"name:a", "name:b"}) == ["name:c"]
    assert [lead.company for lead in store.leads.list(1)] == ["A", "B"]
    assert store.leads.keep_only(1, {"name:a", "name:b"}) == []
    assert store.leads.count(10) == 1


def test_leads_given_before_a_failure_are_stored_whole(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Leads, "CHUNK", 2)  # several batches
    leads = [Lead(company=f"Empresa {i}") for i in range(7)]
    with pytest.raises(RuntimeError), store.leads.saving(1) as saver:
        saver.add(leads)
        raise RuntimeError("the calls could not be read")
    assert store.leads.count(1) == 7


def test_put_many_replaces_documents_and_keeps_what_was_first_written(store: Store) -> None:
    def put(records: list[tuple[str, Lead]], extra: dict[str, Any], on_insert: dict[str, Any]):
        store.db.prepare_put_many("things", records, extra, on_insert)()

    put([("a", Lead(company="A", employees=3))], {"tag": [1, {"x": True}]}, {"first": "t1"})
    put([("a", Lead(company="A2"))], {"tag": None}, {"first": "t2"})
    doc = store.db.get("things", "a")
    assert doc is not None
    assert (doc["company"], doc["employees"], doc["tag"], doc["first"]) == ("A2", None, None, "t1")
    with pytest.raises(TypeError):
        put([(1, Lead(company="A"))], {}, {})  # type: ignore[list-item]
    with pytest.raises(ValueError):
        put([("a", Lead(company="A"))], {"company": "clash"}, {})
    with pytest.raises(ValueError):
        put([("a", Lead(company="A"))], {"first": 1}, {"first": 2})
    with pytest.raises(TypeError):
        put([("a", Lead(company="A"))], {}, {"flag": True})
    put([], {}, {})
    assert store.db.count("things") == 1


def test_a_failed_lead_write_is_reported_when_saving_ends(tmp_path: Any) -> None:
    store = open_store(f"sqlite:///{tmp_path}/leads.db")
    store.db.delete_many("leads", {})
    store.db._run("DROP TABLE leads")  # what a broken database looks like to a writer
    store.db._run("CREATE VIEW leads AS SELECT 1 AS _id, '{}' AS doc")
    with pytest.raises(StoreUnavailable, match="leads"), store.leads.saving(1) as saver:
        saver.add([Lead(company="Alfa")])
    store.close()


# -- events, tokens, key-value, locks ------------------------------------------------------------
def test_events_append_and_read_in_order(store: Store) -> None:
    assert store.events.last_seq() == 0
    s1 = store.events.append("pipeline", {"stage": 1}, run_id="r1", agent_id=1)
    s2 = store.events.append("thought", {"text": "olá"}, run_id="r2")
    s3 = store.events.append("pipeline", {"stage": 2}, run_id="r1")
    assert s1 < s2 < s3
    assert store.events.last_seq() == s3

    since = store.events.since(0)
    assert [e["seq"] for e in since] == [s1, s2, s3]
    assert since[1]["payload"] == {"text": "olá"}
    assert since[0]["agent_id"] == 1 and since[1]["agent_id"] is None
    assert [e["seq"] for e in store.events.since(s1)] == [s2, s3]
    assert [e["seq"] for e in store.events.since(0, limit=1)] == [s1]
    assert store.events.since(s3) == []
    assert [e["payload"]["stage"] for e in store.events.for_run("r1")] == [1, 2]
    assert [e["seq"] for e in store.events.for_run("r1", event="thought")] == []
    assert [e["seq"] for e in store.events.for_run("r2", event="thought")] == [s2]


def test_events_purge_removes_only_older_ones(store: Store) -> None:
    store.events.append("old", {})
    time.sleep(0.002)
    cutoff = utcnow()
    time.sleep(0.002)
    newer = store.events.append("new", {})
    assert store.events.purge(cutoff) == 1
    assert [e["seq"] for e in store.events.since(0)] == [newer]
    assert store.events.purge(cutoff) == 0
    # Sequence numbers keep growing after a purge.
    assert store.events.append("later", {}) > newer


def test_revoked_tokens(store: Store) -> None:
    now = utcnow()
    store.revoked_tokens.revoke("expired", now - timedelta(minutes=1))
    store.revoked_tokens.revoke("live", now + timedelta(hours=1))
    store.revoked_tokens.revoke("live", now + timedelta(hours=1))  # twice is fine
    assert store.revoked_tokens.is_revoked("live")
    assert store.revoked_tokens.is_revoked("expired")
    assert not store.revoked_tokens.is_revoked("other")
    assert store.revoked_tokens.purge(now) == 1
    assert not store.revoked_tokens.is_revoked("expired")
    assert store.revoked_tokens.is_revoked("live")


def test_provider_tokens(store: Store) -> None:
    store.provider_tokens.save(1, "google", {"subject": "g-1", "access_token": "enc1"})
    store.provider_tokens.save(1, "microsoft", {"subject": "m-1", "access_token": "enc2"})
    store.provider_tokens.save(2, "google", {"subject": "g-2"})
    first = store.provider_tokens.get(1, "google")
    assert first is not None and first["access_token"] == "enc1"

    store.provider_tokens.save(1, "google", {"access_token": "enc3"})
    again = store.provider_tokens.get(1, "google")
    assert again is not None
    assert (again["access_token"], again["subject"]) == ("enc3", "g-1")
    assert again["created_at"] == first["created_at"]
    assert sorted(t["provider"] for t in store.provider_tokens.for_user(1)) == [
        "google",
        "microsoft",
    ]
    found = store.provider_tokens.by_subject("google", "g-2")
    assert found is not None and found["user_id"] == 2
    assert store.provider_tokens.by_subject("microsoft", "g-2") is None

    assert store.provider_tokens.delete(1, "google") == 1
    assert store.provider_tokens.get(1, "google") is None
    assert store.provider_tokens.delete(1, "google") == 0


def test_key_value(store: Store) -> None:
    kv = store.verdicts
    assert kv.get("k1") is None
    kv.put("k1", {"score": 80, "why": ["a", "b"], "agent_id": 1})
    kv.put("k2", {"score": 10, "agent_id": 2})
    got = kv.get("k1")
    assert got is not None and (got["score"], got["why"]) == (80, ["a", "b"])
    kv.put("k1", {"score": 90})
    got = kv.get("k1")
    assert got is not None and (got["score"], got["why"]) == (90, ["a", "b"])
    assert kv.delete({"agent_id": 2}) == 1
    assert kv.get("k2") is None
    # Each key-value collection is its own namespace.
    assert store.file_versions.get("k1") is None


def test_locks_acquire_release_and_expiry(store: Store) -> None:
    assert store.locks.acquire("daily", "a", 60)
    assert not store.locks.acquire("daily", "b", 60)
    assert store.locks.acquire("other", "b", 60)
    store.locks.release("daily", "b")  # not b's to release
    assert not store.locks.acquire("daily", "b", 60)
    store.locks.release("daily", "a")
    assert store.locks.acquire("daily", "b", 60)

    assert store.locks.acquire("short", "a", -1)  # already lapsed
    assert store.locks.acquire("short", "b", 60)
    assert not store.locks.acquire("short", "a", 60)


# -- cascades ------------------------------------------------------------------------------------
def _populate_agent(store: Store, user_id: int, agent_id: int) -> None:
    store.settings.save(AgentSettings(id=agent_id, user_id=user_id))
    store.datasources.create_many(
        [DataSource(id="", user_id=user_id, agent_id=agent_id, platform="local_file")]
    )
    store.runs.create(Run(id="", agent_id=agent_id, user_id=user_id))
    store.matches.upsert_many([make_match(agent_id, "500000001", "AV", 50, user_id=user_id)])
    store.leads.save_many(agent_id, [Lead(company="X", nif="500000001")])
    store.file_versions.put(f"fv-{agent_id}", {"agent_id": agent_id, "version": "1"})


def _footprint(store: Store, user_id: int, agent_id: int) -> dict[str, int]:
    db = store.db
    return {
        "process": int(store.agents.get(agent_id) is not None),
        "settings": int(store.settings.get(agent_id) is not None),
        "datasources": len(store.datasources.list(agent_id=agent_id)),
        "runs": db.count("runs", {"agent_id": agent_id}),
        "matches": store.matches.count([agent_id]),
        "leads": store.leads.count(agent_id),
        "file_versions": db.count("file_versions", {"agent_id": agent_id}),
        "user": int(store.users.get(user_id) is not None),
    }


def test_delete_process_removes_what_the_agent_owns_only(store: Store) -> None:
    ana = make_user(store, "ana")
    keep, gone = make_agent(store, ana.id), make_agent(store, ana.id)
    _populate_agent(store, ana.id, keep.id)
    _populate_agent(store, ana.id, gone.id)
    full = _footprint(store, ana.id, keep.id)
    assert set(full.values()) == {1}

    store.delete_agent(gone.id)
    assert _footprint(store, ana.id, gone.id) == {**dict.fromkeys(full, 0), "user": 1}
    assert _footprint(store, ana.id, keep.id) == full


def test_delete_user_removes_their_agents_and_data(store: Store) -> None:
    ana, rui = make_user(store, "ana"), make_user(store, "rui")
    pa, pr = make_agent(store, ana.id), make_agent(store, rui.id)
    _populate_agent(store, ana.id, pa.id)
    _populate_agent(store, rui.id, pr.id)
    store.cloud_files.merge(ana.id, [{"id": "f", "name": "n", "provider": "google"}])
    store.cloud_files.merge(rui.id, [{"id": "f", "name": "n", "provider": "google"}])
    store.provider_tokens.save(ana.id, "google", {"subject": "s"})
    store.provider_tokens.save(rui.id, "google", {"subject": "t"})
    # A run and a match of the user not tied to one of their agents (the local agent).
    store.runs.create(Run(id="", agent_id=0, user_id=ana.id))
    store.matches.upsert_many([make_match(0, "500000009", "AV", 50, user_id=ana.id)])
    rui_before = _footprint(store, rui.id, pr.id)

    store.delete_user(ana.id)
    assert _footprint(store, ana.id, pa.id) == dict.fromkeys(rui_before, 0)
    assert store.cloud_files.list(ana.id) == []
    assert store.provider_tokens.for_user(ana.id) == []
    assert store.db.count("runs", {"user_id": ana.id}) == 0
    assert store.db.count("matches", {"user_id": ana.id}) == 0

    assert _footprint(store, rui.id, pr.id) == rui_before
    assert len(store.cloud_files.list(rui.id)) == 1
    assert len(store.provider_tokens.for_user(rui.id)) == 1
    assert store.users.list() == [rui]


# -- notices of calls ----------------------------------------------------------------------------
def test_notices_are_kept_whole_per_aviso_and_found_by_content_hash(store: Store) -> None:
    criteria = {
        "source": "notice",
        "regions": ["norte"],
        "clauses": {"geography": {"section": "3. Área geográfica", "quote": "NUTS II Norte"}},
        "unread": [],
    }
    read = Notice(
        id="NORTE2030-2026-1",
        source_updated_at="2026-02-01T10:00:00+00:00",
        origin="download",
        document={"name": "Aviso", "type": "Aviso", "path": "2026/a.pdf", "container": "avisos"},
        content_hash="ab" * 32,
        size=34_000,
        text="AVISO\nSão elegíveis as operações localizadas na região NUTS II Norte.",
        criteria=criteria,
        parser_version="1",
        fetched_at="2026-02-02T08:00:00+00:00",
    )
    store.notices.save(read)
    failed = Notice(id="X-2", origin="download", content_hash="cd" * 32, reason="encrypted")
    store.notices.save(failed)

    got = store.notices.get("NORTE2030-2026-1")
    assert got == read and got.updated_at
    assert store.notices.get("nothing") is None
    assert set(store.notices.get_many(["X-2", "NORTE2030-2026-1", "nope", "X-2"])) == {
        "X-2",
        "NORTE2030-2026-1",
    }
    # By content: only a notice that was read, and by the parser version asked for.
    assert store.notices.by_hash("ab" * 32) == read
    assert store.notices.by_hash("ab" * 32, "1") == read
    assert store.notices.by_hash("ab" * 32, "2") is None
    assert store.notices.by_hash("cd" * 32) is None  # it failed: nothing to reuse

    # Saving again replaces every field: a failure after a success clears the old criteria.
    store.notices.save(Notice(id="NORTE2030-2026-1", reason="a corrupt PDF", content_hash=None))
    again = store.notices.get("NORTE2030-2026-1")
    assert again is not None and again.criteria is None and again.text == ""
    assert again.reason == "a corrupt PDF"
    assert store.notices.by_hash("ab" * 32) is None
    assert store.db.count("notices") == 2
    assert store.notices.delete("X-2") == 1


# -- info and migrations -------------------------------------------------------------------------
def test_info_lists_the_same_collections_on_every_backend(store: Store, store_url: str) -> None:
    make_user(store, "ana")
    store.events.append("x", {})
    info = store.info()
    assert info["backend"] == store.kind == store_url.split(":")[0]
    assert info["url"] == store_url
    assert info["schema_version"] == info["latest_schema_version"] == SCHEMA_VERSION
    assert list(info["collections"]) == list(COLLECTIONS)
    assert info["collections"]["users"] == 1
    assert info["collections"]["events"] == 1
    assert info["collections"]["matches"] == 0
    # What the database itself holds: every collection, no internal ones, on both backends.
    assert store.db.collection_names() == sorted(COLLECTIONS)


def test_migrations_are_recorded_and_idempotent(store_url: str) -> None:
    bare = open_store(store_url, migrate_now=False)
    try:
        assert bare.info()["schema_version"] == 0
        assert bare.migrate() == [name for _, name, _ in MIGRATIONS]
        assert bare.migrate() == []
        recorded = bare.db.find("_migrations", sort=[("_id", 1)])
        assert [(d["_id"], d["name"]) for d in recorded] == [(v, n) for v, n, _ in MIGRATIONS]
        assert all(parse_iso(d["applied_at"]) for d in recorded)
    finally:
        bare.close()
    again = open_store(store_url)  # migrates on open: nothing left to do
    try:
        assert again.migrate() == []
        assert again.db.count("_migrations") == len(MIGRATIONS)
        # The indexes are in place: the matches key is unique.
        again.db.insert("matches", {"_id": "m1", "agent_id": 1, "nif": "1", "aviso_id": "A"})
        with pytest.raises(Duplicate):
            again.db.insert("matches", {"_id": "m2", "agent_id": 1, "nif": "1", "aviso_id": "A"})
    finally:
        again.close()


def test_a_database_from_before_the_agents_rename_keeps_working(store_url: str) -> None:
    """Migration 4 moves "processes" to "agents" and ``process_id`` to ``agent_id``."""
    old = open_store(store_url, migrate_now=False)
    try:
        for version, name, step in MIGRATIONS[:3]:  # the schema as released before the rename
            step(old.db)
            old.db.insert("_migrations", {"_id": version, "name": name, "applied_at": "x"})
        user = make_user(old, "ana")
        for _ in range(2):  # ids 1 and 2 from the sequence, as the old code took them
            agent_id = old.db.next_id("processes")
            old.db.insert(
                "processes",
                {"_id": agent_id, "user_id": user.id, "name": f"A{agent_id}", "status": "idle"},
            )
        old.db.insert(
            "datasources",
            {"_id": "s1", "user_id": user.id, "process_id": 2, "platform": "local_file"},
        )
        assert old.migrate() == [name for _, name, _ in MIGRATIONS[3:]]
        assert [(a.id, a.name) for a in old.agents.list(user.id)] == [(1, "A1"), (2, "A2")]
        [source] = old.datasources.list(agent_id=2)
        assert source.id == "s1" and source.agent_id == 2
        assert "process_id" not in old.db.get("datasources", "s1")
        assert "processes" not in old.db.collection_names()
        assert old.agents.create(Agent(id=0, user_id=user.id, name="new")).id == 3
        old.delete_agent(2)
        assert old.datasources.list(user_id=user.id) == []
    finally:
        old.close()


# -- the Backend interface: what both databases must agree on ------------------------------------
DOCS = [
    {"_id": 1, "n": 1, "s": "a", "tag": "x", "flag": True, "f": 1.5},
    {"_id": 2, "n": 2, "s": "b", "tag": None, "flag": False, "f": 0.5},
    {"_id": 3, "n": 3, "s": "c"},
    {"_id": 4, "n": 4, "s": "d", "tag": "y", "nested": {"k": [1, "ç"]}},
]


@pytest.fixture
def things(store: Store) -> Any:
    store.db.insert_many("things", [dict(d) for d in DOCS])
    return store.db


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ({}, [1, 2, 3, 4]),
        ({"tag": "x"}, [1]),
        ({"tag": "x", "n": 2}, []),
        ({"s": "b", "n": 2}, [2]),
        ({"tag": None}, [2, 3]),
        ({"tag": {"$in": ["x", "y"]}}, [1, 4]),
        ({"tag": {"$in": ["x", None]}}, [1, 2, 3]),
        ({"tag": {"$in": [None]}}, [2, 3]),
        ({"tag": {"$in": []}}, []),
        ({"_id": {"$in": [2, 4, 99]}}, [2, 4]),
        ({"tag": {"$nin": ["x"]}}, [2, 3, 4]),
        ({"tag": {"$nin": ["x", None]}}, [4]),
        ({"tag": {"$nin": [None]}}, [1, 4]),
        ({"tag": {"$nin": []}}, [1, 2, 3, 4]),
        ({"tag": {"$ne": "x"}}, [2, 3, 4]),
        ({"tag": {"$ne": None}}, [1, 4]),
        ({"n": {"$lt": 3}}, [1, 2]),
        ({"n": {"$lte": 3}}, [1, 2, 3]),
        ({"n": {"$gt": 3}}, [4]),
        ({"n": {"$gte": 3}}, [3, 4]),
        ({"n": {"$gt": 1, "$lt": 4}}, [2, 3]),
        ({"f": {"$lt": 1}}, [2]),
        ({"f": {"$gte": 0}}, [1, 2]),
        ({"s": {"$gte": "b", "$ne": "c"}}, [2, 4]),
        ({"tag": {"$exists": True}}, [1, 2, 4]),
        ({"tag": {"$exists": False}}, [3]),
        ({"flag": True}, [1]),
        ({"flag": False}, [2]),
        ({"_id": 3}, [3]),
        ({"_id": {"$gte": 3}}, [3, 4]),
    ],
)
def test_backend_filters(things: Any, flt: dict[str, Any], expected: list[int]) -> None:
    assert ids(things.find("things", flt, sort=[("_id", 1)])) == expected
    assert things.count("things", flt) == len(expected)


@pytest.mark.parametrize(
    ("sort", "limit", "skip", "expected"),
    [
        ([("n", 1)], 0, 0, [1, 2, 3, 4]),
        ([("n", -1)], 0, 0, [4, 3, 2, 1]),
        ([("s", -1)], 2, 0, [4, 3]),
        ([("n", 1)], 2, 1, [2, 3]),
        ([("n", 1)], 0, 3, [4]),
        ([("n", 1)], 10, 10, []),
        # None and missing sort first ascending, last descending; ties broken by the next key.
        ([("tag", 1), ("_id", 1)], 0, 0, [2, 3, 1, 4]),
        ([("tag", -1), ("_id", 1)], 0, 0, [4, 1, 2, 3]),
        ([("tag", -1), ("_id", -1)], 0, 0, [4, 1, 3, 2]),
    ],
)
def test_backend_sort_limit_skip(
    things: Any, sort: list[tuple[str, int]], limit: int, skip: int, expected: list[int]
) -> None:
    assert ids(things.find("things", sort=sort, limit=limit, skip=skip)) == expected


def test_backend_documents_round_trip(things: Any) -> None:
    for doc in DOCS:
        assert things.get("things", doc["_id"]) == doc
    assert things.get("things", "1") is None  # ids are typed
    assert things.get("nothing_here", 1) is None
    assert things.find("nothing_here") == []
    assert things.count("nothing_here") == 0


def test_backend_update_many_set_inc_unset(things: Any) -> None:
    assert things.update_many("things", {"n": {"$gte": 3}}, {"s": "z", "extra": {"a": [1]}}) == 2
    assert things.update_many("things", {"n": 99}, {"s": "never"}) == 0
    assert things.update_many("things", {"_id": 1}, inc={"n": 10, "new_counter": 2}) == 1
    assert things.update_many("things", {"_id": 1}, unset=["tag", "flag"]) == 1
    one = things.get("things", 1)
    assert one == {"_id": 1, "n": 11, "s": "a", "f": 1.5, "new_counter": 2}
    assert things.get("things", 4)["extra"] == {"a": [1]}
    assert ids(things.find("things", {"s": "z"}, sort=[("_id", 1)])) == [3, 4]
    assert things.update_many("things", {"tag": None}, {"tag": "filled"}) == 3


def test_backend_find_one_and_update(things: Any) -> None:
    got = things.find_one_and_update(
        "things", {"n": {"$gt": 1}}, {"s": "first"}, inc={"hits": 1}, sort=[("n", -1)]
    )
    assert got == {**DOCS[3], "s": "first", "hits": 1}
    got = things.find_one_and_update("things", {"_id": 4}, inc={"hits": 2})
    assert got is not None and got["hits"] == 3
    assert things.find_one_and_update("things", {"n": 42}, {"s": "no"}) is None
    assert ids(things.find("things", {"s": "no"})) == []


def test_backend_upsert_many(things: Any) -> None:
    inserted = things.upsert_many(
        "things",
        [
            ({"_id": 1}, {"s": "updated"}, {"created": "never"}),
            ({"_id": 5}, {"s": "new"}, {"created": "now", "s": "ignored"}),
            ({"s": "d"}, {"n": 40}, {"_id": 99}),
            ({"k1": "a", "k2": 2}, {"v": 1}, {"_id": 6}),
        ],
    )
    assert inserted == [False, True, False, True]
    assert things.get("things", 1)["s"] == "updated"
    assert "created" not in things.get("things", 1)
    assert things.get("things", 5) == {"_id": 5, "s": "new", "created": "now"}
    assert things.get("things", 4)["n"] == 40
    assert things.get("things", 99) is None
    # The filter's fields become part of an inserted document.
    assert things.get("things", 6) == {"_id": 6, "k1": "a", "k2": 2, "v": 1}
    assert things.upsert_many("things", [({"k1": "a", "k2": 2}, {"v": 2}, {"_id": 7})]) == [False]
    assert things.get("things", 6)["v"] == 2
    assert things.upsert_many("things", []) == []


def test_backend_delete_many(things: Any) -> None:
    assert things.delete_many("things", {"tag": None}) == 2
    assert things.delete_many("things", {"tag": None}) == 0
    assert things.delete_many("things", {}) == 2
    assert things.count("things") == 0


def test_backend_unique_indexes_refuse_duplicates(store: Store) -> None:
    db = store.db
    db.ensure_index("uniq", [("a", 1), ("b", 1)], unique=True)
    db.ensure_index("uniq", [("a", 1), ("b", 1)], unique=True)  # idempotent
    db.insert("uniq", {"_id": "1", "a": 1, "b": "x"})
    db.insert("uniq", {"_id": "2", "a": 1, "b": "y"})
    with pytest.raises(Duplicate):
        db.insert("uniq", {"_id": "3", "a": 1, "b": "x"})
    with pytest.raises(Duplicate):
        db.insert("uniq", {"_id": "1", "a": 9, "b": "z"})  # the same _id
    with pytest.raises(Duplicate):
        db.insert_many("uniq", [{"_id": "4", "a": 2, "b": "x"}, {"_id": "5", "a": 2, "b": "x"}])
    with pytest.raises(Duplicate):
        db.update_many("uniq", {"_id": "2"}, {"b": "x"})
    assert db.get("uniq", "2")["b"] == "y"
    assert db.count("uniq", {"a": 1}) == 2


def test_backend_next_id_sequences(store: Store) -> None:
    db = store.db
    assert [db.next_id("alpha") for _ in range(3)] == [1, 2, 3]
    assert db.next_id("beta") == 1
    assert db.next_id("alpha") == 4


@pytest.mark.parametrize(
    "flt",
    [{"a.b": 1}, {"$where": "1"}, {"x": {"$regex": "a"}}, {"x; DROP": 1}],
)
def test_backend_refuses_unsupported_filters(store: Store, flt: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        store.db.find("things", flt)


def test_backend_timestamps_sort_as_text(store: Store) -> None:
    now = utcnow()
    moments = [now - timedelta(days=400), now, now + timedelta(microseconds=1)]
    store.db.insert_many("stamps", [{"_id": i, "at": iso(m)} for i, m in enumerate(moments)])
    assert ids(store.db.find("stamps", sort=[("at", -1)])) == [2, 1, 0]
    assert ids(store.db.find("stamps", {"at": {"$lt": iso(now)}})) == [0]


# -- concurrency ---------------------------------------------------------------------------------
N_RUNS = 200


def _queue_runs(store: Store, n: int) -> set[str]:
    base = utcnow()
    docs = []
    for i in range(n):
        run = Run(id=f"run-{i:04d}", agent_id=1, status="queued")
        run.created_at = run.updated_at = iso(base + timedelta(microseconds=i))
        docs.append(run.to_doc())
    store.db.insert_many("runs", docs)
    return {d["_id"] for d in docs}


def _claim_all(url: str, worker: str, start: Any) -> list[str]:
    store = open_store(url, migrate_now=False)
    try:
        start.wait(60)  # a barrier: every worker connected before the first claim
        claimed = []
        while (run := store.runs.claim_next(worker, 300)) is not None:
            assert run.worker_id == worker
            claimed.append(run.id)
        return claimed
    finally:
        store.close()


def _assert_claimed_once(store: Store, expected: set[str], per_worker: list[list[str]]) -> None:
    everything = [run_id for claimed in per_worker for run_id in claimed]
    assert len(everything) == len(set(everything)), "a run was claimed twice"
    assert set(everything) == expected
    assert store.db.count("runs", {"status": "queued"}) == 0
    assert store.db.count("runs", {"status": "running", "attempts": 1}) == len(expected)
    holders = {d["_id"]: d["worker_id"] for d in store.db.find("runs")}
    for i, claimed in enumerate(per_worker):
        assert all(holders[run_id] == f"w{i}" for run_id in claimed)


def test_claims_from_threads_take_each_run_once(store: Store, store_url: str) -> None:
    expected = _queue_runs(store, N_RUNS)
    n = 8
    start = threading.Barrier(n)
    results: list[list[str]] = [[] for _ in range(n)]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = _claim_all(store_url, f"w{i}", start)
        except BaseException as exc:  # reported below
            start.abort()
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)
    _assert_claimed_once(store, expected, results)
    assert sum(1 for claimed in results if claimed) > 1, "one thread took everything"


def _claim_in_process(url: str, worker: str, start: Any, out: Any) -> None:
    try:
        out.put((worker, _claim_all(url, worker, start)))
    except BaseException:
        start.abort()
        out.put((worker, traceback.format_exc()))


def test_claims_from_processes_take_each_run_once(store: Store, store_url: str) -> None:
    expected = _queue_runs(store, N_RUNS)
    n = 4
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(n)  # every process connected before the first claim
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_claim_in_process, args=(store_url, f"w{i}", start, out))
        for i in range(n)
    ]
    for p in procs:
        p.start()
    results: dict[str, Any] = {}
    try:
        for _ in procs:
            worker, claimed = out.get(timeout=120)
            results[worker] = claimed
    except queue.Empty:
        pytest.fail(f"workers did not report in time: {sorted(results)}")
    finally:
        for p in procs:
            p.join(30)
            if p.is_alive():
                p.kill()
                p.join()
    failed = {w: r for w, r in results.items() if isinstance(r, str)}
    assert not failed, failed
    assert [p.exitcode for p in procs] == [0] * n
    _assert_claimed_once(store, expected, [results[f"w{i}"] for i in range(n)])


# -- errors the user reads -----------------------------------------------------------------------
def _full_text(exc: BaseException | None) -> str:
    """What an error and the errors chained to it say (even a suppressed context)."""
    text = ""
    while exc is not None:
        text += "".join(traceback.format_exception_only(exc)) + repr(exc)
        exc = exc.__cause__ or exc.__context__
    return text


def test_unsupported_url_is_named_with_the_password_masked() -> None:
    with pytest.raises(StoreUnavailable) as caught:
        open_store("postgres://admin:secret@db.internal/elinara")
    message = str(caught.value)
    assert "postgres://admin:****@db.internal/elinara" in message
    assert "sqlite:///" in message and "mongodb://" in message  # says what would work
    assert "secret" not in _full_text(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "mongodb://u:secret@host:notaport/db",
        "mongodb://u:secret@host:99999/db",
        "mongodb://u:secret@/db",
        "mongodb://u:secret@host/bad db",
        "mongodb://u:se@cret@host/db",
    ],
)
def test_malformed_mongodb_url_is_named_with_the_password_masked(url: str) -> None:
    with pytest.raises(StoreUnavailable) as caught:
        open_store(url)
    assert mask_url(url) in str(caught.value)
    assert "****" in str(caught.value)
    assert "secret" not in _full_text(caught.value)
    assert "cret" not in _full_text(caught.value)


def test_unreachable_mongodb_fails_fast_and_clearly() -> None:
    url = "mongodb://u:secret@127.0.0.1:1/db"
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        began = time.monotonic()
        with pytest.raises(StoreUnavailable) as caught:
            open_store(url, timeout_ms=300)
        elapsed = time.monotonic() - began
        message, everything = str(caught.value), _full_text(caught.value)
        del caught
        gc.collect()
    assert elapsed < 4  # the given timeout, not the default 5 s
    assert message.startswith(
        "Cannot reach MongoDB at mongodb://u:****@127.0.0.1:1/db: 127.0.0.1:1"
    )
    assert message.count("(") == message.count(")")  # no half-cut pymongo detail
    assert "Topology" not in message
    assert "secret" not in everything
    # The client made for the failed attempt was closed, not left to the garbage collector.
    unclosed = [w for w in seen if "Unclosed MongoClient" in str(w.message)]
    assert not unclosed


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("mongodb://u:secret@h:27017/db", "mongodb://u:****@h:27017/db"),
        (
            "mongodb+srv://u:secret@cluster.example/db?x=1",
            "mongodb+srv://u:****@cluster.example/db?x=1",
        ),
        ("MONGODB://u:secret@h/db", "MONGODB://u:****@h/db"),
        ("mongodb://u:p@ss:w@rd@h/db", "mongodb://u:****@h/db"),
        ("mongodb://u:pa/ss@h/db", "mongodb://u:****@h/db"),
        ("mongodb://h/db", "mongodb://h/db"),
        ("mongodb://user@h/db", "mongodb://user@h/db"),
        ("sqlite:///tmp/x.db", "sqlite:///tmp/x.db"),
        ("u:secret@h/db", "u:****@h/db"),
    ],
)
def test_mask_url(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_sqlite_url_errors_are_clear(tmp_path: Any) -> None:
    with pytest.raises(StoreUnavailable, match="sqlite:///path"):
        open_store("sqlite:///")
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreUnavailable, match="database folder"):
        open_store(f"sqlite:///{blocker}/sub/elinara.db")


# -- the harness these tests stand on (tests/conftest.py) ----------------------------------------
@pytest.mark.parametrize(
    "attempt",
    [
        lambda: socket.create_connection(("203.0.113.7", 443), timeout=1),
        lambda: socket.socket().connect(("8.8.8.8", 53)),
        lambda: socket.socket().connect_ex(("2001:db8::1", 80)),
        lambda: socket.getaddrinfo("example.com", 443),
        lambda: socket.create_connection(("example.com", 443), timeout=1),
    ],
    ids=["create_connection", "connect", "connect_ex-ipv6", "resolve", "resolve-and-connect"],
)
def test_no_connection_leaves_this_machine(attempt: Any) -> None:
    with pytest.raises(OSError, match="tests may not reach the network"):
        sock = attempt()
        sock.close()


def test_loopback_connections_are_allowed() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("localhost", port), timeout=5):
            pass
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) == 0


def test_each_test_has_its_own_elinara_environment() -> None:
    import os

    assert [k for k in os.environ if k.startswith("ELINARA_")] == ["ELINARA_HOME"]
    home = os.environ["ELINARA_HOME"]
    assert os.path.isdir(home) and os.listdir(home) == []


def test_claim_takes_only_that_queued_run(store: Store) -> None:
    first = store.runs.create(Run(id="", agent_id=1))
    second = store.runs.create(Run(id="", agent_id=2))
    claimed = store.runs.claim(second.id, "w1", 60)
    assert claimed is not None and claimed.id == second.id and claimed.status == "running"
    assert store.runs.claim(second.id, "w2", 60) is None
    assert store.runs.get(first.id).status == "queued"


def test_lock_holder_renews_its_own_lock(store: Store) -> None:
    assert store.locks.acquire("job", "a", 60)
    assert store.locks.acquire("job", "a", 60)
    assert not store.locks.acquire("job", "b", 60)


def test_upsert_by_id_keeps_created_fields_and_reports_new_once(store: Store) -> None:
    items = [
        ({"_id": "a"}, {"n": 1, "tags": ["x"], "gone": None}, {"created_at": "t0"}),
        ({"_id": "b"}, {"n": 2, "tags": [], "gone": None}, {"created_at": "t0"}),
        ({"_id": "a"}, {"n": 3, "tags": ["y"], "gone": None}, {"created_at": "t9"}),
    ]
    assert store.db.upsert_many("kv", items) == [True, True, False]
    again = store.db.upsert_many(
        "kv", [({"_id": "b"}, {"n": 5, "tags": ["z"], "gone": None}, {"created_at": "t1"})]
    )
    assert again == [False]
    a, b = store.db.get("kv", "a"), store.db.get("kv", "b")
    assert (a["n"], a["tags"], a["created_at"], a["gone"]) == (3, ["y"], "t0", None)
    assert (b["n"], b["tags"], b["created_at"]) == (5, ["z"], "t0")


def test_a_run_whose_workers_keep_dying_fails_after_max_attempts(store: Store) -> None:
    run = store.runs.create(Run(id="", agent_id=1))
    for attempt in range(1, store.runs.MAX_ATTEMPTS + 1):
        claimed = store.runs.claim_next(f"w{attempt}", lease_seconds=0)
        assert claimed is not None and claimed.attempts == attempt
    assert store.runs.claim_next("w-last", lease_seconds=0) is None
    final = store.runs.get(run.id)
    assert final.status == "failed" and "3 attempts" in final.message


def test_purge_drops_old_events_and_expired_revocations(store: Store) -> None:
    from datetime import timedelta

    from elinara.times import iso, utcnow

    store.events.append("agent_action", {"n": 1})
    store.db.update_many("events", {}, {"created_at": iso(utcnow() - timedelta(days=40))})
    store.events.append("agent_action", {"n": 2})
    store.revoked_tokens.revoke("old", utcnow() - timedelta(minutes=1))
    store.revoked_tokens.revoke("live", utcnow() + timedelta(minutes=30))
    assert store.purge(keep_events_days=30) == {"events": 1, "revoked_tokens": 1}
    assert [e["payload"]["n"] for e in store.events.since(0)] == [2]
    assert store.revoked_tokens.is_revoked("live") and not store.revoked_tokens.is_revoked("old")


def test_a_lapsed_terminal_run_fails_and_its_agent_says_so(store: Store) -> None:
    from elinara.models import Agent

    agent = store.agents.create(Agent(id=0, user_id=1, name="Norte", status="running"))
    run = store.runs.create(Run(id="", agent_id=agent.id, trigger="cli"))
    assert store.runs.claim_next("cli-1", lease_seconds=0) is not None
    assert store.runs.claim_next("worker-2", lease_seconds=60) is None  # never re-run elsewhere
    final = store.runs.get(run.id)
    assert final.status == "failed" and "terminal" in final.message
    assert store.agents.get(agent.id).status == "failed"


def test_only_the_holder_updates_a_run(store: Store) -> None:
    run = store.runs.create(Run(id="", agent_id=1))
    store.runs.claim_next("w1", 60)
    assert store.runs.update_held(run.id, "w1", {"progress": 10})
    assert not store.runs.update_held(run.id, "w2", {"progress": 99})
    assert store.runs.get(run.id).progress == 10
