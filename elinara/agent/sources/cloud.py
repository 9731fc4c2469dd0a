"""Leads spreadsheets in cloud drives (Google Drive, OneDrive / SharePoint).

A ``google_drive`` / ``sharepoint`` data source names a spreadsheet, or a folder whose
spreadsheets are all read (``config[0]["glob"]``, e.g. ``"*.xlsx"``, narrows them; a native
Google Sheet counts as ``<name>.xlsx``, since it is exported as xlsx). The agent's owner must
have connected that drive; their stored token is refreshed when it has expired.

Incremental: each file's version (Drive ``md5Checksum`` or ``version``, Graph ``cTag`` or
``eTag``) is remembered per data source and file in ``store.file_versions``, with the copy
downloaded then (under ``<home>/cache/cloud``). On the next run an unchanged file is not
downloaded again: its copy is read, and the thought stream says so. A file that was trashed or
deleted (or no longer matches the folder's glob) is forgotten, and the companies read from it
leave the agent's leads.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from elinara.agent.inputs import LEADS_SUFFIXES
from elinara.cloud import DRIVE_LABELS, PLATFORM_PROVIDERS, RemoteFile
from elinara.cloud.drives import open_drive
from elinara.errors import BadInput, SourceError
from elinara.times import now_iso

if TYPE_CHECKING:
    from elinara.agent.events import RunEvents
    from elinara.agent.inputs import LeadSource, RunPlan
    from elinara.cloud.drives import Drive
    from elinara.config import Settings
    from elinara.store import Store

_NAMES = {"google_drive": "Google Drive", "sharepoint": "OneDrive / SharePoint"}
SPREADSHEET_MIMES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/vnd.ms-excel.sheet.macroenabled.12",
    "text/csv",
    "application/vnd.google-apps.spreadsheet",
}
MIME_SUFFIXES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "text/csv": ".csv",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def _provider(source: LeadSource) -> str:
    provider = PLATFORM_PROVIDERS.get(source.platform)
    if provider is None:
        raise BadInput(f"{source.name}: {source.platform} is not a cloud drive.")
    return provider


def _owner(store: Store, user_id: int | None, agent_id: int, source: LeadSource) -> int:
    if user_id is not None:
        return user_id
    agent = store.agents.get(agent_id) if agent_id else None
    if agent is None:
        raise SourceError(
            f"{source.name}: a {_NAMES.get(source.platform, source.platform)} source needs an "
            "agent owned by a user who connected that drive."
        )
    return agent.user_id


def _open(store: Store, settings: Settings, user_id: int, source: LeadSource) -> Drive:

    return open_drive(store, settings, user_id, _provider(source))


def check_source(store: Store, settings: Settings, user_id: int | None, source: LeadSource) -> None:
    """The drive is connected, its token renewable, and the file or folder answers. A file
    that is gone is not an error here: loading the data removes its companies."""
    owner = _owner(store, user_id, 0, source)
    with _open(store, settings, owner, source) as drive:
        drive.get(source.identifier)


# -- the remembered versions ---------------------------------------------------------------------
def _source_key(plan: RunPlan, source: LeadSource) -> str:
    return source.datasource_id or f"{plan.agent_id}:{source.platform}:{source.identifier}"


def _safe_name(name: str) -> str:
    cleaned = _UNSAFE.sub("_", name).strip(" .") or "leads"
    return cleaned[:150]


def local_name(item: RemoteFile) -> str:
    """The name the file is read under (a native Google Sheet becomes ``<name>.xlsx``)."""
    name = _safe_name(item.name)
    if item.native_sheet:
        return name if name.lower().endswith(".xlsx") else name + ".xlsx"
    if not name.lower().endswith(LEADS_SUFFIXES):
        name += MIME_SUFFIXES.get(item.mime_type.lower(), ".xlsx")
    return name


def _cache_dir(settings: Settings, source_key: str, file_id: str) -> Path:
    digest = hashlib.sha256(f"{source_key}\0{file_id}".encode()).hexdigest()[:24]
    return settings.home_path / "cache" / "cloud" / digest


def _known(store: Store, source_key: str) -> list[dict[str, Any]]:
    return store.db.find("file_versions", {"datasource_id": source_key})


def _forget(store: Store, plan: RunPlan, doc: dict[str, Any], why: str) -> str:
    removed = store.leads.delete(plan.agent_id, str(doc.get("source_name") or ""))
    store.file_versions.delete({"_id": doc["_id"]})
    cached = Path(str(doc.get("path") or ""))
    if doc.get("path") and cached.is_file():
        cached.unlink(missing_ok=True)
    name = doc.get("name") or doc.get("file_id")
    return f"{name} {why}: its {removed} companies leave the agent's leads."


# -- reading -------------------------------------------------------------------------------------
def _is_spreadsheet(item: RemoteFile) -> bool:
    return item.mime_type.lower() in SPREADSHEET_MIMES or item.name.lower().endswith(LEADS_SUFFIXES)


def _targets(
    drive: Drive, source: LeadSource, item: RemoteFile, events: RunEvents
) -> list[RemoteFile]:
    if not item.is_folder:
        if not _is_spreadsheet(item):
            raise BadInput(
                f"{item.name} in {drive.label} is not a spreadsheet ({item.mime_type}); name an "
                ".xlsx, .xls, .csv file, a Google Sheet, or a folder of them."
            )
        return [item]
    pattern = str(source.config.get("glob") or source.config.get("pattern") or "").strip()
    found = []
    for child in drive.children(item.id):
        if child.is_folder or child.trashed or not _is_spreadsheet(child):
            continue
        if pattern and not (
            fnmatch.fnmatch(child.name.lower(), pattern.lower())
            or fnmatch.fnmatch(local_name(child).lower(), pattern.lower())
        ):
            continue
        found.append(child)
    events.action(
        "observation",
        f"Folder {item.name} in {drive.label}: {len(found)} spreadsheet(s)"
        + (f" matching {pattern}" if pattern else "")
        + ".",
    )
    return found


def _fetch(
    drive: Drive,
    settings: Settings,
    store: Store,
    plan: RunPlan,
    key: str,
    item: RemoteFile,
    events: RunEvents,
) -> Path:
    doc_id = f"{key}:{item.id}"
    doc = store.file_versions.get(doc_id)
    name = local_name(item)
    folder = _cache_dir(settings, key, item.id)
    path = folder / name
    if doc and doc.get("source_name") and doc["source_name"] != name:
        store.leads.delete(plan.agent_id, str(doc["source_name"]))  # renamed: read it anew
    if doc and item.version and doc.get("version") == item.version and path.is_file():
        events.thought(
            f"{item.name} is unchanged in {drive.label} since the last run (version "
            f"{item.version[:12]}): skipped the download and read the copy from then."
        )
        return path
    limit = settings.upload_max_mb * 1024 * 1024
    if item.size is not None and item.size > limit:
        raise SourceError(
            f"{item.name} in {drive.label} is {item.size / 1e6:.1f} MB, over the "
            f"{settings.upload_max_mb} MB limit (ELINARA_UPLOAD_MAX_MB)."
        )
    why = "changed" if doc else "new"
    if doc and not path.is_file() and doc.get("version") == item.version:
        why = "unchanged, but its copy is missing here"
    data = drive.download(item)
    if len(data) > limit:
        raise SourceError(
            f"{item.name} in {drive.label} is over the {settings.upload_max_mb} MB limit "
            "(ELINARA_UPLOAD_MAX_MB)."
        )
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        if stale.name != name and stale.is_file():
            stale.unlink(missing_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    store.file_versions.put(
        doc_id,
        {
            "datasource_id": key,
            "agent_id": plan.agent_id,
            "provider": drive.provider,
            "file_id": item.id,
            "name": item.name,
            "source_name": name,
            "version": item.version,
            "path": str(path),
            "size": len(data),
            "downloaded_at": now_iso(),
        },
    )
    exported = " (exported as xlsx)" if item.native_sheet else ""
    events.action(
        "action",
        f"Downloaded {item.name} from {drive.label}{exported}, {len(data) / 1024:.0f} KB ({why}).",
    )
    return path


def download_leads(
    store: Store, settings: Settings, plan: RunPlan, source: LeadSource, events: RunEvents
) -> list[Path]:
    """The source's spreadsheets as local files, downloading only what changed."""
    provider = _provider(source)
    label = DRIVE_LABELS[provider]
    owner = _owner(store, plan.user_id, plan.agent_id, source)
    key = _source_key(plan, source)
    paths: list[Path] = []
    with _open(store, settings, owner, source) as drive:
        item = drive.get(source.identifier)
        known = {doc["file_id"]: doc for doc in _known(store, key)}
        if item is None or item.trashed:
            why = (
                f"was moved to the trash in {label}"
                if item is not None
                else f"was deleted from {label} (or you may no longer see it)"
            )
            if not known:
                events.error(f"{source.name} {why}; nothing to read from it.")
            for doc in known.values():
                events.thought(_forget(store, plan, doc, why))
            return []
        targets = _targets(drive, source, item, events)
        for target in targets:
            paths.append(_fetch(drive, settings, store, plan, key, target, events))
    present = {t.id for t in targets}
    for file_id, doc in known.items():
        if file_id not in present:
            why = f"is no longer in {source.name} in {label} (deleted, trashed or renamed)"
            events.thought(_forget(store, plan, doc, why))
    return paths
