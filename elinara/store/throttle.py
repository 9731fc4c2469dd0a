"""Counting failed attempts (sign-ins, registrations) in the database, so that every server
process shares one count and a restart forgets nothing: a throttle kept in one process's memory
is reset by a restart and split by a second server."""

from __future__ import annotations

import time
import uuid
from typing import Protocol

from elinara.store.backend import Backend

COLLECTION = "login_failures"


class Throttle(Protocol):
    def retry_after(self, account: str, address: str) -> int: ...

    def failed(self, account: str, address: str) -> None: ...

    def succeeded(self, account: str) -> None: ...


class StoredThrottle:
    """Refuses attempts after ``per_account`` recent failures for one account or
    ``per_address`` for one client address, within ``window_seconds``. ``kind`` keeps the counts
    of different throttles apart. Blocking: each call reads or writes the database."""

    def __init__(
        self,
        db: Backend,
        kind: str,
        per_account: int = 5,
        per_address: int = 20,
        window_seconds: float = 900.0,
    ) -> None:
        self.db = db
        self.kind = kind
        self.per_account = per_account
        self.per_address = per_address
        self.window = window_seconds

    def _keys(self, account: str, address: str) -> tuple[tuple[str, int], ...]:
        return (
            (f"{self.kind}:a:{account}", self.per_account),
            (f"{self.kind}:i:{address}", self.per_address),
        )

    def retry_after(self, account: str, address: str) -> int:
        """Seconds to wait, or 0 when an attempt is allowed."""
        now = time.time()
        waits = []
        for key, limit in self._keys(account, address):
            recent = self.db.find(
                COLLECTION,
                {"key": key, "at": {"$gt": now - self.window}},
                sort=[("at", 1)],
                limit=limit,
            )
            if len(recent) >= limit:
                waits.append(int(self.window - (now - float(recent[0]["at"]))) + 1)
        return max(waits, default=0)

    def failed(self, account: str, address: str) -> None:
        now = time.time()
        self.db.delete_many(COLLECTION, {"expires_at": {"$lt": now}})  # indexed: cheap
        self.db.insert_many(
            COLLECTION,
            [
                {"_id": uuid.uuid4().hex, "key": key, "at": now, "expires_at": now + self.window}
                for key, _ in self._keys(account, address)
            ],
        )

    def succeeded(self, account: str) -> None:
        self.db.delete_many(COLLECTION, {"key": f"{self.kind}:a:{account}"})
