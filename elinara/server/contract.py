"""The OpenAPI document (`/api/openapi.json`) as a contract a fuzzer can check: every operation
declares the status codes it may answer, its error body, and the session it needs.

Request bodies come from the routes' ``document_request`` models. What every route shares is
added here in one place: the answers of the checks that run before any route (400 bad input, 401
no session, 403 CSRF / not allowed, 404, 413 too large, 415 not JSON, 429 throttled) and the
success status of each route (200 unless listed in ``SUCCESS``)."""

from __future__ import annotations

from typing import Any

from quart_schema.openapi import OpenAPIProvider

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


class ContractProvider(OpenAPIProvider):
    def schema(self) -> dict[str, Any]:
        document = super().schema()
        document["components"]["schemas"]["Error"] = ERROR_SCHEMA
        document["components"].setdefault("securitySchemes", {})["session"] = {
            "type": "apiKey",
            "in": "cookie",
            "name": "access_token_cookie",
        }
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or method == "parameters":
                    continue
                responses = operation.setdefault("responses", {})
                success = SUCCESS.get((method, path), "200")
                responses.setdefault(
                    success,
                    {
                        "description": "Done",
                        "content": {"application/json": {"schema": {}}},
                    },
                )
                if path.startswith(REDIRECTS):
                    responses.setdefault("302", {"description": "To the provider or back"})
                for status, description in ERRORS.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return document
