"""Database URLs: which backend they select, and how to show them without the password."""

from __future__ import annotations

import re

from elinara.errors import StoreUnavailable

# The password runs to the last '@': an unescaped '@' or '/' in it must not leave a piece showing.
_USERINFO = re.compile(
    r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^:@/]*):(?P<password>.*)@", re.DOTALL
)
# The same, for a URL typed without its scheme ("user:pass@host/db").
_BARE_USERINFO = re.compile(r"^(?P<scheme>)(?P<user>[^:@/]*):(?P<password>.*)@", re.DOTALL)


def mask_url(url: str) -> str:
    pattern = _USERINFO if "://" in url else _BARE_USERINFO
    return pattern.sub(lambda m: f"{m['scheme']}{m['user']}:****@", url)


def backend_kind(url: str) -> str:
    if url.startswith("sqlite:///"):
        return "sqlite"
    if url.startswith(("mongodb://", "mongodb+srv://")):
        return "mongodb"
    raise StoreUnavailable(
        f"Unsupported database URL {mask_url(url)!r}: use sqlite:///path/to/elinara.db, "
        "mongodb://host:port/db or mongodb+srv://host/db (ELINARA_DATABASE_URL)."
    )
