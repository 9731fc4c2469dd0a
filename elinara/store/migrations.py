"""Ordered, recorded schema migrations (indexes, mostly). Append; never edit a released one."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from elinara.store.backend import Backend, Duplicate
from elinara.times import now_iso

MIGRATIONS_COLLECTION = "_migrations"

# Every collection the store keeps, in the order `db info` lists them.
COLLECTIONS = (
    "users",
    "agents",
    "agent_settings",
    "datasources",
    "cloud_files",
    "runs",
    "matches",
    "leads",
    "calls",
    "events",
    "llm_calls",
    "verdicts",
    "revoked_tokens",
    "provider_tokens",
    "file_versions",
    "locks",
    "notices",
    "login_failures",
)


def _initial(db: Backend) -> None:
    db.ensure_index("users", [("email", 1)], unique=True)
    db.ensure_index("users", [("username", 1)], unique=True)
    db.ensure_index("processes", [("user_id", 1)])
    db.ensure_index("agent_settings", [("user_id", 1)])
    db.ensure_index("datasources", [("user_id", 1), ("process_id", 1)])
    db.ensure_index("cloud_files", [("user_id", 1)])
    db.ensure_index("runs", [("status", 1), ("created_at", 1)])
    db.ensure_index("runs", [("agent_id", 1), ("created_at", -1)])
    db.ensure_index("runs", [("user_id", 1), ("created_at", -1)])
    db.ensure_index("matches", [("agent_id", 1), ("nif", 1), ("aviso_id", 1)], unique=True)
    db.ensure_index("matches", [("agent_id", 1), ("match_score", -1)])
    db.ensure_index("matches", [("user_id", 1), ("match_score", -1)])
    db.ensure_index("leads", [("agent_id", 1)])
    db.ensure_index("events", [("seq", 1)], unique=True)
    db.ensure_index("events", [("run_id", 1), ("seq", 1)])
    db.ensure_index("events", [("created_at", 1)])
    db.ensure_index("llm_calls", [("created_at", 1)])
    db.ensure_index("llm_calls", [("run_id", 1)])
    db.ensure_index("revoked_tokens", [("expires_at", 1)])
    db.ensure_index("provider_tokens", [("provider", 1), ("subject", 1)])
    db.ensure_index("file_versions", [("datasource_id", 1)])


def _collections(db: Backend) -> None:
    """Make every collection exist, so `db info` shows the same list on both backends."""
    for name in COLLECTIONS:
        if name not in db.collection_names():
            db.insert(name, {"_id": "__init__"})
            db.delete_many(name, {"_id": "__init__"})


def _leads_by_id(db: Backend) -> None:
    """Leads are found by their ``_id`` prefix (``agent:key``); an index on ``agent_id`` only
    made every write of a big sheet slower."""
    db.drop_index("leads", "leads_agent_id")


def _agents_one_name(db: Backend) -> None:
    """Agents were "processes": their documents move to ``agents`` and a data source names its
    agent in ``agent_id`` (was ``process_id``). Safe to run twice or in two processes at once."""
    docs = db.find("processes")
    if docs:
        db.upsert_many(
            "agents",
            [({"_id": d["_id"]}, {k: v for k, v in d.items() if k != "_id"}, {}) for d in docs],
        )
    db.drop_collection("processes")
    db.ensure_index("agents", [("user_id", 1)])
    old = db.find("datasources", {"process_id": {"$exists": True}})
    for agent_id in {d["process_id"] for d in old}:
        db.update_many(
            "datasources", {"process_id": agent_id}, {"agent_id": agent_id}, unset=["process_id"]
        )
    db.drop_index("datasources", "datasources_user_id_process_id")
    db.ensure_index("datasources", [("user_id", 1), ("agent_id", 1)])


def _notices(db: Backend) -> None:
    """Calls' notices, one per aviso code (its ``_id``); found again by content hash too."""
    if "notices" not in db.collection_names():
        db.insert("notices", {"_id": "__init__"})
        db.delete_many("notices", {"_id": "__init__"})
    db.ensure_index("notices", [("content_hash", 1)])


def _paged_matches_and_shared_throttle(db: Backend) -> None:
    """Match listings sorted by an index (best first), and login failures kept in the database
    so that every server process shares one throttle."""
    db.ensure_index(
        "matches", [("agent_id", 1), ("match_score", -1), ("matched_at", -1), ("_id", 1)]
    )
    db.ensure_index("login_failures", [("key", 1), ("at", 1)])
    db.ensure_index("login_failures", [("expires_at", 1)])
    _collections(db)


MIGRATIONS: list[tuple[int, str, Callable[[Backend], None]]] = [
    (1, "initial indexes", _initial),
    (2, "create every collection", _collections),
    (3, "leads found by their id prefix", _leads_by_id),
    (4, "agents: one name (processes -> agents, process_id -> agent_id)", _agents_one_name),
    (5, "notices of calls", _notices),
    (6, "matches paged by index, login failures shared", _paged_matches_and_shared_throttle),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def applied_version(db: Backend) -> int:
    done = db.find(MIGRATIONS_COLLECTION, sort=[("_id", -1)], limit=1)
    return int(done[0]["_id"]) if done else 0


def migrate(db: Backend) -> list[str]:
    """Apply pending migrations in order; return the names of those applied."""
    applied: list[str] = []
    current = applied_version(db)
    for version, name, step in MIGRATIONS:
        if version <= current:
            continue
        step(db)
        # Another process may apply it at the same time: the steps are idempotent.
        with contextlib.suppress(Duplicate):
            db.insert(
                MIGRATIONS_COLLECTION, {"_id": version, "name": name, "applied_at": now_iso()}
            )
        applied.append(name)
    return applied
