"""Read the notices of the calls a run considers: once per notice, cached in the store.

``read_notices(calls, ...)`` gives, per aviso code, the notice's text and the criteria the parser
read from it, or the reason it could not be read. What is kept (``store.notices``) decides
what is done again:

- same aviso, same ``dataUltimaAlteracao`` and same document as stored: nothing is downloaded,
  and nothing is parsed unless the parser's version changed (then the stored text is parsed);
- changed date (or none known, or a local file): the bytes are fetched; when they hash as
  stored (by this aviso or another), neither extraction nor parsing runs again;
- a notice that is corrupt, encrypted, not a PDF, a scan without text or too large is kept
  with its reason: it is not fetched again until its date changes. A download that failed
  (network, 404) is not kept: the next run tries again, and meanwhile a notice read before is
  used as it was.

Nothing here raises for one notice: a call whose notice cannot be read gets a warning naming
the call and the reason, and the run goes on with the call's metadata.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from elinara.agent.criteria import Criteria
from elinara.agent.inputs import SAMPLE_CALLS
from elinara.agent.notices.fetch import (
    downloader,
    local_notice,
    new_download_client,
    notice_document,
    notices_folder_for,
)
from elinara.agent.notices.parse import PARSER_VERSION, parse_notice
from elinara.agent.notices.pdf import NoticeUnreadable, extract_text
from elinara.agent.sources.p2030 import DocumentTooLarge
from elinara.config import Settings
from elinara.errors import SourceError
from elinara.models import FundingCall, Notice
from elinara.store import Store
from elinara.times import iso, now_iso

ParseNotice = Callable[[str], Criteria]
Warn = Callable[[str], None]
Progress = Callable[[int, int], None]


@dataclass
class NoticeResult:
    """What is known of one call's notice after ``read_notices``."""

    aviso_id: str
    text: str = ""
    criteria: Criteria | None = None  # None: no notice read; the call's metadata decides
    reason: str | None = None  # why the notice could not be read
    origin: str = ""  # "download", "file", or "" when nothing was read
    downloaded: bool = False  # fetched from the download endpoint by this call
    parsed: bool = False  # the parser ran on its text in this call
    stale: bool = False  # a copy read before, used because fetching it again failed


class NoticeResults(dict[str, NoticeResult]):
    """``read_notices``'s answer: aviso code -> result, with the counts a run reports."""

    @property
    def downloads(self) -> int:
        return sum(r.downloaded for r in self.values())

    @property
    def parses(self) -> int:
        return sum(r.parsed for r in self.values())

    @property
    def read(self) -> int:
        """Calls whose criteria come from their notice."""
        return sum(r.criteria is not None for r in self.values())

    @property
    def failed(self) -> int:
        return sum(r.reason is not None for r in self.values())

    def counts(self) -> dict[str, int]:
        return {
            "notices_read": self.read,
            "notices_downloaded": self.downloads,
            "notices_parsed": self.parses,
            "notices_failed": self.failed,
        }


@dataclass
class _Fetched:
    """What a worker thread brings back: the bytes' hash and size, and the text (None when the
    bytes are the stored ones, so nothing was extracted)."""

    content_hash: str
    size: int
    text: str | None


@dataclass
class _Job:
    call: FundingCall
    stored: Notice | None
    origin: str  # "download" | "file"
    document: dict[str, Any]
    get: Callable[[], bytes]


def _call_name(call: FundingCall) -> str:
    """ "NORTE2030-2026-1 «Inovação Produtiva»": the code and the title."""
    if call.title and call.title != call.aviso_id:
        return f"{call.aviso_id} «{call.title}»"
    return call.aviso_id


def _work(job: _Job) -> _Fetched:
    """In a worker thread: fetch the bytes; extract the text unless they are the stored ones."""
    data = job.get()
    digest = hashlib.sha256(data).hexdigest()
    stored = job.stored
    if stored is not None and stored.content_hash == digest and (stored.text or stored.reason):
        return _Fetched(digest, len(data), None)
    try:
        return _Fetched(digest, len(data), extract_text(data))
    except NoticeUnreadable as exc:
        raise _Unreadable(exc.reason, digest, len(data)) from None


class _Unreadable(Exception):
    def __init__(self, reason: str, content_hash: str | None, size: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.content_hash = content_hash
        self.size = size


def read_notices(
    calls: Iterable[FundingCall],
    *,
    store: Store,
    settings: Settings,
    parse: ParseNotice,
    parser_version: str = "1",
    notices_dir: Path | None = None,
    download_url: str | None = None,
    warn: Warn | None = None,
    progress: Progress | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], Any] | None = None,
) -> NoticeResults:
    """Each call's notice, from ``notices_dir`` (a folder of PDFs, for calls read from a file)
    or the download endpoint ``download_url`` (``settings.p2030_download_url`` for calls read
    from the API), through the store's cache. With both, the folder comes first and a call
    whose notice is not in it is downloaded.

    ``parse`` reads a notice's text into criteria; ``parser_version`` names its version (change
    it and the stored texts are parsed again). At most ``settings.notice_concurrency`` notices
    are fetched at once, each at most ``settings.notice_max_mb`` MB. ``warn(message)`` is told
    of every call whose notice could not be read; ``progress(done, total)`` after each call.
    """
    unique = list({call.aviso_id: call for call in calls}.values())
    stored = store.notices.get_many([call.aviso_id for call in unique])
    results = NoticeResults()
    total, done = len(unique), 0
    tell = warn or (lambda message: None)

    def finish(result: NoticeResult, call: FundingCall) -> None:
        nonlocal done
        results[call.aviso_id] = result
        if result.reason is not None:
            tell(
                f"Call {_call_name(call)}: its notice was not read, {result.reason}; "
                "its eligibility rests on the call's programme and title."
            )
        elif result.stale:
            tell(
                f"Call {_call_name(call)}: its notice could not be fetched again; the copy read "
                "before is used."
            )
        done += 1
        if progress is not None:
            progress(done, total)

    max_bytes = int(settings.notice_max_mb * 1_000_000)
    concurrency = max(1, int(settings.notice_concurrency))
    own_client = client is None and download_url is not None
    http = client or (
        new_download_client(settings.http_timeout, concurrency) if download_url else None
    )
    fetch = (
        downloader(
            download_url,
            client=http,
            timeout=settings.http_timeout,
            retries=settings.http_retries,
            max_bytes=max_bytes,
            sleep=sleep,
        )
        if download_url and http is not None
        else None
    )

    jobs: list[_Job] = []
    for call in unique:
        before = stored.get(call.aviso_id)
        job, result = _plan(call, before, notices_dir, fetch, max_bytes, parser_version)
        if job is not None:
            jobs.append(job)
            continue
        assert result is not None
        if result.text and result.criteria is None and result.reason is None:
            result = _parse_stored(result, before, parse, parser_version, store)
        finish(result, call)

    try:
        if jobs:
            with ThreadPoolExecutor(concurrency, thread_name_prefix="elinara-notices") as pool:
                futures: dict[Future[_Fetched], _Job] = {pool.submit(_work, j): j for j in jobs}
                for future in as_completed(futures):
                    job = futures[future]
                    finish(_settle(job, future, store, parse, parser_version), job.call)
    finally:
        if own_client and http is not None:
            http.close()
    return results


def _plan(
    call: FundingCall,
    before: Notice | None,
    notices_dir: Path | None,
    fetch: Callable[[dict[str, Any]], bytes] | None,
    max_bytes: int,
    parser_version: str,
) -> tuple[_Job | None, NoticeResult | None]:
    """A job that fetches the notice, or the result when nothing needs fetching."""
    code = call.aviso_id
    if notices_dir is not None:
        path = local_notice(call, notices_dir)
        if path is not None:
            return _Job(
                call, before, "file", {"file": str(path)}, _file_reader(path, max_bytes)
            ), None
        if fetch is None:
            return None, NoticeResult(code, reason=f"no file of it in {notices_dir}")
    if fetch is None:
        return None, NoticeResult(code, reason="no notice folder or download endpoint was given")
    doc = notice_document(call.documents)
    if doc is None or not doc.get("path"):
        return None, NoticeResult(code, reason="the call lists no notice among its documents")
    document = {k: str(doc.get(k) or "") for k in ("name", "type", "path", "container")}
    unchanged = (
        before is not None
        and call.source_updated_at is not None
        and before.origin == "download"
        and before.source_updated_at == iso(call.source_updated_at)
        and before.document.get("path") == document["path"]
    )
    if unchanged and before is not None:
        if before.text and before.parser_version != parser_version:
            return None, NoticeResult(code, text=before.text, origin="download")
        if before.reason is not None:
            return None, NoticeResult(code, reason=before.reason, origin="download")
        if before.criteria is not None:
            criteria = Criteria.from_doc(before.criteria)
            return None, NoticeResult(code, text=before.text, criteria=criteria, origin="download")
    return _Job(call, before, "download", document, lambda: fetch(doc)), None


def _file_reader(path: Path, max_bytes: int) -> Callable[[], bytes]:
    def read() -> bytes:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentTooLarge(size, max_bytes)
        return path.read_bytes()

    return read


def _parse(text: str, parse: ParseNotice) -> tuple[Criteria | None, str | None]:
    try:
        return parse(text), None
    except Exception as exc:  # a parser fault must not stop the run: the call falls back
        return None, f"its text could not be read into criteria ({type(exc).__name__}: {exc})"


def _parse_stored(
    result: NoticeResult,
    before: Notice | None,
    parse: ParseNotice,
    parser_version: str,
    store: Store,
) -> NoticeResult:
    """Parse a stored text again (the parser's version changed)."""
    assert before is not None
    criteria, reason = _parse(result.text, parse)
    before.criteria = criteria.to_doc() if criteria is not None else None
    before.reason = reason
    before.parser_version = parser_version
    before.parsed_at = now_iso()
    store.notices.save(before)
    result.criteria, result.reason, result.parsed = criteria, reason, True
    return result


def _settle(
    job: _Job, future: Future[_Fetched], store: Store, parse: ParseNotice, parser_version: str
) -> NoticeResult:
    """The result of a fetch: stored, parsed when needed."""
    call, before = job.call, job.stored
    code = call.aviso_id
    downloaded = job.origin == "download"
    record = Notice(
        id=code,
        title=call.title,
        source_updated_at=iso(call.source_updated_at) if call.source_updated_at else None,
        origin=job.origin,
        document=job.document,
        fetched_at=now_iso(),
    )
    try:
        fetched = future.result()
    except DocumentTooLarge as exc:
        record.reason, record.size = f"too large: {exc}", exc.size or 0
        store.notices.save(record)
        return NoticeResult(code, reason=record.reason, origin=job.origin, downloaded=downloaded)
    except _Unreadable as exc:
        record.reason, record.content_hash, record.size = exc.reason, exc.content_hash, exc.size
        store.notices.save(record)
        return NoticeResult(code, reason=exc.reason, origin=job.origin, downloaded=downloaded)
    except (SourceError, OSError) as exc:
        if before is not None and before.criteria is not None and before.reason is None:
            criteria = Criteria.from_doc(before.criteria)
            return NoticeResult(
                code, text=before.text, criteria=criteria, origin=before.origin, stale=True
            )
        reason = (
            f"it could not be read from {job.document.get('file')} ({exc.strerror or exc})"
            if isinstance(exc, OSError)
            else f"it could not be downloaded: {exc}"
        )
        return NoticeResult(code, reason=reason.rstrip("."), origin=job.origin)

    record.content_hash, record.size = fetched.content_hash, fetched.size
    same = fetched.text is None and before is not None
    if same and before is not None:  # the bytes stored: reuse what was read from them
        record.text, record.reason = before.text, before.reason
        record.criteria, record.parser_version = before.criteria, before.parser_version
        record.parsed_at = before.parsed_at
        if record.text and record.parser_version != parser_version:
            record.reason = None  # a parser fault, and a new parser: read the text again
    else:
        record.text = fetched.text or ""
        twin = store.notices.by_hash(fetched.content_hash, parser_version)
        if twin is not None and twin.criteria is not None:  # the same notice, another aviso
            record.criteria, record.parser_version = twin.criteria, parser_version
            record.parsed_at = twin.parsed_at
    parsed = False
    if record.reason is None and (
        record.criteria is None or record.parser_version != parser_version
    ):
        criteria, reason = _parse(record.text, parse)
        record.criteria = criteria.to_doc() if criteria is not None else None
        record.reason, record.parser_version, record.parsed_at = reason, parser_version, now_iso()
        parsed = True
    store.notices.save(record)
    return NoticeResult(
        code,
        text=record.text,
        criteria=Criteria.from_doc(record.criteria) if record.criteria is not None else None,
        reason=record.reason,
        origin=job.origin,
        downloaded=downloaded,
        parsed=parsed,
    )


def notice_sources(
    spec: str, settings: Settings, *, folder: str | None, download_urls: dict[str, str]
) -> tuple[Path | None, str | None]:
    """Where the notices of the calls of one calls source are: (a folder, a download endpoint).

    Calls from the API (``p2030`` or a query URL) download them (the data source's
    ``download_url``, else ``p2030_download_url``); calls from a file read them from ``folder``
    when given, else from the ``notices/`` folder beside the file; the sample has none.
    """
    if spec == "sample" or Path(spec) == SAMPLE_CALLS:
        return None, None
    if spec.casefold() == "p2030" or spec.lower().startswith(("http://", "https://")):
        return None, download_urls.get(spec) or settings.p2030_download_url
    if folder:
        return Path(folder).expanduser(), None
    return notices_folder_for(spec), None


def read_call_notices(
    calls: list[FundingCall],
    spec: str,
    *,
    store: Store,
    settings: Settings,
    as_of: datetime,
    folder: str | None = None,
    download_urls: dict[str, str] | None = None,
    warn: Warn | None = None,
    progress: Progress | None = None,
) -> tuple[list[FundingCall], NoticeResults | None]:
    """The calls of one calls source with the criteria their notices state (each open or
    scheduled call's notice, read once and kept in the store), and what was read (None when
    the source has no notices: the sample, or a file with no notices folder)."""
    where, download_url = notice_sources(
        spec, settings, folder=folder, download_urls=download_urls or {}
    )
    considered = [c for c in calls if c.status_on(as_of) != "closed"]
    if (where is None and download_url is None) or not considered:
        return calls, None
    results = read_notices(
        considered,
        store=store,
        settings=settings,
        parse=parse_notice,
        parser_version=str(PARSER_VERSION),
        notices_dir=where,
        download_url=download_url,
        warn=warn,
        progress=progress,
    )
    read = [
        dataclasses.replace(c, criteria=results[c.aviso_id].criteria)
        if c.aviso_id in results and results[c.aviso_id].criteria is not None
        else c
        for c in calls
    ]
    return read, results
