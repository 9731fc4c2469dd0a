"""Benchmark: the offline matcher on 10,000 synthetic companies x 500 synthetic calls.

    python bench/matching.py [--leads 10000] [--calls 500] [--seed 2030]

Half the calls carry criteria a notice would state (NUTS III or municipality territories, CAE
lists and exclusions, beneficiary kinds); most companies have a municipality. Does what the
pipeline's cross-data stage does (``OfflineMatcher(calls, as_of)`` then
``candidates(lead, 50)`` for every company) and prints the wall time, pairs per second and the
ratio to the goal (20 s for 10,000 x 500 on a 2-core machine; ratio < 1 is within the goal).
The data is deterministic for a seed: regions, sizes and CAE codes follow rough shares of
Portuguese companies; call titles, objectives and typologies read like Portugal 2030 avisos.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, timedelta

from elinara.agent.criteria import Clause, Criteria
from elinara.agent.matching.offline import OfflineMatcher
from elinara.agent.matching.themes import themes_in_text
from elinara.agent.normalize import municipalities
from elinara.models import FundingCall, Lead
from elinara.times import LISBON

GOAL_SECONDS = 20.0
GOAL_PAIRS = 10_000 * 500

REGION_SHARES = {
    "norte": 34,
    "centro": 21,
    "lisboa": 27,
    "alentejo": 6,
    "algarve": 5,
    "acores": 2,
    "madeira": 3,
    None: 2,
}
SIZE_SHARES = {"micro": 72, "small": 17, "medium": 5, "large": 2, None: 4}

# (CAE, share, activity phrases)
ACTIVITIES: list[tuple[str | None, int, tuple[str, ...]]] = [
    ("10711", 4, ("Fabrico de pão e produtos de pastelaria fresca", "Padaria tradicional")),
    ("10510", 1, ("Fabrico de queijo e lacticínios", "Queijaria artesanal de ovelha")),
    ("10201", 1, ("Conservas de peixe e produtos do mar",)),
    ("11021", 2, ("Produção de vinho e enoturismo", "Adega e engarrafamento de vinhos")),
    ("13922", 1, ("Fabrico de têxteis-lar e atoalhados",)),
    ("14131", 3, ("Confeção de vestuário em série para exportação",)),
    ("15201", 2, ("Fabrico de calçado de couro",)),
    ("16294", 1, ("Transformação de cortiça e fabrico de rolhas",)),
    ("22292", 1, ("Fabrico de embalagens de plástico",)),
    ("25110", 3, ("Fabrico de estruturas metálicas", "Serralharia civil e metalomecânica")),
    ("25734", 1, ("Construção de moldes metálicos para a indústria automóvel",)),
    ("28220", 1, ("Fabrico de equipamento de elevação e movimentação",)),
    ("31091", 2, ("Fabrico de mobiliário de madeira",)),
    ("35113", 1, ("Produção de energia solar fotovoltaica",)),
    ("38212", 1, ("Tratamento e valorização de resíduos",)),
    ("41200", 6, ("Construção de edifícios residenciais", "Empreitadas de construção civil")),
    ("43222", 3, ("Instalação de canalizações e climatização",)),
    ("45200", 3, ("Manutenção e reparação de veículos automóveis",)),
    ("46190", 2, ("Agentes do comércio por grosso",)),
    ("46381", 1, ("Comércio por grosso de peixe e marisco",)),
    ("47111", 3, ("Minimercado e comércio a retalho alimentar",)),
    ("47711", 4, ("Comércio a retalho de vestuário", "Loja de roupa e loja online")),
    ("49410", 3, ("Transporte rodoviário de mercadorias",)),
    ("52102", 1, ("Armazenagem e logística",)),
    ("55111", 2, ("Hotel de quatro estrelas", "Exploração hoteleira")),
    ("55201", 3, ("Alojamento local para turistas",)),
    ("56101", 6, ("Restaurante de cozinha tradicional", "Restauração e catering")),
    ("56301", 4, ("Café e snack-bar",)),
    ("58110", 1, ("Edição de livros",)),
    ("59110", 1, ("Produção audiovisual e de filmes publicitários",)),
    ("62010", 4, ("Desenvolvimento de software à medida", "Programação informática e apps")),
    ("62020", 2, ("Consultoria em tecnologias de informação",)),
    ("63120", 1, ("Portais web e plataformas digitais",)),
    ("64922", 1, ("Concessão de crédito",)),
    ("68100", 2, ("Compra e venda de imóveis",)),
    ("69200", 4, ("Contabilidade e consultoria fiscal",)),
    ("70220", 3, ("Consultoria de gestão e estratégia",)),
    ("71110", 2, ("Projetos de arquitetura",)),
    ("72110", 1, ("Investigação em biotecnologia",)),
    ("73110", 2, ("Agência de publicidade e marketing digital",)),
    ("74100", 1, ("Design gráfico e de produto",)),
    ("79110", 1, ("Agência de viagens e turismo",)),
    ("85592", 2, ("Formação profissional certificada",)),
    ("86230", 2, ("Clínica de medicina dentária",)),
    ("86906", 1, ("Fisioterapia e reabilitação",)),
    ("87301", 1, ("Lar de idosos e apoio domiciliário",)),
    ("90010", 1, ("Produção de espetáculos e artes performativas",)),
    ("93293", 1, ("Animação turística e passeios de barco",)),
    ("96021", 3, ("Cabeleireiro e estética",)),
    ("01240", 2, ("Produção de fruta e pomares",)),
    ("01500", 2, ("Exploração agrícola e pecuária",)),
    ("03111", 1, ("Pesca costeira",)),
    ("03210", 1, ("Aquicultura de bivalves",)),
    (None, 3, ("Empresa de serviços diversos", "Turismo rural", "Comércio e serviços")),
]

PROGRAMMES = {
    "norte": "NORTE 2030 - Programa Regional do Norte 2021-2027",
    "centro": "CENTRO 2030 - Programa Regional do Centro 2021-2027",
    "lisboa": "LISBOA 2030 - Programa Regional de Lisboa 2021-2027",
    "alentejo": "ALENTEJO 2030 - Programa Regional do Alentejo 2021-2027",
    "algarve": "ALGARVE 2030 - Programa Regional do Algarve 2021-2027",
    "acores": "AÇORES 2030 - Programa Regional dos Açores 2021-2027",
    "madeira": "MADEIRA 2030 - Programa Regional da Madeira 2021-2027",
}
NATIONAL = [
    ("COMPETE 2030 - Programa Temático Inovação e Transição Digital", "FEDER"),
    ("PESSOAS 2030 - Programa Temático Demografia, Qualificações e Inclusão", "FSE+"),
    ("SUSTENTÁVEL 2030 - Programa Temático Ação Climática e Sustentabilidade", "Fundo de Coesão"),
    ("MAR 2030 - Programa Mar 2021-2027", "FEAMPA"),
]
# (title, objective, typology)
CALL_TEMPLATES: list[tuple[str, str, str]] = [
    (
        "SICE - Inovação Produtiva PME",
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME e a criação de "
        "emprego nas PME, inclusive através de investimentos produtivos",
        "Inovação produtiva",
    ),
    (
        "Inovação Produtiva Não PME",
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Inovação produtiva",
    ),
    (
        "SICE - Qualificação das PME",
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Qualificação das PME",
    ),
    (
        "SICE - Internacionalização das PME",
        "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME",
        "Internacionalização das PME",
    ),
    (
        "Transição Digital das PME",
        "RSO1.2. Aproveitar as vantagens da digitalização para os cidadãos, as empresas e as "
        "autoridades públicas",
        "Digitalização das PME",
    ),
    (
        "SI I&D - Projetos de I&D Empresarial",
        "RSO1.1. Desenvolver e reforçar as capacidades de investigação e inovação",
        "Investigação e desenvolvimento empresarial",
    ),
    (
        "Inovação Produtiva no Turismo - PME",
        "RSO1.3. Reforçar a competitividade das PME",
        "Inovação produtiva",
    ),
    (
        "Descarbonização e eficiência energética nas empresas",
        "RSO2.1. Promover a eficiência energética e reduzir as emissões de gases com efeito de "
        "estufa",
        "Eficiência energética nas empresas",
    ),
    (
        "Economia circular nas PME",
        "RSO2.6. Promover a transição para uma economia circular",
        "Economia circular nas empresas",
    ),
    (
        "Formação-Ação para PME",
        "ESO4.4. Promover a adaptação dos trabalhadores, das empresas e dos empresários à mudança",
        "Formação-ação",
    ),
    (
        "SICE - Empreendedorismo Qualificado e Criativo - PME",
        "RSO1.3. Reforçar a competitividade das PME",
        "Empreendedorismo qualificado e criativo",
    ),
    (
        "Agroindústria - transformação e comercialização de produtos agrícolas",
        "RSO1.3. Reforçar a competitividade das PME",
        "Investimento empresarial na agroindústria",
    ),
    (
        "Inovação Produtiva nas Indústrias Culturais e Criativas - PME",
        "RSO1.3. Reforçar a competitividade das PME",
        "Inovação produtiva",
    ),
    (
        "Aquicultura sustentável - investimentos produtivos",
        "OE 2.2 - Promover atividades de aquicultura sustentáveis",
        "Investimentos produtivos na aquicultura",
    ),
    (
        "Transformação e comercialização de produtos da pesca e da aquicultura - PME",
        "OE 2.2 - Promover a comercialização e a transformação de produtos da pesca",
        "Transformação e comercialização",
    ),
    (
        "Mobilidade sustentável - descarbonização de frotas de transporte de mercadorias",
        "RSO2.8. Promover a mobilidade urbana multimodal sustentável",
        "Descarbonização dos transportes",
    ),
    (
        "Saúde digital e dispositivos médicos - PME",
        "RSO1.1. Desenvolver as capacidades de investigação e inovação",
        "Inovação empresarial",
    ),
    (
        "Indústria 4.0 - digitalização dos processos produtivos na indústria transformadora",
        "RSO1.2. Aproveitar as vantagens da digitalização",
        "Digitalização das PME",
    ),
    (
        "Inovação social e respostas sociais da economia social",
        "ESO4.11. Melhorar o acesso a serviços sociais de qualidade",
        "Respostas sociais",
    ),
    (
        "Eficiência energética em edifícios da administração pública local",
        "RSO2.1. Promover a eficiência energética",
        "Eficiência energética nas infraestruturas públicas",
    ),
    (
        "Contratação de Recursos Humanos Altamente Qualificados nas PME",
        "RSO1.4. Desenvolver competências para a especialização inteligente",
        "Contratação de recursos humanos altamente qualificados",
    ),
    (
        "Apoio ao investimento em empreendimentos turísticos",
        "RSO1.3. Reforçar a competitividade das PME",
        "Investimento empresarial no turismo",
    ),
]


def _pick(rng: random.Random, shares: dict) -> object:
    keys = list(shares)
    return rng.choices(keys, weights=[shares[k] for k in keys])[0]


def make_criteria(rng: random.Random, regions: list[str] | None) -> Criteria | None:
    """What a notice might state: half the calls have one, with territory, CAE and beneficiary
    clauses in rough shares."""
    if rng.random() < 0.5:
        return None
    criteria = Criteria(source="notice")
    places = [m for m in municipalities() if regions is None or m.region in regions]
    roll = rng.random()
    if roll < 0.15:
        criteria.subregions = sorted({m.nuts3 for m in rng.sample(places, k=min(3, len(places)))})
    elif roll < 0.25:
        criteria.municipalities = [m.name for m in rng.sample(places, k=min(8, len(places)))]
    elif roll < 0.35:
        criteria.regions = ["norte", "centro", "lisboa", "alentejo", "algarve"]
    if rng.random() < 0.3:
        criteria.cae_included = rng.choice(
            (["10-33"], ["55", "56", "79"], ["C", "J"], ["62", "63"])
        )
    if rng.random() < 0.3:
        criteria.cae_excluded = ["01-03", "64-66", "84", "92"]
    if rng.random() < 0.1:
        criteria.beneficiaries = rng.choice((["training_provider"], ["association"], ["company"]))
    for key in ("geography", "cae_included", "cae_excluded", "beneficiaries"):
        criteria.clauses[key] = Clause(f"{rng.randint(2, 9)}. Secção", "texto do aviso")
    return criteria


def make_calls(count: int, rng: random.Random, as_of: datetime) -> list[FundingCall]:
    calls: list[FundingCall] = []
    for n in range(count):
        title, objective, typology = rng.choice(CALL_TEMPLATES)
        if rng.random() < 0.6:
            regions = rng.sample(list(PROGRAMMES), k=rng.choice((1, 1, 1, 2, 3)))
            programmes = [PROGRAMMES[r] for r in regions]
            funds = ["FSE+"] if title.startswith("Formação") else ["FEDER"]
        else:
            regions = None
            programme, fund = rng.choice(NATIONAL)
            programmes, funds = [programme], [fund]
        lowered = title.casefold()
        if "não pme" in lowered:
            size_rule = "non_pme"
        elif "pme" in lowered:
            size_rule = "pme"
        else:
            size_rule = "any"
        state = rng.random()
        if state < 0.6:  # open
            opens = as_of - timedelta(days=rng.randint(1, 90))
            closes = as_of + timedelta(days=rng.randint(1, 180))
        elif state < 0.75:  # scheduled
            opens = as_of + timedelta(days=rng.randint(1, 60))
            closes = opens + timedelta(days=rng.randint(30, 120))
        else:  # closed
            closes = as_of - timedelta(days=rng.randint(1, 300))
            opens = closes - timedelta(days=rng.randint(30, 120))
        text = "\n".join((title, "Uma Europa mais competitiva", objective, typology))
        calls.append(
            FundingCall(
                aviso_id=f"BENCH-{n:04d}",
                title=title,
                programmes=programmes,
                funds=funds,
                regions=regions,
                size_rule=size_rule,
                themes=themes_in_text(text),
                text=text,
                opens_at=opens,
                closes_at=closes,
                criteria=make_criteria(rng, regions),
            )
        )
    return calls


def make_leads(count: int, rng: random.Random) -> list[Lead]:
    weights = [share for _, share, _ in ACTIVITIES]
    by_region: dict[str, list[str]] = {}
    for m in municipalities():
        by_region.setdefault(m.region, []).append(m.name)
    leads: list[Lead] = []
    for n in range(count):
        cae, _, phrases = rng.choices(ACTIVITIES, weights=weights)[0]
        activity = rng.choice(phrases)
        if rng.random() < 0.3:
            activity += rng.choice(
                ("; exportação para Espanha", "; loja online", " e formação", " desde 1998")
            )
        region = _pick(rng, REGION_SHARES)
        place = rng.choice(by_region[region]) if region and rng.random() < 0.8 else None
        leads.append(
            Lead(
                company=f"Empresa Sintética {n}, Lda",
                nif=f"5{n:08d}",
                cae=cae,
                region=region,  # type: ignore[arg-type]
                municipality=place,
                size=_pick(rng, SIZE_SHARES),  # type: ignore[arg-type]
                activity=activity,
            )
        )
    return leads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--min-score", type=int, default=50)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    as_of = datetime(2026, 12, 1, 12, 0, tzinfo=LISBON)
    calls = make_calls(args.calls, rng, as_of)
    leads = make_leads(args.leads, rng)

    started = time.perf_counter()
    matcher = OfflineMatcher(calls, as_of)
    built = time.perf_counter()
    found = 0
    for lead in leads:
        found += len(matcher.candidates(lead, args.min_score))
    finished = time.perf_counter()

    pairs = args.leads * args.calls
    wall = finished - started
    goal = GOAL_SECONDS * pairs / GOAL_PAIRS
    print(f"offline matcher: {args.leads} companies x {args.calls} calls = {pairs:,} pairs")
    print(f"  build {built - started:.3f} s, match {finished - built:.3f} s, wall {wall:.3f} s")
    print(f"  {pairs / wall:,.0f} pairs/s; {found:,} candidates at >= {args.min_score}")
    print(f"  ({found / max(args.leads, 1):.1f} per company)")
    print(f"  ratio to goal ({goal:.1f} s): {wall / goal:.3f} (< 1 is within the goal)")


if __name__ == "__main__":
    main()
