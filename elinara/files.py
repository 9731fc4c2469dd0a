"""Which files a user may name: checks shared by the API, the CLI and the runs.

Over the API a user reaches only their own uploads, their own saved cloud files and the files of
their own agents' data sources. The shared files folder (ELINARA_FILES_DIR) is for operators: the
CLI and administrators. A name that is unknown and one that is forbidden get the same answer."""

from __future__ import annotations

from pathlib import Path

from elinara.config import Settings
from elinara.errors import BadInput

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
