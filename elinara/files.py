"""Which files a user may name: checks shared by the API, the CLI and the runs.

Over the API a user reaches only their own uploads, their own saved cloud files and the files of
their own agents' data sources. The shared files folder (ELINARA_FILES_DIR) is for operators: the
CLI and administrators. A name that is unknown and one that is forbidden get the same answer."""

from __future__ import annotations

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
