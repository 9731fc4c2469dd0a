"""Funding themes: the shared vocabulary between calls (their text) and companies (CAE, activity).

A *theme* is what a Portugal 2030 business call is about (``innovation``, ``tourism``, ...). The
calls normaliser tags every call with :func:`themes_in_text`; the matcher tags every company with
the same function over its activity text and with :func:`themes_of_cae` over its CAE code, then
compares the two.

Two kinds of theme:

* **cross-sector** (``Theme.cross_sector``): horizontal instruments such as "Inovação Produtiva",
  "Qualificação das PME", "Internacionalização", "Transição digital", "Eficiência energética".
  Companies of *any* business sector may apply, so a company fits them without sharing a keyword.
* **sector** themes (tourism, agri-food, fisheries, ...): when a call's title names one, only companies
  of that sector fit.

Text matching works on tokens, not on a regex per keyword: the text is folded (lower case, no
accents), split into ``[a-z0-9]+`` tokens, connector words (de, da, e, para, ...) are dropped,
every token is reduced by a light Portuguese plural stemmer (``empresas`` -> ``empresa``,
``exportações`` -> ``exportacao``, ``hotéis`` -> ``hotel``, ``jovens`` -> ``jovem``) and the token
stream is scanned once, longest phrase first, so that ``indústria alimentar`` counts as agri-food
and not also as manufacturing, and ``inovação social`` as social economy and not also as
productive innovation. A keyword ending in ``*`` is a prefix of the (unstemmed) token:
``digitaliz*`` matches ``digitalização``, ``digitalizar``.

CAE codes are matched on their leading digits (division "10", group "102", ...), which are the
same in CAE Rev.3 and Rev.4 for the divisions used here. Section letters are only used when no
code digits are known; they are read as CAE Rev.3 sections.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from elinara.agent.cae import CAE_DIVISIONS, cae_digits, cae_division, cae_section
from elinara.text import fold


def _kw(text: str) -> tuple[str, ...]:
    """Keywords written as ``a | b c | d*`` (several lines allowed) -> ``("a", "b c", "d*")``."""
    return tuple(w.strip() for w in text.replace("\n", " ").split("|") if w.strip())


@dataclass(frozen=True, slots=True)
class Theme:
    key: str
    label: str  # short Portuguese label, for reasoning sentences
    cross_sector: bool
    keywords: tuple[str, ...]
    cae: tuple[str, ...] = ()  # leading CAE digits: divisions ("10") or groups ("102")
    sections: tuple[str, ...] = ()  # CAE Rev.3 section letters, when only a section is known
    # Calls about this theme alone are EU regional investment aid (GBER art. 13): the sectors in
    # REGIONAL_AID_EXCLUDED cannot get them whatever their other merits.
    regional_aid: bool = False


# The order of this tuple is the order of every list this module returns.
THEMES: tuple[Theme, ...] = (
    Theme(
        "innovation",
        "Inovação produtiva",
        cross_sector=True,
        keywords=_kw(
            """
            inov* | inovacao produtiva | inovacao empresarial | investimento produtivo |
            investimentos produtivos | capacidade produtiva | novos produtos |
            novos processos | modernizacao | modernizar | innovation | productive investment
            """
        ),
        regional_aid=True,
    ),
    Theme(
        "rd",
        "I&D",
        cross_sector=True,
        keywords=_kw(
            """
            ied | investigacao | investigacao e desenvolvimento |
            desenvolvimento tecnologico | desenvolvimento experimental |
            inovacao tecnologica | transferencia de tecnologia |
            transferencia de conhecimento | valorizacao do conhecimento | base tecnologica |
            alta tecnologia | tecnologias avancadas | cientific* | prototipo | prototipos |
            demonstradores | laboratorios colaborativos | doutorados | research |
            research and development
            """
        ),
        cae=("72",),
    ),
    Theme(
        "digital",
        "Transição digital",
        cross_sector=True,
        keywords=_kw(
            """
            digital | digitais | digitaliz* | transicao digital | transformacao digital |
            economia digital | tic | tecnologias de informacao |
            tecnologias da informacao e comunicacao | sistemas de informacao | informatic* |
            software | comercio eletronico | e commerce | ecommerce | loja online | online |
            ciberseguranca | inteligencia artificial | cloud | computacao | industria 4 0 |
            automacao | robotica | internet | website | web | aplicacoes moveis |
            telecomunicacoes | digital transition | digitalisation | digitalization
            """
        ),
        cae=("582", "61", "62", "63"),
        sections=("J",),
    ),
    Theme(
        "internationalisation",
        "Internacionalização",
        cross_sector=True,
        keywords=_kw(
            """
            internacionaliz* | internacional | internacionais | export* | mercados externos |
            mercado externo | mercados internacionais | feiras internacionais |
            promocao internacional | comercio internacional |
            qualificacao e internacionalizacao das pme | paises | estrangeiro |
            international*
            """
        ),
    ),
    Theme(
        "sme_qualification",
        "Qualificação das PME",
        cross_sector=True,
        keywords=_kw(
            """
            qualificacao das pme | qualificacao pme | qualificacao empresarial |
            qualificacao e internacionalizacao das pme | capacitacao empresarial |
            capacidades de gestao | gestao empresarial | organizacao e gestao |
            modelos de negocio | fatores imateriais | fatores imateriais de competitividade |
            certificacao | sistemas de gestao | gestao da qualidade | marketing | design |
            propriedade industrial | consultoria de gestao | sme qualification
            """
        ),
        cae=("702",),
    ),
    Theme(
        "energy",
        "Energia e descarbonização",
        cross_sector=True,
        keywords=_kw(
            """
            energia | energetic* | eficiencia energetica | transicao energetica |
            descarboniz* | renovav* | fotovolt* | solar | autoconsumo | hidrogenio |
            biomassa | eolic* | geotermi* | baixo carbono | carbono | emissoes |
            gases com efeito de estufa | neutralidade carbonica | comunidades de energia |
            bombas de calor | eletrificacao | acao climatica | alteracoes climaticas | transicao climatica | climatic* |
            energy | energy efficiency | decarbonisation | decarbonization | renewable*
            """
        ),
        cae=("35",),
        sections=("D",),
    ),
    Theme(
        "circular",
        "Economia circular e recursos",
        cross_sector=True,
        keywords=_kw(
            """
            economia circular | circularidade | residuos | reciclag* | reciclad* | reutiliz* |
            desperdicio* | sucata | subprodutos | simbiose industrial | ecodesign |
            ecoinovacao | compostagem | eficiencia de recursos |
            utilizacao eficiente dos recursos | uso eficiente dos recursos |
            uso eficiente da agua | materias primas secundarias | circular economy | waste |
            recycling
            """
        ),
        cae=("36", "37", "38", "39"),
        sections=("E",),
    ),
    Theme(
        "training",
        "Formação e emprego",
        cross_sector=True,
        keywords=_kw(
            """
            formacao | formacao profissional | formacao acao | formandos | formador* |
            emprego | empregabilidade | criacao de emprego | postos de trabalho |
            contratacao | recursos humanos | recursos humanos altamente qualificados |
            quadros qualificados | qualificacao profissional |
            qualificacao dos trabalhadores | qualificacao de ativos |
            qualificacao dos ativos | competencias | upskilling | reskilling | estagio* |
            aprendizagem ao longo da vida | ensino profissional | training | employment |
            skills
            """
        ),
        cae=("85",),
        sections=("P",),
    ),
    Theme(
        "entrepreneurship",
        "Empreendedorismo",
        cross_sector=True,
        keywords=_kw(
            """
            empreendedor* | empreendedorismo qualificado e criativo | startup | startups |
            start up | start ups | incubac* | incubador* | aceleracao de empresas |
            aceleradora | criacao de empresas | criacao de novas empresas | novas empresas |
            empresas recentes | jovens empresas | spin off | spinoff | autoemprego |
            criacao do proprio emprego | entrepreneur*
            """
        ),
    ),
    Theme(
        "industry",
        "Indústria transformadora",
        cross_sector=False,
        keywords=_kw(
            """
            industria | industrias | industrial | industriais | industria transformadora |
            transformadora | transicao industrial | fabrico | fabricacao | fabril |
            manufatur* | metalomecanic* | metalurgi* | fundicao | construcao de moldes |
            construcao de maquinas | construcao metalomecanica | manufacturing | industry
            """
        ),
        cae=tuple(f"{d:02d}" for d in range(10, 34)),  # manufacturing; extraction (B) is not
        sections=("C",),
    ),
    Theme(
        "agrifood",
        "Agroalimentar",
        cross_sector=False,
        keywords=_kw(
            """
            agroaliment* | agro alimentar | agroindustr* | agro industria |
            industria alimentar | industrias alimentares | industria agroalimentar |
            industria de bebidas | produtos alimentares | alimentar | alimentares |
            alimentos | bebidas | vinho | vinhos | vinicola | vinicultura | adega | azeite |
            lacticinio* | laticinio* | queijo* | conservas | conservas de peixe |
            conserveira | panificacao | padaria | charcutaria | enchidos | cerveja | sumos |
            transformacao de produtos agricolas |
            transformacao e comercializacao de produtos agricolas |
            comercializacao de produtos agricolas | cadeias curtas | food | agri food |
            beverages | wine
            """
        ),
        cae=("10", "11"),
    ),
    Theme(
        "agriculture",
        "Agricultura e floresta",
        cross_sector=False,
        keywords=_kw(
            """
            agricult* | agricola | agricolas | agrari* | agropecuari* | exploracao agricola |
            exploracoes agricolas | jovens agricultores | pecuari* | floresta | florestas |
            florestal | florestais | silvicultura | regadio | horticultura | horticola* |
            hortofruticola* | fruticultura | viticultura | olival | olivicultura |
            apicultura | desenvolvimento rural | cultivo | culturas agricolas | estufas |
            gado | bovinos | suinos | ovinos | caprinos | cadeias curtas | amendoa* |
            amendoal | frutos secos | pomar* | citrinos | vinha | vinhas | cereais | producao
            agricola | agriculture | farming | forestry
            """
        ),
        cae=("01", "02"),
        sections=("A",),
    ),
    Theme(
        "fisheries",
        "Pescas e mar",
        cross_sector=False,
        keywords=_kw(
            """
            pesca | pescas | pescado | piscatori* | pesqueir* | economia azul | mar |
            maritim* | oceano* | portos de pesca | lota | produtos da pesca |
            conservas de peixe | peixe | pescador* | marisco* | construcao naval | fisheries |
            fishing | blue economy
            """
        ),
        cae=("031", "032", "102", "301", "4638"),
        sections=("A",),
    ),
    Theme(
        "aquaculture",
        "Aquicultura",
        cross_sector=False,
        keywords=_kw(
            """
            aquicultura | aquacultur* | aquicola* | piscicultura | moluscicultura |
            ostreicultura | ostras | ameijoa | bivalves | moluscos | aquaculture
            """
        ),
        cae=("032",),
        sections=("A",),
    ),
    Theme(
        "tourism",
        "Turismo",
        cross_sector=False,
        keywords=_kw(
            """
            turism* | turistic* | enoturismo | animacao turistica |
            animacao turistica maritima | maritimo turistica | maritimo turisticas |
            maritimo turistico | maritimo turisticos | ecoturismo | agroturismo | hotel |
            hotel* | alojamento | alojamento local | restauracao | restaurante* |
            agencia de viagens | viagens | hospitalidade | golfe | termas | termal | tourism |
            hospitality
            """
        ),
        cae=("55", "56", "79", "9321", "9329"),
        sections=("I",),
    ),
    Theme(
        "culture",
        "Cultura e indústrias criativas",
        cross_sector=False,
        keywords=_kw(
            """
            cultural | culturais | patrimonio cultural | industrias criativas |
            industrias culturais | industrias culturais e criativas | criativ* | artes |
            artistic* | artes performativas | espetaculo* | audiovisual | audiovisuais |
            cinema | cinematografic* | musica | musical | museu* | galeria* | teatro |
            editorial | edicao de livros | livros | artesanato | fotografia |
            creative industries | culture | arts
            """
        ),
        cae=("581", "59", "60", "741", "742", "90", "91"),
        sections=("R",),
    ),
    Theme(
        "health",
        "Saúde",
        cross_sector=False,
        keywords=_kw(
            """
            saude | cuidados de saude | servicos de saude | saude digital |
            dispositivos medicos | medicina | medico | medica | medicos | medicas |
            medicamento* | farmac* | clinic* | hospital* | enfermagem | fisioterapia |
            dentari* | odontolog* | biotecnologia | ciencias da vida | health | healthcare |
            medical | pharma*
            """
        ),
        cae=("21", "266", "325", "86"),
        sections=("Q",),
    ),
    Theme(
        "construction",
        "Construção e reabilitação",
        cross_sector=False,
        keywords=_kw(
            """
            construcao | construcao civil | setor da construcao | obras publicas |
            reabilitacao urbana | reabilitacao de edificios | reabilitacao do edificado |
            habitacao | habitacao acessivel | edificado | empreitadas | engenharia civil |
            materiais de construcao | arquitetura | imobiliari* | construction | housing
            """
        ),
        cae=("41", "42", "43", "68", "711"),
        sections=("F", "L"),
    ),
    Theme(
        "transport",
        "Transportes e logística",
        cross_sector=False,
        keywords=_kw(
            """
            transporte | transportes | transportadora* | transporte de mercadorias |
            logistic* | mobilidade | mobilidade eletrica | mobilidade sustentavel | frota |
            frotas | veiculos | ferrovi* | rodoviari* | mercadorias | armazenagem |
            cadeia de abastecimento | portuari* | aeroport* | aviacao | transport |
            logistics | mobility | shipping
            """
        ),
        cae=("49", "50", "51", "52", "53"),
        sections=("H",),
    ),
    Theme(
        "commerce",
        "Comércio",
        cross_sector=False,
        keywords=_kw(
            """
            comercio | comercio local | comercio tradicional | comercio a retalho |
            comercio por grosso | retalho | retalhista* | grossista* | lojas | loja |
            estabelecimentos comerciais | retail | wholesale
            """
        ),
        cae=("45", "46", "47"),
        sections=("G",),
    ),
    Theme(
        "social",
        "Economia social",
        cross_sector=False,
        keywords=_kw(
            """
            economia social | inovacao social | empreendedorismo social | ipss |
            instituicoes particulares de solidariedade social | solidariedade social |
            terceiro setor | cooperativ* | misericordia* | inclusao social |
            respostas sociais | equipamentos sociais | acao social | apoio social | lar |
            lares | creche* | centro de dia | apoio domiciliario | sem fins lucrativos |
            social economy | social innovation
            """
        ),
        cae=("87", "88", "94"),
    ),
)

THEME_KEYS: tuple[str, ...] = tuple(t.key for t in THEMES)
THEMES_BY_KEY: dict[str, Theme] = {t.key: t for t in THEMES}
CROSS_SECTOR: frozenset[str] = frozenset(t.key for t in THEMES if t.cross_sector)

# Markers: phrases about who a call is for (read by matching/beneficiaries.py), scanned with the
# themes only so that their words are not read as themes ("centros de interface" is no theme).
PUBLIC = "@public"
COMPANIES = "@companies"
NEUTRAL = "@neutral"  # consumes a phrase that would otherwise be misread (no theme)
_MARKERS: dict[str, tuple[str, ...]] = {
    PUBLIC: _kw(
        """
        administracao publica | administracao local | administracao central | autarquia* |
        municipio | municipios | camara municipal | camaras municipais | freguesia* |
        entidades publicas | organismos publicos | servicos publicos |
        comunidades intermunicipais | entidades intermunicipais | areas metropolitanas |
        edificios publicos | iluminacao publica | escolas | agrupamentos de escolas |
        estabelecimentos de ensino | ensino superior | instituicoes de ensino superior |
        universidades | politecnicos | entidades nao empresariais | ciclo urbano da agua |
        abastecimento de agua | saneamento | protecao civil | modernizacao administrativa | infraestruturas tecnologicas | centros de interface |
        public administration | public bodies | municipalities
        """
    ),
    COMPANIES: _kw(
        """
        empresa | empresas | pme | pmes | nao pme | grandes empresas | microempresas |
        empresas recentes | novas empresas | jovens empresas | criacao de empresas |
        empresarial | empresariais | tecido empresarial | sistema de incentivos |
        sistemas de incentivos | empresarios | setor privado | companies | smes |
        enterprises
        """
    ),
    NEUTRAL: _kw(
        """
        saude e seguranca no trabalho | seguranca e saude no trabalho
        """
    ),
}

# Divisions that the horizontal business incentive schemes (SICE, I&D, qualificação, ...) leave
# out: primary agriculture, forestry and fishing (funded by PEPAC and MAR 2030 instead, through
# their own sector calls), finance and insurance, public administration, gambling, membership
# organisations, households and extraterritorial bodies.
NON_BUSINESS_DIVISIONS: frozenset[str] = frozenset(
    {"01", "02", "03", "64", "65", "66", "84", "92", "94", "97", "98", "99"}
)
NON_BUSINESS_SECTIONS: frozenset[str] = frozenset({"A", "K", "O", "T", "U"})
# Regional investment aid (GBER art. 13) excludes steel (241), synthetic fibres (2060), energy
# generation and distribution (35) and the transport sector (49-51, 522); "Inovação Produtiva"
# calls are regional investment aid.
REGIONAL_AID_EXCLUDED: tuple[str, ...] = ("241", "2060", "35", "49", "50", "51", "522")

# Dropped before phrase matching, so "qualificação de PME" matches "qualificação das PME".
_CONNECTORS: frozenset[str] = frozenset(
    [
        "a",
        "o",
        "as",
        "os",
        "e",
        "de",
        "da",
        "do",
        "das",
        "dos",
        "em",
        "na",
        "no",
        "nas",
        "nos",
        "para",
        "por",
        "pela",
        "pelo",
        "pelas",
        "pelos",
        "com",
        "ao",
        "aos",
        "num",
        "numa",
        "the",
        "of",
        "and",
        "for",
        "in",
        "to",
        "on",
    ]
)

# Not significant for lexical overlap (on top of the connectors): common Portuguese words and the
# boilerplate every call and company description shares.
_STOP: frozenset[str] = frozenset(
    [
        "um",
        "uma",
        "uns",
        "umas",
        "que",
        "se",
        "ou",
        "mais",
        "menos",
        "muito",
        "muita",
        "como",
        "sua",
        "seu",
        "suas",
        "seus",
        "este",
        "esta",
        "estes",
        "estas",
        "esse",
        "essa",
        "isso",
        "aquele",
        "aquela",
        "entre",
        "sobre",
        "sob",
        "sem",
        "ate",
        "apos",
        "ja",
        "nao",
        "sim",
        "tambem",
        "bem",
        "quando",
        "onde",
        "qual",
        "quais",
        "cujo",
        "cuja",
        "todo",
        "toda",
        "todos",
        "todas",
        "outro",
        "outra",
        "outros",
        "outras",
        "mesmo",
        "mesma",
        "cada",
        "ser",
        "sao",
        "foi",
        "sera",
        "tem",
        "ter",
        "pode",
        "podem",
        "deve",
        "devem",
        "nivel",
        "niveis",
        "forma",
        "formas",
        "tipo",
        "tipos",
        "area",
        "areas",
        "empresa",
        "empresas",
        "pme",
        "pmes",
        "apoio",
        "apoios",
        "aviso",
        "avisos",
        "candidatura",
        "candidaturas",
        "programa",
        "programas",
        "projeto",
        "projetos",
        "operacao",
        "operacoes",
        "operacoes",
        "tipologia",
        "tipologias",
        "objetivo",
        "objetivos",
        "especifico",
        "especifica",
        "prioridade",
        "prioridades",
        "regiao",
        "regional",
        "regioes",
        "nacional",
        "setor",
        "setores",
        "atividade",
        "atividades",
        "servico",
        "servicos",
        "prestacao",
        "produto",
        "produtos",
        "producao",
        "fabricacao",
        "fabrico",
        "comercializacao",
        "transformacao",
        "desenvolvimento",
        "desenvolver",
        "reforcar",
        "promover",
        "promocao",
        "melhorar",
        "aumentar",
        "incluindo",
        "inclusive",
        "atraves",
        "nomeadamente",
        "designadamente",
        "geral",
        "outros",
        "diversos",
        "varios",
        "sistema",
        "sistemas",
        "incentivo",
        "incentivos",
        "competitividade",
        "crescimento",
        "sustentavel",
        "sustentaveis",
        "investimento",
        "investimentos",
        "capacidade",
        "capacidades",
        "valor",
        "novo",
        "nova",
        "novos",
        "novas",
        "respetivo",
        "respetiva",
        "base",
        "apoiar",
        "criacao",
        "portugal",
        "2030",
        "2021",
        "2027",
    ]
)

_AMPERSAND = re.compile(r"\b(?:[ir]\s*&\s*d(?:\s*&\s*i)?|i\s*&\s*i)\b")
_TOKEN = re.compile(r"[a-z0-9]+")
_KEEP_FINAL_S: frozenset[str] = frozenset(
    {"pais", "mais", "gas", "atraves", "apos", "tras", "lapis", "virus", "bonus", "campus", "tres"}
)


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Light Portuguese plural stemmer for a folded token: ``empresas`` -> ``empresa``."""
    if len(token) <= 3 or token in _KEEP_FINAL_S or token[-1].isdigit():
        return token
    if token.endswith(("oes", "aes")):
        return token[:-3] + "ao"
    if token.endswith("ns"):
        return token[:-2] + "m"
    if len(token) > 4:
        if token.endswith("ais"):
            return token[:-3] + "al"
        if token.endswith("eis"):
            return token[:-3] + "el"
        if token.endswith("ois"):
            return token[:-3] + "ol"
        if token.endswith(("res", "zes")):
            return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _tokens(folded: str) -> list[str]:
    """Folded text -> raw tokens, connectors dropped (``I&D`` becomes the token ``ied``)."""
    if "&" in folded:
        folded = _AMPERSAND.sub(" ied ", folded)
    return [t for t in _TOKEN.findall(folded) if t not in _CONNECTORS]


# Compiled lookup tables: phrase (tuple of stems) -> keys, single stem -> keys, prefix -> keys.
_PHRASES: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
_WORDS: dict[str, tuple[str, ...]] = {}
_PREFIXES: dict[str, tuple[str, ...]] = {}
_PREFIX_LENGTHS: tuple[int, ...] = ()


def _compile() -> None:
    global _PREFIX_LENGTHS
    entries: list[tuple[str, str]] = [(kw, t.key) for t in THEMES for kw in t.keywords]
    entries += [(kw, marker) for marker, kws in _MARKERS.items() for kw in kws]
    phrases: dict[tuple[str, ...], list[str]] = {}
    words: dict[str, list[str]] = {}
    prefixes: dict[str, list[str]] = {}
    for keyword, key in entries:
        if keyword.endswith("*"):
            prefix = fold(keyword[:-1])
            if not _TOKEN.fullmatch(prefix):
                raise ValueError(f"prefix keyword must be one token: {keyword!r}")
            bucket = prefixes.setdefault(prefix, [])
        else:
            stems = tuple(stem(t) for t in _tokens(fold(keyword)))
            if not stems:
                raise ValueError(f"empty keyword for {key}: {keyword!r}")
            bucket = (
                words.setdefault(stems[0], []) if len(stems) == 1 else phrases.setdefault(stems, [])
            )
        if key not in bucket:
            bucket.append(key)
    for seq, keys in phrases.items():
        _PHRASES.setdefault(seq[0], []).append((seq, tuple(keys)))
    for options in _PHRASES.values():
        options.sort(key=lambda item: -len(item[0]))
    _WORDS.update({w: tuple(keys) for w, keys in words.items()})
    _PREFIXES.update({p: tuple(keys) for p, keys in prefixes.items()})
    _PREFIX_LENGTHS = tuple(sorted({len(p) for p in prefixes}, reverse=True))


_compile()


def _scan(raw: list[str]) -> list[str]:
    """Theme keys and markers found in a token stream, longest phrase first, in text order."""
    stems = [stem(t) for t in raw]
    found: list[str] = []
    i, n = 0, len(stems)
    while i < n:
        s = stems[i]
        step = 1
        keys: tuple[str, ...] = ()
        options = _PHRASES.get(s)
        if options:
            for seq, phrase_keys in options:
                size = len(seq)
                if tuple(stems[i : i + size]) == seq:
                    keys, step = phrase_keys, size
                    break
        if not keys:
            keys = _WORDS.get(s, ())
        if not keys:
            token = raw[i]
            for length in _PREFIX_LENGTHS:
                if len(token) >= length:
                    hit = _PREFIXES.get(token[:length])
                    if hit:
                        keys = hit
                        break
        found.extend(keys)
        i += step
    return found


@lru_cache(maxsize=16384)
def _keys_in_text(text: str) -> frozenset[str]:
    return frozenset(_scan(_tokens(fold(text))))


def _ordered(keys: frozenset[str] | set[str]) -> list[str]:
    return [k for k in THEME_KEYS if k in keys]


def themes_in_text(text: str) -> list[str]:
    """Theme keys mentioned by a call's or a company's text, in a stable order (``THEMES``)."""
    if not text:
        return []
    return _ordered(_keys_in_text(text))


def is_business(cae: str | None, section: str | None = None) -> bool | None:
    """Whether horizontal business schemes accept the company's sector; None when unknown."""
    division = cae_division(cae)
    if division is not None and division in CAE_DIVISIONS:
        return division not in NON_BUSINESS_DIVISIONS
    letter = cae_section(None, section)
    if letter is None:
        return None
    return letter not in NON_BUSINESS_SECTIONS


REGIONAL_AID_THEMES = frozenset(t.key for t in THEMES if t.regional_aid)


def regional_aid_excluded(cae: str | None) -> bool:
    """Whether a CAE code is in a sector EU regional investment aid excludes."""
    return cae_digits(cae).startswith(REGIONAL_AID_EXCLUDED)


_CAE_PREFIXES: dict[str, tuple[str, ...]] = {}
for _theme in THEMES:
    for _prefix in _theme.cae:
        _CAE_PREFIXES[_prefix] = (*_CAE_PREFIXES.get(_prefix, ()), _theme.key)


@lru_cache(maxsize=4096)
def _cae_keys(digits: str, section: str | None) -> frozenset[str]:
    keys: set[str] = set()
    if len(digits) >= 2:
        for length in range(2, min(len(digits), 5) + 1):
            keys.update(_CAE_PREFIXES.get(digits[:length], ()))
        if keys or digits[:2] in CAE_DIVISIONS:
            return frozenset(keys)
    if section:
        keys.update(t.key for t in THEMES if section in t.sections)
    return frozenset(keys)


def themes_of_cae(cae: str | None, section: str | None = None) -> list[str]:
    """Theme keys that a company of this CAE code (or, lacking digits, section) naturally fits."""
    letter = section.strip().upper()[:1] if section else None
    return _ordered(_cae_keys(cae_digits(cae), letter or None))


def theme_label(key: str) -> str:
    """Short Portuguese label of a theme key (the key itself when unknown)."""
    theme = THEMES_BY_KEY.get(key)
    return theme.label if theme else key


def significant_stems(text: str) -> frozenset[str]:
    """Stems worth comparing between a call's and a company's text (no stop words, no numbers)."""
    if not text:
        return frozenset()
    out: set[str] = set()
    for token in _tokens(fold(text)):
        if len(token) < 4 or token in _STOP or token.isdigit():
            continue
        stemmed = stem(token)
        if stemmed not in _STOP:
            out.add(stemmed)
    return frozenset(out)


def idf_weights(documents: list[frozenset[str]]) -> dict[str, float]:
    """Per-stem weight in 0..1: 1 for a stem in one document, falling as it gets common."""
    total = len(documents)
    counts: dict[str, int] = {}
    for doc in documents:
        for word in doc:
            counts[word] = counts.get(word, 0) + 1
    if total <= 1:
        return dict.fromkeys(counts, 1.0)
    scale = math.log(total)
    return {w: max(0.0, math.log(total / c) / scale) for w, c in counts.items()}
