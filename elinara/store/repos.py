"""The store's domain operations, written once over ``Backend`` for both databases."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

from bson import ObjectId

from elinara.errors import Conflict
from elinara.models import (
    Agent,
    AgentSettings,
    DataSource,
    Lead,
    Match,
    Notice,
    Run,
    User,
)
from elinara.store.backend import Backend, Doc, Duplicate, Filter
from elinara.times import iso, now_iso, utcnow


def new_object_id() -> str:
    return str(ObjectId())


def new_uuid() -> str:
    return str(uuid.uuid4())


def _email_key(email: str) -> str:
    """E-mail addresses are stored and looked up trimmed and lower-cased."""
    return email.strip().lower()


class Users:
    def __init__(self, db: Backend) -> None:
        self.db = db

    def create(self, user: User) -> User:
        now = now_iso()
        user.email = _email_key(user.email)
        user.id = self.db.next_id("users")
        user.created_at = user.updated_at = now
        self.db.insert("users", user.to_doc())
        return user

    def get(self, user_id: int) -> User | None:
        doc = self.db.get("users", user_id)
        return User.from_doc(doc) if doc else None

    def by_email(self, email: str) -> User | None:
        found = self.db.find("users", {"email": _email_key(email)}, limit=1)
        return User.from_doc(found[0]) if found else None

    def by_username(self, username: str) -> User | None:
        found = self.db.find("users", {"username": username}, limit=1)
        return User.from_doc(found[0]) if found else None

    def by_login(self, login: str) -> User | None:
        """The user whose username or e-mail is ``login``: the e-mail first when it has an "@"
        (a username never has one since, but older ones may)."""
        text = login.strip()
        if "@" in text:
            return self.by_email(text) or self.by_username(text)
        return self.by_username(text) or self.by_email(text)

    def list(self) -> list[User]:
        return [User.from_doc(d) for d in self.db.find("users", sort=[("_id", 1)])]

    def update(self, user_id: int, fields: dict[str, Any]) -> User | None:
        if isinstance(fields.get("email"), str):
            fields = {**fields, "email": _email_key(fields["email"])}
        self.db.update_many("users", {"_id": user_id}, {**fields, "updated_at": now_iso()})
        return self.get(user_id)

    def count(self) -> int:
        return self.db.count("users")


# The agents' id sequence keeps the name it had when agents were "processes", so that ids
# continue across the rename (migration 4).
AGENT_ID_SEQUENCE = "processes"


class Agents:
    def __init__(self, db: Backend) -> None:
        self.db = db

    def create(self, agent: Agent) -> Agent:
        agent.id = self.db.next_id(AGENT_ID_SEQUENCE)
        agent.created_at = agent.updated_at = now_iso()
        self.db.insert("agents", agent.to_doc())
        return agent

    def get(self, agent_id: int) -> Agent | None:
        doc = self.db.get("agents", agent_id)
        return Agent.from_doc(doc) if doc else None

    def list(self, user_id: int | None = None) -> list[Agent]:
        flt = {} if user_id is None else {"user_id": user_id}
        return [Agent.from_doc(d) for d in self.db.find("agents", flt, sort=[("_id", 1)])]

    def count(self, user_id: int) -> int:
        return self.db.count("agents", {"user_id": user_id})

    def update(self, agent_id: int, fields: dict[str, Any]) -> Agent | None:
        self.db.update_many("agents", {"_id": agent_id}, {**fields, "updated_at": now_iso()})
        return self.get(agent_id)

    def first_of(self, user_id: int) -> Agent | None:
        found = self.db.find("agents", {"user_id": user_id}, sort=[("_id", 1)], limit=1)
        return Agent.from_doc(found[0]) if found else None


class AgentSettingsRepo:
    """Agents' settings (the `agent_settings` collection; not `config.Settings`, elinara's own)."""

    def __init__(self, db: Backend) -> None:
        self.db = db

    def get(self, agent_id: int) -> AgentSettings | None:
        doc = self.db.get("agent_settings", agent_id)
        return AgentSettings.from_doc(doc) if doc else None

    def save(self, settings: AgentSettings) -> AgentSettings:
        """Write every field (``save_fields`` writes only the changed ones)."""
        names = [f.name for f in fields(AgentSettings) if f.name not in ("id", "created_at")]
        return self.save_fields(settings, names)

    def save_fields(self, settings: AgentSettings, names: Iterable[str]) -> AgentSettings:
        """Write only these fields of ``settings`` (the whole document when it is new), so a
        concurrent write of other fields (the scheduler's ``next_run``, a run's ``last_run``)
        is not undone by a stale copy."""
        now = now_iso()
        settings.updated_at = now
        doc = settings.to_doc()
        doc.pop("_id")
        changed = {name: doc[name] for name in names} | {"updated_at": now}
        new = {k: v for k, v in doc.items() if k not in changed}
        new["created_at"] = new.get("created_at") or now
        self.db.upsert_many("agent_settings", [({"_id": settings.id}, changed, new)])
        saved = self.get(settings.id)
        assert saved is not None
        return saved

    def update(self, agent_id: int, fields: dict[str, Any]) -> None:
        self.db.update_many(
            "agent_settings", {"_id": agent_id}, {**fields, "updated_at": now_iso()}
        )

    def claim_slot(
        self, agent_id: int, expected_next_run: str | None, following: str | None
    ) -> bool:
        """Move an armed schedule from ``expected_next_run`` to ``following``, atomically: True
        for the one caller (server scheduler or `elinara agent run-due`) that claimed the slot."""
        doc = self.db.find_one_and_update(
            "agent_settings",
            {"_id": agent_id, "next_run": expected_next_run},
            {"next_run": following, "updated_at": now_iso()},
        )
        return doc is not None

    def list_active(self) -> list[AgentSettings]:
        docs = self.db.find("agent_settings", {"agent_status": "active"})
        return [AgentSettings.from_doc(d) for d in docs]


class DataSources:
    def __init__(self, db: Backend) -> None:
        self.db = db

    def create_many(self, sources: list[DataSource]) -> list[DataSource]:
        now = now_iso()
        for source in sources:
            source.id = new_object_id()
            source.created_at = source.updated_at = now
        self.db.insert_many("datasources", [s.to_doc() for s in sources])
        return sources

    def get(self, source_id: str) -> DataSource | None:
        doc = self.db.get("datasources", source_id)
        return DataSource.from_doc(doc) if doc else None

    def list(self, user_id: int | None = None, agent_id: int | None = None) -> list[DataSource]:
        flt: Doc = {}
        if user_id is not None:
            flt["user_id"] = user_id
        if agent_id is not None:
            flt["agent_id"] = agent_id
        docs = self.db.find("datasources", flt, sort=[("created_at", 1), ("_id", 1)])
        return [DataSource.from_doc(d) for d in docs]

    def update(self, source_id: str, fields: dict[str, Any]) -> DataSource | None:
        self.db.update_many("datasources", {"_id": source_id}, {**fields, "updated_at": now_iso()})
        return self.get(source_id)

    def delete_many(self, ids: list[str], user_id: int | None = None) -> int:
        flt: Doc = {"_id": {"$in": ids}}
        if user_id is not None:
            flt["user_id"] = user_id
        return self.db.delete_many("datasources", flt)


class CloudFiles:
    """Files a user saved for the agent from their drives, merged by (provider, id)."""

    def __init__(self, db: Backend) -> None:
        self.db = db

    def list(self, user_id: int) -> list[dict[str, str]]:
        docs = self.db.find("cloud_files", {"user_id": user_id}, sort=[("created_at", 1)])
        return [{"id": d["file_id"], "name": d["name"], "provider": d["provider"]} for d in docs]

    def merge(self, user_id: int, files: list[dict[str, str]]) -> int:
        now = now_iso()
        items = [
            (
                {"_id": f"{user_id}:{f['provider']}:{f['id']}"},
                {"name": f["name"], "updated_at": now},
                {
                    "user_id": user_id,
                    "provider": f["provider"],
                    "file_id": f["id"],
                    "created_at": now,
                },
            )
            for f in files
        ]
        return sum(self.db.upsert_many("cloud_files", items))


class Runs:
    def __init__(self, db: Backend) -> None:
        self.db = db

    def create(self, run: Run) -> Run:
        if not run.id:
            run.id = new_uuid()
        run.created_at = run.updated_at = now_iso()
        self.db.insert("runs", run.to_doc())
        return run

    def get(self, run_id: str) -> Run | None:
        doc = self.db.get("runs", run_id)
        return Run.from_doc(doc) if doc else None

    def list(
        self,
        agent_ids: list[int] | None = None,
        kind: str | None = None,
        status: str | None = None,
        limit: int = 50,
    ) -> list[Run]:
        flt: Doc = {}
        if agent_ids is not None:
            flt["agent_id"] = {"$in": agent_ids}
        if kind:
            flt["kind"] = kind
        if status:
            flt["status"] = status
        docs = self.db.find("runs", flt, sort=[("created_at", -1), ("_id", 1)], limit=limit)
        return [Run.from_doc(d) for d in docs]

    def update(self, run_id: str, fields: dict[str, Any]) -> None:
        self.db.update_many("runs", {"_id": run_id}, {**fields, "updated_at": now_iso()})

    MAX_ATTEMPTS = 3

    def reclaim_expired(self, now: datetime | None = None) -> int:
        """Put runs whose worker's lease lapsed back in the queue. A run whose workers died
        ``MAX_ATTEMPTS`` times, or one a terminal was running (its files are on that machine),
        is failed instead; its agent's status follows."""
        moment = iso(now or utcnow())
        lapsed = {"status": {"$in": ["running", "paused"]}, "lease_until": {"$lt": moment}}
        ended = {
            "worker_id": None,
            "lease_until": None,
            "updated_at": moment,
            "finished_at": moment,
        }
        for flt, message in (
            (
                {**lapsed, "attempts": {"$gte": self.MAX_ATTEMPTS}},
                f"Stopped after {self.MAX_ATTEMPTS} attempts: the worker running it stopped each "
                "time; check the worker logs.",
            ),
            (
                {**lapsed, "trigger": "cli"},
                "The terminal running it stopped before it finished; run it again.",
            ),
        ):
            for doc in self.db.find("runs", flt):
                failed = self.db.update_many(
                    "runs",
                    {"_id": doc["_id"], "lease_until": doc["lease_until"]},
                    {**ended, "status": "failed", "message": message},
                )
                if failed and doc.get("agent_id"):
                    self.db.update_many(
                        "agents",
                        {"_id": doc["agent_id"]},
                        {"status": "failed", "updated_at": moment},
                    )
        return self.db.update_many(
            "runs",
            lapsed,
            {"status": "queued", "worker_id": None, "lease_until": None, "updated_at": moment},
        )

    def update_held(self, run_id: str, worker_id: str | None, fields: dict[str, Any]) -> bool:
        """Update a run only while this worker holds it (None: whoever holds it)."""
        flt: Doc = {"_id": run_id}
        if worker_id is not None:
            flt["worker_id"] = worker_id
        return self.db.update_many("runs", flt, {**fields, "updated_at": now_iso()}) > 0

    def claim_next(self, worker_id: str, lease_seconds: int) -> Run | None:
        """Atomically take the oldest queued run (after reclaiming lapsed leases)."""
        return self._claim({"status": "queued"}, worker_id, lease_seconds)

    def claim(self, run_id: str, worker_id: str, lease_seconds: int) -> Run | None:
        """Atomically take one particular queued run; None if it is not queued (any more)."""
        return self._claim({"_id": run_id, "status": "queued"}, worker_id, lease_seconds)

    def _claim(self, flt: Doc, worker_id: str, lease_seconds: int) -> Run | None:
        now = utcnow()
        self.reclaim_expired(now)
        doc = self.db.find_one_and_update(
            "runs",
            flt,
            {
                "status": "running",
                "worker_id": worker_id,
                "lease_until": iso(now + timedelta(seconds=lease_seconds)),
                "updated_at": iso(now),
            },
            inc={"attempts": 1},
            sort=[("created_at", 1), ("_id", 1)],
        )
        return Run.from_doc(doc) if doc else None

    def renew(self, run_id: str, worker_id: str, lease_seconds: int) -> Run | None:
        """Extend the lease; None means the worker lost the run (reclaimed or deleted)."""
        now = utcnow()
        doc = self.db.find_one_and_update(
            "runs",
            {"_id": run_id, "worker_id": worker_id, "status": {"$in": ["running", "paused"]}},
            {"lease_until": iso(now + timedelta(seconds=lease_seconds)), "updated_at": iso(now)},
        )
        return Run.from_doc(doc) if doc else None

    def finish(self, run_id: str, worker_id: str | None, fields: dict[str, Any]) -> bool:
        """Record the end of a run, only if this worker still holds it."""
        flt: Doc = {"_id": run_id}
        if worker_id is not None:
            flt["worker_id"] = worker_id
        now = now_iso()
        done = {**fields, "finished_at": now, "updated_at": now, "lease_until": None}
        return self.db.update_many("runs", flt, done) > 0

    def active_for_agent(self, agent_id: int) -> list[Run]:
        docs = self.db.find(
            "runs",
            {"agent_id": agent_id, "status": {"$in": ["queued", "running", "paused"]}},
            sort=[("created_at", 1)],
        )
        return [Run.from_doc(d) for d in docs]

    def request(self, run_id: str, **flags: bool) -> None:
        """Set cancel_requested / pause_requested on a run."""
        self.update(run_id, dict(flags))

    def cancel_if_queued(self, run_id: str, message: str = "stopped before it started") -> bool:
        """Cancel a run no worker has claimed yet; False if it is no longer queued."""
        now = now_iso()
        done = self.db.update_many(
            "runs",
            {"_id": run_id, "status": "queued"},
            {
                "status": "cancelled",
                "message": message,
                "finished_at": now,
                "updated_at": now,
                "lease_until": None,
            },
        )
        return done > 0

    def count_by_status(self) -> dict[str, int]:
        return {
            status: self.db.count("runs", {"status": status})
            for status in ("queued", "running", "paused", "completed", "failed", "cancelled")
        }


class Matches:
    def __init__(self, db: Backend) -> None:
        self.db = db

    def upsert_many(self, matches: list[Match]) -> int:
        """Insert or refresh matches keyed by (agent_id, nif, aviso_id); return how many are new."""
        now = now_iso()
        items = []
        for m in matches:
            doc = m.to_doc()
            doc.pop("_id")
            key = {
                "agent_id": doc.pop("agent_id"),
                "nif": doc.pop("nif"),
                "aviso_id": doc.pop("aviso_id"),
            }
            doc.pop("created_at")
            doc["updated_at"] = now
            first_seen = doc.pop("matched_at") or now  # when the match was first found
            items.append(
                (
                    key,
                    doc,
                    {"_id": m.id or new_object_id(), "created_at": now, "matched_at": first_seen},
                )
            )
        return sum(self.db.upsert_many("matches", items))

    def retire(self, agent_id: int, nifs: list[str], run_id: str) -> int:
        """Delete the agent's matches of these companies that ``run_id`` did not confirm (the
        call closed, the company changed, the threshold rose): stored matches stay current."""
        removed = 0
        for start in range(0, len(nifs), 500):
            removed += self.db.delete_many(
                "matches",
                {
                    "agent_id": agent_id,
                    "nif": {"$in": nifs[start : start + 500]},
                    "run_id": {"$ne": run_id},
                },
            )
        return removed

    def list(
        self,
        agent_ids: list[int] | None = None,
        run_id: str | None = None,
        min_score: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Match]:
        flt: Doc = {}
        if agent_ids is not None:
            flt["agent_id"] = {"$in": agent_ids}
        if run_id:
            flt["run_id"] = run_id
        if min_score is not None:
            flt["match_score"] = {"$gte": min_score}
        docs = self.db.find(
            "matches",
            flt,
            sort=[("match_score", -1), ("matched_at", -1), ("_id", 1)],
            limit=limit,
            skip=offset,
        )
        return [Match.from_doc(d) for d in docs]

    def page_after(self, agent_ids: list[int], after: str = "", limit: int = 1000) -> list[Match]:
        """The agents' matches in ``_id`` order after ``after``: paging by the primary key, each
        page as fast as the first (an export reads them all this way)."""
        flt: Doc = {"agent_id": {"$in": agent_ids}}
        if after:
            flt["_id"] = {"$gt": after}
        docs = self.db.find("matches", flt, sort=[("_id", 1)], limit=limit)
        return [Match.from_doc(d) for d in docs]

    def count(self, agent_ids: list[int] | None = None) -> int:
        return self.db.count(
            "matches", {} if agent_ids is None else {"agent_id": {"$in": agent_ids}}
        )


class LeadSaver:
    """Stores an agent's leads on one background thread while more are being read.

    Each batch is prepared in the caller's thread (for SQLite: encoded as one JSON text) and
    written on the background thread, where SQLite unpacks it in one statement without holding
    the GIL, so storing overlaps with parsing the rest of a spreadsheet.
    Batches are written in the order given; a lead given again (say, merged with a later
    duplicate) is written again. Leaving the ``with`` block waits for every batch given, even
    when the block failed, so what was read is stored whole; then, when the block succeeded,
    it re-raises the first failed write and sets ``new``: how many of the agent's leads did
    not exist before.
    """

    def __init__(self, leads: Leads, agent_id: int, run_id: str | None) -> None:
        self._leads = leads
        self._agent_id = agent_id
        self._extra: Doc = {"agent_id": agent_id, "run_id": run_id, "updated_at": now_iso()}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="elinara-leads")
        self._before = self._pool.submit(leads.count, agent_id)
        self._writes: list[Future[None]] = []
        self.new = 0

    def add(self, leads: Sequence[Lead]) -> None:
        """Prepare the leads now (this thread), store them in the background."""
        for start in range(0, len(leads), Leads.CHUNK):  # bounded memory for big sheets
            batch = leads[start : start + Leads.CHUNK]
            records = [(Leads.lead_id(self._agent_id, lead), lead) for lead in batch]
            write = self._leads.db.prepare_put_many(
                "leads", records, self._extra, {"created_at": self._extra["updated_at"]}
            )
            self._writes.append(self._pool.submit(write))

    def __enter__(self) -> LeadSaver:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self._pool.submit(self._leads.db.close_thread)  # the writer thread's connection
        self._pool.shutdown(wait=True)  # what was given is stored whole, even after an error
        if exc_type is None:
            for write in self._writes:
                write.result()
            self.new = self._leads.count(self._agent_id) - self._before.result()


class Leads:
    """The companies an agent has read, one document per (agent, company key)."""

    CHUNK = 5000

    def __init__(self, db: Backend) -> None:
        self.db = db

    def saving(self, agent_id: int, run_id: str | None = None) -> LeadSaver:
        """``with store.leads.saving(agent) as saver: saver.add(batch)``: see ``LeadSaver``."""
        return LeadSaver(self, agent_id, run_id)

    def save_many(self, agent_id: int, leads: Sequence[Lead], run_id: str | None = None) -> int:
        """Insert or refresh the agent's leads; return how many are new."""
        with self.saving(agent_id, run_id) as saver:
            saver.add(leads)
        return saver.new

    @staticmethod
    def lead_id(agent_id: int, lead: Lead) -> str:
        return f"{agent_id}:{lead.key}"

    @staticmethod
    def _of(agent_id: int) -> Filter:
        """The agent's leads: ids ``f"{agent_id}:{key}"``, a range of the ``_id`` index."""
        return {"_id": {"$gte": f"{agent_id}:", "$lt": f"{agent_id};"}}  # ";" follows ":"

    def list(self, agent_id: int) -> list[Lead]:
        names = {f.name for f in fields(Lead)}
        docs = self.db.find("leads", self._of(agent_id), sort=[("_id", 1)])
        return [Lead(**{k: v for k, v in d.items() if k in names}) for d in docs]

    def count(self, agent_id: int) -> int:
        return self.db.count("leads", self._of(agent_id))

    def keep_only(self, agent_id: int, keys: Collection[str]) -> list[str]:
        """Delete the agent's leads whose ``Lead.key`` is not in ``keys``; return their keys.
        By key, not by run: another run of the agent may have rewritten a company meanwhile."""
        prefix = len(f"{agent_id}:")
        stale = [i for i in self.db.ids("leads", self._of(agent_id)) if i[prefix:] not in keys]
        for start in range(0, len(stale), 500):
            self.db.delete_many("leads", {"_id": {"$in": stale[start : start + 500]}})
        return [i[prefix:] for i in stale]

    def delete(self, agent_id: int, source: str | None = None) -> int:
        """Delete the agent's leads (only those read from ``source``, when given)."""
        flt = self._of(agent_id)
        if source is not None:
            flt["source"] = source
        return self.db.delete_many("leads", flt)


class Events:
    """The durable event log; ``seq`` orders it so relays can read what they have not seen."""

    def __init__(self, db: Backend) -> None:
        self.db = db

    def append(
        self,
        event: str,
        payload: dict[str, Any],
        run_id: str | None = None,
        agent_id: int | None = None,
        user_id: int | None = None,
    ) -> int:
        seq = self.db.next_id("events")
        self.db.insert(
            "events",
            {
                "_id": new_object_id(),
                "seq": seq,
                "event": event,
                "payload": payload,
                "run_id": run_id,
                "agent_id": agent_id,
                "user_id": user_id,
                "created_at": now_iso(),
            },
        )
        return seq

    def since(self, seq: int, limit: int = 500) -> list[Doc]:
        return self.db.find("events", {"seq": {"$gt": seq}}, sort=[("seq", 1)], limit=limit)

    def for_run(self, run_id: str, event: str | None = None, after_seq: int = 0) -> list[Doc]:
        flt: Doc = {"run_id": run_id}
        if event:
            flt["event"] = event
        if after_seq:
            flt["seq"] = {"$gt": after_seq}
        return self.db.find("events", flt, sort=[("seq", 1)])

    def last_seq(self) -> int:
        found = self.db.find("events", sort=[("seq", -1)], limit=1)
        return int(found[0]["seq"]) if found else 0

    def purge(self, older_than: datetime) -> int:
        return self.db.delete_many("events", {"created_at": {"$lt": iso(older_than)}})


class RevokedTokens:
    def __init__(self, db: Backend) -> None:
        self.db = db

    def revoke(self, jti: str, expires_at: datetime) -> None:
        with contextlib.suppress(Duplicate):
            self.db.insert("revoked_tokens", {"_id": jti, "expires_at": iso(expires_at)})

    def is_revoked(self, jti: str) -> bool:
        return self.db.get("revoked_tokens", jti) is not None

    def purge(self, now: datetime | None = None) -> int:
        return self.db.delete_many("revoked_tokens", {"expires_at": {"$lt": iso(now or utcnow())}})


class ProviderTokens:
    """OAuth identities and their (encrypted) tokens, one per (user, provider)."""

    def __init__(self, db: Backend) -> None:
        self.db = db

    def save(self, user_id: int, provider: str, fields: dict[str, Any]) -> None:
        now = now_iso()
        key = {"_id": f"{user_id}:{provider}"}
        self.db.upsert_many(
            "provider_tokens",
            [
                (
                    key,
                    {**fields, "updated_at": now},
                    {"user_id": user_id, "provider": provider, "created_at": now},
                )
            ],
        )

    def get(self, user_id: int, provider: str) -> Doc | None:
        return self.db.get("provider_tokens", f"{user_id}:{provider}")

    def for_user(self, user_id: int) -> list[Doc]:
        return self.db.find("provider_tokens", {"user_id": user_id})

    def by_subject(self, provider: str, subject: str) -> Doc | None:
        found = self.db.find("provider_tokens", {"provider": provider, "subject": subject}, limit=1)
        return found[0] if found else None

    def delete(self, user_id: int, provider: str) -> int:
        return self.db.delete_many("provider_tokens", {"_id": f"{user_id}:{provider}"})


class LlmCalls:
    """One document per LLM provider call: tokens, latency and cost (``elinara usage``)."""

    def __init__(self, db: Backend) -> None:
        self.db = db

    def record(self, call: dict[str, Any]) -> str:
        """Store one call (run_id, agent_id, user_id, provider, model, input_tokens,
        output_tokens, latency_ms, cost_usd, ...); return its id."""
        doc = {**call, "_id": new_object_id(), "created_at": call.get("created_at") or now_iso()}
        self.db.insert("llm_calls", doc)
        return doc["_id"]

    def for_run(self, run_id: str) -> list[Doc]:
        return self.db.find("llm_calls", {"run_id": run_id}, sort=[("created_at", 1)])

    def summary(self, since: str | None = None, agent_id: int | None = None) -> dict[str, Any]:
        """Totals since an ISO instant (inclusive), optionally of one agent, and per model."""
        flt: Doc = {}
        if since:
            flt["created_at"] = {"$gte": since}
        if agent_id is not None:
            flt["agent_id"] = agent_id
        totals: dict[str, Any] = {
            "calls": 0,
            "input_tokens": 0,
            "output_tokens": 0,
            "cost_usd": 0.0,
        }
        by_model: dict[tuple[str, str], dict[str, Any]] = {}
        runs: set[str] = set()
        for doc in self.db.find("llm_calls", flt):
            key = (str(doc.get("provider") or ""), str(doc.get("model") or ""))
            row = by_model.setdefault(
                key,
                {
                    "provider": key[0],
                    "model": key[1],
                    "calls": 0,
                    "input_tokens": 0,
                    "output_tokens": 0,
                    "cost_usd": 0.0,
                },
            )
            for target in (totals, row):
                target["calls"] += 1
                target["input_tokens"] += int(doc.get("input_tokens") or 0)
                target["output_tokens"] += int(doc.get("output_tokens") or 0)
                target["cost_usd"] += float(doc.get("cost_usd") or 0.0)
            if doc.get("run_id"):
                runs.add(str(doc["run_id"]))
        rows = sorted(by_model.values(), key=lambda r: (-r["cost_usd"], r["provider"], r["model"]))
        for target in (totals, *rows):
            target["cost_usd"] = round(target["cost_usd"], 6)
        return {**totals, "runs": len(runs), "by_model": rows}


class Notices:
    """Calls' notices (``Notice``), one document per aviso code, written whole."""

    def __init__(self, db: Backend) -> None:
        self.db = db

    def get(self, aviso_id: str) -> Notice | None:
        doc = self.db.get("notices", aviso_id)
        return Notice.from_doc(doc) if doc else None

    def get_many(self, aviso_ids: Sequence[str]) -> dict[str, Notice]:
        """The stored notices among ``aviso_ids``, by code (one query per 500 codes)."""
        found: dict[str, Notice] = {}
        ids = list(dict.fromkeys(aviso_ids))
        for start in range(0, len(ids), 500):
            for doc in self.db.find("notices", {"_id": {"$in": ids[start : start + 500]}}):
                found[doc["_id"]] = Notice.from_doc(doc)
        return found

    def by_hash(self, content_hash: str, parser_version: str | None = None) -> Notice | None:
        """A notice read from the same bytes (by any aviso), with criteria read by
        ``parser_version`` when given: its text and criteria can be reused as they are."""
        flt: Doc = {"content_hash": content_hash, "reason": None}
        if parser_version is not None:
            flt["parser_version"] = parser_version
        found = self.db.find("notices", flt, sort=[("updated_at", -1)], limit=1)
        return Notice.from_doc(found[0]) if found else None

    def save(self, notice: Notice) -> Notice:
        """Insert or replace the aviso's notice (every field)."""
        notice.updated_at = now_iso()
        doc = notice.to_doc()
        key = {"_id": doc.pop("_id")}
        self.db.upsert_many("notices", [(key, doc, {})])
        return notice

    def delete(self, aviso_id: str) -> int:
        return self.db.delete_many("notices", {"_id": aviso_id})


class KeyValue:
    """Small keyed documents: the verdict cache, file versions, locks."""

    def __init__(self, db: Backend, coll: str) -> None:
        self.db = db
        self.coll = coll

    def get(self, key: str) -> Doc | None:
        return self.db.get(self.coll, key)

    def put(self, key: str, fields: dict[str, Any]) -> None:
        self.db.upsert_many(self.coll, [({"_id": key}, {**fields, "updated_at": now_iso()}, {})])

    def get_many(self, keys: list[str]) -> dict[str, Doc]:
        """The documents found among ``keys``, by key (one query per 500 keys)."""
        found: dict[str, Doc] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            for doc in self.db.find(self.coll, {"_id": {"$in": chunk}}):
                found[doc["_id"]] = doc
        return found

    def put_many(self, items: dict[str, dict[str, Any]]) -> None:
        """``put`` for several keys in one round trip."""
        now = now_iso()
        self.db.upsert_many(
            self.coll,
            [({"_id": key}, {**fields, "updated_at": now}, {}) for key, fields in items.items()],
        )

    def delete(self, flt: Doc) -> int:
        return self.db.delete_many(self.coll, flt)


class Locks:
    """Named leases in the database, for work that must run once across processes."""

    def __init__(self, db: Backend) -> None:
        self.db = db

    def acquire(self, name: str, holder: str, seconds: int) -> bool:
        now = utcnow()
        until = iso(now + timedelta(seconds=seconds))
        try:
            self.db.insert("locks", {"_id": name, "holder": holder, "until": until})
            return True
        except Duplicate:
            pass
        mine = self.db.find_one_and_update(
            "locks", {"_id": name, "holder": holder}, {"until": until}
        )
        if mine is not None:  # already ours: renewed
            return True
        taken = self.db.find_one_and_update(
            "locks", {"_id": name, "until": {"$lt": iso(now)}}, {"holder": holder, "until": until}
        )
        return taken is not None

    def release(self, name: str, holder: str) -> None:
        self.db.delete_many("locks", {"_id": name, "holder": holder})

    def set_cursor(self, name: str, holder: str, cursor: int) -> None:
        """Keep where the holder of a lease stands in its work, for whoever takes it over."""
        self.db.update_many("locks", {"_id": name, "holder": holder}, {"cursor": cursor})

    def cursor(self, name: str) -> int | None:
        value = (self.db.get("locks", name) or {}).get("cursor")
        return value if isinstance(value, int) else None

    @contextlib.contextmanager
    def held(self, name: str, busy: str, seconds: int = 10, wait: float = 10.0) -> Iterator[None]:
        """Hold the named lease for the block, waiting up to ``wait`` seconds for it (a holder
        that died frees it when its lease ends); if it stays taken, raise Conflict(busy)."""
        holder = new_uuid()
        deadline = time.monotonic() + wait
        while not self.acquire(name, holder, seconds):
            if time.monotonic() >= deadline:
                raise Conflict(busy)
            time.sleep(0.02)
        try:
            yield
        finally:
            self.release(name, holder)
