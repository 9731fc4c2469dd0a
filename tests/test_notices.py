"""Calls' notices: text extraction, fetching (download endpoint or a local folder), the cache."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, elinara
from fakes.notice_pdf import CAE_ROWS, NoticeSpec, notice_pdf
from fakes.p2030 import FakeP2030, make_aviso

from elinara.agent.calls import normalize_aviso
from elinara.agent.criteria import Clause, Criteria
from elinara.agent.notices.fetch import local_notice, notice_document, notices_folder_for
from elinara.agent.notices.parse import parse_notice
from elinara.agent.notices.pdf import NoticeUnreadable, extract_text, strip_page_furniture
from elinara.agent.notices.read import NoticeResults, read_notices
from elinara.config import Settings, load_settings
from elinara.models import FundingCall
from elinara.store import Store, open_store


# -- helpers -------------------------------------------------------------------------------------
class RegionParser:
    """A small real parser: the NUTS II region named in the notice's geography sentence."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, text: str) -> Criteria:
        with self.lock:
            self.texts.append(text)
        found = re.search(r"localizadas na região NUTS II (\w+)", text)
        if found is None:
            return Criteria(source="notice", unread=["geography"])
        return Criteria(
            source="notice",
            regions=[found.group(1).casefold()],
            clauses={"geography": Clause("3. Área geográfica de aplicação", found.group(0))},
        )


def call_of(code: str, updated: str = "2026-02-01 10:00:00", **fields: object) -> FundingCall:
    return normalize_aviso(make_aviso(code, updated=updated, **fields), "p2030")  # type: ignore[arg-type]


def doc_key(code: str) -> tuple[str, str]:
    return (f"2026/{code}/aviso.pdf", "avisos")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'notices.db'}")
    yield store
    store.close()


@pytest.fixture
def settings() -> Settings:
    return load_settings().with_overrides(http_retries=1, http_timeout=5.0)


def read(
    calls: list[FundingCall],
    db: Store,
    settings: Settings,
    parser: Callable[[str], Criteria],
    api: FakeP2030 | None = None,
    **kwargs: object,
) -> tuple[NoticeResults, list[str]]:
    warnings: list[str] = []
    results = read_notices(
        calls,
        store=db,
        settings=settings,
        parse=parser,
        download_url=api.download_url if api is not None else None,
        warn=warnings.append,
        sleep=lambda seconds: None,
        **kwargs,  # type: ignore[arg-type]
    )
    return results, warnings


# -- text extraction -----------------------------------------------------------------------------
def test_text_keeps_accents_table_rows_and_drops_page_headers_and_footers() -> None:
    spec = NoticeSpec("NORTE2030-2026-7", regions="NUTS II Norte", annex="table", paragraphs=5)
    text = extract_text(notice_pdf(spec))
    assert "3. Área geográfica de aplicação" in text
    assert "São elegíveis as operações localizadas na região NUTS II Norte." in " ".join(
        text.split()
    )
    lines = text.splitlines()
    for code, name in CAE_ROWS:  # each table row on one line, code then description
        assert f"{code} {name}" in lines
    assert "Página" not in text  # the footer of every page
    assert "Aviso N.º NORTE2030-2026-7" not in text  # the header of every page
    assert text.startswith("AVISO PARA APRESENTAÇÃO DE CANDIDATURAS")


def test_text_of_a_list_annex_keeps_one_item_per_line() -> None:
    text = extract_text(notice_pdf(NoticeSpec("C-1", annex="list")))
    assert "• 25110 – Fabricação de estruturas de construções metálicas" in text.splitlines()


def test_repeated_edges_are_stripped_only_when_most_pages_share_them() -> None:
    pages = [
        ["Programa X · Aviso 1", "Objeto do aviso", "Página 1 de 3"],
        ["Programa X · Aviso 1", "Beneficiários", "Página 2 de 3"],
        ["Programa X · Aviso 1", "Anexo I", "Página 3 de 3"],
    ]
    assert strip_page_furniture(pages) == [["Objeto do aviso"], ["Beneficiários"], ["Anexo I"]]
    single = [["Programa X · Aviso 1", "Objeto", "Página 1 de 1"]]
    assert strip_page_furniture(single) == single


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><body>Erro 500</body></html>", "not a PDF (it starts with '<html><body>Erro 500"),
        (b"", "not a PDF (it is empty)"),
        (b"%PDF-1.7\n" + b"garbage " * 50, "a corrupt PDF (PDFium: Data format error)"),
    ],
)
def test_unreadable_bytes_give_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(NoticeUnreadable) as caught:
        extract_text(data)
    assert caught.value.reason.startswith(reason)


def test_encrypted_and_truncated_and_textless_notices_give_a_reason() -> None:
    pdf = notice_pdf(NoticeSpec("C-2"))
    with pytest.raises(NoticeUnreadable, match="encrypted"):
        extract_text(notice_pdf(NoticeSpec("C-2"), encrypt=True))
    with pytest.raises(NoticeUnreadable, match="corrupt PDF"):
        extract_text(pdf[: len(pdf) // 3])
    from fpdf import FPDF

    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 150, style="F")  # a picture of a page, no text layer
    with pytest.raises(NoticeUnreadable, match="no text in it"):
        extract_text(bytes(scan.output()))


# -- choosing and finding the notice -------------------------------------------------------------
def test_the_notice_is_the_document_typed_aviso_else_one_named_aviso() -> None:
    typed = {"name": "Aviso de abertura", "type": "Aviso", "path": "a.pdf"}
    named = {"name": "Aviso n.º 3/2026", "type": "Outro", "path": "b.pdf"}
    other = {"name": "Perguntas frequentes", "type": "FAQ", "path": "c.pdf"}
    assert notice_document([other, named, typed]) is typed
    assert notice_document([other, named]) is named
    assert notice_document([other]) is None
    assert notice_document([{"name": "Avisos anteriores", "type": "", "path": "d"}]) is None


def test_local_notice_by_path_then_file_name_then_code(tmp_path: Path) -> None:
    call = call_of("NORTE2030-2026-1")  # its document: 2026/NORTE2030-2026-1/aviso.pdf
    assert local_notice(call, tmp_path) is None
    (tmp_path / "NORTE2030-2026-1.pdf").write_bytes(b"code")
    assert local_notice(call, tmp_path) == (tmp_path / "NORTE2030-2026-1.pdf").resolve()
    (tmp_path / "aviso.pdf").write_bytes(b"name")
    assert local_notice(call, tmp_path) == (tmp_path / "aviso.pdf").resolve()
    nested = tmp_path / "2026" / "NORTE2030-2026-1"
    nested.mkdir(parents=True)
    (nested / "aviso.pdf").write_bytes(b"path")
    assert local_notice(call, tmp_path) == (nested / "aviso.pdf").resolve()


def test_a_document_path_cannot_leave_the_notices_folder(tmp_path: Path) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    (tmp_path / "secret.pdf").write_bytes(b"outside")
    call = call_of("X-1")
    call.documents = [{"name": "Aviso", "type": "Aviso", "path": "../secret.pdf"}]
    found = local_notice(call, folder)
    assert found is None or found.is_relative_to(folder.resolve())


def test_the_notices_folder_beside_a_calls_file(tmp_path: Path) -> None:
    calls_file = tmp_path / "calls.json"
    calls_file.write_text("[]", encoding="utf-8")
    assert notices_folder_for(str(calls_file)) is None
    (tmp_path / "notices").mkdir()
    assert notices_folder_for(str(calls_file)) == tmp_path / "notices"
    assert notices_folder_for(str(tmp_path)) == tmp_path / "notices"


# -- reading through the download endpoint and the cache -----------------------------------------
def test_first_read_downloads_each_notice_once_and_a_second_read_nothing(
    store: Store, settings: Settings
) -> None:
    """On both backends (the ``store`` fixture: SQLite and the MongoDB wire server)."""
    db = store
    calls = [call_of("NORTE2030-2026-1"), call_of("CENTRO2030-2026-2")]
    documents = {
        doc_key("NORTE2030-2026-1"): notice_pdf(NoticeSpec("NORTE2030-2026-1")),
        doc_key("CENTRO2030-2026-2"): notice_pdf(
            NoticeSpec("CENTRO2030-2026-2", regions="NUTS II Centro", annex="list")
        ),
    }
    parser = RegionParser()
    with FakeP2030(documents=documents) as api:
        first, warnings = read(calls + calls[:1], db, settings, parser, api)
        assert warnings == []
        assert (first.downloads, first.parses) == (2, 2)
        assert sorted(api.download_counts.values()) == [1, 1]
        norte = first["NORTE2030-2026-1"]
        assert norte.criteria is not None and norte.criteria.regions == ["norte"]
        assert norte.criteria.clauses["geography"].cite().startswith("3. Área geográfica")
        assert first["CENTRO2030-2026-2"].criteria.regions == ["centro"]  # type: ignore[union-attr]
        assert "Anexo I" in norte.text

        second, warnings = read(calls, db, settings, parser, api)
        assert (second.downloads, second.parses) == (0, 0)
        assert sum(api.download_counts.values()) == 2
        assert second["NORTE2030-2026-1"].criteria == norte.criteria
        assert second.counts() == {
            "notices_read": 2,
            "notices_downloaded": 0,
            "notices_parsed": 0,
            "notices_failed": 0,
        }
    stored = db.notices.get("NORTE2030-2026-1")
    assert stored is not None and stored.parser_version == "1" and stored.size > 1000
    assert stored.content_hash and len(stored.content_hash) == 64 and stored.reason is None


def test_a_changed_date_fetches_again_and_parses_only_changed_bytes(
    db: Store, settings: Settings
) -> None:
    code = "NORTE2030-2026-1"
    parser = RegionParser()
    with FakeP2030(documents={doc_key(code): notice_pdf(NoticeSpec(code))}) as api:
        read([call_of(code)], db, settings, parser, api)
        # New date, same bytes: downloaded, not parsed.
        same, _ = read([call_of(code, updated="2026-03-01 09:00:00")], db, settings, parser, api)
        assert (same.downloads, same.parses) == (1, 0)
        # New date, new bytes (the notice now covers Centro): downloaded and parsed.
        api.documents[doc_key(code)] = notice_pdf(NoticeSpec(code, regions="NUTS II Centro"))
        changed, _ = read([call_of(code, updated="2026-04-01")], db, settings, parser, api)
        assert (changed.downloads, changed.parses) == (1, 1)
        assert changed[code].criteria.regions == ["centro"]  # type: ignore[union-attr]
        assert api.download_counts[doc_key(code)[0]] == 3
    assert len(parser.texts) == 2


def test_a_new_parser_version_parses_the_stored_text_without_downloading(
    db: Store, settings: Settings
) -> None:
    code = "NORTE2030-2026-1"
    parser = RegionParser()
    with FakeP2030(documents={doc_key(code): notice_pdf(NoticeSpec(code))}) as api:
        read([call_of(code)], db, settings, parser, api)
        again, _ = read([call_of(code)], db, settings, parser, api, parser_version="2")
        assert (again.downloads, again.parses) == (0, 1)
        assert api.download_counts[doc_key(code)[0]] == 1
    assert db.notices.get(code).parser_version == "2"  # type: ignore[union-attr]


def test_the_same_bytes_under_another_aviso_are_not_parsed_again(
    db: Store, settings: Settings
) -> None:
    pdf = notice_pdf(NoticeSpec("SHARED"))
    parser = RegionParser()
    with FakeP2030(documents={doc_key("A-1"): pdf, doc_key("B-2"): pdf}) as api:
        first, _ = read([call_of("A-1")], db, settings, parser, api)
        second, _ = read([call_of("B-2")], db, settings, parser, api)
    assert (first.parses, second.downloads, second.parses) == (1, 1, 0)
    assert second["B-2"].criteria == first["A-1"].criteria


def test_unreadable_notices_warn_naming_the_call_and_are_not_fetched_again(
    db: Store, settings: Settings
) -> None:
    good = notice_pdf(NoticeSpec("OK-1"))
    documents = {
        doc_key("OK-1"): good,
        doc_key("CORRUPT-2"): good[: len(good) // 3],
        doc_key("LOCKED-3"): notice_pdf(NoticeSpec("LOCKED-3"), encrypt=True),
        doc_key("HTML-4"): b"<html>Manutencao</html>",
    }
    calls = [
        call_of(code, title=f"Título {code}")
        for code in ("OK-1", "CORRUPT-2", "LOCKED-3", "HTML-4", "GONE-5")
    ]
    parser = RegionParser()
    with FakeP2030(documents=documents) as api:
        results, warnings = read(calls, db, settings, parser, api)
        assert results["OK-1"].criteria is not None
        assert results.failed == 4 and results.parses == 1
        by_call = {w.split(" ")[1]: w for w in warnings}
        assert set(by_call) == {"CORRUPT-2", "LOCKED-3", "HTML-4", "GONE-5"}
        assert "«Título CORRUPT-2»" in by_call["CORRUPT-2"]
        assert "corrupt PDF" in by_call["CORRUPT-2"]
        assert "encrypted" in by_call["LOCKED-3"]
        assert "not a PDF" in by_call["HTML-4"]
        assert "answered 404" in by_call["GONE-5"]
        for code in ("CORRUPT-2", "LOCKED-3", "HTML-4", "GONE-5"):
            assert results[code].criteria is None and results[code].reason

        again, warnings = read(calls, db, settings, parser, api)
        # The unreadable bytes are not fetched again; the missing one is asked again.
        assert api.download_counts[doc_key("CORRUPT-2")[0]] == 1
        assert api.download_counts[doc_key("LOCKED-3")[0]] == 1
        assert api.download_counts[doc_key("GONE-5")[0]] == 2  # a 404 is an answer: once a run
        assert len(warnings) == 4 and again.downloads == 0
        # A new date means perhaps a fixed notice: fetched again.
        api.documents[doc_key("CORRUPT-2")] = notice_pdf(NoticeSpec("CORRUPT-2"))
        fixed, warnings = read(
            [call_of("CORRUPT-2", updated="2026-05-01")], db, settings, parser, api
        )
        assert fixed["CORRUPT-2"].criteria is not None and warnings == []


def test_an_oversized_notice_is_refused_while_it_downloads(db: Store, settings: Settings) -> None:
    small = settings.with_overrides(notice_max_mb=0.02)  # 20 kB
    big = notice_pdf(NoticeSpec("BIG-1", paragraphs=6)) + b"%" + b"0" * 40_000
    parser = RegionParser()
    with FakeP2030(documents={doc_key("BIG-1"): big}) as api:
        api.endless.add(doc_key("ENDLESS-2")[0])  # no length, never ends
        calls = [call_of("BIG-1"), call_of("ENDLESS-2")]
        results, warnings = read(calls, db, small, parser, api)
    assert len(warnings) == 2
    for code in ("BIG-1", "ENDLESS-2"):
        assert results[code].reason is not None
        assert results[code].reason.startswith("too large: larger than the 0.02 MB allowed")
    assert parser.texts == []


def test_downloads_at_once_stay_within_the_setting(db: Store, settings: Settings) -> None:
    codes = [f"AV-{n}" for n in range(6)]
    documents = {doc_key(c): notice_pdf(NoticeSpec(c)) for c in codes}
    parser = RegionParser()
    with FakeP2030(documents=documents) as api:
        api.slow(0.2)
        results, _ = read(
            [call_of(c) for c in codes],
            db,
            settings.with_overrides(notice_concurrency=2),
            parser,
            api,
        )
    assert results.downloads == 6
    assert api.max_in_flight == 2


def test_a_failed_download_falls_back_on_the_notice_read_before(
    db: Store, settings: Settings
) -> None:
    code = "NORTE2030-2026-1"
    parser = RegionParser()
    with FakeP2030(documents={doc_key(code): notice_pdf(NoticeSpec(code))}) as api:
        read([call_of(code)], db, settings, parser, api)
        api.fail_forever(503)
        later, warnings = read([call_of(code, updated="2026-06-01")], db, settings, parser, api)
    assert later[code].stale and later[code].criteria is not None
    assert len(warnings) == 1 and "the copy read before is used" in warnings[0]


def test_a_call_without_a_notice_document_warns(db: Store, settings: Settings) -> None:
    call = call_of("NODOC-1")
    call.documents = [{"name": "Perguntas frequentes", "type": "FAQ", "path": "faq.pdf"}]
    with FakeP2030() as api:
        results, warnings = read([call], db, settings, RegionParser(), api)
    assert results["NODOC-1"].reason == "the call lists no notice among its documents"
    assert warnings[0].startswith("Call NODOC-1 «Aviso NODOC-1»: its notice was not read")


# -- offline: a folder of notices ----------------------------------------------------------------
def test_calls_from_a_file_read_their_notices_from_a_folder(
    db: Store, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "NORTE2030-2026-1.pdf").write_bytes(notice_pdf(NoticeSpec("NORTE2030-2026-1")))
    calls = [call_of("NORTE2030-2026-1"), call_of("ALG-2")]
    parser = RegionParser()
    results, warnings = read(calls, db, settings, parser, notices_dir=folder)
    assert results["NORTE2030-2026-1"].criteria.regions == ["norte"]  # type: ignore[union-attr]
    assert results["NORTE2030-2026-1"].origin == "file" and results.downloads == 0
    assert warnings == [
        f"Call ALG-2 «Aviso ALG-2»: its notice was not read, no file of it in {folder}; "
        "its eligibility rests on the call's programme and title."
    ]
    again, _ = read(calls, db, settings, parser, notices_dir=folder)
    assert again.parses == 0 and len(parser.texts) == 1


def test_a_parser_fault_is_a_warning_not_a_failed_run(db: Store, settings: Settings) -> None:
    def broken(text: str) -> Criteria:
        raise ValueError("unexpected section")

    code = "NORTE2030-2026-1"
    with FakeP2030(documents={doc_key(code): notice_pdf(NoticeSpec(code))}) as api:
        warnings: list[str] = []
        results = read_notices(
            [call_of(code)],
            store=db,
            settings=settings,
            parse=broken,
            download_url=api.download_url,
            warn=warnings.append,
        )
    assert results[code].criteria is None and results[code].text
    assert "could not be read into criteria (ValueError: unexpected section)" in warnings[0]


def test_progress_counts_every_call(db: Store, settings: Settings, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    read_notices(
        [call_of("A-1"), call_of("B-2")],
        store=db,
        settings=settings,
        parse=RegionParser(),
        notices_dir=tmp_path,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 2), (2, 2)]


def test_stored_dates_are_the_calls_dates(db: Store, settings: Settings) -> None:
    code = "NORTE2030-2026-1"
    with FakeP2030(documents={doc_key(code): notice_pdf(NoticeSpec(code))}) as api:
        read([call_of(code, updated="2026-02-01 10:00:00")], db, settings, RegionParser(), api)
    stored = db.notices.get(code)
    assert stored is not None and stored.source_updated_at is not None
    assert datetime.fromisoformat(stored.source_updated_at).date().isoformat() == "2026-02-01"


# -- elinara calls show --------------------------------------------------------------------------
def test_calls_show_prints_the_notice_state_and_criteria_with_clauses(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "NORTE2030-2026-1.pdf").write_bytes(notice_pdf(NoticeSpec("NORTE2030-2026-1")))
    (folder / "BAD-2.pdf").write_bytes(b"%PDF-1.7 broken")
    calls = [call_of("NORTE2030-2026-1", title="Inovação Produtiva Norte"), call_of("BAD-2")]
    db = open_store(settings.database_url)  # the store the command opens (ELINARA_HOME)
    try:
        read(calls, db, settings, RegionParser(), notices_dir=folder)
    finally:
        db.close()

    shown = elinara("calls", "show", "NORTE2030-2026-1")
    assert shown.code == 0, shown.err
    assert "NORTE2030-2026-1 Inovação Produtiva Norte" in shown.out
    assert "notice: read (file: " in shown.out
    assert "- geography: Norte" in shown.out
    assert "3. Área geográfica de aplicação: «localizadas na região NUTS II Norte»" in shown.out
    assert "- beneficiaries: not stated (no restriction)" in shown.out

    data = elinara("calls", "show", "NORTE2030-2026-1", "--json").json()
    assert data["state"] == "read" and data["criteria"]["regions"] == ["norte"]
    assert data["criteria_rows"][0]["clause"].startswith("3. Área geográfica")
    assert "text" not in data
    assert (
        "Anexo I" in elinara("calls", "show", "NORTE2030-2026-1", "--json", "--text").json()["text"]
    )

    bad = elinara("calls", "show", "BAD-2")
    assert bad.code == 0 and "notice: not read" in bad.out and "reason: a corrupt PDF" in bad.out

    assert_one_line_error(elinara("calls", "show", "NOPE-9"), 2, "no notice of call 'NOPE-9'")


def test_a_download_that_fails_once_is_retried(db: Store, settings: Settings) -> None:
    code = "NORTE2030-2026-1"
    with FakeP2030(documents={doc_key(code): notice_pdf(NoticeSpec(code))}) as api:
        api.fail_times(1, 503)
        results, warnings = read([call_of(code)], db, settings, RegionParser(), api)
        assert api.download_counts[doc_key(code)[0]] == 2
    assert warnings == [] and results.downloads == 1 and results[code].criteria is not None


def test_a_folder_first_then_the_download_endpoint(
    db: Store, settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "LOCAL-1.pdf").write_bytes(notice_pdf(NoticeSpec("LOCAL-1")))
    remote = notice_pdf(NoticeSpec("REMOTE-2", regions="NUTS II Algarve"))
    with FakeP2030(documents={doc_key("REMOTE-2"): remote}) as api:
        results, warnings = read(
            [call_of("LOCAL-1"), call_of("REMOTE-2")],
            db,
            settings,
            RegionParser(),
            api,
            notices_dir=tmp_path,
        )
        assert list(api.download_counts) == [doc_key("REMOTE-2")[0]]
    assert warnings == []
    assert (results["LOCAL-1"].origin, results["REMOTE-2"].origin) == ("file", "download")
    assert results["REMOTE-2"].criteria.regions == ["algarve"]  # type: ignore[union-attr]


def test_calls_show_prints_the_places_a_notice_carves_out(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    spec = NoticeSpec(
        "CENTRO2030-2026-9",
        programme="Programa Regional do Centro 2030",
        regions="Centro, à exceção dos municípios de Ourém e Alcobaça",
    )
    (folder / "CENTRO2030-2026-9.pdf").write_bytes(notice_pdf(spec))
    db = open_store(settings.database_url)  # the store the command opens (ELINARA_HOME)
    try:
        read([call_of("CENTRO2030-2026-9")], db, settings, parse_notice, notices_dir=folder)
    finally:
        db.close()

    shown = elinara("calls", "show", "CENTRO2030-2026-9")
    assert shown.code == 0, shown.err
    assert "- geography: Centro\n" in shown.out
    assert "- places excluded: Ourém, Alcobaça" in shown.out
    assert "à exceção dos municípios de Ourém e Alcobaça" in shown.out
    data = elinara("calls", "show", "CENTRO2030-2026-9", "--json").json()
    assert data["criteria"]["municipalities_excluded"] == ["Ourém", "Alcobaça"]
    assert [r["key"] for r in data["criteria_rows"]][:2] == ["geography", "geography_excluded"]
