"""CAE clauses of a notice: eligible and excluded activity codes, in sentences and in tables.

Digits are read as CAE codes only right after a word that announces them ("CAE", "divisão",
"grupo", "classe", "subclasse", "secção" for letters) and only while the list goes on (codes,
",", "e", "ou", ranges "a" / "-" / "até", descriptions in brackets); anything else ends the list,
so article numbers, years, amounts, dates and postal codes are never read. The word fixes the
length (a "divisão" has 2 digits, a "grupo" 3, ...). In a CAE table (a CAE section or annex) a
line that starts with a code is a row.

Whether codes are eligible or excluded comes from the sentence ("São elegíveis...", "Estão
excluídas...", "com exceção de..."), else from the section title ("Anexo II – CAE excluídas"),
else from a sentence elsewhere that points to the annex; codes of unknown sense are not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from elinara.agent.cae import cae_range
from elinara.agent.notices.sections import EXAMPLES, SENTENCE, fold_keep

INCLUDED = "included"
EXCLUDED = "excluded"

_TRIGGERS: dict[str, frozenset[int] | None] = {
    "cae": frozenset({2, 3, 4, 5}),
    "caes": frozenset({2, 3, 4, 5}),
    "divisao": frozenset({2}),
    "divisoes": frozenset({2}),
    "grupo": frozenset({3}),
    "grupos": frozenset({3}),
    "classe": frozenset({4}),
    "classes": frozenset({4}),
    "subclasse": frozenset({5}),
    "subclasses": frozenset({5}),
    "seccao": None,  # section letters
    "seccoes": None,
    "secao": None,
    "secoes": None,
}
_CODE_WORDS = {"codigo": frozenset({2, 3, 4, 5}), "codigos": frozenset({2, 3, 4, 5})}
_SKIP_WORDS = frozenset(
    {"de", "da", "do", "das", "dos", "na", "nas", "no", "nos", "as", "os", "seguintes", "n"}
)
_NOT_CODE_AFTER = frozenset(
    {"euros", "eur", "mil", "milhoes", "dias", "meses", "anos", "trabalhadores", "horas", "pontos"}
)
_MONTHS = frozenset(
    [
        "janeiro",
        "fevereiro",
        "marco",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ]
)
# Words that take codes out of the list before them and go on listing codes of the same kind:
# "CAE 55, excluindo 55201", "divisões 10 a 33, com exceção da 12".
_EXCEPT_WORDS = frozenset(
    {"exceto", "excepto", "excluindo", "excetuando", "salvo", "excecao", "exclusao"}
)
_EXCEPTION = frozenset({"excecao", "exclusao"})  # after "com" / "à"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTU"
_TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,/]\d+)*)(?P<suffix>\s?[ºª°%€]|\.[ºª°])?|(?P<word>[^\W\d_]+)|(?P<p>[^\w\s])"
)
_HAS_TRIGGER = re.compile(r"\b(?:cae|divis|grupo|classe|subclasse|sec[c]?(?:ao|oes))")
_EXCLUDES = re.compile(
    r"\bexclu(?!siv)|\bnao (?:sao|e|sejam|serao|sera|podem|pode|estao)\b[^.]{0,40}?"
    r"(?:elegive|abrangid|apoiad|candidat|admitid|beneficiari)|\bnao elegive|\binelegive|\bvedad"
    r"|\binterdit"
)
_INCLUDES = re.compile(
    r"elegive|abrangid|apoiad|enquadr|podem candidatar|destina|dirig|exclusivamente|apenas|restrit"
    r"|\bsao beneficiari"
    r"|inserid|\binsere|desenvolv|\bexer[cç]\w*|\bdeve[mr]?\b|\bdeverao\b|seguintes (?:cae|atividades)"
)
_EXCEPT = re.compile(
    r"\b(?:exceto|excepto|com excecao d|a excecao d|excluindo|com exclusao d|salvo|ressalvando"
    r"|nao sendo (?:admitid|elegive|abrangid|apoiad|aceite))"
)
_ACTIVITY_WORDS = re.compile(r"\bcae\b|\batividades?\b|\bsetor|\bdivis|\bsec[cç]")
_ANY_ACTIVITY = re.compile(
    r"tod[oa]s as (?:atividades|cae|setores)|todos os setores|qualquer (?:atividade|setor|cae)"
    r"|de todos os setores|independentemente d[ao] (?:atividade|setor|cae)"
)
_NOT_ELIGIBILITY = re.compile(
    r"majora|taxa|bonifica|pontua|prioridade|criterios? de selecao|intensidade|merito"
)
_ROW = re.compile(
    r"^(?:CAE:?\s*)?(\d{2,5})(?:\s*(?:a|-|–|—|até)\s*(\d{2,5}))?"
    r"(?=$|\s*[-–—:|]|\s+[(A-ZÁÉÍÓÚÂÊÔÃÕÇ])"
)
_LETTER_ROW = re.compile(
    r"^(?:(?:Secção|Seção|SECÇÃO|SEÇÃO)\s+([A-U])\b|([A-U])\s*[-–—:]\s+[A-ZÁÉÍÓÚÂÊÔÃÕÇ])"
)
# A row of a table with a column for the section letter: "C 10 a 33", "J 591", and rows that
# give the whole hierarchy, "C 10 102 1020 10201" (the last code is the row's).
_SECTION_ROW = re.compile(
    r"^([A-U])\s+(\d{2,5}(?:\s*(?:a|-|–|até)\s*\d{2,5})?)((?:\s+\d{2,5})*)(?=$|\s+\D)"
)
_POSTAL_CODE = re.compile(r"^\d{4}\s?-\s?\d{3}\b")
# State-aid regulations whose article 1 lists excluded sectors (de minimis, RGIC).
_EXCLUDED_BY_REGULATION = re.compile(
    r"artigo 1\.?o? do regulamento \(ue\) (?:n\.?o )?(?:2023/2831|1407/2013|651/2014|2022/2472)"
)
_BARE_LIST = re.compile(r"^\W*(?:cae|divis|grupo|classe|subclasse|sec[c]?(?:ao|oes))")
# "Anexo II" pointed to in a text, unless it is an annex of another act ("Anexo I do RGIC").
_ANNEX_REF = re.compile(
    r"\banexos?\s+([ivxl]{1,5}|[a-h]|\d{1,2})\b(?!\s+(?:d[oa]s?|ao)\s+(?!presente)"
    r"(?:regulamento|rgic|portaria|decreto|lei|recomendacao|acordo))"
)


@dataclass(slots=True)
class CaeFound:
    """CAE items read from a notice, each list with the words it came from."""

    included: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    included_quotes: list[str] = field(default_factory=list)
    excluded_quotes: list[str] = field(default_factory=list)
    unread: set[str] = field(default_factory=set)  # "cae_included" / "cae_excluded"

    def add(self, sense: str, codes: list[str], quote: str) -> None:
        target = self.included if sense == INCLUDED else self.excluded
        quotes = self.included_quotes if sense == INCLUDED else self.excluded_quotes
        target[:] = dict.fromkeys([*target, *codes])
        if codes and quote not in quotes:
            quotes.append(quote)


def sense_of(folded: str) -> str | None:
    """Whether a (folded) sentence or title admits or excludes the activities it names."""
    if _EXCLUDES.search(folded):
        return EXCLUDED
    if _INCLUDES.search(folded):
        return INCLUDED
    return None


def names_activities(folded: str) -> bool:
    """Whether a (folded) text speaks of activity codes at all (not only of operations)."""
    return _ACTIVITY_WORDS.search(folded) is not None


def any_activity(folded: str) -> bool:
    """Whether a (folded) text opens a call to every activity ("todas as atividades")."""
    return _ANY_ACTIVITY.search(folded) is not None


def annexes_named(folded: str) -> set[str]:
    """The annexes a (folded) text points to: {"i", "ii"}."""
    return {m.group(1) for m in _ANNEX_REF.finditer(folded)}


def annex_senses(text: str) -> dict[str, str]:
    """Annexes that sentences in ``text`` point to with a sense: {"ii": "excluded"}."""
    senses: dict[str, str] = {}
    for sentence in SENTENCE.split(text):
        folded = fold_keep(sentence)
        if "anexo" not in folded or not re.search(r"\bcae\b|atividade|codigo", folded):
            continue
        for m in _ANNEX_REF.finditer(folded):
            # The clause that names the annex: "elegíveis as do Anexo I; excluem-se as ..."
            start = folded.rfind(";", 0, m.start()) + 1
            end = folded.find(";", m.end())
            clause = folded[start : end if end >= 0 else len(folded)]
            before = folded[start : m.start()]
            cut = e.start() if (e := _EXCEPT.search(before)) else None
            sense = EXCLUDED if cut is not None else sense_of(clause)
            if sense is not None:
                senses.setdefault(m.group(1), sense)
    return senses


def read_codes(sentence: str) -> list[tuple[int, str]]:
    """(position, CAE item) of each code listed in ``sentence``, ranges as "10-33"; ranges whose
    ends differ in length come back as (position, "?")."""
    tokens = list(_TOKEN.finditer(sentence))
    folded_words = [fold_keep(t["word"]) if t["word"] else "" for t in tokens]
    has_cae = "cae" in folded_words
    found: list[tuple[int, str]] = []
    mode: frozenset[int] | bool | None = False  # False: not in a list; None: section letters
    pending = between = fresh = False
    last: str | None = None
    i = 0
    while i < len(tokens):
        t, word = tokens[i], folded_words[i]
        i += 1
        if word in _TRIGGERS or (has_cae and word in _CODE_WORDS):
            fresh = True
            mode, pending, between, last = (
                _TRIGGERS.get(word, _CODE_WORDS.get(word)),
                False,
                False,
                None,
            )
            continue
        if mode is False:
            continue
        was_fresh, fresh = fresh, False
        if t["num"] is not None:
            number = t["num"]
            after = folded_words[i] if i < len(tokens) else ""
            after2 = tokens[i + 1]["num"] or folded_words[i + 1] if i + 1 < len(tokens) else ""
            dated = after == "de" and (after2 in _MONTHS or (after2 or "").isdigit())
            if (
                mode is None
                or t["suffix"]
                or not number.isdigit()
                or len(number) not in mode
                or after in _NOT_CODE_AFTER
                or dated
            ):
                mode = False
                continue
            if pending and last is not None:
                found[-1] = (found[-1][0], cae_range(last, number))
                last, pending = None, False
                continue
            found.append((t.start(), number))
            last, pending = number, False
            continue
        if t["word"] is not None:
            raw = t["word"]
            if mode is None and len(raw) == 1 and raw in _LETTERS:
                if pending and last is not None and last < raw:
                    span = _LETTERS[_LETTERS.index(last) + 1 : _LETTERS.index(raw) + 1]
                    found.extend((t.start(), letter) for letter in span)
                    last, pending = None, False
                else:
                    found.append((t.start(), raw))
                    last, pending = raw, False
            elif word in _EXCEPT_WORDS or (
                word in ("com", "a") and i < len(tokens) and folded_words[i] in _EXCEPTION
            ):
                pending, between, last = False, False, None  # the list goes on: codes taken out
            elif (
                word in ("a", "o")
                and last is None
                and i >= 2
                and folded_words[i - 2] in _EXCEPT_WORDS
            ):
                pass  # "exceto a 0322"
            elif word in ("a", "ate") and last is not None:
                pending = True
            elif word == "e" and between and last is not None:
                pending, between = True, False
            elif word in ("e", "ou"):
                pending = False
            elif word == "entre":
                between = True
            elif word == "rev":  # "Rev. 4", "Rev.3": the revision, not a code
                if i < len(tokens) and tokens[i]["p"] == ".":
                    i += 1
                if (
                    i < len(tokens)
                    and (tokens[i]["num"] or "").isdigit()
                    and len(tokens[i]["num"]) == 1
                ):
                    i += 1
            elif word not in _SKIP_WORDS or was_fresh:
                mode = False  # "grupo de 100 empresas": a code follows its word directly
            continue
        mark = t["p"]
        if mark in ",;:/":
            pending = False
        elif mark in "-–—":
            pending = last is not None
        elif mark == "(":
            close = next((j for j in range(i, len(tokens)) if tokens[j]["p"] == ")"), None)
            inner = folded_words[i:close] if close is not None else []
            if close is not None and not any(w in _TRIGGERS for w in inner):
                i = close + 1
        elif mark != ")":
            mode = False
    return found


def read_sentences(
    text: str, default: str | None, found: CaeFound, *, listed: str | None = None
) -> None:
    """Codes listed in the sentences of ``text``, in the sense each sentence gives them
    (``default``: the section title's sense, for sentences that give none; ``listed``: the
    sense of a bare list of codes, "CAE Rev. 3: 55, 56 e 79", in a section about activities)."""
    carried: str | None = None  # the sense of an introduction ending in ":"
    for sentence in SENTENCE.split(text):
        folded = fold_keep(sentence)
        intro, carried = carried, None
        if folded.rstrip().endswith(":"):
            carried = sense_of(folded)
        if _NOT_ELIGIBILITY.search(folded):
            continue
        codes = read_codes(sentence) if _HAS_TRIGGER.search(folded) else []
        if not codes and _EXCLUDED_BY_REGULATION.search(folded) and _EXCLUDES.search(folded):
            # "Excluem-se as atividades do n.º 3 do artigo 1.º do Regulamento (UE) 2023/2831":
            # the sectors that regulation lists are not read from it; the notice lists none.
            found.unread.add("cae_excluded")
        if not codes:
            continue
        cut = m.start() if (m := _EXCEPT.search(folded)) else len(folded)
        # what follows the codes' clause ("...; as médias empresas não são elegíveis") is
        # about something else
        clause_end = folded.find(";", codes[-1][0])
        cut = min(cut, clause_end) if clause_end >= 0 else cut
        sense = sense_of(folded[:cut]) or intro or default
        if sense is None and cut < len(folded) and not [c for pos, c in codes if pos < cut]:
            # "..., excluindo as empresas da pesca (CAE 01 a 03)": only an exclusion is stated
            sense = INCLUDED
        if sense is None and _BARE_LIST.match(folded):
            sense = listed
        after = [c for pos, c in codes if pos >= cut]
        before = [c for pos, c in codes if pos < cut]
        if sense == INCLUDED:
            # "todas as atividades, em especial as das divisões 10 a 33": examples, no limit.
            open_from = m.start() if (m := _ANY_ACTIVITY.search(folded[:cut])) else cut
            examples = m.start() if (m := EXAMPLES.search(folded[:cut])) else cut
            before = [c for pos, c in codes if pos < min(open_from, examples, cut)]
        quote = sentence.strip()
        if sense is None:
            found.unread.add("cae_included")
            continue
        if "?" in before:
            found.unread.add(f"cae_{sense}")
            before = [c for c in before if c != "?"]
        if sense == INCLUDED and cut < len(folded) and not after and names_activities(folded[cut:]):
            # "CAE 10 a 33, exceto as atividades do tabaco": activities taken out but no code
            # read; the eligible list is wider than the notice's, and says so.
            found.unread.add("cae_excluded")
        if sense == EXCLUDED and after:
            # "excluded, except class 6630": the exclusion cannot be stated exactly, so it is
            # not used (never an exclusion that is wider than the notice's).
            found.unread.add("cae_excluded")
            continue
        found.add(sense, before, quote)
        after = [c for c in after if c != "?"]
        found.add(EXCLUDED, after, quote)


def read_rows(
    lines: list[str], default: str | None, found: CaeFound, *, annex: bool = False
) -> list[str]:
    """Rows of a CAE table among ``lines`` (lines that start with a code), in the sense of the
    line that introduces them or ``default``; returns the lines that are not rows. A code
    alone on its line is a row when its description follows on the next line (a table cell
    that wrapped), and a page number when the rows around it carry their descriptions."""
    rows: list[tuple[str | None, str, list[str]]] = []
    others: list[str] = []
    sense = default
    # an annex table whose code column comes last ("Tabaco; coque e produtos petrolíferos
    # 12, 19"): read so only when no line starts with a code
    codes_last = annex and not any(_row_codes(line) for line in lines)
    read_row = _trailing_codes if codes_last else _row_codes
    for index, line in enumerate(lines):
        codes = read_row(line)
        if codes is None:
            others.append(line)
            folded = fold_keep(line)
            if re.search(r"\bcae\b|atividade|codigo|seguintes", folded):
                sense = sense_of(folded) or sense
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if len(line.split()) == 1 and following[:1].isupper() and read_row(following) is None:
            line = f"{line} {following}"  # the description wrapped onto the next line
        rows.append((sense, line, codes))
    described = sum(1 for _, line, _ in rows if len(line.split()) > 1)
    by_sense: dict[str, list[tuple[str, list[str]]]] = {}
    for row_sense, line, codes in rows:
        if described * 2 >= len(rows) and len(line.split()) == 1:
            continue  # a bare number among described rows: a page number
        if row_sense is None:
            found.unread.add("cae_included")
        elif "?" in codes:
            found.unread.add(f"cae_{row_sense}")
        else:
            by_sense.setdefault(row_sense, []).append((line, codes))
    for row_sense, read in by_sense.items():
        quote = "; ".join(line for line, _ in read[:3]) + ("; …" if len(read) > 3 else "")
        found.add(row_sense, [code for _, codes in read for code in codes], quote)
    return others


# A row whose codes come last, after its description ("Tabaco; coque e produtos petrolíferos
# 12, 19"), or a line that is only a list of codes ("01, 02, 03").
_CODE_ITEM = r"\d{2,5}(?:\s*(?:a|-|–)\s*\d{2,5})?"
_TRAILING = re.compile(
    rf"^(?P<description>.*[^\W\d_].*?\s)?(?P<codes>{_CODE_ITEM}(?:\s*[,;]\s*{_CODE_ITEM})*)$"
)


_NOT_BEFORE_CODES = frozenset(
    {
        "artigo",
        "n.º",
        "no",
        "n.o",
        "alinea",
        "regulamento",
        "lei",
        "decreto-lei",
        "portaria",
        "de",
        "do",
        "da",
        "dos",
        "das",
        "em",
        "e",
        "ate",
        "pagina",
        "anexo",
        "quadro",
        "secao",
    }
)


def _trailing_codes(line: str) -> list[str] | None:
    m = _TRAILING.match(line.strip())
    if m is None or not (m["description"] or re.search(r"[,;]", m["codes"])):
        return None
    words = fold_keep(m["description"] or "").split()
    if words and words[-1] in _NOT_BEFORE_CODES:
        return None  # "nos termos do artigo 13": a reference, not a code
    codes = []
    for item in re.split(r"\s*[,;]\s*", m["codes"]):
        first, _, last = re.sub(r"\s*(?:a|–)\s*", "-", item).partition("-")
        if not last:
            codes.append(first)
        else:
            codes.append(cae_range(first, last))
    return codes


def _row_codes(line: str) -> list[str] | None:
    line = line.lstrip("•·-–— ")  # a list's bullet
    if _POSTAL_CODE.match(line):
        return None
    if m := _LETTER_ROW.match(line):
        return [m.group(1) or m.group(2)]
    if m := _SECTION_ROW.match(line):
        chain = [m.group(2), *m.group(3).split()]
        if all(b.startswith(a) and len(b) > len(a) for a, b in pairwise(chain)):
            line = chain[-1] + line[m.end() :]
        else:
            return None
    m = _ROW.match(line)
    if m is None:
        return None
    first, last = m.group(1), m.group(2)
    if last is None:
        return [first]
    return [cae_range(first, last)]
