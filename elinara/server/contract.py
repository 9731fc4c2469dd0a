"""The OpenAPI document (`/api/openapi.json`) as a contract a fuzzer can check: every operation
declares the status codes it may answer, its request body, its query parameters, its success
body, its error body, and the session it needs.

Everything is declared here in one place rather than on each route: the answers of the checks
that run before any route (400 bad input, 401 no session, 403 CSRF / not allowed, 404, 413 too
large, 415 not JSON, 429 throttled); the success status of each route (200 unless listed in
``SUCCESS``); the shape of each success body (``RESPONSES``) and of each request body the routes'
``document_request`` models do not already declare (``REQUESTS``, ``ALSO_ACCEPTS``), of each
query parameter (``QUERIES``), built from the named shapes in
``SHAPES`` (CONTRACT.md, docs/api.md). The shapes describe what the routes send and accept; they
are permissive where the contract is (unlisted properties are allowed)."""

from __future__ import annotations

from typing import Any

from quart_schema.openapi import OpenAPIProvider

from elinara.agent.checks import EXECUTION_MODES, TRIGGER_TYPES
from elinara.agent.datasources import PLATFORMS
from elinara.agent.inputs import PLATFORM_ALIASES
from elinara.agent.lifecycle import ACTIONS
from elinara.agent.stages import STAGE_KEYS
from elinara.cloud import DRIVE_PROVIDERS, OAUTH_PROVIDERS
from elinara.models import MAX_ID
from elinara.server.limits import MAX_CLOUD_ID, MAX_PAGE

ERROR_SCHEMA = {
    "type": "object",
    "required": ["msg"],
    "properties": {
        "msg": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
        "code": {"type": "string"},
        "id": {"type": "string"},
    },
}
ERRORS = {
    "400": "Bad input: malformed or invalid body, query or path",
    "401": "No session, or it expired",
    "403": "CSRF token missing or incorrect, cross-site request, or not allowed",
    "404": "Not found (or another user's)",
    "405": "Method not allowed on this path",
    "409": "Conflict with what exists",
    "413": "The request body is too large",
    "415": "The body must be JSON",
    "429": "Too many attempts; retry later",
    "503": "A provider or the database is not available",
}
# (method, path) -> the success status, where it is not 200 (CONTRACT.md).
SUCCESS = {
    ("post", "/api/v1/user/register"): "201",
    ("post", "/api/v1/user/dao"): "201",
    ("post", "/api/v1/admin/processes"): "201",
    ("post", "/api/datasources"): "201",
    ("post", "/api/files"): "201",
    ("post", "/api/agent/task"): "202",
}

REDIRECTS = ("/auth2/", "/api/v1/auth2/")
# Routes whose success is a redirect (to the provider, or back to the frontend): no JSON body.
REDIRECT_ONLY = ("signin", "login", "callback")

# -- the shapes of bodies (CONTRACT.md, docs/api.md) ----------------------------------------------
# Permissive where the contract is: every object allows more properties than it lists.
STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NUMBER = {"type": "number"}
ANY: dict[str, Any] = {}
OPT_STR = {"type": ["string", "null"]}
STRINGS = {"type": "array", "items": STR}


def obj(required: tuple[str, ...] = (), **properties: Any) -> dict[str, Any]:
    """A JSON object with these properties, of which ``required`` must be present."""
    shape: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        shape["required"] = list(required)
    return shape


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def every(shape: dict[str, Any]) -> dict[str, Any]:
    """An object whose listed properties are all required."""
    return {**shape, "required": list(shape["properties"])}


_CONNECTION = obj(("connected", "email"), connected=BOOL, email=OPT_STR)
_STAGE = obj(
    ("current", "total", "percentage", "status"),
    current=INT,
    total=INT,
    percentage=NUMBER,
    status={"enum": ["pending", "tracking", "completed", "error"]},
    label=STR,
)
# the values the contract fixes (CONTRACT.md), where the engine does not already hold them
TASK_STATUSES = ["queued", "processing", "completed", "failed", "cancelled"]
AGENT_STATUSES = ["active", "stopped", "paused"]
SHAPES: dict[str, dict[str, Any]] = {
    "Error": ERROR_SCHEMA,
    "Message": obj(("msg",), msg=STR),
    # what `ok()` answers (elinara/server/web.py)
    "Done": obj(("status_code", "msg", "message"), status_code=INT, msg=STR, message=STR),
    "User": every(
        obj(
            id=INT,
            username=STR,
            email=STR,
            firstname=OPT_STR,
            lastname=OPT_STR,
            phone=OPT_STR,
            country=OPT_STR,
            address=OPT_STR,
            postal_code=OPT_STR,
            role={"enum": ["admin", "user"]},
            is_administrator=BOOL,
            email_verified=BOOL,
            has_drive_access=BOOL,
            has_microsoft_drive_access=BOOL,
            providers=every(obj(google=_CONNECTION, microsoft=_CONNECTION, github=_CONNECTION)),
            created_at=OPT_STR,
        )
    ),
    "Process": every(
        obj(
            id=INT,
            user_id=INT,
            name=STR,
            status={"enum": ["idle", "running", "paused", "completed", "failed"]},
            trigger_type={"enum": list(TRIGGER_TYPES)},
            config_snapshot={"type": "object"},
            created_at=OPT_STR,
            updated_at=OPT_STR,
        )
    ),
    "Pipeline": every(obj(**{key: _STAGE for key in STAGE_KEYS})),
    "AgentStatus": every(
        obj(
            id=ANY,
            agent_id=INT,
            agent_status={"enum": AGENT_STATUSES},
            plan=STR,
            selected_model=OPT_STR,
            provider=OPT_STR,
            execution_mode={"enum": list(EXECUTION_MODES)},
            next_run=OPT_STR,
            last_run=OPT_STR,
            pipeline=ref("Pipeline"),
        )
    ),
    "AgentSettings": every(
        obj(
            id=ANY,
            user_id=INT,
            agent_id=ANY,
            agent_status={"enum": AGENT_STATUSES},
            execution_mode={"enum": list(EXECUTION_MODES)},
            execution_interval={"type": "integer", "minimum": 1},
            scheduled_time={"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
            alert_emails=STRINGS,
            llm_provider=STR,
            llm_model=STR,
            min_score=INT,
            next_run=OPT_STR,
            last_run=OPT_STR,
        )
    ),
    "AgentTask": obj(
        (
            "id",
            "agent_id",
            "filename",
            "phone",
            "status",
            "progress",
            "message",
            "created_at",
            "updated_at",
        ),
        id=STR,
        agent_id=INT,
        filename=STR,
        phone=STR,
        status={"enum": TASK_STATUSES},
        progress={"type": "integer", "minimum": 0, "maximum": 100},
        message=OPT_STR,
        created_at=OPT_STR,
        updated_at=OPT_STR,
        result=every(obj(leads=INT, calls=INT, matches=INT)),
    ),
    "Match": every(
        obj(
            id=STR,
            aviso_id=STR,
            title=OPT_STR,
            match_score={"type": "integer", "minimum": 0, "maximum": 100},
            reasoning=STR,
            matched_at=OPT_STR,
            task_id=OPT_STR,
            agent_id=INT,
            company=OPT_STR,
            nif=OPT_STR,
            eligible=BOOL,
            provider=OPT_STR,
            model=OPT_STR,
        )
    ),
    "DataSource": every(
        obj(
            id=STR,
            user_id=INT,
            process_id=STR,
            agent_id=INT,
            agent_name=STR,
            platform={"enum": list(PLATFORMS)},
            resource_identifier=OPT_STR,
            resource_name=OPT_STR,
            resource_format=OPT_STR,
            config={"type": ["array", "object"]},
            created_at=OPT_STR,
            updated_at=OPT_STR,
        )
    ),
    "Upload": obj(("name", "size", "uploaded_at"), name=STR, size=INT, uploaded_at=STR),
    "SavedCloudFile": obj(("id", "name", "provider"), id=STR, name=STR, provider=STR),
    "DriveFile": obj(
        ("id", "name", "mimeType", "is_folder"),
        id=STR,
        name=STR,
        mimeType=STR,
        is_folder=BOOL,
        webViewLink=OPT_STR,
        iconLink=OPT_STR,
    ),
}

_DATASOURCE_FIELDS: dict[str, Any] = {
    "resource_identifier": STR,
    "resource_name": STR,
    "resource_format": STR,
    "config": array({"type": "object"}),
    "process_id": {"type": ["integer", "string"]},
    "agent_id": {"type": ["integer", "string"]},
}
# what a PUT changes
_DATASOURCE_INPUT = obj(platform={"enum": [*PLATFORMS, *PLATFORM_ALIASES]}, **_DATASOURCE_FIELDS)
# a new source: a file (a drive's id, or an upload's name) names it; a funding-calls API is the
# Portugal 2030 one unless its config[0] gives {name, query_url, download_url}
_NEW_DATASOURCE = {
    "anyOf": [
        obj(
            ("platform", "resource_identifier"),
            **{
                **_DATASOURCE_FIELDS,
                "platform": {
                    "enum": [p for p in (*PLATFORMS, *PLATFORM_ALIASES) if p != "external_api"]
                },
                "resource_identifier": {"type": "string", "pattern": r"\S"},
            },
        ),
        obj(("platform",), **{**_DATASOURCE_FIELDS, "platform": {"const": "external_api"}}),
    ]
}
_EMAILS = obj(
    ("connection_emails",), connection_emails=array({"type": "string", "format": "email"})
)
_USER_ANSWER = obj(
    ("success", "status_code", "user"), success=BOOL, status_code=INT, user=ref("User")
)
_DRIVE_LISTING = obj(
    ("success", "data"),
    success=BOOL,
    data=obj(("files", "folder_id"), files=array(ref("DriveFile")), folder_id=STR),
)

# (method, path) -> the request body the route reads, where no ``document_request`` model
# declares it: (content type, schema, required).
REQUESTS: dict[tuple[str, str], tuple[str, dict[str, Any], bool]] = {
    ("post", "/api/v1/auth/logout"): ("application/json", obj(mode=STR), False),
    ("post", "/api/v1/config/connection-emails"): ("application/json", _EMAILS, True),
    ("post", "/api/config/connection-emails"): ("application/json", _EMAILS, True),
    ("post", "/api/datasources"): (
        "application/json",
        {"anyOf": [_NEW_DATASOURCE, {**array(_NEW_DATASOURCE), "minItems": 1}]},
        True,
    ),
    ("put", "/api/datasources/{source_id}"): ("application/json", _DATASOURCE_INPUT, True),
    ("post", "/api/files"): (
        "multipart/form-data",
        obj(("file",), file={"type": "string", "format": "binary"}),
        True,
    ),
}
# (method, path) -> another form of body the route takes besides its model's (CONTRACT.md §3:
# a bare JSON string is the action).
ALSO_ACCEPTS: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/agent/control"): {"enum": list(ACTIONS)},
}
# Unsafe operations that read no body.
NO_BODY = {
    ("post", "/api/v1/auth/disconnect/{provider}"),
    ("post", "/api/v1/auth2/github/logout"),
    ("post", "/auth2/github/logout"),
}


def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    """An optional query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_PAGE = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
_DEFAULT_AGENT = query(
    "agent_id", _ID, "The agent (a Process id); none: the caller's default agent"
)
_ANY_AGENT = query("agent_id", _ID, "The agent (a Process id); none: all the caller's agents")
_FOLDER = query(
    "folder_id", {"type": "string", "maxLength": MAX_CLOUD_ID}, "The folder to list; none: the root"
)
_CALLBACK = (
    query("state", STR, "The state sent with the sign-in (checked against its cookie)"),
    query("code", STR, "The provider's authorization code"),
    query("error", STR, "The provider's refusal"),
)
# (method, path) -> the query parameters the route reads.
QUERIES: dict[tuple[str, str], tuple[dict[str, Any], ...]] = {
    ("get", "/api/agent/status"): (_DEFAULT_AGENT,),
    ("get", "/api/config/update"): (_DEFAULT_AGENT,),
    ("get", "/api/agent/tasks"): (
        _ANY_AGENT,
        query(
            "status",
            {"enum": TASK_STATUSES},
            "Only tasks in this state",
        ),
        query("limit", _PAGE, "At most this many tasks (default 50)"),
    ),
    ("get", "/api/agent/matches"): (
        _ANY_AGENT,
        query("task_id", STR, "Only the matches of this task"),
        query(
            "min_score", {"type": "integer", "minimum": 0, "maximum": 100}, "Only from this score"
        ),
        query("limit", _PAGE, "At most this many matches (default 100)"),
        query("offset", {"type": "integer", "minimum": 0, "maximum": MAX_ID}, "Skip this many"),
    ),
    ("get", "/api/datasources"): (
        query("process_id", _ID, "Only this agent's data sources (a Process id)"),
    ),
    ("get", "/api/v1/drive/files"): (_FOLDER,),
    ("get", "/api/v1/drive/microsoft/files"): (_FOLDER,),
    ("get", "/api/v1/auth2/{provider}/callback"): _CALLBACK,
    ("get", "/auth2/{provider}/callback"): _CALLBACK,
}

# (method, path) -> the success body.
RESPONSES: dict[tuple[str, str], dict[str, Any]] = {
    ("get", "/api/health"): obj(
        ("status", "version", "database"),
        status={"enum": ["ok", "degraded"]},
        version=STR,
        database=STR,
    ),
    ("post", "/api/v1/auth/login"): obj(
        ("success", "status_code", "msg", "user"),
        success={"const": True},
        status_code=INT,
        msg=STR,
        user=ref("User"),
    ),
    ("post", "/api/v1/auth/logout"): ref("Done"),
    ("post", "/api/v1/auth/disconnect/{provider}"): ref("Done"),
    ("post", "/api/v1/user/register"): ref("Done"),
    ("get", "/api/v1/admin/user"): obj(
        ("success", "user"), success=BOOL, user={"anyOf": [ref("User"), {"type": "null"}]}
    ),
    ("post", "/api/v1/user/dao"): obj(("status_code", "user"), status_code=INT, user=ref("User")),
    ("get", "/api/v1/user/dao/{user_id}"): _USER_ANSWER,
    ("put", "/api/v1/user/dao/{user_id}"): _USER_ANSWER,
    ("delete", "/api/v1/user/dao/{user_id}"): ref("Done"),
    ("get", "/api/v1/user/export"): obj(
        ("status_code", "data"),
        status_code=INT,
        data=every(
            obj(
                user=ref("User"),
                processes=array(ref("Process")),
                datasources=array(ref("DataSource")),
                settings={"type": "array"},
                tasks=array(ref("AgentTask")),
                matches=array(ref("Match")),
            )
        ),
    ),
    ("get", "/api/v1/user/manager"): obj(
        ("status_code", "users"), status_code=INT, users=array(ref("User"))
    ),
    ("get", "/api/v1/admin/processes"): array(ref("Process")),
    ("post", "/api/v1/admin/processes"): ref("Process"),
    ("get", "/api/v1/admin/processes/{process_id}"): ref("Process"),
    ("put", "/api/v1/admin/processes/{process_id}"): ref("Process"),
    ("delete", "/api/v1/admin/processes/{process_id}"): ref("Message"),
    ("get", "/api/v1/cloud-files"): obj(
        ("success", "files"), success=BOOL, files=array(ref("SavedCloudFile"))
    ),
    ("post", "/api/v1/cloud-files"): ref("Done"),
    ("get", "/api/v1/config/connection-emails"): _EMAILS,
    ("post", "/api/v1/config/connection-emails"): _EMAILS,
    ("get", "/api/config/connection-emails"): _EMAILS,
    ("post", "/api/config/connection-emails"): _EMAILS,
    ("get", "/api/v1/drive/files"): _DRIVE_LISTING,
    ("get", "/api/v1/drive/microsoft/files"): _DRIVE_LISTING,
    ("get", "/api/v1/drive/file/{file_id}"): ref("DriveFile"),
    ("get", "/api/v1/drive/microsoft/file/{file_id}"): ref("DriveFile"),
    ("get", "/api/v1/cloud/files"): obj(
        ("count", "data"),
        count=INT,
        data=array(
            obj(
                ("provider", "status", "files"),
                provider={"enum": list(DRIVE_PROVIDERS)},
                status={"enum": ["success", "error"]},
                message=STR,
                files=array(obj(("id", "name"), id=STR, name=STR)),
            )
        ),
    ),
    ("get", "/api/v1/auth2/google/logout"): ref("Done"),
    ("post", "/api/v1/auth2/github/logout"): ref("Done"),
    ("get", "/auth2/google/logout"): ref("Done"),
    ("post", "/auth2/github/logout"): ref("Done"),
    ("get", "/api/agent/status"): ref("AgentStatus"),
    ("post", "/api/agent/control"): obj(
        ("msg", "status", "agent_settings"),
        msg=STR,
        status=STR,
        agent_settings=ref("AgentSettings"),
    ),
    ("post", "/api/agent/config"): obj(("msg", "selected_model"), msg=STR, selected_model=STR),
    ("post", "/api/agent/task"): obj(("msg", "task_id"), msg=STR, task_id=STR),
    ("get", "/api/agent/task/{task_id}"): ref("AgentTask"),
    ("get", "/api/agent/tasks"): array(ref("AgentTask")),
    ("get", "/api/agent/matches"): array(ref("Match")),
    ("get", "/api/config/update"): ref("AgentSettings"),
    ("post", "/api/config/update"): ref("AgentSettings"),
    ("get", "/api/datasources"): array(ref("DataSource")),
    ("get", "/api/user/datasources"): array(ref("DataSource")),
    ("post", "/api/datasources"): {
        "anyOf": [
            obj(("msg", "datasource"), msg=STR, datasource=ref("DataSource")),
            obj(("msg", "datasources"), msg=STR, datasources=array(ref("DataSource"))),
        ]
    },
    ("delete", "/api/datasources"): obj(("msg", "deleted"), msg=STR, deleted=INT),
    ("get", "/api/datasources/{source_id}"): ref("DataSource"),
    ("put", "/api/datasources/{source_id}"): obj(
        ("msg", "datasource"), msg=STR, datasource=ref("DataSource")
    ),
    ("delete", "/api/datasources/{source_id}"): ref("Message"),
    ("post", "/api/files"): obj(("msg", "file"), msg=STR, file=ref("Upload")),
    ("get", "/api/files"): array(ref("Upload")),
    ("delete", "/api/files/{name}"): ref("Message"),
}


def redirect_only(path: str) -> bool:
    """An OAuth route that answers only with a redirect (or an error)."""
    return path.startswith(REDIRECTS) and path.rsplit("/", 1)[-1] in REDIRECT_ONLY


class ContractProvider(OpenAPIProvider):
    def schema(self) -> dict[str, Any]:
        document = super().schema()
        schemas = document["components"].setdefault("schemas", {})
        clashes = set(schemas) & set(SHAPES)  # a request model of the same name: keep both
        if clashes:
            raise RuntimeError(f"shape names already used by request models: {sorted(clashes)}")
        schemas.update(SHAPES)
        document["components"].setdefault("securitySchemes", {})["session"] = {
            "type": "apiKey",
            "in": "cookie",
            "name": "access_token_cookie",
        }
        error = {"application/json": {"schema": ref("Error")}}
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or method == "parameters":
                    continue
                if (method, path) in REQUESTS and "requestBody" not in operation:
                    content_type, body, required = REQUESTS[(method, path)]
                    operation["requestBody"] = {
                        "required": required,
                        "content": {content_type: {"schema": body}},
                    }
                if (method, path) in ALSO_ACCEPTS:
                    media = operation["requestBody"]["content"]["application/json"]
                    media["schema"] = {"anyOf": [media["schema"], ALSO_ACCEPTS[(method, path)]]}
                parameters = operation.setdefault("parameters", [])
                for parameter in parameters:
                    if parameter["in"] == "path" and parameter["name"] == "provider":
                        parameter["schema"] = {"enum": list(OAUTH_PROVIDERS)}
                parameters.extend(QUERIES.get((method, path), ()))
                responses = operation.setdefault("responses", {})
                if redirect_only(path):
                    responses.pop("200", None)  # quart-schema's default; these only redirect
                    responses["302"] = {"description": "To the provider or back"}
                else:
                    success = SUCCESS.get((method, path), "200")
                    shape = RESPONSES.get((method, path), {})
                    responses[success] = {
                        "description": "Done",
                        "content": {"application/json": {"schema": shape}},
                    }
                for status, description in ERRORS.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return document
