"""The embedded backend: one SQLite file (WAL), a table per collection of JSON documents.

Fields are reached with ``json_extract``; indexes are expression indexes on the same
expressions, so filters and sorts use them. Every write is one statement or one ``BEGIN
IMMEDIATE`` transaction, which is what makes claims and upserts atomic across threads and
processes.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from elinara.errors import StoreUnavailable
from elinara.store.backend import (
    Doc,
    Duplicate,
    Filter,
    Sort,
    check_field,
    check_filter,
    check_records,
)

_META = "_sequences"


def _expr(name: str) -> str:
    if name == "_id":
        return "_id"
    return f"json_extract(doc, '$.{check_field(name)}')"


def _dump_bytes(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def _dump(value: Any) -> str:
    # Text, not bytes: SQLite's JSON functions refuse BLOBs.
    return _dump_bytes(value).decode()


def _where(flt: Filter | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for name, cond in check_filter(flt).items():
        expr = _expr(name)
        if not isinstance(cond, dict):
            if cond is None:
                clauses.append(f"{expr} IS NULL")
            else:
                clauses.append(f"{expr} = ?")
                params.append(cond)
            continue
        for op, value in cond.items():
            if op in ("$in", "$nin"):
                values = [v for v in value if v is not None]
                has_null = len(values) != len(value)
                marks = ",".join("?" * len(values))
                if op == "$in":
                    parts = [f"{expr} IN ({marks})"] if values else []
                    if has_null:
                        parts.append(f"{expr} IS NULL")
                    clauses.append("(" + " OR ".join(parts) + ")" if parts else "0")
                else:
                    part = f"{expr} NOT IN ({marks})" if values else "1"
                    # None in the list excludes missing/null fields (as MongoDB does).
                    null = f"{expr} IS NOT NULL AND" if has_null else f"{expr} IS NULL OR"
                    clauses.append(f"({null} {part})")
                params.extend(values)
            elif op == "$ne":
                if value is None:
                    clauses.append(f"{expr} IS NOT NULL")
                else:
                    clauses.append(f"({expr} IS NULL OR {expr} != ?)")
                    params.append(value)
            elif op == "$exists":
                path = "_id" if name == "_id" else f"json_type(doc, '$.{name}')"
                clauses.append(f"{path} IS {'NOT ' if value else ''}NULL")
            else:
                sql_op = {"$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}[op]
                clauses.append(f"{expr} {sql_op} ?")
                params.append(value)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _order(sort: Sort | None) -> str:
    if not sort:
        return ""
    return " ORDER BY " + ", ".join(
        f"{_expr(name)} {'DESC' if direction < 0 else 'ASC'}" for name, direction in sort
    )


def _load(row: tuple[Any, str]) -> Doc:
    doc = orjson.loads(row[1])
    doc["_id"] = row[0]
    return doc


class SQLiteBackend:
    kind = "sqlite"

    def __init__(self, url: str) -> None:
        self.url = url
        path = url.removeprefix("sqlite:///")
        if path == url or not path:
            raise StoreUnavailable(
                f"Malformed database URL {url!r}: expected sqlite:///path/to/elinara.db"
            )
        self.path = Path(path).expanduser()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(
                f"Cannot create the database folder {self.path.parent}: {exc}"
            ) from None
        self._local = threading.local()
        self._tables: set[str] = set()
        self._lock = threading.Lock()
        self.ping()

    # -- connection -----------------------------------------------------------------------
    @property
    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA busy_timeout=30000")
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"Cannot open the database {self.path}: {exc}") from None
            self._local.conn = conn
        return conn

    def _table(self, coll: str) -> str:
        check_field(coll.lstrip("_"))
        if coll not in self._tables:
            self._db.execute(
                f'CREATE TABLE IF NOT EXISTS "{coll}" (_id PRIMARY KEY, doc TEXT NOT NULL)'
            )
            with self._lock:
                self._tables.add(coll)
        return f'"{coll}"'

    def _run(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise Duplicate(f"Already exists ({exc})") from None
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"Database {self.path} failed: {exc}") from None

    def ping(self) -> None:
        self._run("SELECT 1").fetchone()

    def close(self) -> None:
        self.close_thread()

    def close_thread(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- reads ------------------------------------------------------------------------------
    def get(self, coll: str, doc_id: Any) -> Doc | None:
        row = self._run(f"SELECT _id, doc FROM {self._table(coll)} WHERE _id = ?", (doc_id,))
        found = row.fetchone()
        return _load(found) if found else None

    def find(
        self,
        coll: str,
        flt: Filter | None = None,
        sort: Sort | None = None,
        limit: int = 0,
        skip: int = 0,
    ) -> list[Doc]:
        where, params = _where(flt)
        sql = f"SELECT _id, doc FROM {self._table(coll)}{where}{_order(sort)}"
        if limit or skip:
            sql += " LIMIT ? OFFSET ?"
            params += [limit if limit else -1, skip]
        return [_load(row) for row in self._run(sql, params).fetchall()]

    def ids(self, coll: str, flt: Filter | None = None) -> list[Any]:
        where, params = _where(flt)
        rows = self._run(f"SELECT _id FROM {self._table(coll)}{where}", params).fetchall()
        return [row[0] for row in rows]

    def count(self, coll: str, flt: Filter | None = None) -> int:
        where, params = _where(flt)
        return int(
            self._run(f"SELECT COUNT(*) FROM {self._table(coll)}{where}", params).fetchone()[0]
        )

    # -- writes -----------------------------------------------------------------------------
    def insert(self, coll: str, doc: Doc) -> None:
        self.insert_many(coll, [doc])

    def insert_many(self, coll: str, docs: list[Doc]) -> None:
        if not docs:
            return
        table = self._table(coll)
        rows = [(d["_id"], _dump({k: v for k, v in d.items() if k != "_id"})) for d in docs]
        with self._transaction():
            try:
                self._db.executemany(f"INSERT INTO {table} (_id, doc) VALUES (?, ?)", rows)
            except sqlite3.IntegrityError as exc:
                raise Duplicate(f"Already exists ({exc})") from None

    @staticmethod
    def _set_expr(
        set_: Doc | None, inc: dict[str, int | float] | None, unset: list[str] | None
    ) -> tuple[str, list[Any]]:
        expr = "doc"
        params: list[Any] = []
        if unset:
            paths = ", ".join(f"'$.{check_field(name)}'" for name in unset)
            expr = f"json_remove({expr}, {paths})"
        pairs: list[str] = []
        for name, value in (set_ or {}).items():
            pairs.append(f"'$.{check_field(name)}', json(?)")
            params.append(_dump(value))
        for name, amount in (inc or {}).items():
            pairs.append(f"'$.{check_field(name)}', COALESCE({_expr(name)}, 0) + ?")
            params.append(amount)
        if pairs:
            expr = f"json_set({expr}, {', '.join(pairs)})"
        return expr, params

    def update_many(
        self,
        coll: str,
        flt: Filter,
        set_: Doc | None = None,
        inc: dict[str, int | float] | None = None,
        unset: list[str] | None = None,
    ) -> int:
        expr, params = self._set_expr(set_, inc, unset)
        where, where_params = _where(flt)
        cur = self._run(
            f"UPDATE {self._table(coll)} SET doc = {expr}{where}", params + where_params
        )
        return cur.rowcount

    def find_one_and_update(
        self,
        coll: str,
        flt: Filter,
        set_: Doc | None = None,
        inc: dict[str, int | float] | None = None,
        sort: Sort | None = None,
    ) -> Doc | None:
        table = self._table(coll)
        expr, params = self._set_expr(set_, inc, None)
        where, where_params = _where(flt)
        sql = (
            f"UPDATE {table} SET doc = {expr} WHERE _id = "
            f"(SELECT _id FROM {table}{where}{_order(sort)} LIMIT 1) RETURNING _id, doc"
        )
        with self._transaction():
            row = self._run(sql, params + where_params).fetchone()
        return _load(row) if row else None

    def upsert_many(self, coll: str, items: list[tuple[Filter, Doc, Doc]]) -> list[bool]:
        if items and all(list(flt) == ["_id"] for flt, _, _ in items):
            return self._upsert_by_id(coll, items)
        table = self._table(coll)
        inserted: list[bool] = []
        with self._transaction():
            for flt, set_, on_insert in items:
                where, where_params = _where(flt)
                expr, params = self._set_expr(set_, None, None)
                cur = self._run(
                    f"UPDATE {table} SET doc = {expr} WHERE _id = "
                    f"(SELECT _id FROM {table}{where} LIMIT 1)",
                    params + where_params,
                )
                if cur.rowcount:
                    inserted.append(False)
                    continue
                doc = {**flt, **on_insert, **set_}
                self._run(
                    f"INSERT INTO {table} (_id, doc) VALUES (?, ?)",
                    (doc.pop("_id"), _dump(doc)),
                )
                inserted.append(True)
        return inserted

    def _upsert_by_id(self, coll: str, items: list[tuple[Filter, Doc, Doc]]) -> list[bool]:
        """Bulk path for upserts keyed by ``_id``: one INSERT ... ON CONFLICT per key shape."""
        table = self._table(coll)
        ids = [flt["_id"] for flt, _, _ in items]
        groups: dict[tuple[str, ...], list[tuple[Any, str]]] = {}
        for flt, set_, on_insert in items:
            doc = {**on_insert, **set_}
            doc.pop("_id", None)
            groups.setdefault(tuple(set_), []).append((flt["_id"], _dump(doc)))
        for keys in groups:
            for key in keys:
                check_field(key)
        with self._transaction():
            existing: set[Any] = set()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._run(f"SELECT _id FROM {table} WHERE _id IN ({marks})", chunk)
                existing.update(row[0] for row in rows.fetchall())
            for keys, rows_to_write in groups.items():
                pairs = ", ".join(f"'$.{k}', json_extract(excluded.doc, '$.{k}')" for k in keys)
                update = f"json_set(doc, {pairs})" if keys else "doc"
                try:
                    self._db.executemany(
                        f"INSERT INTO {table} (_id, doc) VALUES (?, ?) "
                        f"ON CONFLICT(_id) DO UPDATE SET doc = {update}",
                        rows_to_write,
                    )
                except sqlite3.IntegrityError as exc:
                    raise Duplicate(f"Already exists ({exc})") from None
        inserted = []
        for doc_id in ids:  # an id twice in one batch: inserted once, then updated
            inserted.append(doc_id not in existing)
            existing.add(doc_id)
        return inserted

    def prepare_put_many(
        self, coll: str, records: Sequence[tuple[str, Any]], extra: Doc, on_insert: Doc
    ) -> Callable[[], None]:
        """The batch travels as one JSON object ``{id: body}`` that SQLite unpacks itself in
        one statement, so the write runs without the GIL. It goes as UTF-8 bytes read as
        text, which spares decoding it here (orjson refuses ids that are not strings)."""
        check_records(records, extra, on_insert)
        table = self._table(coll)
        try:
            batch = orjson.dumps(dict(records))
        except TypeError as exc:
            raise TypeError(f"prepare_put_many: {exc}") from None
        new = {**on_insert, **extra}
        fields = ", ".join(f"'$.{name}', json(?)" for name in new)
        values = [_dump(value) for value in new.values()]
        keep = ", ".join(f"'$.{name}', json_extract(doc, '$.{name}')" for name in on_insert)
        sql = (
            f"INSERT INTO {table} (_id, doc) SELECT key, "
            + (f"json_set(value, {fields})" if fields else "value")
            + " FROM json_each(CAST(? AS TEXT)) WHERE true ON CONFLICT(_id) DO UPDATE SET doc = "
            + (f"json_set(excluded.doc, {keep})" if keep else "excluded.doc")
        )

        def write() -> None:
            if records:
                self._run(sql, [*values, batch])

        return write

    def delete_many(self, coll: str, flt: Filter) -> int:
        where, params = _where(flt)
        return self._run(f"DELETE FROM {self._table(coll)}{where}", params).rowcount

    def next_id(self, sequence: str) -> int:
        table = self._table(_META)
        row = self._run(
            f"INSERT INTO {table} (_id, doc) VALUES (?, '{{\"seq\":1}}') "
            "ON CONFLICT(_id) DO UPDATE SET doc = json_set(doc, '$.seq', "
            "json_extract(doc, '$.seq') + 1) RETURNING json_extract(doc, '$.seq')",
            (sequence,),
        ).fetchone()
        return int(row[0])

    def ensure_index(
        self, coll: str, keys: Sort, unique: bool = False, name: str | None = None
    ) -> None:
        table = self._table(coll)
        name = name or f"{coll}_" + "_".join(k for k, _ in keys)
        cols = ", ".join(f"{_expr(k)} {'DESC' if d < 0 else 'ASC'}" for k, d in keys)
        self._run(
            f'CREATE {"UNIQUE " if unique else ""}INDEX IF NOT EXISTS "{name}" ON {table} ({cols})'
        )

    def drop_index(self, coll: str, name: str) -> None:
        self._table(coll)
        self._run(f'DROP INDEX IF EXISTS "{check_field(name)}"')

    def drop_collection(self, coll: str) -> None:
        check_field(coll.lstrip("_"))
        self._run(f'DROP TABLE IF EXISTS "{coll}"')  # its indexes go with it
        with self._lock:
            self._tables.discard(coll)

    def collection_names(self) -> list[str]:
        rows = self._run("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return sorted(r[0] for r in rows if not r[0].startswith(("_", "sqlite_")))

    # -- helpers ----------------------------------------------------------------------------
    def _transaction(self) -> _Transaction:
        return _Transaction(self)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, re-entrant within one thread."""

    def __init__(self, backend: SQLiteBackend) -> None:
        self.backend = backend
        self.outer = False

    def __enter__(self) -> None:
        db = self.backend._db
        if not db.in_transaction:
            self.backend._run("BEGIN IMMEDIATE")
            self.outer = True

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self.outer:
            return
        db = self.backend._db
        if exc_type is None:
            db.execute("COMMIT")
        else:
            db.execute("ROLLBACK")
