"""A fake Google Drive v3 API: a real HTTP server on 127.0.0.1.

    from fakes.drive import FakeDrive

    with FakeDrive(auth=idp.valid_access_token) as drive:
        env ELINARA_GOOGLE_DRIVE_URL = drive.api_url        # .../drive/v3/
        sheet = drive.add_file("Leads.xlsx", data, parent="root")
        drive.add_sheet("Leads 2026", data)                  # a native Google Sheet
        drive.update(sheet.id, new_data); drive.trash(sheet.id); drive.delete(sheet.id)

Serves what elinara asks through googleapiclient:

- ``GET /drive/v3/files?q='<id>' in parents and trashed = false&pageSize=&pageToken=``: the
  children, folders first then by name, ``page_size`` at most per page (``nextPageToken``).
- ``GET /drive/v3/files/<id>``: metadata (404 when deleted); ``?alt=media``: the bytes (403
  ``fileNotDownloadable`` for native Google documents).
- ``GET /drive/v3/files/<id>/export?mimeType=...``: a native Sheet's bytes; 403
  ``exportSizeLimitExceeded`` when the item is marked ``too_large``.

``rate_limit(n, status=403|429)``: the next ``n`` requests answer Google's rate-limit error
(403 ``userRateLimitExceeded``, or 429). Requests without an accepted bearer token get 401.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fakes.base import FakeService, Reply, Request, json_reply

FOLDER = "application/vnd.google-apps.folder"
SHEET = "application/vnd.google-apps.spreadsheet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PARENT = re.compile(r"'((?:[^'\\]|\\.)*)' in parents")


@dataclass
class DriveItem:
    id: str
    name: str
    mime_type: str
    parents: list[str]
    content: bytes = b""
    trashed: bool = False
    version: int = 1
    modified: str = "2026-03-01T10:00:00.000Z"
    too_large: bool = False
    deleted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def native(self) -> bool:
        return self.mime_type.startswith("application/vnd.google-apps.")

    def meta(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime_type,
            "parents": list(self.parents),
            "trashed": self.trashed,
            "version": str(self.version),
            "modifiedTime": self.modified,
            "createdTime": "2026-01-15T09:00:00.000Z",
            "webViewLink": f"https://drive.google.com/file/d/{self.id}/view",
            "iconLink": f"https://drive-thirdparty.googleusercontent.com/16/type/{self.mime_type}",
        }
        if not self.native:
            data["size"] = str(len(self.content))
            data["md5Checksum"] = hashlib.md5(self.content).hexdigest()
        return {**data, **self.extra}


def _error(status: int, reason: str, message: str) -> Reply:
    return json_reply(
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"domain": "global", "reason": reason, "message": message}],
            }
        },
        status,
    )


class FakeDrive(FakeService):
    def __init__(
        self, auth: Callable[[str | None], bool] | None = None, page_size: int = 100
    ) -> None:
        super().__init__()
        self.auth = auth or (lambda token: bool(token))
        self.page_size = page_size
        self.items: dict[str, DriveItem] = {}
        self._ids = itertools.count(1)
        self._limited: list[int] = []

    @property
    def api_url(self) -> str:
        return f"{self.url}/drive/v3/"

    # -- content -----------------------------------------------------------------------------
    def _add(self, name: str, mime: str, parent: str, content: bytes = b"") -> DriveItem:
        item = DriveItem(f"gd{next(self._ids):04d}", name, mime, [parent], content)
        with self.lock:
            self.items[item.id] = item
        return item

    def add_folder(self, name: str, parent: str = "root") -> DriveItem:
        return self._add(name, FOLDER, parent)

    def add_file(
        self, name: str, content: bytes, parent: str = "root", mime: str = XLSX
    ) -> DriveItem:
        return self._add(name, mime, parent, content)

    def add_sheet(self, name: str, xlsx: bytes, parent: str = "root") -> DriveItem:
        """A native Google Sheet whose xlsx export is ``xlsx``."""
        return self._add(name, SHEET, parent, xlsx)

    def update(self, item_id: str, content: bytes) -> None:
        with self.lock:
            item = self.items[item_id]
            item.content = content
            item.version += 1
            item.modified = f"2026-03-{min(28, item.version):02d}T10:00:00.000Z"

    def trash(self, item_id: str) -> None:
        with self.lock:
            self.items[item_id].trashed = True

    def delete(self, item_id: str) -> None:
        with self.lock:
            self.items[item_id].deleted = True

    def rate_limit(self, times: int, status: int = 403) -> None:
        with self.lock:
            self._limited.extend([status] * times)

    def downloads(self) -> list[str]:
        """Ids whose content was fetched (media or export)."""
        with self.lock:
            out = []
            for r in self.requests:
                if r.path.endswith("/export") or r.query.get("alt") == "media":
                    out.append(r.path.split("/files/", 1)[1].split("/")[0])
            return out

    # -- the server --------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        with self.lock:
            limited = self._limited.pop(0) if self._limited else None
        if limited == 429:
            return _error(429, "rateLimitExceeded", "Rate Limit Exceeded")
        if limited is not None:
            return _error(403, "userRateLimitExceeded", "User Rate Limit Exceeded")
        if not self.auth(request.bearer):
            return _error(401, "authError", "Invalid Credentials")
        path = request.path
        if not path.startswith("/drive/v3/files"):
            return _error(404, "notFound", "Not Found")
        rest = path[len("/drive/v3/files") :].strip("/")
        if not rest:
            return self._list(request)
        item_id, _, action = rest.partition("/")
        with self.lock:
            item = self.items.get(item_id)
        if item is None or item.deleted:
            return _error(404, "notFound", f"File not found: {item_id}.")
        if action == "export":
            if not item.native:
                return _error(403, "fileNotExportable", "Only Google Docs can be exported.")
            if item.too_large:
                return _error(
                    403, "exportSizeLimitExceeded", "This file is too large to be exported."
                )
            return Reply(200, item.content, request.query.get("mimeType", XLSX))
        if request.query.get("alt") == "media":
            if item.native:
                return _error(
                    403, "fileNotDownloadable", "Only files with binary content can be downloaded."
                )
            return Reply(200, item.content, item.mime_type)
        return json_reply(item.meta())

    def _list(self, request: Request) -> Reply:
        q = request.query.get("q", "")
        match = _PARENT.search(q)
        parent = match.group(1).replace("\\'", "'") if match else None
        hide_trashed = "trashed = false" in q
        with self.lock:
            found = [
                i
                for i in self.items.values()
                if not i.deleted
                and (parent is None or parent in i.parents)
                and not (hide_trashed and i.trashed)
            ]
        found.sort(key=lambda i: (i.mime_type != FOLDER, i.name.lower()))
        size = min(int(request.query.get("pageSize") or self.page_size), self.page_size)
        start = int(request.query.get("pageToken") or 0)
        page = found[start : start + size]
        body: dict[str, Any] = {"kind": "drive#fileList", "files": [i.meta() for i in page]}
        if start + size < len(found):
            body["nextPageToken"] = str(start + size)
        return json_reply(body)
