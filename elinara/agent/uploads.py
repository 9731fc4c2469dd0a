"""Uploaded leads spreadsheets, and which files a user may name.

`POST /api/files` and `elinara files upload` both store through ``save_upload``: one folder per
user, names made safe and unique.

Over the API a user reaches only their own uploads, their own saved cloud files and the files of
their own agents' data sources. The shared files folder (ELINARA_FILES_DIR) is for operators: the
CLI and administrators. A name that is unknown and one that is forbidden get the same answer.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from elinara.config import Settings
from elinara.errors import BadInput, NotFound

UPLOAD_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".csv")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
_CHUNK = 1024 * 1024
MAX_NAME_BYTES = 255  # a file name's limit on every common file system (NAME_MAX)


def check_name(name: str, field: str = "filename") -> str:
    """A file name a file system can hold: no NUL byte, valid Unicode, at most 255 bytes of
    UTF-8 (a longer one is ENAMETOOLONG, not "not found")."""
    problem = None
    if "\x00" in name:
        problem = "contains a NUL byte"
    else:
        try:
            size = len(name.encode("utf-8"))
        except UnicodeEncodeError:
            problem = "is not valid Unicode text"
        else:
            if size > MAX_NAME_BYTES:
                problem = f"is too long (at most {MAX_NAME_BYTES} bytes of UTF-8)"
    if problem:
        raise BadInput(f"{field} {problem}; use a shorter, plain name.", errors={field: problem})
    return name


def upload_folder(settings: Settings, user_id: int) -> Path:
    """Where a user's uploaded leads files are kept (POST /api/files)."""
    return settings.uploads_path / str(user_id)


def _inside(base: Path, raw: str) -> Path | None:
    """``raw`` (relative to ``base``, or absolute) resolved, symlinks followed; None if it lies
    outside ``base``."""
    base = base.resolve()
    candidate = Path(raw).expanduser()
    if not candidate.is_absolute():
        candidate = base / candidate
    resolved = candidate.resolve()
    if resolved != base and base not in resolved.parents:
        return None
    return resolved


def safe_local_path(settings: Settings, raw: str) -> Path:
    """An operator's path (CLI, administrator): inside the shared files folder, symlinks
    resolved; a file or a folder of spreadsheets."""
    check_name(Path(raw).name or raw, "resource_identifier")
    found = _inside(settings.files_path, raw)
    if found is None:
        raise BadInput(
            f"Path {raw!r} is outside the allowed folder {settings.files_path.resolve()} "
            "(ELINARA_FILES_DIR).",
            errors={"resource_identifier": "outside the allowed folder"},
        )
    return found


def user_local_path(settings: Settings, user_id: int, raw: str) -> Path:
    """A user's path for a ``local_file`` data source: one of their own uploads (a file, not a
    folder). Unknown and forbidden names get the same answer, so none reveals what exists."""
    check_name(Path(raw).name or raw, "resource_identifier")
    found = _inside(upload_folder(settings, user_id), raw)
    if found is None or not found.is_file() or found.name.endswith(".part"):
        raise BadInput(
            f"You have no uploaded file named {raw!r}: upload the spreadsheet first "
            "(POST /api/files) and name it as it was stored.",
            errors={"resource_identifier": "not one of your uploads"},
        )
    return found


def local_source_path(settings: Settings, user_id: int, raw: str, operator: bool) -> Path:
    """The path a ``local_file`` data source may name: an operator's anywhere in the shared
    folder (a folder too), a user's among their own uploads."""
    if operator:
        return safe_local_path(settings, raw)
    return user_local_path(settings, user_id, raw)


def readable_source_path(settings: Settings, owner_id: int, raw: str) -> Path:
    """Where a run reads a stored ``local_file`` source: its owner's uploads, or the shared
    folder (which only an operator can have named)."""
    found = _inside(upload_folder(settings, owner_id), raw)
    return found if found is not None else safe_local_path(settings, raw)


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
