"""Uploaded leads spreadsheets: one folder per user, names made safe and unique.

`POST /api/files` and `elinara files upload` both store through ``save_upload``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from elinara.agent.inputs import upload_folder
from elinara.config import Settings
from elinara.errors import BadInput, NotFound

UPLOAD_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".csv")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
_CHUNK = 1024 * 1024


def sanitize_filename(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_NAME.sub("_", base).strip(" .")
    return base[:120] or "upload"


def _folder(settings: Settings, user_id: int) -> Path:
    folder = upload_folder(settings, user_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _reserve(folder: Path, stem: str, suffix: str) -> Path:
    """Create (empty, exclusively) the first free name of ``stem.suffix``, ``stem-2.suffix``, ...:
    two uploads of one name at once never get the same file."""
    n = 1
    while True:
        target = folder / (f"{stem}.{suffix}" if n == 1 else f"{stem}-{n}.{suffix}")
        try:
            with open(target, "xb"):
                return target
        except FileExistsError:
            n += 1


def file_view(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {
        "name": path.name,
        "size": stat.st_size,
        "uploaded_at": datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(),
    }


def save_upload(settings: Settings, user_id: int, filename: str, data: BinaryIO) -> dict[str, Any]:
    """Store ``data`` as the user's upload named after ``filename``; returns its view.

    The name is sanitised and made unique; a file larger than ``upload_max_mb`` is refused."""
    name = sanitize_filename(filename)
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix.lower()}" not in UPLOAD_SUFFIXES:
        raise BadInput(
            "Only .xlsx, .xls, .xlsm and .csv leads spreadsheets can be uploaded.",
            errors={"file": "unsupported file type"},
        )
    limit = settings.upload_max_mb * 1024 * 1024
    target = _reserve(_folder(settings, user_id), stem, suffix)
    partial = target.with_name(target.name + ".part")
    try:
        written = 0
        with open(partial, "wb") as out:
            while chunk := data.read(_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise BadInput(
                        f"{name} is over the {settings.upload_max_mb} MB upload limit "
                        "(ELINARA_UPLOAD_MAX_MB).",
                        errors={"file": "too large"},
                    )
                out.write(chunk)
        partial.replace(target)  # the reserved name now holds the whole file
    except BaseException:
        partial.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise
    return file_view(target)


def list_uploads(settings: Settings, user_id: int) -> list[dict[str, Any]]:
    """The user's uploads, newest first."""
    found = sorted(
        (
            p
            for p in _folder(settings, user_id).iterdir()
            if p.is_file() and not p.name.endswith(".part")
        ),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    return [file_view(p) for p in found]


def delete_upload(settings: Settings, user_id: int, name: str) -> str:
    """Delete one of the user's uploads; returns its name."""
    target = _folder(settings, user_id) / sanitize_filename(name)
    if not target.is_file():
        raise NotFound(f"No uploaded file named {name}.")
    target.unlink()
    return target.name
