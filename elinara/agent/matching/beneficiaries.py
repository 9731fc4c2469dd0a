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

from elinara.agent.cae import cae_digits
from elinara.agent.criteria import BENEFICIARY_KINDS
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
    (  # the State's direct and indirect administration: public institutes, school groups
        re.compile(
            r"\bi\.\s?p\.?(?:\s|$)|,\s*ip$|\binstituto publico\b|\bagrupamento de escolas\b"
            r"|\bescola (?:basica|secundaria)\b|\b(?:direcao|secretaria|inspecao)[- ]geral\b"
        ),
        frozenset({"public_admin", "central_admin"}),
    ),
    (
        re.compile(
            r"\b(?:universidade|instituto politecnico|escola superior"
            r"|laboratorio (?:nacional|associado|colaborativo))"
        ),
        frozenset({"rd_entity"}),
    ),
    (
        re.compile(
            r"\b(?:associacao|federacao|confederacao|camara) (?:empresarial|comercial|industrial"
            r"|de comercio|dos? (?:industriais|comerciantes|empresarios))"
        ),
        frozenset({"association"}),
    ),
    (  # before the IPSS names: a social solidarity cooperative stays a cooperative
        re.compile(r"\bcooperativa\b|\bc\.?\s?r\.?\s?l\.?$|\bcrl\b"),
        frozenset({"cooperative", "company"}),
    ),
    (  # private social solidarity institutions (Estatuto das IPSS, Decreto-Lei 172-A/2014)
        re.compile(r"\bmisericordia\b|\bcentro social\b|\bsolidariedade social\b|\bipss\b"),
        frozenset({"non_profit", "ipss"}),
    ),
    (  # associations by another name: sports and recreation clubs, Casas do Povo
        re.compile(
            r"\bassociacao\b|\bfundacao\b|\bmutualidade\b|\bcasa do povo\b|\bclube\b"
            r"|\bgrupo (?:desportivo|recreativo)\b|\bsociedade (?:filarmonica|recreativa)\b"
        ),
        frozenset({"non_profit"}),
    ),
    (  # after the legal forms: an "Associação Centro de Investigação" is an association
        re.compile(
            r"\bcentro (?:de investigacao|tecnologico|de interface)\b|\binstituto de investigacao\b"
        ),
        frozenset({"rd_entity"}),
    ),
)
_COMPANY_FORM = re.compile(
    r"\b(?:lda|limitada|s\.?\s?a|sa|unipessoal|sgps|sad)\.?\s*$|\blda\b|\bunipessoal\b|\bsad\b"
)

# CAE prefixes (Rev. 3 and Rev. 4 agree on these) that add a kind to what the name says.
_CAE_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("8559", frozenset({"training_provider"})),  # other education: vocational training
    ("8541", frozenset({"rd_entity"})),  # higher education
    ("8542", frozenset({"rd_entity"})),
    ("72", frozenset({"rd_entity"})),  # scientific research and development
    ("9411", frozenset({"association"})),  # business and employers' associations
    ("9412", frozenset({"association"})),  # professional associations
)
# CAE prefixes that make a lead without a legal form in its name something other than a company.
_CAE_NOT_COMPANY: tuple[tuple[str, frozenset[str]], ...] = (
    ("84", frozenset({"public_admin"})),
    ("9411", frozenset({"association"})),
    ("9412", frozenset({"association"})),
    ("94", frozenset({"non_profit"})),  # other membership organisations
)
COMPANY = frozenset({"company"})


@lru_cache(maxsize=16384)
def lead_kinds(name: str, cae: str | None) -> frozenset[str]:
    """What kind of beneficiary a lead is: the legal form in its name (else, for a few CAE,
    the CAE; else a company), plus the kinds its CAE adds (training, R&D, business
    associations, an IPSS for a social-economy body in social services)."""
    folded = fold(name or "")
    digits = cae_digits(cae)
    if _COMPANY_FORM.search(folded):
        kinds: frozenset[str] = COMPANY
    else:
        named = next((k for pattern, k in _NAME_KINDS if pattern.search(folded)), None)
        by_cae = next((k for prefix, k in _CAE_NOT_COMPANY if digits.startswith(prefix)), None)
        kinds = named or by_cae or COMPANY
    if kinds == {"non_profit"} and digits.startswith(("9411", "9412")):
        kinds = frozenset()  # a business association is not a social-economy body here
    added = next((k for prefix, k in _CAE_KINDS if digits.startswith(prefix)), frozenset())
    if kinds & {"non_profit", "cooperative"} and digits.startswith(("87", "88")):
        added |= {"ipss"}  # a social-economy body running social services
    return kinds | added


def kinds_text(kinds: frozenset[str]) -> str:
    order = (
        "municipality",
        "central_admin",
        "public_admin",
        "rd_entity",
        "association",
        "cooperative",
        "training_provider",
        "ipss",
        "non_profit",
        "company",
    )
    words = {
        "company": "a company",
        "public_admin": "a public administration body",
        "central_admin": "a body of the State's central administration",
        "municipality": "a municipality",
        "association": "an association",
        "training_provider": "a training provider",
        "rd_entity": "an R&D / higher-education entity",
        "non_profit": "a non-profit",
        "ipss": "an IPSS (private social solidarity institution)",
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
            r"|\badministracao local\b|\bmunicipais\b"
        ),
    ),
    (
        "public_admin",
        re.compile(
            r"\badministracao publica\b|\bentidades publicas\b"
            r"|\borganismos publicos\b|\bservicos publicos\b|\bmodernizacao administrativa\b"
            r"|\bcapacitacao (?:institucional|administrativa)\b|\bescolas\b"
            r"|\bagrupamentos de escolas\b|\bedificios publicos\b|\bprotecao civil\b"
            r"|\biluminacao publica\b|\bestabelecimentos de ensino\b|\bciclo urbano da agua\b"
            r"|\babastecimento de agua\b|\bsaneamento\b|\bpublic (?:administration|bodies)\b"
        ),
    ),
    (
        "central_admin",
        re.compile(
            r"\badministracao (?:publica )?central\b(?![,\s]+(?:e |ou )?(?:regional|local))"
            r"|\binstitutos publicos\b"
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
            r"|\bpolitecnicos\b|\bsaict\b|\binvestigacao cientifica\b"
        ),
    ),
    (
        "non_profit",
        re.compile(
            r"\bsem fins lucrativos\b|\beconomia social\b|\bterceiro setor\b"
            r"|(?<!particulares de )\bsolidariedade social\b|\brespostas sociais\b"
        ),
    ),
    (
        "ipss",
        re.compile(
            r"\bipss\b|\binstituicoes particulares de solidariedade social\b|\bmisericordias\b"
        ),
    ),
    ("cooperative", re.compile(r"\bcooperativas\b|\beconomia social\b|\brespostas sociais\b")),
)
_COMPANY_WORDS = re.compile(
    r"(?<!nao )\bempresas?\b|(?<!nao )(?<!associacoes )(?<!associacao )\bempresaria(?:l|is)\b|\bpme\b|\bmicroempresas?\b|\bempreendedor"
    r"|\bstart-?ups?\b|\bsistema de incentivos\b|\btecido empresarial\b|\bcomercio\b"
    r"|\bturismo\b|\bindustria"
)


# Schemes whose name says who applies, where the words around it name no kind: collective
# actions (SIAC) are for associations, R&D and other non-profit entities, never one company;
# adult education courses for training providers and schools; school-success plans for schools
# and municipalities; social facilities for social-economy bodies and municipalities.
_SCHEMES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\bacoes coletivas\b|\bsiac\b"), ("association", "rd_entity", "non_profit")),
    (
        re.compile(r"\bformacao de adultos\b|\bcursos efa\b"),
        ("training_provider", "central_admin"),
    ),
    (
        re.compile(r"\b(?:in)?sucesso escolar\b|\babandono escolar\b"),
        ("central_admin", "municipality"),
    ),
    (
        re.compile(r"\bequipamentos sociais\b|\binfraestruturas sociais\b"),
        ("non_profit", "municipality"),
    ),
)


def _scheme_kinds(folded: str) -> set[str]:
    return next((set(kinds) for pattern, kinds in _SCHEMES if pattern.search(folded)), set())


def _kinds_in(folded: str) -> set[str]:
    kinds = {kind for kind, pattern in _CALL_KINDS if pattern.search(folded)} - {"company"}
    if "central_admin" in kinds:  # "administração pública central": the public words are it
        kinds.discard("public_admin")
    return kinds


def _companies_named(folded: str) -> bool:
    return bool(_COMPANY_WORDS.search(folded) or _RESPOSTAS.search(folded))


_RESPOSTAS = re.compile(r"\brespostas sociais\b")


def call_beneficiaries(title: str, text: str = "") -> tuple[list[str], str] | None:
    """(kinds, the words naming them) that a call's title (else its other text) is meant for;
    None when they name no kind other than companies: then the beneficiaries are unknown.

    The title decides when it names any kind; the rest of the text (priority, objective,
    typology) only when it names no company at all. Companies named beside another kind are kept.
    """
    for source in (title, text):
        folded = fold(source or "")
        kinds = _kinds_in(folded) or _scheme_kinds(folded)
        if not kinds:
            if source is title and _companies_named(folded):
                return None  # the title is about companies: nothing to restrict
            continue
        if source is text and _companies_named(folded) and not _RESPOSTAS.search(folded):
            return None  # (social responses are run by companies and the social economy alike)
        if _companies_named(folded):
            kinds.add("company")
        return [k for k in _ORDER if k in kinds], (source or "").strip()
    return None


_ORDER = tuple(BENEFICIARY_KINDS)
