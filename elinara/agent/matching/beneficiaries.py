"""Kinds of beneficiary: who a call is meant for (from its title, when no notice says) and what kind
of entity a lead is (from its CAE and the legal form in its name).

A lead is a company unless its data says otherwise. Its CAE (certified training, business
associations, public administration, research) or its legal form (Associação, Cooperativa,
Fundação, Município...) make it eligible for calls meant for that kind of beneficiary, and only
where a call says so. Kinds are the keys of :data:`elinara.agent.criteria.BENEFICIARY_KINDS`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from elinara.agent.matching.themes import cae_digits
from elinara.text import fold

# --- the company's side ------------------------------------------------------------------------

# Legal forms in a name that make a lead something other than a company; first match wins.
_NAME_KINDS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (
        re.compile(
            r"\b(?:municipio|camara municipal|junta de freguesia|uniao (?:das )?freguesias"
            r"|comunidade intermunicipal|cim\b|area metropolitana de (?:lisboa|porto))"
        ),
        frozenset({"municipality", "public_admin"}),
    ),
    (
        re.compile(
            r"\b(?:universidade|instituto politecnico|escola superior|laboratorio (?:nacional|associado|colaborativo))"
        ),
        frozenset({"rd_entity"}),
    ),
    (
        re.compile(
            r"\bassociacao (?:empresarial|comercial|industrial|de comerci|dos? industria|portuguesa d)|\bassociacao\b.*\bempresar"
        ),
        frozenset({"association", "non_profit"}),
    ),
    (
        re.compile(r"\bassociacao\b|\bfederacao\b|\bconfederacao\b"),
        frozenset({"association", "non_profit"}),
    ),
    (
        re.compile(r"\bcooperativa\b|\bc\.?\s?r\.?\s?l\.?$|\bcrl\b"),
        frozenset({"cooperative", "company"}),
    ),
    (
        re.compile(r"\bfundacao\b|\bsanta casa da misericordia\b|\bipss\b|\bmisericordia\b"),
        frozenset({"non_profit"}),
    ),
)
_COMPANY_FORM = re.compile(
    r"\b(?:lda|limitada|s\.?\s?a|sa|unipessoal|sgps|s\.?\s?u|sociedade)\.?\s*$|\blda\b|\bunipessoal\b"
)

# CAE prefixes (Rev. 3 and Rev. 4 agree on these) that say what kind of entity a lead is.
_CAE_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("84", frozenset({"public_admin"})),
    ("8559", frozenset({"training_provider", "company"})),  # other education: vocational training
    ("8542", frozenset({"rd_entity"})),  # higher education (Rev. 3: 85420)
    ("8541", frozenset({"rd_entity"})),
    ("72", frozenset({"rd_entity", "company"})),  # scientific research and development
    ("9411", frozenset({"association", "non_profit"})),  # business and employers' associations
    ("9412", frozenset({"association", "non_profit"})),  # professional associations
    ("94", frozenset({"non_profit"})),  # other membership organisations
)
COMPANY = frozenset({"company"})


@lru_cache(maxsize=16384)
def lead_kinds(name: str, cae: str | None) -> frozenset[str]:
    """What kind of beneficiary a lead is, from the legal form in its name, then its CAE."""
    folded = fold(name or "")
    if _COMPANY_FORM.search(folded):
        by_name: frozenset[str] | None = COMPANY
    else:
        by_name = next((kinds for pattern, kinds in _NAME_KINDS if pattern.search(folded)), None)
    digits = cae_digits(cae)
    by_cae = next((kinds for prefix, kinds in _CAE_KINDS if digits.startswith(prefix)), None)
    if by_name is None:
        return by_cae or COMPANY
    if by_name == COMPANY and by_cae is not None and "company" in by_cae:
        return by_cae  # a company whose CAE also makes it a training provider or R&D firm
    return by_name


def kinds_text(kinds: frozenset[str]) -> str:
    order = (
        "municipality",
        "public_admin",
        "rd_entity",
        "association",
        "cooperative",
        "training_provider",
        "non_profit",
        "company",
    )
    words = {
        "company": "a company",
        "public_admin": "a public administration body",
        "municipality": "a municipality",
        "association": "an association",
        "training_provider": "a training provider",
        "rd_entity": "an R&D / higher-education entity",
        "non_profit": "a non-profit",
        "cooperative": "a cooperative",
    }
    return " and ".join(words[k] for k in order if k in kinds)


# --- the call's side (metadata only: a notice's own words take precedence) ---------------------

_CALL_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "training_provider",
        re.compile(r"\bentidades? formadoras?\b|\bformadoras? certificadas?\b|\bdgert\b"),
    ),
    (
        "municipality",
        re.compile(
            r"\bmunicipios?\b|\bautarquias?\b|\bcamaras? municipa|\bfreguesias?\b"
            r"|\bintermunicipa|\bcomunidades? intermunicipa|\bareas? metropolitanas?\b"
            r"|\badministracao local\b"
        ),
    ),
    (
        "public_admin",
        re.compile(
            r"\badministracao publica\b|\badministracao central\b|\bentidades publicas\b"
            r"|\borganismos publicos\b|\bservicos publicos\b|\bmodernizacao administrativa\b"
            r"|\bcapacitacao (?:institucional|administrativa)\b|\bescolas\b"
            r"|\bagrupamentos de escolas\b|\bedificios publicos\b|\bprotecao civil\b"
            r"|\biluminacao publica\b|\bestabelecimentos de ensino\b|\bciclo urbano da agua\b"
            r"|\babastecimento de agua\b|\bsaneamento\b|\bpublic (?:administration|bodies)\b"
        ),
    ),
    (
        "association",
        re.compile(r"\bassociacoes (?:empresariais|setoriais|comerciais)\b|\bassociacoes\b"),
    ),
    (
        "rd_entity",
        re.compile(
            r"\bentidades? nao empresaria|\bensino superior\b|\buniversidades\b"
            r"|\bcentros? de (?:investigacao|interface)\b|\binfraestruturas? (?:de investigacao|tecnologicas)\b"
            r"|\blaboratorios? (?:colaborativos?|associados?)\b|\bsistema (?:cientifico|de i&i|de ciencia)"
            r"|\bpolitecnicos\b"
        ),
    ),
    (
        "non_profit",
        re.compile(r"\bsem fins lucrativos\b|\beconomia social\b|\bipss\b|\bterceiro setor\b"),
    ),
    ("cooperative", re.compile(r"\bcooperativas\b")),
)
_COMPANY_WORDS = re.compile(
    r"(?<!nao )\bempresas?\b|(?<!nao )(?<!associacoes )(?<!associacao )\bempresaria(?:l|is)\b|\bpme\b|\bmicroempresas?\b|\bempreendedor"
    r"|\bstart-?ups?\b|\bsistema de incentivos\b|\btecido empresarial\b|\bcomercio\b"
    r"|\bturismo\b|\bindustria"
)


def _kinds_in(folded: str) -> set[str]:
    return {kind for kind, pattern in _CALL_KINDS if pattern.search(folded)}


def call_beneficiaries(title: str, text: str = "") -> tuple[list[str], str] | None:
    """(kinds, the words naming them) that a call's title (else its other text) is meant for;
    None when they name no kind other than companies: then the beneficiaries are unknown.

    The title decides when it names any kind; the rest of the text (priority, objective,
    typology) only when it names no company at all. Companies named beside another kind are kept.
    """
    for source in (title, text):
        folded = fold(source or "")
        kinds = _kinds_in(folded)
        if not kinds:
            if source is title and _COMPANY_WORDS.search(folded):
                return None  # the title is about companies: nothing to restrict
            continue
        if source is text and _COMPANY_WORDS.search(folded):
            return None
        if _COMPANY_WORDS.search(folded):
            kinds.add("company")
        return [k for k in _ORDER if k in kinds], (source or "").strip()
    return None


_ORDER = (
    "company",
    "public_admin",
    "municipality",
    "association",
    "training_provider",
    "rd_entity",
    "non_profit",
    "cooperative",
)
