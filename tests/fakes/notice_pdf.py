"""Realistic Portuguese notices ("avisos") as PDF bytes, generated with fpdf2.

    from fakes.notice_pdf import NoticeSpec, notice_pdf

    pdf = notice_pdf(NoticeSpec("NORTE2030-2026-1", regions="Norte", annex="table"))

The layout is the one real avisos have: a header and a footer repeated on every page (the
programme's name and the aviso's code; "Página N de M"), numbered sections, paragraphs of legal
boilerplate, and an annex of CAE codes as a table (code and description in two columns) or as
a list, over 3 to 4 pages. Text uses the accents of Portuguese (ã ç é õ), so a font with those
glyphs is embedded (DejaVu Sans from Debian's ``fonts-dejavu-core``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

CAE_ROWS: list[tuple[str, str]] = [
    ("10110", "Abate de gado (produção de carne)"),
    ("13200", "Tecelagem de têxteis"),
    ("16230", "Fabricação de outras obras de carpintaria para a construção"),
    ("22220", "Fabricação de embalagens de plástico"),
    ("25110", "Fabricação de estruturas de construções metálicas"),
    ("28410", "Fabricação de máquinas-ferramentas para metais"),
    ("31091", "Fabricação de mobiliário de madeira para outros fins"),
    ("62010", "Atividades de programação informática"),
    ("71120", "Atividades de engenharia e técnicas afins"),
    ("72190", "Outra investigação e desenvolvimento das ciências físicas e naturais"),
]

BOILERPLATE = [
    "O presente aviso é publicado ao abrigo do Regulamento Específico da Área Temática "
    "Inovação e Transição Digital, aprovado pela Portaria n.º 103-A/2023, de 12 de abril, "
    "e do Decreto-Lei n.º 20-A/2023, de 22 de março, que estabelece o modelo de governação "
    "dos fundos europeus para o período de programação 2021-2027.",
    "As candidaturas são submetidas através do Balcão dos Fundos, mediante autenticação, "
    "sendo a data de submissão a que consta do respetivo comprovativo. Não são aceites "
    "candidaturas submetidas por outra via, nem após a data de encerramento do aviso.",
    "A decisão sobre as candidaturas é proferida pela autoridade de gestão no prazo de 60 dias "
    "úteis a contar da data de encerramento do aviso, sendo notificada aos beneficiários "
    "nos termos do Código do Procedimento Administrativo, com audiência prévia dos interessados.",
    "A taxa máxima de cofinanciamento é de 60% das despesas elegíveis, podendo ser majorada "
    "em 15 pontos percentuais para operações que promovam a igualdade de género, a "
    "sustentabilidade ambiental ou a coesão territorial, nos termos da regulamentação aplicável.",
    "São elegíveis as despesas com a aquisição de máquinas e equipamentos, programas "
    "informáticos, serviços de consultoria especializada, certificação de produtos e processos, "
    "e ações de promoção e marketing internacional, realizadas após a data de submissão.",
    "A informação relativa ao presente aviso, incluindo esclarecimentos e perguntas frequentes, "
    "é disponibilizada no portal Portugal 2030 e no sítio do programa, devendo os promotores "
    "consultá-la regularmente até ao fim do período de candidaturas.",
]


@dataclass
class NoticeSpec:
    """What a generated notice says; each criterion is a sentence in its section."""

    code: str
    title: str = "Inovação Produtiva — Apoio ao investimento empresarial"
    programme: str = "Programa Regional do Norte 2030"
    regions: str = "NUTS II Norte"
    beneficiaries: str = "Empresas de qualquer natureza e sob qualquer forma jurídica"
    sizes: str = "micro, pequenas e médias empresas (PME), nos termos da Recomendação 2003/361/CE"
    annex: Literal["table", "list", "none"] = "table"
    cae: list[tuple[str, str]] = field(default_factory=lambda: list(CAE_ROWS))
    paragraphs: int = 3  # boilerplate paragraphs per section (more: more pages)
    seed: int = 0


def _pdf_class() -> type:
    from fpdf import FPDF

    class NoticePDF(FPDF):  # type: ignore[misc]
        spec: NoticeSpec

        def header(self) -> None:
            self.set_font("DejaVu", size=8)
            self.cell(0, 5, f"{self.spec.programme} · Aviso N.º {self.spec.code}", align="L")
            self.ln(8)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("DejaVu", size=8)
            self.cell(0, 5, f"Página {self.page_no()} de {{nb}}", align="C")

    return NoticePDF


def notice_pdf(spec: NoticeSpec, *, encrypt: bool = False) -> bytes:
    """The notice as PDF bytes (``encrypt``: protected by a user password)."""
    rng = random.Random(spec.seed)
    pdf = _pdf_class()()
    pdf.spec = spec
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(
        0, 7, f"AVISO PARA APRESENTAÇÃO DE CANDIDATURAS\n{spec.code}", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 6, spec.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    def section(title: str, lead: str) -> None:
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=10)
        pdf.multi_cell(0, 5, lead, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        for text in rng.sample(BOILERPLATE, k=min(spec.paragraphs, len(BOILERPLATE))):
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(2)

    section(
        "1. Objeto", f"O presente aviso tem por objeto apoiar projetos de {spec.title.lower()}."
    )
    section("2. Enquadramento", f"O aviso enquadra-se no {spec.programme}.")
    section(
        "3. Área geográfica de aplicação",
        f"São elegíveis as operações localizadas na região {spec.regions}.",
    )
    section("4. Beneficiários", f"Podem apresentar candidatura: {spec.beneficiaries}.")
    section("5. Dimensão das empresas", f"São elegíveis {spec.sizes}.")
    section(
        "6. Atividades elegíveis",
        "São elegíveis os projetos enquadrados nas atividades económicas (CAE Rev.4) "
        "constantes do Anexo I ao presente aviso."
        if spec.annex != "none"
        else "São elegíveis todas as atividades económicas, com exceção das excluídas pela "
        "regulamentação europeia de auxílios de Estado.",
    )
    if spec.annex != "none":
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(
            0,
            6,
            "Anexo I — Classificação das atividades económicas elegíveis",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
        pdf.set_font("DejaVu", size=10)
        if spec.annex == "table":
            with pdf.table(col_widths=(25, 135), text_align="LEFT") as table:
                table.row(["CAE", "Designação"])
                for code, name in spec.cae:
                    table.row([code, name])
        else:
            for code, name in spec.cae:
                pdf.multi_cell(0, 5, f"• {code} – {name}", new_x="LMARGIN", new_y="NEXT")
    return _output(pdf, encrypt)


def _output(pdf: object, encrypt: bool) -> bytes:
    if encrypt:
        pdf.set_encryption(owner_password="dono", user_password="segredo")  # type: ignore[attr-defined]
    return bytes(pdf.output())  # type: ignore[attr-defined]


def sample_specs(count: int, seed: int = 7) -> list[NoticeSpec]:
    """``count`` varied notices (regions, annex as table or list, 3 or 4 pages)."""
    rng = random.Random(seed)
    regions = ["NUTS II Norte", "NUTS II Centro", "NUTS II Alentejo", "NUTS II Algarve"]
    specs = []
    for index in range(count):
        specs.append(
            NoticeSpec(
                code=f"BENCH-2026-{index:04d}",
                regions=rng.choice(regions),
                annex="table" if index % 2 == 0 else "list",
                cae=rng.sample(CAE_ROWS, k=rng.randint(4, len(CAE_ROWS))),
                paragraphs=rng.choice([3, 5]),
                seed=index,
            )
        )
    return specs


GENERATOR_VERSION = 1  # bump when the notices change: the cached files are made again


def cached_notices(count: int, folder: Path) -> list[tuple[NoticeSpec, Path]]:
    """``sample_specs(count)`` as PDF files in ``folder``, generated once (for benchmarks)."""
    folder.mkdir(parents=True, exist_ok=True)
    found = []
    for spec in sample_specs(count):
        path = folder / f"{spec.code}-v{GENERATOR_VERSION}.pdf"
        if not path.is_file():
            path.write_bytes(notice_pdf(spec))
        found.append((spec, path))
    return found


def generate_apart(count: int, folder: Path) -> None:
    """``cached_notices`` in a process of its own: a benchmark that measures its peak memory
    must not generate them itself (Linux keeps a parent's peak RSS across fork and exec)."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from fakes.notice_pdf import cached_notices;"
        "cached_notices(int(sys.argv[2]), Path(sys.argv[3]))"
    )
    tests = str(Path(__file__).resolve().parent.parent)
    subprocess.run([sys.executable, "-c", code, tests, str(count), str(folder)], check=True)
