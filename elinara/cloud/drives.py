"""A user's drive, whichever the provider: open it, list a folder, read one file's metadata."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from elinara.cloud import RemoteFile, tokens
from elinara.cloud.google_drive import GoogleDrive
from elinara.cloud.graph import GraphDrive
from elinara.errors import NotFound

if TYPE_CHECKING:
    from elinara.config import Settings
    from elinara.store import Store


class Drive(Protocol):
    provider: str
    label: str

    def get(self, file_id: str) -> RemoteFile | None: ...

    def children(self, folder_id: str | None) -> list[RemoteFile]: ...

    def download(self, item: RemoteFile) -> bytes: ...

    def close(self) -> None: ...

    def __enter__(self) -> Drive: ...

    def __exit__(self, *exc: object) -> None: ...


def open_drive(store: Store, settings: Settings, user_id: int, provider: str) -> Drive:
    """The user's drive; raises NotConnected (401) at once when there is no usable token."""

    def token(force: bool = False) -> str:
        return tokens.access_token(store, settings, user_id, provider, force_refresh=force)

    token()  # fail early: not connected, or a refresh refused
    if provider == "google":
        return GoogleDrive(settings, token)
    if provider == "microsoft":
        return GraphDrive(settings, token)
    raise NotFound(f"Unknown drive provider {provider!r}.")


def list_folder(
    store: Store, settings: Settings, user_id: int, provider: str, folder_id: str | None
) -> list[dict[str, Any]]:
    """The DriveFile list (docs/api.md, Cloud files) of a folder (the root when ``folder_id`` is empty)."""
    with open_drive(store, settings, user_id, provider) as drive:
        return [f.drive_file() for f in drive.children(folder_id)]


def file_details(
    store: Store, settings: Settings, user_id: int, provider: str, file_id: str
) -> dict[str, Any]:
    """One file's DriveFile plus the provider's metadata (versions, parents, hashes)."""
    with open_drive(store, settings, user_id, provider) as drive:
        found = drive.get(file_id)
    if found is None:
        raise NotFound(f"File {file_id} was not found in {drive.label}.")
    view = found.drive_file()
    raw = found.raw
    if provider == "google":
        keep = ("md5Checksum", "version", "parents", "trashed", "createdTime")
    else:
        keep = ("eTag", "cTag", "createdDateTime", "parentReference", "file")
    view.update({k: raw[k] for k in keep if k in raw})
    return view


def summaries(
    store: Store, settings: Settings, user_id: int, provider: str
) -> list[dict[str, Any]]:
    """The drive's root folder in the short ``/cloud/files`` shape."""
    with open_drive(store, settings, user_id, provider) as drive:
        return [f.summary() for f in drive.children(None)]
