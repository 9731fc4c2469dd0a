"""Agent API (`/api`): control, tasks, matches, settings, data sources, uploads."""

from __future__ import annotations

import asyncio
from typing import Any

from bson import ObjectId
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from quart import Blueprint, jsonify, request
from quart_schema import document_request

from elinara.agent import datasources, lifecycle, uploads
from elinara.agent.checks import EXECUTION_MODES
from elinara.agent.llm.registry import PROVIDERS
from elinara.errors import BadInput, NotFound
from elinara.models import Agent
from elinara.server.limits import MAX_PAGE
from elinara.server.web import (
    add_connection_email_routes,
    ctx,
    current_user,
    json_body,
    one_of,
    parse_body,
    query_int,
    validation_error,
)
from elinara.views import datasource_view, match_view, settings_view, task_statuses, task_view

bp = Blueprint("agent", __name__, url_prefix="/api")


class ControlBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    action: str = one_of(lifecycle.ACTIONS)
    agent_id: int | str | None = None
    execution_mode: str | None = one_of(EXECUTION_MODES, optional=True)


class ConfigBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = Field(max_length=120)
    agent_id: int | str | None = None
    provider: str | None = one_of(PROVIDERS, optional=True)


class TaskBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    filename: str = Field(min_length=1, max_length=255)
    phone: str = Field(default="", max_length=40)
    agent_id: int | str | None = None


class SettingsBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    agent_id: int | str | None = None
    alert_emails: list[str] | str | None = None
    execution_mode: str | None = one_of(EXECUTION_MODES, optional=True)
    execution_interval: int | str | None = None
    scheduled_time: str | None = None
    llm_provider: str | None = one_of(PROVIDERS, optional=True)
    llm_model: str | None = None
    min_score: int | str | None = None
    max_cost_usd: float | str | None = None
    max_calls: int | str | None = None


class IdsBody(BaseModel):
    ids: list[str]


def _agent(agent_id: Any) -> Agent:
    """The caller's agent by id, or their default agent when none is given."""
    c = ctx()
    me = current_user()
    if agent_id in (None, ""):
        return lifecycle.default_agent(c.store, c.settings, me.id)
    return lifecycle.owned_agent(c.store, agent_id, me.id, me.is_administrator)


def _my_agent_ids() -> list[int]:
    return [p.id for p in ctx().store.agents.list(current_user().id)]


def _listed_agent_ids(agent_id: str | None) -> list[int]:
    """The agent a list asks for (``?agent_id=``), else all the caller's agents."""
    return [_agent(agent_id).id] if agent_id else _my_agent_ids()


# -- control -------------------------------------------------------------------------------------
@bp.get("/agent/status")
async def agent_status() -> Any:
    agent_id = request.args.get("agent_id")

    def fetch() -> Any:  # store reads: off the event loop
        return lifecycle.status_view(ctx().store, ctx().settings, _agent(agent_id))

    return await asyncio.to_thread(fetch)


@bp.post("/agent/control")
@document_request(ControlBody)
async def agent_control() -> Any:
    data = await json_body({})
    if isinstance(data, str):
        data = {"action": data}
    if not isinstance(data, dict):
        raise BadInput(
            'Send {"action": "start"|"stop"|"pause"|"resume"}.', errors={"action": "required"}
        )
    try:
        body = ControlBody.model_validate({**data, "action": str(data.get("action") or "")})
    except ValidationError as exc:
        raise validation_error(exc) from None
    c = ctx()
    agent = await asyncio.to_thread(_agent, body.agent_id)
    message, conf = await asyncio.to_thread(  # may wait for another server's start of it
        lifecycle.control_agent,
        c.store,
        c.settings,
        c.bus,
        agent,
        body.action.strip().lower(),
        body.execution_mode,
    )
    return {"msg": message, "status": conf.agent_status, "agent_settings": settings_view(conf)}


@bp.post("/agent/config")
@document_request(ConfigBody)
async def agent_config() -> Any:
    body = await parse_body(ConfigBody)
    c = ctx()
    changes: dict[str, Any] = {"llm_model": body.model}
    if body.provider:
        changes["llm_provider"] = body.provider
    agent = await asyncio.to_thread(_agent, body.agent_id)
    conf = await asyncio.to_thread(lifecycle.update_settings, c.store, c.settings, agent, changes)
    return {"msg": f"Model set to {conf.llm_model}", "selected_model": conf.llm_model}


@bp.post("/agent/task")
@document_request(TaskBody)
async def agent_task() -> Any:
    body = await parse_body(TaskBody)
    c = ctx()
    agent = await asyncio.to_thread(_agent, body.agent_id)
    run = await asyncio.to_thread(
        lifecycle.queue_task, c.store, c.settings, c.bus, agent, body.filename, body.phone
    )
    return {"msg": "Task queued", "task_id": run.id}, 202


@bp.get("/agent/task/<task_id>")
async def agent_task_get(task_id: str) -> Any:
    def fetch() -> Any:
        run = ctx().store.runs.get(task_id)
        if run is None or run.agent_id not in _my_agent_ids():
            raise NotFound(f"Task {task_id} not found.")
        return task_view(run)

    return await asyncio.to_thread(fetch)


@bp.get("/agent/tasks")
async def agent_tasks() -> Any:
    status = request.args.get("status") or None
    limit = query_int("limit", 50, minimum=1, maximum=MAX_PAGE) or 50
    ids_wanted = request.args.get("agent_id")

    def fetch() -> list[dict[str, Any]]:  # store reads: off the event loop
        ids = _listed_agent_ids(ids_wanted)
        runs = [  # filtered in the store, so that the limit counts matching tasks only
            run
            for stored in (task_statuses(status) if status else [None])
            for run in ctx().store.runs.list(agent_ids=ids, kind="task", status=stored, limit=limit)
        ]
        runs.sort(key=lambda r: r.created_at, reverse=True)
        return [task_view(r) for r in runs[:limit]]

    return jsonify(await asyncio.to_thread(fetch))


@bp.get("/agent/matches")
async def agent_matches() -> Any:
    task_id = request.args.get("task_id") or None
    min_score = query_int("min_score", None, minimum=0, maximum=100)
    limit = query_int("limit", 100, minimum=1, maximum=MAX_PAGE) or 100
    offset = query_int("offset", 0) or 0
    ids_wanted = request.args.get("agent_id")

    def fetch() -> list[dict[str, Any]]:  # store reads: off the event loop
        found = ctx().store.matches.list(
            agent_ids=_listed_agent_ids(ids_wanted),
            run_id=task_id,
            min_score=min_score,
            limit=limit,
            offset=offset,
        )
        return [match_view(m) for m in found]

    return jsonify(await asyncio.to_thread(fetch))


# -- settings ------------------------------------------------------------------------------------
@bp.get("/config/update")
async def settings_get() -> Any:
    c = ctx()
    agent_id = request.args.get("agent_id")
    return await asyncio.to_thread(
        lambda: settings_view(lifecycle.settings_for(c.store, c.settings, _agent(agent_id)))
    )


@bp.post("/config/update")
@document_request(SettingsBody)
async def settings_post() -> Any:
    body = await parse_body(SettingsBody)
    c = ctx()
    agent = await asyncio.to_thread(_agent, body.agent_id)
    changes = body.model_dump(exclude_unset=True, exclude={"agent_id"})
    conf = await asyncio.to_thread(
        lifecycle.update_settings, c.store, c.settings, agent, changes, c.bus
    )
    return settings_view(conf)


add_connection_email_routes(bp)


# -- data sources --------------------------------------------------------------------------------
def _owned_source(source_id: str) -> Any:
    if not ObjectId.is_valid(source_id):
        raise NotFound(f"Data source {source_id} not found.")
    source = ctx().store.datasources.get(source_id)
    me = current_user()
    if source is None or (source.user_id != me.id and not me.is_administrator):
        raise NotFound(f"Data source {source_id} not found.")
    return source


async def _views(sources: list[Any]) -> list[dict[str, Any]]:
    agents = await asyncio.to_thread(ctx().store.agents.list, current_user().id)
    names = {p.id: p.name for p in agents}
    return [datasource_view(s, names.get(s.agent_id, "")) for s in sources]


@bp.get("/datasources")
async def datasources_list() -> Any:
    me = current_user()
    agent_id = request.args.get("process_id")
    pid = (await asyncio.to_thread(_agent, agent_id)).id if agent_id else None
    store = ctx().store
    sources = await asyncio.to_thread(store.datasources.list, user_id=me.id, agent_id=pid)
    return jsonify(await _views(sources))


@bp.get("/user/datasources")
async def user_datasources() -> Any:
    sources = await asyncio.to_thread(ctx().store.datasources.list, user_id=current_user().id)
    return jsonify(await _views(sources))


@bp.post("/datasources")
async def datasources_create() -> Any:
    data = await json_body(None)
    items = data if isinstance(data, list) else [data]
    if data is None or not items:
        raise BadInput("Send a data source object or a list of them.", errors={"body": "required"})
    c = ctx()
    me = current_user()
    created = await asyncio.to_thread(  # an administrator is an operator (agent/uploads.py)
        datasources.add_datasources,
        c.store,
        c.settings,
        me,
        items,
        isinstance(data, list),
        me.is_administrator,
    )
    views = await _views(created)
    if isinstance(data, list):
        return {"msg": f"Created {len(views)} data sources", "datasources": views}, 201
    return {"msg": "Data source created", "datasource": views[0]}, 201


@bp.delete("/datasources")
@document_request(IdsBody)
async def datasources_delete_many() -> Any:
    body = await parse_body(IdsBody)
    ids = [i for i in body.ids if ObjectId.is_valid(i)]
    deleted = await asyncio.to_thread(
        ctx().store.datasources.delete_many, ids, user_id=current_user().id
    )
    return {"msg": f"Deleted {deleted} data source(s)", "deleted": deleted}


@bp.get("/datasources/<source_id>")
async def datasource_get(source_id: str) -> Any:
    source = await asyncio.to_thread(_owned_source, source_id)
    return (await _views([source]))[0]


@bp.put("/datasources/<source_id>")
async def datasource_put(source_id: str) -> Any:
    source = await asyncio.to_thread(_owned_source, source_id)
    data = await json_body({})
    if not isinstance(data, dict):
        raise BadInput("The request body must be a JSON object.")
    c = ctx()
    admin = current_user().is_administrator
    updated = await asyncio.to_thread(
        datasources.update_datasource, c.store, c.settings, source, data, admin
    )
    return {"msg": "Data source updated", "datasource": (await _views([updated]))[0]}


@bp.delete("/datasources/<source_id>")
async def datasource_delete(source_id: str) -> Any:
    source = await asyncio.to_thread(_owned_source, source_id)
    await asyncio.to_thread(ctx().store.datasources.delete_many, [source.id])
    return {"msg": "Data source deleted"}


# -- uploads -------------------------------------------------------------------------------------
@bp.post("/files")
async def upload_file() -> Any:
    files = await request.files
    upload = files.get("file")
    if upload is None or not upload.filename:
        raise BadInput(
            "Send the spreadsheet as multipart form field 'file'.", errors={"file": "required"}
        )
    saved = await asyncio.to_thread(
        uploads.save_upload, ctx().settings, current_user().id, upload.filename, upload.stream
    )
    return {"msg": "File uploaded", "file": saved}, 201


@bp.get("/files")
async def list_files() -> Any:
    found = await asyncio.to_thread(uploads.list_uploads, ctx().settings, current_user().id)
    return jsonify(found)


@bp.delete("/files/<name>")
async def delete_file(name: str) -> Any:
    deleted = await asyncio.to_thread(
        uploads.delete_upload, ctx().settings, current_user().id, name
    )
    return {"msg": f"Deleted {deleted}"}
