"""Which PDF library reads Portuguese notices best: pypdfium2, pypdf or pdfminer.six.

    python bench/pdf_libs.py                # 60 generated notices, each library in its own process
    python bench/pdf_libs.py --notices 200

The notices come from ``tests/fakes/notice_pdf.py`` (3-4 pages; numbered sections; accents;
header and footer on every page; a CAE annex as a two-column table in half of them, a list in
the others). Per library, over every notice, it measures:

- accents: the accented words of the notice found intact (``Área``, ``Beneficiários``, ...);
- sentences: the notice's criteria sentences found, with whitespace folded (no glued or split words);
- table rows: CAE annex rows whose code and description come on one line, in reading order;
- time: extraction time per notice (best of ``--repeat``), and the peak RSS of the measuring
  process (``peak MB``: interpreter, library and the notices' bytes; the notices are generated
  beforehand, by another process, and cached under ``--cache``).

The candidate libraries must be installed (``pip install pypdfium2 pypdf pdfminer.six fpdf2``).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.notice_pdf import NoticeSpec, cached_notices, generate_apart  # noqa: E402

LIBRARIES = ("pypdfium2", "pypdf", "pdfminer.six")
ACCENTED = ("Área geográfica", "Beneficiários", "Dimensão", "médias", "Classificação", "económicas")


def _extractor(library: str) -> Any:
    if library == "pypdfium2":
        import pypdfium2 as pdfium

        def pdfium_text(data: bytes) -> str:
            doc = pdfium.PdfDocument(data)
            try:
                return "\n".join(page.get_textpage().get_text_range() for page in doc)
            finally:
                doc.close()

        return pdfium_text
    if library == "pypdf":
        import pypdf

        def pypdf_text(data: bytes) -> str:
            reader = pypdf.PdfReader(io.BytesIO(data))
            return "\n".join(page.extract_text() for page in reader.pages)

        return pypdf_text
    from pdfminer.high_level import extract_text

    def pdfminer_text(data: bytes) -> str:
        return extract_text(io.BytesIO(data))

    return pdfminer_text


def _fold(text: str) -> str:
    return " ".join(text.split())


def _sentences(spec: NoticeSpec) -> list[str]:
    """Sentences the notice surely holds (the boilerplate is sampled per section)."""
    return [
        f"São elegíveis as operações localizadas na região {spec.regions}.",
        f"Podem apresentar candidatura: {spec.beneficiaries}.",
        f"São elegíveis {spec.sizes}.",
        "São elegíveis os projetos enquadrados nas atividades económicas (CAE Rev.4) "
        "constantes do Anexo I ao presente aviso.",
    ]


def measure(library: str, count: int, repeat: int, folder: Path) -> dict[str, Any]:
    notices = cached_notices(count, folder)
    specs = [spec for spec, _ in notices]
    pdfs = [path.read_bytes() for _, path in notices]
    extract = _extractor(library)
    extract(pdfs[0])  # warm the import
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    best = float("inf")
    texts: list[str] = []
    for _ in range(repeat):
        start = time.perf_counter()
        texts = [extract(data) for data in pdfs]
        best = min(best, time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    accents = sentences = rows = 0
    accents_all = sentences_all = rows_all = 0
    for spec, text in zip(specs, texts, strict=True):
        folded = _fold(text)
        accents += sum(word in text for word in ACCENTED)
        accents_all += len(ACCENTED)
        for sentence in _sentences(spec):
            sentences += _fold(sentence) in folded
            sentences_all += 1
        lines = [_fold(line) for line in text.splitlines()]
        for code, name in spec.cae:
            rows += f"{code} {name}" in lines or f"• {code} – {name}" in lines
        rows_all += len(spec.cae)
    return {
        "library": library,
        "notices": count,
        "ms_per_notice": round(best / count * 1000, 2),
        "peak_rss_mb": round(peak / 1024, 1),
        "rss_growth_mb": round((peak - base_rss) / 1024, 1),
        "accents": f"{accents}/{accents_all}",
        "sentences": f"{sentences}/{sentences_all}",
        "table_rows": f"{rows}/{rows_all}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notices", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "elinara-notices"
    )
    parser.add_argument("--one", choices=LIBRARIES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.notices, args.repeat, args.cache)))
        return
    generate_apart(args.notices, args.cache)
    print(f"{args.notices} notices, best of {args.repeat}")
    header = ("library", "ms/notice", "peak MB", "accents", "sentences", "table rows")
    print("{:<14}{:>10}{:>9}{:>10}{:>11}{:>12}".format(*header))
    results = []
    for library in LIBRARIES:
        out = subprocess.run(
            [
                *(sys.executable, __file__, "--one", library),
                *("--notices", str(args.notices), "--repeat", str(args.repeat)),
                *("--cache", str(args.cache)),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(out.strip().splitlines()[-1])
        results.append(row)
        print(
            f"{row['library']:<14}{row['ms_per_notice']:>10}{row['peak_rss_mb']:>9}"
            f"{row['accents']:>10}{row['sentences']:>11}{row['table_rows']:>12}"
        )
    fastest = min(r["ms_per_notice"] for r in results)
    for row in results:
        print(f"{row['library']}: {row['ms_per_notice'] / fastest:.1f}x the fastest's time")


if __name__ == "__main__":
    main()
