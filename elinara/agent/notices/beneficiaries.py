"""Who may apply (kinds of beneficiary) and which company sizes, read from a notice's sections.

A beneficiaries section is cut into items (list items "a) ...;", sentences); each item names
kinds by their usual words. Only the first kind an item names and kinds joined to it as peers
("empresas e associações empresariais") count, so "associações representativas de empresas"
is one association, not a company too. Items that state conditions ("não podem ser empresas em
dificuldade", "situação regularizada perante a administração fiscal") name no kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from elinara.agent.criteria import BENEFICIARY_KINDS
from elinara.agent.notices.sections import EXAMPLES, SENTENCE, fold_keep
from elinara.models import SIZES

# Words naming each kind (folded text), longest phrases first within one alternation.
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("municipality", r"associacoes de municipios"),
    ("municipality", r"(?:comunidades|entidades) intermunicipais"),
    ("rd_entity", r"entidades nao empresariais do sistema (?:de |nacional de )?\w+"),
    ("rd_entity", r"instituicoes de ensino superior|ensino superior|\benesii?\b"),
    ("rd_entity", r"entidades do sistema (?:de |nacional de )?(?:i&i|i&d|investigacao|cientifico)"),
    ("rd_entity", r"centros? (?:de investigacao|de i&d|de interface|tecnologicos)"),
    (
        "rd_entity",
        r"laboratorios (?:do estado|associados|colaborativos)|unidades de (?:i&d|investigacao)",
    ),
    ("rd_entity", r"instituicoes (?:de|do sistema de) (?:i&d|investigacao)"),
    ("rd_entity", r"(?:entidades do )?(?:\bsctn\b|sistema cientifico e tecnologico)"),
    ("rd_entity", r"universidades|(?:institutos )?politecnicos"),
    # A non-profit whose main object is research is an R&D entity, not any non-profit.
    (
        "rd_entity",
        r"(?:entidades |instituicoes |associacoes )?privadas sem fins lucrativos,? (?:que tenham|cujo|com)"
        r" (?:como )?objet[oi]\w* (?:principal )?(?:[\w ]{0,30})investigacao",
    ),
    # A non-profit whose object is representing companies is a business association.
    (
        "association",
        r"(?:entidades |instituicoes )?privadas sem fins lucrativos,?(?: de natureza associativa)?"
        r",? (?:que tenham|cujo|com) (?:como |por )?objet[oi]\w* (?:principal )?(?:[\w ]{0,20})"
        r"representacao (?:de|das|dos) (?:empresas|empresarios|interesses empresariais)",
    ),
    ("training_provider", r"entidades? formadoras?|centros? de formacao|operadores de formacao"),
    ("training_provider", r"entidades certificadas (?:pela|na) dgert"),
    ("training_provider", r"centros (?:de emprego e formacao profissional|do iefp)"),
    ("association", r"associacoes (?:empresariais|comerciais|industriais|setoriais|de empresas)"),
    ("association", r"associacoes representativas|estruturas associativas|camaras de comercio"),
    ("association", r"confederacoes|federacoes (?:empresariais|setoriais)"),
    ("association", r"associacoes (?:de natureza )?profissiona(?:l|is)|ordens profissionais"),
    ("association", r"(?:outras )?entidades de natureza associativa"),
    # Social-economy associations (mutual, altruistic).
    ("non_profit", r"associacoes (?:mutualistas|com fins altruisticos)"),
    # Private social solidarity institutions (Estatuto das IPSS, Decreto-Lei 172-A/2014): the
    # social-economy bodies registered as such, and the cooperatives the law equates to them.
    (
        "ipss",
        r"instituicoes particulares de solidariedade social|\bipss\b|misericordias"
        r"|associacoes de solidariedade social|cooperativas de solidariedade social",
    ),
    (
        "non_profit",
        r"(?:entidades |instituicoes )?privadas sem fins lucrativos|sem fins lucrativos",
    ),
    ("non_profit", r"fundacoes|organizacoes nao governamentais|\bong\b|\bongs\b"),
    ("non_profit", r"entidades da economia social"),
    ("cooperative", r"cooperativas"),
    # Companies of the local business sector belong to municipalities; other public companies
    # to the public administration: neither is "companies" in general.
    ("municipality", r"empresas (?:do setor empresarial local|municipais|intermunicipais|locais)"),
    (
        "public_admin",
        r"empresas publicas(?! (?:e|ou) privadas)|empresas do setor (?:empresarial do estado|publico)"
        r"|entidades publicas empresariais",
    ),
    # The State's direct and indirect administration (not regional or local).
    (
        "central_admin",
        r"pessoas coletivas de direito publico da administracao central"
        r"|(?:(?:servicos|organismos|entidades|orgaos) da )?administracao (?:publica )?"
        r"(?:central|direta|indireta)(?![,\s]+(?:e |ou )?(?:regional|local))(?: do estado)?"
        r"|agrupamentos de escolas|escolas (?:publicas|nao agrupadas)|institutos publicos"
        r"|servicos e organismos|secretarias?[- ]gerais?|direc?[cç]?(?:ao|oes)[- ]gera",
    ),
    ("public_admin", r"pessoas coletivas de direito publico(?! (?:ou|e) )"),
    ("municipality", r"\bmunicipios\b|camaras municipais|autarquias locais|freguesias"),
    ("municipality", r"(?:(?:servicos|organismos|entidades|orgaos) da )?administracao local"),
    (
        "public_admin",
        r"(?:(?:servicos|organismos|entidades|orgaos) da )?administracao (?:publica|regional"
        r"|central(?=[,\s]+(?:e |ou )?(?:regional|local)))",
    ),
    ("public_admin", r"organismos publicos|entidades publicas|servicos publicos"),
    ("company", r"microempresas|\bempresas?\b|\bpmes?\b|small mid caps?|\bmid caps?\b"),
    ("company", r"empresarios em nome individual|sociedades comerciais"),
    ("association", r"\bassociacoes\b"),
)
_KINDS = re.compile("|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(_KIND_WORDS)))
# Plain "associações": business associations and other non-profits alike.
_PLAIN_ASSOCIATION = len(_KIND_WORDS) - 1
# A later kind in an item counts only when it is joined as a peer of the first.
_PEER_BEFORE = re.compile(
    r"(?:[,;:(]|\be|\bou|e/ou|bem como|assim como|e ainda|incluindo|na qualidade de)"
    r"\s*(?:as|os|a|o|às|aos)?\s*$"
)
# A statement that turns away the kinds or sizes it names, before or after them: "Não são
# elegíveis os ...", "Excluem-se as ...", "as PME ficam excluídas".
_TURNS_AWAY = re.compile(
    r"\bnao (?:sao|serao|podem ser) (?:elegive|admitid|beneficiari|abrangid|apoiad|aceite)"
    r"|\bexcluem-se\b|\b(?:estao|ficam|sao|serao) excluid"
    r"|\bnao podem (?:candidatar|apresentar candidatura)"
)
# Words that admit: what an item names after them is admitted, whatever it turns away later.
_ADMITS = re.compile(r"podem|benefici|elegive|destina|dirig|abrang|apoi|admit")
# Kinds named whole in such an item (narrower names, "empresários em nome individual", are
# not kinds a lead can be told by), and what may follow one that still names it whole.
_WHOLE_KIND_OF: dict[str, tuple[str, ...]] = {
    "company": ("company",),
    "cooperative": ("cooperative",),
    "foundation": ("non_profit",),
    "ipss": ("ipss",),
    "municipality": ("municipality",),
    "central": ("central_admin",),
    "public": ("public_admin",),
    "training": ("training_provider",),
    "higher_education": ("rd_entity",),
}
_WHOLE_KINDS = re.compile(
    r"(?<![\w-])(?:(?P<company>empresas)|(?P<cooperative>cooperativas)|(?P<foundation>fundacoes)"
    r"|(?P<ipss>ipss|instituicoes particulares de solidariedade social)"
    r"|(?P<municipality>municipios|autarquias locais)"
    r"|(?P<central>entidades da administracao (?:publica )?central)"
    r"|(?P<public>entidades (?:da administracao|publicas))"
    r"|(?P<training>entidades formadoras)"
    r"|(?P<higher_education>instituicoes de ensino superior|universidades))(?![\w-])"
)
_QUALIFIER_AFTER = re.compile(
    r"^\s*(?!(?:e|ou|nem)\b)(?:que|cuj|em\b|com\b|sem\b|sujeit|de\b|do\b|da\b|dos\b|das\b"
    r"|\w)"
)
# Words that open a call to any kind of entity: the kinds named beside them do not restrict.
_ANY_ENTITY = re.compile(
    r"entidades (?:publicas (?:ou|e) )?(?:de natureza |de direito )?privad\w*+(?! sem fins)"
    r"|pessoas (?:coletivas(?! de direito publico(?! (?:ou|e) ))|singulares)|qualquer (?:tipo de )?entidade|todas as entidades"
    r"|outras entidades(?! sem fins| de natureza associativa)|com ou sem fins lucrativos"
)
# After words opening the call to anyone, what narrows them: "pessoas coletivas de direito
# privado, na qualidade de entidades formadoras", "..., designadamente empresas e cooperativas".
_QUALIFIED = re.compile(
    r"^[^;.]{0,80}?\b(?:na qualidade de|enquanto|desde que sejam|designadamente|nomeadamente)\b"
)
_WHAT_THEY_ARE = re.compile(r"\bcom ou sem fins lucrativos\b")
# Lists of the social economy: plain "associações" there are not business associations.
_SOCIAL_ECONOMY = re.compile(r"economia social|fundacoes|mutualistas|misericordias|\bipss\b")
_CONDITION = re.compile(
    r"dificuldade|regularizad|obrigac|declarac|\bnao (?:podem|pode|sao|e|estar|ter)\b"
    r"|majora|taxa|intensidade|\bcada\b|\bso (?:pode|podem)\b|numero de candidaturas"
    r"|consideram-se|entende-se|para efeitos d|nao podendo|como destinatari|^\W*exclu"
    r"|subcontratad|apenas como (?:parceir|fornecedor|prestador)"
)
_ITEM_SPLIT = re.compile(
    r"(?:^|(?<=\s))(?:[a-z]|[ivx]{1,4})\)\s|[;•]|(?<=[.:])\s+(?=[A-ZÁÉÍÓÚÂÊÔÃÕÇ])"
    r"|\s[-–]\s(?=[A-Za-z])|\n(?=[A-ZÁÉÍÓÚÂÊÔÃÕÇ-])"
)

# Sizes (folded): each phrase with the sizes it allows.
_ALL = tuple(SIZES)
_PME = ("micro", "small", "medium")
_SIZE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"\bnao (?:sejam |sendo |forem |se enquadr\w* na definicao de |tenham o estatuto de"
        r" |detenham o estatuto de |cumpr\w* a definicao de )?"
        r"(?:pme|micro,? pequenas? (?:ou|e) medias?(?: empresas?)?)",
        ("large",),
    ),
    (r"qualquer (?:\w+ e )?(?:dimensao|tamanho)|independentemente d[ao] (?:sua )?dimensao", _ALL),
    (r"todas as dimensoes|qualquer que seja a (?:sua )?dimensao", _ALL),
    (r"micro,? (?:e )?pequenas? (?:e|ou) medias?(?: empresas?)?|pequenas e medias empresas", _PME),
    (r"\bpmes?\b", _PME),
    (r"micro e pequenas? empresas?|micro e pequenas?|micro ou pequenas?", ("micro", "small")),
    (r"\bmedias empresas|\bmedia empresa|empresas de media dimensao", ("medium",)),
    (r"\bpequenas empresas", ("small",)),
    (r"microempresas|micro empresas", ("micro",)),
    (r"grandes empresas|empresas de grande dimensao|small mid caps?|\bmid caps?\b", ("large",)),
    (r"\bnao pme\b", ("large",)),
)
_SIZES = re.compile("|".join(f"(?P<s{i}>{p})" for i, (p, _) in enumerate(_SIZE_WORDS)))
_EXCEPT = re.compile(
    r"\b(?:exceto|excepto|com excecao d|a excecao d|exclu(?!siv)|salvo|nao abrang"
    r"|nao (?:sao|e|serao|sera|sendo)(?: beneficiari\w*| entidades beneficiari\w*)?"
    r" (?:elegive|abrangid|apoiad|admitid|aceite)|nao podem candidatar)"
)
_CONDITIONAL = re.compile(
    r"\b(?:no caso d|nos casos d|quando|caso|tratando-se d|se (?:forem|for|se tratar)"
    r"|relativamente a)"
)
_SIZE_SKIP = re.compile(
    r"majora|taxa|intensidade|limite|montante|bonifica|pontua|prioridade"
    r"|como destinatari|nao podendo|nao pode\w* (?:apresentar )?candidat"
)
# A clause boundary: an example word before it does not govern what follows it.
_CLAUSE = re.compile(r"\bque\b|[;:]")


@dataclass(slots=True)
class Found:
    """Values read from a section, with the words that decided them."""

    values: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    any_entity: bool = False  # the section opens the call to any kind of entity
    excluded: list[str] = field(default_factory=list)  # kinds turned away, BENEFICIARY_KINDS order
    excluded_quotes: list[str] = field(default_factory=list)


def read_kinds(lines: list[str]) -> Found:
    """The BENEFICIARY_KINDS a beneficiaries section's lines name, in BENEFICIARY_KINDS order.
    A line that starts with a capital letter starts an item (PDF lists often lose their marks)."""
    found = Found()
    kinds: set[str] = set()
    excluded: set[str] = set()
    social = bool(_SOCIAL_ECONOMY.search(fold_keep(" ".join(lines))))
    for piece in _ITEM_SPLIT.split("\n".join(lines)):
        item = piece.replace("\n", " ") if piece else ""
        if not item.strip():
            continue
        folded = fold_keep(item)
        away = _TURNS_AWAY.search(folded)
        if away and not _ADMITS.search(folded[: away.start()]):  # "Não são elegíveis ..."
            turned = _kinds_turned_away(folded)
            if turned:
                excluded |= turned
                found.excluded_quotes.append(item.strip())
            continue
        if _CONDITION.search(folded):
            continue
        if any(not _qualified(folded, m.end()) for m in _ANY_ENTITY.finditer(folded)):
            found.any_entity = True
            found.quotes.append(item.strip())
            continue
        folded = _WHAT_THEY_ARE.sub(lambda m: " " * len(m.group(0)), folded)
        named: set[str] = set()
        first: str | None = None
        last_end = -1
        for m in _KINDS.finditer(folded):
            index = int(m.lastgroup[1:]) if m.lastgroup else 0
            kind = _KIND_WORDS[index][0]
            if last_end >= 0 and not _PEER_BEFORE.search(folded[last_end : m.start()]):
                continue
            if last_end >= 0 and m.group(0) == "sem fins lucrativos":
                continue  # "associações ..., sem fins lucrativos,": what they are, not a kind
            last_end = m.end()
            first = first or kind
            if index == _PLAIN_ASSOCIATION:
                # "associações": business associations and other non-profits alike, but only
                # the latter among the social economy ("IPSS, cooperativas, associações").
                named.add("non_profit")
                if first not in ("non_profit", "cooperative") and not social:
                    named.add("association")
                continue
            named.add(kind)
        if named:
            kinds |= named
            found.quotes.append(item.strip())
    found.values = [] if found.any_entity else [k for k in BENEFICIARY_KINDS if k in kinds]
    found.excluded = [k for k in BENEFICIARY_KINDS if k in excluded]
    return found


def _kinds_turned_away(folded: str) -> set[str]:
    """The kinds an item turns away whole: "não são elegíveis os empresários em nome
    individual nem as cooperativas" turns away cooperatives; "as empresas em dificuldade" or
    "as associações cujo objeto ..." are conditions on some of a kind, not the kind."""
    return {
        kind
        for m in _WHOLE_KINDS.finditer(folded)
        if not _QUALIFIER_AFTER.match(folded[m.end() :])
        for kind in _WHOLE_KIND_OF[m.lastgroup or ""]
    }


def _qualified(folded: str, end: int) -> bool:
    """Whether words opening the call to anyone, ending at ``end``, are narrowed by what
    follows them to kinds this parser knows."""
    m = _QUALIFIED.match(folded[end:])
    return bool(m) and bool(_KINDS.search(folded, end + m.end()))


def read_sizes(body: str) -> Found:
    """The company sizes a section allows, in SIZES order; sizes named after "exceto" are taken
    out. Sentences about rates or bonuses by size ("taxa de 60% para micro e pequenas
    empresas") say nothing about who may apply and are skipped."""
    found = Found()
    allowed: set[str] = set()
    removed: set[str] = set()
    for sentence in SENTENCE.split(body):
        hit = False
        for clause in sentence.split(";"):
            hit = _read_clause_sizes(fold_keep(clause), allowed, removed) or hit
        if hit:
            found.quotes.append(sentence.strip())
    if removed and not allowed:
        allowed = set(SIZES)
    found.values = [s for s in SIZES if s in allowed and s not in removed]
    return found


def _read_clause_sizes(folded: str, allowed: set[str], removed: set[str]) -> bool:
    """Add the sizes one clause allows or takes out; whether it named any."""
    if _SIZE_SKIP.search(folded):
        return False
    cut = m.start() if (m := _EXCEPT.search(folded)) else len(folded)
    first = _SIZES.search(folded)
    post = _TURNS_AWAY.search(folded)
    if (
        first
        and post
        and first.start() < post.start()
        and not _ADMITS.search(folded[: first.start()])
    ):
        cut = 0  # "as médias empresas e as não PME não são elegíveis": all of them taken out
    hit = False
    for m in _SIZES.finditer(folded):
        sizes = _SIZE_WORDS[int(m.lastgroup[1:]) if m.lastgroup else 0][1]
        before = folded[: m.start()]
        if _example(before) or _CONDITIONAL.search(before):
            continue  # "em especial PME", "no caso das PME": not a limit
        if m.start() < cut:
            allowed.update(sizes)
            hit = True
        elif sizes != _ALL:  # "não são elegíveis as empresas que, independentemente da
            removed.update(sizes)  # sua dimensão, ..." removes no size
            hit = True
    return hit


def _example(before: str) -> bool:
    """Whether an example word governs what follows ``before``: "empresas, em especial PME",
    not "empresas, incluindo cooperativas, que sejam PME" (a new clause states a limit)."""
    starts = [m.end() for m in EXAMPLES.finditer(before)]
    return bool(starts) and not _CLAUSE.search(before[starts[-1] :])
