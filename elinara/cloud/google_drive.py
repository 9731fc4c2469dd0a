"""Google Drive through google-api-python-client (Drive v3).

The service is built from the discovery document shipped with the library
(``static_discovery=True``: no discovery request), with ``client_options.api_endpoint`` set to
``ELINARA_GOOGLE_DRIVE_URL``, so every request URL starts with that root. The requests are sent
by :class:`~elinara.cloud.transport.HttplibAdapter` (httpx + the retry helper + the bearer
token), never by httplib2, and the adapter refuses any URL outside the root.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from elinara.cloud import (
    FOLDER_MIME,
    GOOGLE_SHEET_MIME,
    XLSX_MIME,
    NotConnected,
    RemoteFile,
    folders_first,
)
from elinara.cloud.transport import HttplibAdapter, error_reasons, new_client
from elinara.errors import BadInput, NotFound, SourceError

if TYPE_CHECKING:
    from elinara.config import Settings

FIELDS = (
    "id, name, mimeType, size, modifiedTime, createdTime, webViewLink, iconLink, "
    "md5Checksum, version, trashed, parents"
)
PAGE_SIZE = 200
MAX_PAGES = 100
EXPORT_CAP_MB = 10


def root_url(settings: Settings) -> str:
    return str(settings.google_drive_url).rstrip("/") + "/"


def to_remote(item: dict[str, Any]) -> RemoteFile:
    mime = str(item.get("mimeType") or "")
    size = item.get("size")
    version = item.get("md5Checksum") or (
        f"v{item['version']}" if item.get("version") else item.get("modifiedTime") or ""
    )
    return RemoteFile(
        provider="google",
        id=str(item.get("id") or ""),
        name=str(item.get("name") or ""),
        mime_type=mime or "application/octet-stream",
        is_folder=mime == FOLDER_MIME["google"],
        size=int(size) if isinstance(size, (int, str)) and str(size).isdigit() else None,
        modified=item.get("modifiedTime"),
        web_url=item.get("webViewLink"),
        icon=item.get("iconLink"),
        version=str(version),
        trashed=bool(item.get("trashed")),
        native_sheet=mime == GOOGLE_SHEET_MIME,
        raw=item,
    )


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


class GoogleDrive:
    provider = "google"
    label = "Google Drive"

    def __init__(self, settings: Settings, token: Callable[[bool], str]) -> None:
        from googleapiclient.discovery import build

        self.settings = settings
        self.http = HttplibAdapter(new_client(settings), settings, root_url(settings), token)
        self.service = build(
            "drive",
            "v3",
            http=self.http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": root_url(settings)},
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> GoogleDrive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- calls -----------------------------------------------------------------------------
    def _execute(self, request: Any, what: str) -> Any:
        from googleapiclient.errors import HttpError

        try:
            return request.execute(num_retries=0)
        except HttpError as exc:
            raise self._error(exc, what) from None

    def _error(self, exc: Any, what: str) -> Exception:
        status = int(getattr(exc.resp, "status", 0) or 0)
        reasons = error_reasons(exc.content or b"")
        if status == 401:
            return NotConnected(
                "Google Drive refused the stored authorization (401): it is expired or "
                "revoked; connect Google Drive again."
            )
        if status == 404:
            return NotFound(f"{what} was not found in Google Drive (or you may not see it).")
        if "exportSizeLimitExceeded" in reasons:
            return SourceError(
                f"{what} is a Google Sheets document too large to export: Google Drive exports "
                f"native Sheets as xlsx only up to {EXPORT_CAP_MB} MB (exportSizeLimitExceeded). "
                "Save it as an .xlsx file in Drive (File > Download > Microsoft Excel, then "
                "upload) or split it, and use that file as the data source."
            )
        if status == 403 and {"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"} & set(
            reasons
        ):
            return NotConnected(
                "Google Drive access was not granted; connect Google Drive again and allow "
                "access to your files."
            )
        if status == 403:
            why = ", ".join(reasons) or "forbidden"
            return SourceError(f"Google Drive refused access to {what} ({why}).")
        return SourceError(f"Google Drive answered {status} for {what}; try again later.")

    def get(self, file_id: str) -> RemoteFile | None:
        """A file's metadata; None when it does not exist (any more)."""
        request = self.service.files().get(fileId=file_id, fields=FIELDS, supportsAllDrives=True)
        try:
            return to_remote(self._execute(request, f"File {file_id}"))
        except NotFound:
            return None

    def children(self, folder_id: str | None) -> list[RemoteFile]:
        """The folder's children (not trashed), folders first; every page."""
        folder = folder_id or "root"
        files_api = self.service.files()
        request = files_api.list(
            q=f"'{_quoted(folder)}' in parents and trashed = false",
            fields=f"nextPageToken, files({FIELDS})",
            orderBy="folder,name",
            pageSize=PAGE_SIZE,
            supportsAllDrives=True,
            includeItemsFromAllDrives=True,
        )
        found: list[RemoteFile] = []
        pages = 0
        while request is not None and pages < MAX_PAGES:
            page = self._execute(request, f"Folder {folder}")
            found.extend(to_remote(item) for item in page.get("files") or [])
            request = files_api.list_next(request, page)
            pages += 1
        return folders_first(found)

    def download(self, item: RemoteFile) -> bytes:
        """The file's bytes; a native Google Sheet is exported as xlsx."""
        files_api = self.service.files()
        if item.native_sheet:
            request = files_api.export(fileId=item.id, mimeType=XLSX_MIME)
        elif item.mime_type.startswith("application/vnd.google-apps."):
            raise BadInput(
                f"{item.name} is a Google Docs file of type {item.mime_type}, not a spreadsheet."
            )
        else:
            request = files_api.get_media(fileId=item.id, supportsAllDrives=True)
        data = self._execute(request, item.name)
        return data if isinstance(data, bytes) else str(data).encode("utf-8")
