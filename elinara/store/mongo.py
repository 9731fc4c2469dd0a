"""The production backend: MongoDB through pymongo (a replica set or Atlas in production)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from elinara.errors import StoreUnavailable
from elinara.store.backend import Doc, Duplicate, Filter, Sort, check_filter, check_records
from elinara.store.urls import mask_url

_SEQUENCES = "_sequences"
# Where pymongo's messages turn from the reason into timeouts and topology dumps.
_DETAILS = re.compile(
    r" \(configured timeouts:|, Timeout: |, Topology Description: |, full error: "
)


def _reason(exc: Exception) -> str:
    return _DETAILS.split(str(exc), maxsplit=1)[0].rstrip(" ,.")


class MongoBackend:
    kind = "mongodb"

    def __init__(self, url: str, timeout_ms: int = 5000) -> None:
        import pymongo
        from pymongo.errors import ConfigurationError, InvalidURI, PyMongoError

        self.url = url
        self._errors = PyMongoError
        try:
            self._client: Any = pymongo.MongoClient(
                url,
                tz_aware=True,
                serverSelectionTimeoutMS=timeout_ms,
                connectTimeoutMS=max(timeout_ms, 20_000),  # a slow reply must not reset the pool
                appname="elinara",
            )
            database = self._client.get_default_database(default="elinara")
        except (InvalidURI, ConfigurationError, ValueError) as exc:
            raise StoreUnavailable(f"Malformed database URL {mask_url(url)}: {exc}") from None
        self._db = database
        try:
            self.ping()
        except StoreUnavailable:
            self._client.close()
            raise

    def _fail(self, exc: Exception) -> StoreUnavailable:
        from pymongo.errors import DuplicateKeyError

        if isinstance(exc, DuplicateKeyError):
            return Duplicate(f"Already exists ({exc.details and exc.details.get('keyValue')})")
        return StoreUnavailable(f"MongoDB at {mask_url(self.url)} failed: {_reason(exc)}")

    def ping(self) -> None:
        try:
            self._db.command("ping")
        except self._errors as exc:
            raise StoreUnavailable(
                f"Cannot reach MongoDB at {mask_url(self.url)}: {_reason(exc)}. "
                "Check the URL and that the server is running."
            ) from None

    def close(self) -> None:
        self._client.close()

    def close_thread(self) -> None:
        pass  # the client's pool is shared by every thread

    def get(self, coll: str, doc_id: Any) -> Doc | None:
        try:
            return self._db[coll].find_one({"_id": doc_id})
        except self._errors as exc:
            raise self._fail(exc) from None

    def find(
        self,
        coll: str,
        flt: Filter | None = None,
        sort: Sort | None = None,
        limit: int = 0,
        skip: int = 0,
    ) -> list[Doc]:
        try:
            cursor = self._db[coll].find(check_filter(flt))
            if sort:
                cursor = cursor.sort(sort)
            if skip:
                cursor = cursor.skip(skip)
            if limit:
                cursor = cursor.limit(limit)
            return list(cursor)
        except self._errors as exc:
            raise self._fail(exc) from None

    def ids(self, coll: str, flt: Filter | None = None) -> list[Any]:
        try:
            return [d["_id"] for d in self._db[coll].find(check_filter(flt), {"_id": 1})]
        except self._errors as exc:
            raise self._fail(exc) from None

    def count(self, coll: str, flt: Filter | None = None) -> int:
        try:
            return int(self._db[coll].count_documents(check_filter(flt)))
        except self._errors as exc:
            raise self._fail(exc) from None

    def insert(self, coll: str, doc: Doc) -> None:
        try:
            self._db[coll].insert_one(dict(doc))
        except self._errors as exc:
            raise self._fail(exc) from None

    def insert_many(self, coll: str, docs: list[Doc]) -> None:
        if not docs:
            return
        try:
            self._db[coll].insert_many([dict(d) for d in docs], ordered=True)
        except self._errors as exc:
            from pymongo.errors import BulkWriteError

            if isinstance(exc, BulkWriteError):
                raise Duplicate(
                    f"Already exists ({exc.details.get('writeErrors', [{}])[0]})"
                ) from None
            raise self._fail(exc) from None

    @staticmethod
    def _update(
        set_: Doc | None, inc: dict[str, int | float] | None, unset: list[str] | None = None
    ) -> Doc:
        update: Doc = {}
        if set_:
            update["$set"] = set_
        if inc:
            update["$inc"] = inc
        if unset:
            update["$unset"] = {name: "" for name in unset}
        return update

    def update_many(
        self,
        coll: str,
        flt: Filter,
        set_: Doc | None = None,
        inc: dict[str, int | float] | None = None,
        unset: list[str] | None = None,
    ) -> int:
        update = self._update(set_, inc, unset)
        if not update:
            return self.count(coll, flt)
        try:
            return int(self._db[coll].update_many(check_filter(flt), update).matched_count)
        except self._errors as exc:
            raise self._fail(exc) from None

    def find_one_and_update(
        self,
        coll: str,
        flt: Filter,
        set_: Doc | None = None,
        inc: dict[str, int | float] | None = None,
        sort: Sort | None = None,
    ) -> Doc | None:
        from pymongo import ReturnDocument

        try:
            return self._db[coll].find_one_and_update(
                check_filter(flt),
                self._update(set_, inc),
                sort=sort or None,
                return_document=ReturnDocument.AFTER,
            )
        except self._errors as exc:
            raise self._fail(exc) from None

    def upsert_many(self, coll: str, items: list[tuple[Filter, Doc, Doc]]) -> list[bool]:
        from pymongo import UpdateOne

        if not items:
            return []
        ops = []
        for flt, set_, on_insert in items:
            update: Doc = {"$set": set_}
            only_insert = {k: v for k, v in on_insert.items() if k not in set_}
            if only_insert:
                update["$setOnInsert"] = only_insert
            ops.append(UpdateOne(check_filter(flt), update, upsert=True))
        try:
            result = self._db[coll].bulk_write(ops, ordered=True)
        except self._errors as exc:
            raise self._fail(exc) from None
        upserted = set(result.upserted_ids or {})
        return [i in upserted for i in range(len(items))]

    def prepare_put_many(
        self, coll: str, records: Sequence[tuple[str, Any]], extra: Doc, on_insert: Doc
    ) -> Callable[[], None]:
        from pymongo import UpdateOne

        check_records(records, extra, on_insert)
        # Every body has every field of its dataclass, so $set replaces the whole document.
        ops = [
            UpdateOne(
                {"_id": doc_id},
                {"$set": {**vars(body), **extra}, "$setOnInsert": on_insert}
                if on_insert
                else {"$set": {**vars(body), **extra}},
                upsert=True,
            )
            for doc_id, body in records
        ]

        def write() -> None:
            if not ops:
                return
            try:
                self._db[coll].bulk_write(ops, ordered=True)
            except self._errors as exc:
                raise self._fail(exc) from None

        return write

    def delete_many(self, coll: str, flt: Filter) -> int:
        try:
            return int(self._db[coll].delete_many(check_filter(flt)).deleted_count)
        except self._errors as exc:
            raise self._fail(exc) from None

    def next_id(self, sequence: str) -> int:
        from pymongo import ReturnDocument

        try:
            doc = self._db[_SEQUENCES].find_one_and_update(
                {"_id": sequence},
                {"$inc": {"seq": 1}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except self._errors as exc:
            raise self._fail(exc) from None
        return int(doc["seq"])

    def ensure_index(
        self, coll: str, keys: Sort, unique: bool = False, name: str | None = None
    ) -> None:
        name = name or f"{coll}_" + "_".join(k for k, _ in keys)
        try:
            self._db[coll].create_index(keys, unique=unique, name=name)
        except self._errors as exc:
            raise self._fail(exc) from None

    def drop_index(self, coll: str, name: str) -> None:
        try:
            if name in self._db[coll].index_information():
                self._db[coll].drop_index(name)
        except self._errors as exc:
            raise self._fail(exc) from None

    def drop_collection(self, coll: str) -> None:
        try:
            self._db.drop_collection(coll)
        except self._errors as exc:
            raise self._fail(exc) from None

    def collection_names(self) -> list[str]:
        try:
            names = self._db.list_collection_names()
        except self._errors as exc:
            raise self._fail(exc) from None
        return sorted(n for n in names if not n.startswith(("_", "system.")))
