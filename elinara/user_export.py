"""A user's data as one JSON document (GET /api/v1/user/export), produced piece by piece: the
matches are read a page at a time, so an export of millions of rows never sits whole in memory
and each piece can be read off the server's event loop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from elinara.agent import lifecycle
from elinara.config import Settings
from elinara.models import User
from elinara.store import Store
from elinara.views import (
    datasource_view,
    match_view,
    process_view,
    settings_view,
    task_view,
    user_view,
)

PAGE = 1000


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def export_parts(store: Store, settings: Settings, user: User) -> Iterator[str]:
    """The pieces of ``{"status_code": 200, "data": {user, processes, datasources, settings,
    tasks, matches}}``, in order; joined they are the whole document. Each ``next`` does
    blocking store reads."""
    agents = store.agents.list(user.id)
    ids = [a.id for a in agents]
    names = {a.id: a.name for a in agents}
    yield '{"status_code": 200, "data": {"user": ' + _dumps(user_view(store, user))
    yield ', "processes": ' + _dumps([process_view(a) for a in agents])
    sources = store.datasources.list(user_id=user.id)
    yield ', "datasources": ' + _dumps(
        [datasource_view(s, names.get(s.agent_id, "")) for s in sources]
    )
    yield ', "settings": ' + _dumps(
        [settings_view(lifecycle.settings_for(store, settings, a)) for a in agents]
    )
    tasks = store.runs.list(agent_ids=ids, kind="task", limit=10_000)
    yield ', "tasks": ' + _dumps([task_view(r) for r in tasks])
    yield ', "matches": ['
    after, first = "", True
    while ids:
        page = store.matches.page_after(ids, after, PAGE)
        if not page:
            break
        text = ", ".join(_dumps(match_view(m)) for m in page)
        yield text if first else ", " + text
        first, after = False, page[-1].id
    yield "]}}"
