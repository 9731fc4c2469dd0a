"""Persistence behind one interface; ``open_store(url)`` picks SQLite or MongoDB."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from elinara.store.backend import Backend, Duplicate
from elinara.store.migrations import COLLECTIONS, SCHEMA_VERSION, applied_version, migrate
from elinara.store.mongo import MongoBackend
from elinara.store.repos import (
    Agents,
    AgentSettingsRepo,
    CloudFiles,
    DataSources,
    Events,
    KeyValue,
    Leads,
    LlmCalls,
    Locks,
    Matches,
    Notices,
    ProviderTokens,
    RevokedTokens,
    Runs,
    Users,
)
from elinara.store.sqlite import SQLiteBackend
from elinara.store.urls import backend_kind, mask_url
from elinara.times import utcnow

__all__ = ["Duplicate", "Store", "open_store"]

# What belongs to one agent, removed with it.
_AGENT_OWNED = ("datasources", "runs", "matches", "file_versions")  # and its leads


class Store:
    def __init__(self, db: Backend) -> None:
        self.db = db
        self.users = Users(db)
        self.agents = Agents(db)
        self.settings = AgentSettingsRepo(db)
        self.datasources = DataSources(db)
        self.cloud_files = CloudFiles(db)
        self.runs = Runs(db)
        self.matches = Matches(db)
        self.events = Events(db)
        self.revoked_tokens = RevokedTokens(db)
        self.provider_tokens = ProviderTokens(db)
        self.verdicts = KeyValue(db, "verdicts")
        self.llm_calls = LlmCalls(db)  # LLM judge accounting (elinara usage)
        self.file_versions = KeyValue(db, "file_versions")
        self.leads = Leads(db)
        self.locks = Locks(db)
        self.notices = Notices(db)  # calls' notices: text and criteria (elinara.agent.notices)

    @property
    def kind(self) -> str:
        return self.db.kind

    def migrate(self) -> list[str]:
        return migrate(self.db)

    def delete_agent(self, agent_id: int) -> None:
        for coll in _AGENT_OWNED:
            self.db.delete_many(coll, {"agent_id": agent_id})
        self.leads.delete(agent_id)
        self.db.delete_many("agent_settings", {"_id": agent_id})
        self.db.delete_many("agents", {"_id": agent_id})

    def delete_user(self, user_id: int) -> None:
        for agent in self.agents.list(user_id):
            self.delete_agent(agent.id)
        for coll in ("datasources", "cloud_files", "provider_tokens", "runs", "matches"):
            self.db.delete_many(coll, {"user_id": user_id})
        self.db.delete_many("users", {"_id": user_id})

    def purge(self, keep_events_days: int) -> dict[str, int]:
        """Drop events older than ``keep_events_days`` and revocations of expired tokens."""

        return {
            "events": self.events.purge(utcnow() - timedelta(days=keep_events_days)),
            "revoked_tokens": self.revoked_tokens.purge(),
        }

    def info(self) -> dict[str, Any]:
        present = set(self.db.collection_names())
        return {
            "backend": self.db.kind,
            "url": mask_url(self.db.url),
            "schema_version": applied_version(self.db),
            "latest_schema_version": SCHEMA_VERSION,
            "collections": {
                name: self.db.count(name) if name in present else 0 for name in COLLECTIONS
            },
        }

    def close(self) -> None:
        self.db.close()


def open_backend(url: str, timeout_ms: int | None = None) -> Backend:
    """The backend for ``url``; ``timeout_ms`` bounds how long MongoDB is waited for."""
    if backend_kind(url) == "sqlite":
        return SQLiteBackend(url)

    return MongoBackend(url) if timeout_ms is None else MongoBackend(url, timeout_ms=timeout_ms)


def open_store(url: str, migrate_now: bool = True, timeout_ms: int | None = None) -> Store:
    store = Store(open_backend(url, timeout_ms))
    if migrate_now:
        store.migrate()
    return store
