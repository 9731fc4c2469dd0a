"""Leads spreadsheets in cloud drives (Google Drive, OneDrive / SharePoint)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from elinara.errors import SourceError

if TYPE_CHECKING:
    from elinara.agent.events import RunEvents
    from elinara.agent.inputs import LeadSource, RunPlan
    from elinara.config import Settings
    from elinara.store import Store

_NAMES = {"google_drive": "Google Drive", "sharepoint": "OneDrive / SharePoint"}


def check_source(store: Store, settings: Settings, user_id: int | None, source: LeadSource) -> None:
    raise SourceError(
        f"{source.name}: reading leads from {_NAMES.get(source.platform, source.platform)} is not "
        "supported by this version; download the file and add it as a local_file source."
    )


def download_leads(
    store: Store, settings: Settings, plan: RunPlan, source: LeadSource, events: RunEvents
) -> list[Path]:
    check_source(store, settings, plan.user_id, source)
    return []
