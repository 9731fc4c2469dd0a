"""Cloud drives and the provider tokens behind them (Google Drive, OneDrive / SharePoint).

- ``crypto``: Fernet keys derived from the secret key (provider tokens, OAuth flow cookies).
- ``tokens``: stored provider tokens: save, read, refresh when expired, forget.
- ``microsoft``: the msal application, with its HTTP going through our retry helper.
- ``transport``: the httpx client every drive call uses (retries, rate limits, timeouts).
- ``google_drive`` / ``graph``: the two drives behind one small interface (``drives.Drive``).
- ``drives``: open a user's drive, list a folder, the public DriveFile shapes.

Nothing here imports the server; the agent (``agent/sources/cloud.py``) and the routes share it.
Heavy libraries (googleapiclient, msal) are imported inside the functions that need them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from elinara.errors import ElinaraError

# The sign-in (OAuth) providers, and those of them whose drive can hold leads: each fact once.
PROVIDER_LABELS = {"google": "Google", "microsoft": "Microsoft", "github": "GitHub"}
OAUTH_PROVIDERS = tuple(PROVIDER_LABELS)
DRIVE_LABELS = {"google": "Google Drive", "microsoft": "OneDrive"}
DRIVE_PROVIDERS = tuple(DRIVE_LABELS)
# A data source's platform -> the provider whose drive holds it, and back.
PLATFORM_PROVIDERS = {"google_drive": "google", "sharepoint": "microsoft"}
PROVIDER_PLATFORMS = {provider: platform for platform, provider in PLATFORM_PROVIDERS.items()}
FOLDER_MIME = {"google": "application/vnd.google-apps.folder", "microsoft": "inode/directory"}
GOOGLE_SHEET_MIME = "application/vnd.google-apps.spreadsheet"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCTET_STREAM = "application/octet-stream"


class NotConnected(ElinaraError):
    """The user has not connected this provider (or no longer has usable tokens for it)."""

    exit_code = 2
    http_status = 401


class TokenExpired(NotConnected):
    """The provider refused to renew access (``invalid_grant``): the user must reconnect."""


@dataclass
class RemoteFile:
    """A file or folder in a drive, in one shape for both providers."""

    provider: str  # google | microsoft
    id: str
    name: str
    mime_type: str
    is_folder: bool
    size: int | None = None
    modified: str | None = None
    web_url: str | None = None
    icon: str | None = None
    version: str = ""  # changes when the content changes (md5 / version, cTag / eTag)
    trashed: bool = False
    native_sheet: bool = False  # a Google Sheets document: exported as xlsx
    raw: dict[str, Any] = field(default_factory=dict)

    def drive_file(self) -> dict[str, Any]:
        """The ``DriveFile`` of docs/api.md (Cloud files)."""
        view: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime_type or OCTET_STREAM,
            "is_folder": self.is_folder,
            "size": self.size,
            "modifiedTime": self.modified,
            "webViewLink": self.web_url,
            "iconLink": self.icon,
        }
        if self.provider == "microsoft":
            view["lastModifiedDateTime"] = self.modified
            if self.is_folder:
                view["folder"] = self.raw.get("folder") or {}
        return view

    def summary(self) -> dict[str, Any]:
        """The short shape of ``/cloud/files``."""
        return {
            "id": self.id,
            "name": self.name,
            "type": self.mime_type or OCTET_STREAM,
            "webViewLink": self.web_url,
            "iconLink": self.icon,
        }


def folders_first(files: list[RemoteFile]) -> list[RemoteFile]:
    return sorted(files, key=lambda f: (not f.is_folder, f.name.casefold(), f.id))
