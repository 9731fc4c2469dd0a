"""The error hierarchy every edge converts.

The CLI turns an ElinaraError into one line on stderr and its ``exit_code``; the HTTP server
turns it into JSON ``{"msg": ...}`` with its ``http_status``. Anything else is a bug: the CLI
prints a one-line "internal error" and the server answers 500 with a correlation id.
"""

from __future__ import annotations


class ElinaraError(Exception):
    exit_code = 1
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(ElinaraError):
    """The caller gave something unusable (a file, an option, a request body)."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class NotFound(ElinaraError):
    exit_code = 2
    http_status = 404


class Conflict(ElinaraError):
    exit_code = 2
    http_status = 409


class Forbidden(ElinaraError):
    exit_code = 2
    http_status = 403


class ConfigError(ElinaraError):
    """Configuration is missing or malformed."""

    exit_code = 2
    http_status = 500


class StoreUnavailable(ElinaraError):
    """The database cannot be reached or its URL is malformed."""

    exit_code = 1
    http_status = 503


class SourceError(ElinaraError):
    """An outside data source (an API, a drive) failed after retries."""

    exit_code = 1
    http_status = 502


class RunCancelled(ElinaraError):
    """A run was asked to stop; raised at the next safe point."""

    exit_code = 1
    http_status = 409
