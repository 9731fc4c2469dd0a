"""OneDrive / SharePoint through Microsoft Graph, with httpx.

``/me/drive/root/children`` and ``/me/drive/items/{id}/children`` (following
``@odata.nextLink``, which must stay under ``ELINARA_GRAPH_URL``), ``/me/drive/items/{id}`` and
``/me/drive/items/{id}/content`` (a redirect to a short-lived download URL). Every request goes
through the retry helper (429 with ``Retry-After``, 5xx); a 401 refreshes the token and tries once
more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from elinara.cloud import FOLDER_MIME, NotConnected, RemoteFile, folders_first
from elinara.cloud.transport import new_client, send, under_root
from elinara.errors import NotFound, SourceError

if TYPE_CHECKING:
    from elinara.config import Settings

PAGE_SIZE = 200
MAX_PAGES = 100


def root_url(settings: Settings) -> str:
    return str(settings.graph_url).rstrip("/")


def to_remote(item: dict[str, Any]) -> RemoteFile:
    is_folder = "folder" in item or "package" in item
    file_info = item.get("file") if isinstance(item.get("file"), dict) else {}
    mime = str((file_info or {}).get("mimeType") or "")
    if is_folder:
        mime = FOLDER_MIME["microsoft"]
    size = item.get("size")
    return RemoteFile(
        provider="microsoft",
        id=str(item.get("id") or ""),
        name=str(item.get("name") or ""),
        mime_type=mime or "application/octet-stream",
        is_folder=is_folder,
        size=int(size) if isinstance(size, int) else None,
        modified=item.get("lastModifiedDateTime"),
        web_url=item.get("webUrl"),
        icon=None,
        version=str(item.get("cTag") or item.get("eTag") or item.get("lastModifiedDateTime") or ""),
        trashed="deleted" in item,
        raw=item,
    )


class GraphDrive:
    provider = "microsoft"
    label = "OneDrive"

    def __init__(self, settings: Settings, token: Callable[[bool], str]) -> None:
        self.settings = settings
        self.root = root_url(settings)
        self.token = token
        self.client = new_client(settings)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> GraphDrive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(self, url: str, what: str, follow: bool = False) -> httpx.Response:
        if not under_root(url, self.root):
            raise SourceError(
                f"OneDrive: refused to follow {url.split('?')[0]}, outside the configured Graph "
                f"root {self.root}."
            )
        response = self._send(url, what, follow, force=False)
        if response.status_code == 401:
            response = self._send(url, what, follow, force=True)
        if response.status_code >= 400:
            raise self._error(response, what)
        return response

    def _send(self, url: str, what: str, follow: bool, force: bool) -> httpx.Response:
        return send(
            self.client,
            self.settings,
            "GET",
            url,
            what="Microsoft Graph",
            headers={"Authorization": f"Bearer {self.token(force)}", "Accept": "application/json"},
            follow_redirects=follow,
        )

    def _error(self, response: httpx.Response, what: str) -> Exception:
        code = ""
        try:
            body = response.json()
            if isinstance(body, dict) and isinstance(body.get("error"), dict):
                code = str(body["error"].get("code") or "")
        except ValueError:
            pass
        status = response.status_code
        if status == 401:
            return NotConnected(
                "OneDrive refused the stored authorization (401): it is expired or revoked; "
                "connect OneDrive again."
            )
        if status == 404:
            return NotFound(f"{what} was not found in OneDrive (or you may not see it).")
        if status == 403:
            return SourceError(f"OneDrive refused access to {what} ({code or 'forbidden'}).")
        return SourceError(
            f"Microsoft Graph answered {status}{f' ({code})' if code else ''} for {what}; "
            "try again later."
        )

    def _item_url(self, item_id: str) -> str:
        return f"{self.root}/me/drive/items/{quote(item_id, safe='!')}"

    def get(self, file_id: str) -> RemoteFile | None:
        try:
            return to_remote(self._get(self._item_url(file_id), f"File {file_id}").json())
        except NotFound:
            return None

    def children(self, folder_id: str | None) -> list[RemoteFile]:
        if not folder_id or folder_id == "root":
            url: str | None = f"{self.root}/me/drive/root/children?$top={PAGE_SIZE}"
        else:
            url = f"{self._item_url(folder_id)}/children?$top={PAGE_SIZE}"
        found: list[RemoteFile] = []
        pages = 0
        while url and pages < MAX_PAGES:
            page = self._get(url, f"Folder {folder_id or 'root'}").json()
            found.extend(to_remote(item) for item in page.get("value") or [])
            url = page.get("@odata.nextLink")
            pages += 1
        return folders_first(found)

    def download(self, item: RemoteFile) -> bytes:
        response = self._get(f"{self._item_url(item.id)}/content", item.name, follow=True)
        return response.content
