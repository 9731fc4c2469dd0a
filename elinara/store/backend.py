"""The document operations both database backends provide.

The domain repositories (``repos.py``) are written once against this small interface; each
backend maps it to its own engine (SQLite JSON documents, MongoDB collections). Filters use a
deliberately small subset of MongoDB's: top-level field names, equality (``None`` matches a
missing field), and the operators in ``OPERATORS``. Sorts are ``[(field, 1 | -1), ...]``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from elinara.errors import Conflict

Doc = dict[str, Any]
Filter = dict[str, Any]
Sort = list[tuple[str, int]]

OPERATORS = frozenset({"$in", "$nin", "$ne", "$lt", "$lte", "$gt", "$gte", "$exists"})
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Duplicate(Conflict):
    """A unique index refused a write."""


def check_field(name: str) -> str:
    if not _FIELD.match(name):
        raise ValueError(f"unsupported field name {name!r}")
    return name


def check_filter(flt: Filter | None) -> Filter:
    for name, cond in (flt or {}).items():
        check_field(name)
        if isinstance(cond, dict):
            unknown = set(cond) - OPERATORS
            if unknown:
                raise ValueError(f"unsupported filter operators {sorted(unknown)}")
    return flt or {}


def check_records(records: Sequence[tuple[str, Any]], extra: Doc, on_insert: Doc) -> None:
    """What ``prepare_put_many`` accepts: string ids; bodies of one dataclass (the first is
    checked); field names given once across the body, ``extra`` and ``on_insert``; strings,
    numbers or None in ``on_insert`` (SQLite would read a kept boolean back as 0 or 1)."""
    kind = type(records[0][1]) if records else None
    if kind is not None and not dataclasses.is_dataclass(kind):
        raise TypeError(f"prepare_put_many takes dataclass instances, not {kind.__name__}")
    names = {f.name for f in dataclasses.fields(kind)} if kind is not None else set()
    for name in (*extra, *on_insert):
        check_field(name)
        if name in names or (name in extra and name in on_insert):
            raise ValueError(f"field {name!r} is given twice (records, extra, on_insert)")
    if any(type(v) not in (str, int, float, type(None)) for v in on_insert.values()):
        raise TypeError("prepare_put_many keeps only strings and numbers in on_insert")
    if records and type(records[0][0]) is not str:  # the first: this runs on every batch
        raise TypeError("prepare_put_many takes (str id, body) records")


class Backend(Protocol):
    kind: str  # "sqlite" | "mongodb"
    url: str  # as configured (mask it before showing)

    def insert(self, coll: str, doc: Doc) -> None: ...

    def insert_many(self, coll: str, docs: list[Doc]) -> None: ...

    def get(self, coll: str, doc_id: Any) -> Doc | None: ...

    def find(
        self,
        coll: str,
        flt: Filter | None = None,
        sort: Sort | None = None,
        limit: int = 0,
        skip: int = 0,
    ) -> list[Doc]: ...

    def count(self, coll: str, flt: Filter | None = None) -> int: ...

    def ids(self, coll: str, flt: Filter | None = None) -> list[Any]:
        """The ``_id`` of every matching document, without reading the documents."""
        ...

    def update_many(
        self,
        coll: str,
        flt: Filter,
        set_: Doc | None = None,
        inc: dict[str, int | float] | None = None,
        unset: list[str] | None = None,
    ) -> int: ...

    def find_one_and_update(
        self,
        coll: str,
        flt: Filter,
        set_: Doc | None = None,
        inc: dict[str, int | float] | None = None,
        sort: Sort | None = None,
    ) -> Doc | None:
        """Atomically update the first matching document; return it as updated, or None."""
        ...

    def upsert_many(self, coll: str, items: list[tuple[Filter, Doc, Doc]]) -> list[bool]:
        """For each (equality filter, $set, $setOnInsert): update or insert, atomically per item.

        Returns, per item, whether it was inserted.
        """
        ...

    def prepare_put_many(
        self, coll: str, records: Sequence[tuple[str, Any]], extra: Doc, on_insert: Doc
    ) -> Callable[[], None]:
        """Encode a batch of whole documents now and return the write, to run on any thread.

        Each record is ``(id, body)``, the bodies instances of one dataclass. A document
        becomes the body's fields plus ``extra``; ``on_insert`` (strings or numbers) is written
        only when the document is new and kept afterwards. Meant for a collection written only
        this way, with the same ``extra`` keys (the leads): SQLite replaces the document where
        MongoDB sets its fields, which then comes to the same. Encoding here lets a caller keep
        the write itself on a background thread (see ``LeadSaver``).
        """
        ...

    def delete_many(self, coll: str, flt: Filter) -> int: ...

    def next_id(self, sequence: str) -> int:
        """The next integer of a named sequence (1, 2, 3, ...), atomically."""
        ...

    def ensure_index(
        self, coll: str, keys: Sort, unique: bool = False, name: str | None = None
    ) -> None: ...

    def drop_index(self, coll: str, name: str) -> None:
        """Drop the named index (``ensure_index``'s default name: ``coll_field_field``), if any."""
        ...

    def drop_collection(self, coll: str) -> None:
        """Remove a collection with its documents and indexes, if it exists (migrations only)."""
        ...

    def collection_names(self) -> list[str]: ...

    def ping(self) -> None: ...

    def close(self) -> None: ...

    def close_thread(self) -> None:
        """Release what the calling thread holds (its SQLite connection) before it ends."""
        ...
