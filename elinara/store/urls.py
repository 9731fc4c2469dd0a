"""Database URLs: which backend they select, and how to show them without the password."""

from __future__ import annotations

import re

from elinara.errors import StoreUnavailable

_USERINFO = re.compile(r"^(?P<scheme>[a-z+]+://)(?P<user>[^:@/]*):(?P<password>[^@/]*)@")


def mask_url(url: str) -> str:
    return _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:****@", url)


def backend_kind(url: str) -> str:
    if url.startswith("sqlite:///"):
        return "sqlite"
    if url.startswith(("mongodb://", "mongodb+srv://")):
        return "mongodb"
    raise StoreUnavailable(
        f"Unsupported database URL {mask_url(url)!r}: use sqlite:///path/to/elinara.db, "
        "mongodb://host:port/db or mongodb+srv://host/db (ELINARA_DATABASE_URL)."
    )
