"""A notice's plain text (as a PDF extractor gives it) cut into its numbered sections and annexes.

PDF text breaks lines mid-sentence, hyphenates words across lines and may keep page headers,
footers and a table of contents. :func:`split_sections` cleans that up and finds the headings a
notice uses ("5. BENEFICIÁRIOS", "5 - Entidades beneficiárias", "Artigo 5.º Beneficiários",
"ANEXO I – CAE elegíveis"), each section with the topic its title names (see :data:`TOPICS`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

# Per-character fold that keeps positions: lower case, accents removed ("Ç" -> "c"). A string
# indexed by code point: str.translate leaves characters past its end as they are.
_FOLD_TABLE = "".join(
    folded if len(folded := unicodedata.normalize("NFKD", chr(code))[0].lower()) == 1 else chr(code)
    for code in range(0x250)
)
_CLEAN_TABLE = str.maketrans(
    {"\u00ad": "", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "\ufb01": "fi"}
    | {"\ufb02": "fl", "\u2010": "-", "\u2011": "-"}
    | dict.fromkeys("\uf0b7\uf0a7\uf0d8\u25aa\u25e6\u25cf\u25a0\u27a2\u2022", "• ")
)


def fold_keep(text: str) -> str:
    """``text`` lower-cased and without accents, one character for one: positions still match."""
    return text.lower().translate(_FOLD_TABLE)


# Topics a section title names, tried on the folded title; a title may name several.
TOPICS: dict[str, re.Pattern[str]] = {
    "conditions": re.compile(
        r"(?:criterios|condicoes|requisitos)(?: especific[oa]s| gerais)? (?:de )?"
        r"(?:elegibilidade|acesso|admissibilidade)|^(?!.*despes).*\belegibilidade\b|^condicoes$"
    ),
    "beneficiaries": re.compile(
        # Not "destinatários": in training calls they are the trainees, not who applies; but
        # the addressees of an invitation ("convite") are who may apply.
        r"beneficiari|entidades (?:elegiveis|promotoras|convidadas)|promotores"
        r"|quem (?:se )?pode (?:candidatar|apresentar)|destinatari\w* do convite"
    ),
    "sizes": re.compile(
        r"dimensao (?:das |da )?empresa|tipologia de empresas|escaloes? de dimensao"
    ),
    "geography": re.compile(
        r"geografic|territori|localizacao|regioes abrangidas|area de (?:aplicacao|intervencao)"
        r"|onde se (?:aplica|localiza)"
    ),
    "cae": re.compile(
        r"\bcae\b|atividades? (?:economicas?|elegiveis|excluidas|nao elegiveis)"
        r"|setores? (?:de atividade|elegiveis|excluidos)|classificacao (?:portuguesa )?das atividades"
        r"|(?:ambito|enquadramento) setorial|atividades (?:sao )?abrangidas|que atividades"
        r"|^exclusoes$|^atividades$"
    ),
}

_CONDITIONS_OF_BENEFICIARIES = re.compile(r"(?:criterios|condicoes|requisitos)\b.*beneficiari")
_DUTIES = re.compile(r"obrigac|compromisso|deveres|direitos|pagamento|responsabilidade")
_NUMBERED = re.compile(
    r"^(\d{1,2}(?:\.\d{1,2}){0,3})(?:\.?\s*[-–—:)]\s*|\.?\s+|\.(?=[A-ZÁÉÍÓÚÂÊÔÃÕÇ]))(\S.*)$"
)
_LABELLED = re.compile(
    r"^(SECÇÃO|Secção|SEÇÃO|Seção|PONTO|Ponto|CAPÍTULO|Capítulo|PARTE|Parte)\s+"
    r"(\d{1,2}|[IVX]{1,5})\b\.?º?\s*(?:[-–—:.]\s*)?(.*)$"
)
# A table's caption: "Quadro 2 - NUTS III elegíveis", "Tabela 1: Municípios abrangidos".
_CAPTION = re.compile(
    r"^(?:QUADRO|Quadro|TABELA|Tabela)(?:\s+(\d{1,2}|[IVX]{1,5}))?\s*[-–—:.]\s*([A-ZÁÉÍÓÚ].*)$"
)
_ROMAN_HEADING = re.compile(r"^([IVX]{1,5})\s*[.)]\s+(\S.*)$")
_ROMAN = {"I": 1, "V": 5, "X": 10}
_NUMBER_ALONE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.$")
_ARTICLE = re.compile(r"^(?:ARTIGO|Artigo|Art\.)\s+(\d{1,3})\s*\.?\s*[ºo°]?\s*(?:[-–—:.]\s*)?(.*)$")
_ANNEX = re.compile(r"^(?:ANEXO|Anexo)\s+([IVXL]{1,5}|[A-H]|\d{1,2})\b\.?\s*(?:[-–—:.]\s*)?(.*)$")
# An annex without a number: "Anexo - Indicadores de realização e de resultado".
_ANNEX_UNNUMBERED = re.compile(r"^(?:ANEXO|Anexo)\s*[-–—:]\s*([A-ZÁÉÍÓÚÂÊÔÃÕÇ].{0,99})$")
_TOC_TAIL = re.compile(r"(?:\s*[.…_·]{2,}\s*|\s+)\d{1,3}\s*$")
_PAGE_LINE = re.compile(
    r"^\s*(?:(?:p[áa]gina|p[áa]g\.)\s*\d+(?:\s*(?:de|/)\s*\d+)?|\d{1,3}\s*(?:/|de)\s*\d{1,3}|-\s*\d{1,3}\s*-)\s*$",
    re.IGNORECASE,
)
# "Cofinanciado pela União Europeia Página 2 de 4": the page number goes, the rest repeats.
_PAGE_TAIL = re.compile(r"\s*\b(?:p[áa]gina|p[áa]g\.)\s*\d+\s*(?:de|/)\s*\d+\s*$", re.IGNORECASE)
_HEADING_LIKE = re.compile(
    r"^(?:\d|[IVX]{1,5}[.)]|(?:artigo|anexo|sec[cç][aã]o|se[cç][aã]o|cap[ií]tulo|parte)\b)",
    re.IGNORECASE,
)
_HYPHEN_END = re.compile(r"([^\W\d_])-$")
_STARTS_LOWER = re.compile(r"^[a-zà-ÿ]")
_COMPOUND_PART = re.compile(r"^[a-zà-ÿ]{1,2}-")  # "a-Velha", "o-Novo": a real hyphen
_SENTENCE_END = re.compile(r"[.;,]$")
_LETTERS = re.compile(r"[^\W\d_]")
# A run-in heading: up to six words of title, a full stop, then the section's first sentence.
# A title is a noun phrase: an article first or a finite verb make a sentence.
_SENTENCE_LIKE = re.compile(r"^(?:o|a|os|as)\b|\b(?:sao|podem|devem|deve|sera|serao|sejam|estao)\b")
_RUN_IN = re.compile(r"^((?:[^\s.]+\s){0,5}[^\s.]+)\.\s+([A-ZÁÉÍÓÚÂÊÔÃÕÇ0-9].*)$")
_MAX_TITLE = 100
# Words (folded) after which what is named is an example or a preference, not a limit.
EXAMPLES = re.compile(
    r"\b(?:em especial|em particular|designadamente|nomeadamente|preferencialmente"
    r"|prioritariamente|sobretudo|com prioridade|com particular incidencia|incluindo"
    r"|por exemplo|tais como)\b"
)
# Where a sentence ends in a section's joined lines: after ".", ";" or ":" before a capital
# letter or a paragraph number ("2 - Não são elegíveis...").
SENTENCE = re.compile(
    r"(?<=[.;:])\s+(?=[A-ZÁÉÍÓÚÂÊÔÃÕÇ]|[1-9]\s?[-–)]\s|[1-9]\.\s+[A-ZÁÉÍÓÚÂÊÔÃÕÇ])"
)


@dataclass(slots=True)
class Section:
    """One heading and the lines under it (up to the next heading)."""

    heading: str  # as cited: "5. Beneficiários", "Artigo 5.º Beneficiários", "Anexo I"
    title: str  # the title words alone, as written: "BENEFICIÁRIOS", "CAE elegíveis"
    number: str  # "5", "5.1", "art. 5", "anexo i"
    topics: set[str] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)

    @property
    def is_annex(self) -> bool:
        return self.number.startswith("anexo ")

    @property
    def is_table(self) -> bool:
        return self.number.startswith("quadro")

    @property
    def body(self) -> str:
        return " ".join(self.lines)


def clean_lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, words split across lines joined again, page furniture
    (page numbers, a header or footer repeated on every page) removed."""
    text = unicodedata.normalize("NFC", text).translate(_CLEAN_TABLE)
    raw = [_PAGE_TAIL.sub("", " ".join(line.split())) for line in text.splitlines()]
    raw = [line for line in raw if line and not _PAGE_LINE.match(line)]
    counts = Counter(line for line in raw if len(line) >= 8)
    # Page furniture: a line seen on three pages, or a long one seen on two (a short notice),
    # unless it may be a heading (a table of contents repeats its headings).
    repeated = {
        line
        for line, n in counts.items()
        if n >= 3 or (n == 2 and len(line) >= 25 and not _HEADING_LIKE.match(line))
    }
    lines: list[str] = []
    for line in raw:
        if line in repeated:
            continue
        if lines and _HYPHEN_END.search(lines[-1]) and _STARTS_LOWER.match(line):
            head = lines[-1] if _COMPOUND_PART.match(line) else lines[-1][:-1]
            first, _, rest = line.partition(" ")
            lines[-1] = head + first
            if rest:
                lines.append(rest)
            continue
        lines.append(line)
    return lines


def _title_case(title: str) -> str:
    """An ALL-CAPS title as a sentence ("ÁREA GEOGRÁFICA" -> "Área geográfica")."""
    letters = _LETTERS.findall(title)
    if letters and all(ch.isupper() for ch in letters) and len(letters) > 3:
        lowered = title.lower()
        return lowered[0].upper() + lowered[1:]
    return title


def _topics(title: str) -> set[str]:
    folded = fold_keep(title)
    found = {name for name, pattern in TOPICS.items() if pattern.search(folded)}
    if "conditions" in found and _CONDITIONS_OF_BENEFICIARIES.search(folded):
        found.discard("beneficiaries")  # "Critérios de elegibilidade dos beneficiários"
    if _DUTIES.search(folded):
        found.discard("beneficiaries")  # "Obrigações dos beneficiários": not who applies
    return found


def _named(title: str) -> bool:
    """Whether a plausible title names a topic (checked only when the numbering needs it)."""
    return _plausible_title(title) and bool(_topics(title))


def _plausible_title(title: str) -> bool:
    return (
        0 < len(title) <= _MAX_TITLE
        and len(title.split()) <= 14
        and not _SENTENCE_END.search(title)
        and title[0].isupper()
        and "€" not in title
        and "%" not in title
    )


class _Numbering:
    """Which numbers may start a section next: numbered headings follow one another (5, 5.1,
    5.2, 6...), which keeps a table row "10 Indústrias alimentares" from passing as one."""

    def __init__(self) -> None:
        self.last: list[int] = []

    def accepts(self, number: str, *, topic: bool = False) -> bool:
        """Whether ``number`` may come next; a title with a known topic may also skip a few
        numbers (a heading the PDF extraction lost, or a notice given from its middle)."""
        parts = [int(p) for p in number.split(".")]
        if number.startswith("0") or parts[0] == 0:
            return False
        if parts == [1]:
            return True  # numbering restarts (after a table of contents, in an annex)
        if not self.last:
            return len(parts) == 1 and (parts[0] <= 3 or topic)
        depth = len(parts)
        if depth == 1:
            step = parts[0] - self.last[0]
            return 1 <= step <= (5 if topic else 2)
        if depth > len(self.last) + 1 or parts[:-1] != self.last[: depth - 1]:
            return False
        if depth == len(self.last) + 1:
            return parts[-1] == 1
        return parts[-1] == self.last[depth - 1] + 1

    def take(self, number: str) -> None:
        self.last = [int(p) for p in number.split(".")]

    def reset(self) -> None:
        self.last = []


def split_sections(text: str) -> list[Section]:
    """The sections of a notice, in order; text before the first heading (the cover page) and
    headings with no words under them (a table of contents) are left out. A notice without
    numbered headings is cut at its ALL-CAPS lines instead."""
    lines = clean_lines(text)
    sections = _split(lines, caps=False)
    if len(sections) < 2:
        sections = _split(lines, caps=True)
    _inherit_topics(sections)
    _tables_in_their_section(sections)
    # A heading with nothing but numbers under it is a table of contents entry and its page.
    return [s for s in sections if any(_LETTERS.search(line) for line in s.lines)]


def _split(lines: list[str], *, caps: bool) -> list[Section]:
    sections: list[Section] = []
    numbering = _Numbering()
    current: Section | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else ""
        found = _heading(line, following, numbering) or (_caps_heading(line) if caps else None)
        if found is not None:
            current, used = found
            sections.append(current)
            i += used
            continue
        if current is not None:
            current.lines.append(line)
        i += 1
    return sections


def _caps_heading(line: str) -> tuple[Section, int] | None:
    letters = _LETTERS.findall(line)
    if len(letters) < 4 or not all(ch.isupper() for ch in letters) or len(line) > 80:
        return None
    if line[0].isdigit() or _SENTENCE_END.search(line):
        return None
    return Section(_title_case(line), line, "caps", _topics(line)), 1


def _inline(title: str) -> tuple[str, list[str]]:
    """ "Área geográfica: Região Centro" -> ("Área geográfica", ["Região Centro"]); a run-in
    heading, "Beneficiários. Podem candidatar-se as empresas" -> ("Beneficiários", [the
    sentence]): a short title, a full stop, then the text."""
    left, colon, right = title.partition(": ")
    run_in = _RUN_IN.match(title)
    if run_in and _SENTENCE_LIKE.search(fold_keep(run_in.group(1))):
        run_in = None  # "1. São beneficiários as PME. Estas...": a numbered sentence
    if run_in and colon and len(run_in.group(1)) < len(left):
        return run_in.group(1).strip(), [run_in.group(2).strip()]
    if colon and right.strip() and _topics(left):
        return left.strip(), [right.strip()]
    if m := run_in:
        return m.group(1).strip(), [m.group(2).strip()]
    return title, []


def _heading(line: str, following: str, numbering: _Numbering) -> tuple[Section, int] | None:
    """The section ``line`` starts, with how many lines its heading takes; None for body text."""
    if len(line) > _MAX_TITLE * 3:
        return None
    if m := _ANNEX.match(line):
        title = _TOC_TAIL.sub("", m.group(2)).strip()
        if len(title) > _MAX_TITLE or (title and not title[0].isupper()):
            return None
        used = 1
        if not title and following and _plausible_title(following) and len(following) <= 80:
            title, used = following, 2
        numbering.reset()
        label = m.group(1).upper()
        section = Section(f"Anexo {label}", title, f"anexo {label.lower()}", _topics(title))
        return section, used
    if m := _ANNEX_UNNUMBERED.match(line):
        numbering.reset()
        title = m.group(1).strip()
        return Section(f"Anexo – {title}", title, "anexo -", _topics(title)), 1
    if m := _CAPTION.match(line):
        # A table ends the text above it: its rows are not that section's sentences.
        title, _, rest = m.group(2).partition(":")
        label = m.group(1) or ""
        if len(title) > _MAX_TITLE:
            return None
        heading = f"Quadro {label} – {title.strip()}".replace("  ", " ")
        extra = [rest.strip()] if rest.strip() else []
        number = f"quadro {label}".strip()
        return Section(heading, title.strip(), number, _topics(title), extra), 1
    if m := _ARTICLE.match(line):
        title, extra = _inline(_TOC_TAIL.sub("", m.group(2)).strip())
        used = 1
        if not title and following and _plausible_title(following):
            title, used = following, 2
        if title and not _plausible_title(title):
            return None
        heading = f"Artigo {m.group(1)}.º {_title_case(title)}".strip()
        return Section(heading, title, f"art. {m.group(1)}", _topics(title), extra), used
    if m := _LABELLED.match(line):
        word, label = m.group(1), m.group(2)
        if word.lower().startswith(("sec", "seç")) and not label.isdigit():
            return None  # "Secção I – Alojamento": a CAE section letter in a table
        title, extra = _inline(_TOC_TAIL.sub("", m.group(3)).strip())
        used = 1
        if not title and following and _plausible_title(following):
            title, used = following, 2
        if title and not _plausible_title(title):
            return None
        heading = f"{word.capitalize()} {label} – {_title_case(title)}".rstrip(" –")
        number = f"{word.lower()} {label.lower()}"
        return Section(heading, title, number, _topics(title), extra), used
    if m := _ROMAN_HEADING.match(line):
        value = _roman(m.group(1))
        title, extra = _inline(_TOC_TAIL.sub("", m.group(2)).strip())
        if value is None or not _plausible_title(title):
            return None
        number = str(value)
        if not numbering.accepts(number) and not numbering.accepts(number, topic=_named(title)):
            return None
        numbering.take(number)
        heading = f"{m.group(1)}. {_title_case(title)}"
        return Section(heading, title, f"roman {value}", _topics(title), extra), 1
    if m := _NUMBER_ALONE.match(line):
        if not following or not _plausible_title(following):
            return None
        if not numbering.accepts(m[1]) and not numbering.accepts(m[1], topic=_named(following)):
            return None
        numbering.take(m[1])
        title = following
        return Section(f"{m[1]}. {_title_case(title)}", title, m[1], _topics(title)), 2
    if m := _NUMBERED.match(line):
        number = m.group(1)
        title, extra = _inline(_TOC_TAIL.sub("", m.group(2)).strip())
        if not numbering.accepts(number) and not numbering.accepts(number, topic=_named(title)):
            return None
        used = 1
        if not extra and following and _STARTS_LOWER.match(following):
            # A title wrapped onto a second line, or a sentence that happens to be numbered.
            if len(following) > 50 or _SENTENCE_END.search(following):
                return None
            title, used = f"{title} {following}", 2
        if not _plausible_title(title):
            return None
        numbering.take(number)
        heading = f"{number}. {_title_case(title)}"
        return Section(heading, title, number, _topics(title), extra), used
    return None


def _roman(numeral: str) -> int | None:
    """The value of a Roman numeral up to 39 ("XIV" -> 14); None for a malformed one."""
    values = [_ROMAN[ch] for ch in numeral]
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return total if 0 < total < 40 and _to_roman(total) == numeral else None


def _to_roman(value: int) -> str:
    tens, units = divmod(value, 10)
    return "X" * tens + ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][units]


def _tables_in_their_section(sections: list[Section]) -> None:
    """A table whose caption names no topic belongs to the CAE or territory section it
    interrupts ("Quadro 1" under "5. Atividades elegíveis"); never to a beneficiaries section,
    whose sentences its rows are not."""
    for previous, section in pairwise(sections):
        if section.is_table and not section.topics:
            section.topics = previous.topics & {"cae", "geography"}


def _inherit_topics(sections: list[Section]) -> None:
    """A numbered subsection without a topic of its own ("5.1 Natureza") belongs to its parent's."""
    parents: dict[str, set[str]] = {}
    for section in sections:
        if section.number[:1].isdigit():
            parent = section.number.rsplit(".", 1)[0] if "." in section.number else ""
            if not section.topics and parent in parents:
                section.topics = set(parents[parent])
            parents[section.number] = section.topics
