"""A fake Microsoft Graph (OneDrive) API: a real HTTP server on 127.0.0.1.

    from fakes.graph import FakeGraph

    with FakeGraph(auth=idp.valid_access_token) as graph:
        env ELINARA_GRAPH_URL = graph.api_url               # .../v1.0
        folder = graph.add_folder("Leads")
        item = graph.add_file("Leads.xlsx", data, parent=folder.id)

- ``GET /v1.0/me``
- ``GET /v1.0/me/drive/root/children`` and ``/v1.0/me/drive/items/<id>/children``: pages of
  ``page_size`` items with ``@odata.nextLink`` (an absolute URL on this server).
- ``GET /v1.0/me/drive/items/<id>``: the driveItem (404 ``itemNotFound`` when deleted).
- ``GET /v1.0/me/drive/items/<id>/content``: 302 to ``/download/<id>?tempauth=...`` (no bearer
  needed there, like the real pre-authenticated download URL).

``rate_limit(n)``: the next ``n`` requests answer 429 with ``Retry-After: 0``. Requests without
an accepted bearer token get 401 ``InvalidAuthenticationToken``.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fakes.base import FakeService, Reply, Request, json_reply, redirect

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class GraphItem:
    id: str
    name: str
    parent: str
    folder: bool = False
    content: bytes = b""
    mime_type: str = XLSX
    version: int = 1
    deleted: bool = False

    def view(self, base: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "eTag": f'"{{{self.id}}},{self.version}"',
            "cTag": f'"c:{{{self.id}}},{self.version}"',
            "createdDateTime": "2026-01-15T09:00:00Z",
            "lastModifiedDateTime": f"2026-03-{min(28, self.version):02d}T10:00:00Z",
            "webUrl": f"https://contoso-my.sharepoint.com/personal/ana/Documents/{self.name}",
            "parentReference": {"driveId": "drive-1", "id": self.parent},
            "size": len(self.content),
        }
        if self.folder:
            data["folder"] = {"childCount": 0}
        else:
            digest = base64.b64encode(hashlib.sha256(self.content).digest()).decode()
            data["file"] = {"mimeType": self.mime_type, "hashes": {"sha256Hash": digest}}
        return data


def _error(status: int, code: str, message: str, **headers: str) -> Reply:
    return json_reply({"error": {"code": code, "message": message}}, status, **headers)


class FakeGraph(FakeService):
    def __init__(
        self, auth: Callable[[str | None], bool] | None = None, page_size: int = 100
    ) -> None:
        super().__init__()
        self.auth = auth or (lambda token: bool(token))
        self.page_size = page_size
        self.items: dict[str, GraphItem] = {}
        self._ids = itertools.count(1)
        self._limited = 0
        self._download_keys: dict[str, str] = {}

    @property
    def api_url(self) -> str:
        return f"{self.url}/v1.0"

    def add_folder(self, name: str, parent: str = "root") -> GraphItem:
        return self._add(GraphItem(self._new_id(), name, parent, folder=True))

    def add_file(
        self, name: str, content: bytes, parent: str = "root", mime: str = XLSX
    ) -> GraphItem:
        return self._add(GraphItem(self._new_id(), name, parent, content=content, mime_type=mime))

    def _new_id(self) -> str:
        return f"01OD{next(self._ids):04d}!{secrets.token_hex(2)}"

    def _add(self, item: GraphItem) -> GraphItem:
        with self.lock:
            self.items[item.id] = item
        return item

    def update(self, item_id: str, content: bytes) -> None:
        with self.lock:
            self.items[item_id].content = content
            self.items[item_id].version += 1

    def delete(self, item_id: str) -> None:
        with self.lock:
            self.items[item_id].deleted = True

    def rate_limit(self, times: int) -> None:
        with self.lock:
            self._limited += times

    def handle(self, request: Request) -> Reply:
        path = request.path
        if path.startswith("/download/"):
            item_id = path[len("/download/") :]
            with self.lock:
                item = self.items.get(item_id)
                ok = self._download_keys.get(item_id) == request.query.get("tempauth")
            if item is None or item.deleted or not ok:
                return Reply(404, b"gone", "text/plain")
            return Reply(200, item.content, item.mime_type)
        with self.lock:
            limited = self._limited > 0
            if limited:
                self._limited -= 1
        if limited:
            return _error(429, "tooManyRequests", "Too many requests", **{"Retry-After": "0"})
        if not self.auth(request.bearer):
            return _error(401, "InvalidAuthenticationToken", "Access token is empty or invalid.")
        if path == "/v1.0/me":
            return json_reply(
                {"id": "u-1", "displayName": "Ana Silva", "mail": "ana.silva@example.pt"}
            )
        if path == "/v1.0/me/drive/root/children":
            return self._children("root", request, path)
        prefix = "/v1.0/me/drive/items/"
        if not path.startswith(prefix):
            return _error(404, "itemNotFound", "Not found")
        item_id, _, action = path[len(prefix) :].partition("/")
        with self.lock:
            item = self.items.get(item_id)
        if item is None or item.deleted:
            return _error(404, "itemNotFound", "The resource could not be found.")
        if action == "children":
            return self._children(item_id, request, path)
        if action == "content":
            key = secrets.token_hex(6)
            with self.lock:
                self._download_keys[item_id] = key
            return redirect(f"{self.url}/download/{item_id}?tempauth={key}")
        if action:
            return _error(404, "itemNotFound", "Not found")
        return json_reply(item.view(self.url))

    def _children(self, parent: str, request: Request, path: str) -> Reply:
        with self.lock:
            found = [i for i in self.items.values() if i.parent == parent and not i.deleted]
        found.sort(key=lambda i: i.name)  # Graph's own order: no folders-first promise
        size = min(int(request.query.get("$top") or self.page_size), self.page_size)
        start = int(request.query.get("$skiptoken") or 0)
        body: dict[str, Any] = {"value": [i.view(self.url) for i in found[start : start + size]]}
        if start + size < len(found):
            body["@odata.nextLink"] = f"{self.url}{path}?$top={size}&$skiptoken={start + size}"
        return json_reply(body)
