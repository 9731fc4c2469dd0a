"""Where a call's notice is: which of its documents, and its bytes (downloaded or a local file).

The notice is the document typed "Aviso" (``tipoDocumentoDesignacao``), else the first one whose
name says "Aviso". Calls read from a file work offline: their notices are looked up in a folder
(``notices/`` beside the calls file, or one given), by the document's ``path`` under the
folder, then by the path's file name, then as ``<codigoAviso>.pdf``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import httpx

from elinara.agent.sources.p2030 import download_document
from elinara.errors import BadInput
from elinara.models import FundingCall

NOTICES_FOLDER = "notices"  # beside a calls file: its calls' notices, for offline runs
_AVISO_WORD = re.compile(r"\baviso\b", re.IGNORECASE)


def notice_document(documents: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The call's notice among its documents (``FundingCall.documents``), or None."""
    for doc in documents:
        if str(doc.get("type") or "").strip().casefold() == "aviso":
            return doc
    for doc in documents:
        if _AVISO_WORD.search(str(doc.get("name") or "")):
            return doc
    return None


def existing_notices_folder(folder: str | Path) -> Path:
    """A notices folder given by hand (``--notices DIR``), which must exist."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise BadInput(f"Notices folder {folder} does not exist; give the folder of the notices.")
    return path.resolve()


def notices_folder_for(calls_spec: str) -> Path | None:
    """The ``notices/`` folder beside a calls file (or inside a calls folder), when it exists."""
    path = Path(calls_spec).expanduser()
    if not path.exists():
        return None
    folder = (path if path.is_dir() else path.parent) / NOTICES_FOLDER
    return folder if folder.is_dir() else None


def _inside(folder: Path, relative: str) -> Path | None:
    """``folder / relative`` when it stays inside ``folder`` and is a file."""
    if not relative:
        return None
    root = folder.resolve()
    candidate = (root / relative.lstrip("/")).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def local_notice(call: FundingCall, folder: Path) -> Path | None:
    """The call's notice in ``folder``: by its document's path, file name, or ``<code>.pdf``."""
    doc = notice_document(call.documents) or {}
    path = str(doc.get("path") or "").replace("\\", "/")
    for relative in (path, PurePosixPath(path).name if path else "", f"{call.aviso_id}.pdf"):
        found = _inside(folder, relative)
        if found is not None:
            return found
    return None


def new_download_client(timeout: float, concurrency: int) -> httpx.Client:
    """One client shared by the download threads, with a connection per thread."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.Client(timeout=timeout, follow_redirects=True, limits=limits)


def downloader(
    download_url: str,
    *,
    client: httpx.Client,
    timeout: float,
    retries: int,
    max_bytes: int,
    sleep: Callable[[float], Any] | None = None,
) -> Callable[[dict[str, Any]], bytes]:
    """A function that downloads one notice document (``path`` and ``container``) under the
    project's retry policy, refusing more than ``max_bytes``."""
    extra: dict[str, Any] = {} if sleep is None else {"sleep": sleep}

    def fetch(doc: dict[str, Any]) -> bytes:
        return download_document(
            download_url,
            str(doc.get("path") or ""),
            str(doc.get("container") or ""),
            timeout=timeout,
            retries=retries,
            client=client,
            max_bytes=max_bytes,
            **extra,
        )

    return fetch
