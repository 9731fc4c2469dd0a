"""Notices benchmark: 500 generated notices of 3-4 pages read through a loopback download endpoint.

    python bench/notices.py                      # 500 notices, SQLite store in a temp folder
    python bench/notices.py --notices 100 --concurrency 8
    python bench/notices.py --parse elinara.agent.notices.parse:parse_notice

Cold: every notice is downloaded from the fake Portugal 2030 server, its text extracted, parsed
and stored. Warm: the same calls again (same ``dataUltimaAlteracao``): nothing may be
downloaded or parsed. Prints times, counts and the growth of the peak RSS during the cold read
(the notices are generated beforehand, in another process, and cached under ``--cache``).
``--parse module:function`` names the notice parser (default: a small regex for the region).
"""

from __future__ import annotations

import argparse
import importlib
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fakes

from fakes.notice_pdf import cached_notices, generate_apart  # noqa: E402
from fakes.p2030 import FakeP2030, make_aviso  # noqa: E402

from elinara.agent.calls import normalize_aviso  # noqa: E402
from elinara.agent.criteria import Clause, Criteria  # noqa: E402
from elinara.agent.notices.read import read_notices  # noqa: E402
from elinara.config import load_settings  # noqa: E402
from elinara.store import open_store  # noqa: E402


def region_parser(text: str) -> Criteria:
    found = re.search(r"localizadas na região NUTS II (\w+)", text)
    if found is None:
        return Criteria(source="notice", unread=["geography"])
    clause = Clause("3. Área geográfica de aplicação", found.group(0))
    return Criteria(
        source="notice", regions=[found.group(1).casefold()], clauses={"geography": clause}
    )


def _parser(spec: str | None) -> Any:
    if not spec:
        return region_parser
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notices", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--parse", help="module:function of the notice parser")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "elinara-notices"
    )
    args = parser.parse_args()
    generate_apart(args.notices, args.cache)
    documents: dict[tuple[str, str], bytes] = {}
    avisos = []
    for spec, path in cached_notices(args.notices, args.cache):
        aviso = make_aviso(spec.code)
        doc = aviso["documentos"][0]
        documents[(doc["path"], doc["container"])] = path.read_bytes()
        avisos.append(aviso)
    calls = [normalize_aviso(aviso, "p2030") for aviso in avisos]
    pages_mb = sum(len(data) for data in documents.values()) / 1_000_000
    parse = _parser(args.parse)

    with tempfile.TemporaryDirectory() as home, FakeP2030(documents=documents) as api:
        settings = load_settings({"ELINARA_HOME": home}).with_overrides(
            notice_concurrency=args.concurrency
        )
        store = open_store(settings.database_url)
        try:
            before = _rss_mb()
            start = time.perf_counter()
            cold = read_notices(
                calls, store=store, settings=settings, parse=parse, download_url=api.download_url
            )
            cold_s = time.perf_counter() - start
            peak = _rss_mb()
            start = time.perf_counter()
            warm = read_notices(
                calls, store=store, settings=settings, parse=parse, download_url=api.download_url
            )
            warm_s = time.perf_counter() - start
        finally:
            store.close()
    print(
        f"{args.notices} notices ({pages_mb:.1f} MB of PDF), concurrency {args.concurrency}, "
        f"SQLite store"
    )
    print(
        f"cold: {cold_s:.2f} s ({cold_s / args.notices * 1000:.1f} ms/notice), "
        f"{cold.downloads} downloads, {cold.parses} parses, {cold.failed} failed; "
        f"peak RSS {peak:.0f} MB (+{peak - before:.0f} MB while reading)"
    )
    print(
        f"warm: {warm_s:.2f} s, {warm.downloads} downloads, {warm.parses} parses, "
        f"{warm.read} read from the store"
    )
    print(f"warm/cold time: {warm_s / cold_s:.3f}")


if __name__ == "__main__":
    main()
