"""Benchmark: the notice parser on 500 synthetic notices of about 4 pages each.

    python bench/notice_parse.py [--notices 500] [--seed 2030]

Each notice is one of the test notices (tests/data/notices) grown to about 4 pages the way real
avisos are: legal boilerplate in every section, a page header and footer every ~50 lines, a
territory section naming a few municipalities and a CAE annex table of 40 rows. Prints the
wall and CPU time of ``parse_notice`` over all of them (the CPU time tells when other work on
the machine slowed the wall clock), notices per second and the wall time's ratio to the goal
(500 notices in 10 s on a 2-core machine; ratio < 1 is within the goal).
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from elinara.agent.normalize import municipalities
from elinara.agent.notices.parse import parse_notice

GOAL_SECONDS = 10.0
GOAL_NOTICES = 500
NOTICES = Path(__file__).resolve().parent.parent / "tests" / "data" / "notices"
BOILERPLATE = (
    "Nos termos do artigo {a}.º do Decreto-Lei n.º 20-A/2023, de 22 de março, e do Regulamento "
    "(UE) 2021/1060 do Parlamento Europeu e do Conselho, de 24 de junho de 2021, a presente "
    "disposição aplica-se sem prejuízo das orientações técnicas da Autoridade de Gestão, "
    "divulgadas no Balcão dos Fundos, e das demais normas nacionais e europeias aplicáveis, "
    "designadamente em matéria de auxílios de Estado, contratação pública, igualdade de "
    "oportunidades e de género, e desenvolvimento sustentável, com uma dotação de {m} 000 euros."
)


def wrap(text: str, width: int = 95) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def grow(text: str, rng: random.Random, names: list[str]) -> str:
    """``text`` with boilerplate in every section, municipalities, an annex and page furniture."""
    out: list[str] = []
    for line in text.splitlines():
        out.append(line)
        if line[:2].strip().rstrip(".").isdigit() and len(line) < 60:
            for _ in range(3):
                para = BOILERPLATE.format(a=rng.randint(2, 40), m=rng.randint(100, 9000))
                out.extend(wrap(para))
    out.append("ANEXO IX – Territórios abrangidos")
    out.extend(wrap("Municípios de " + ", ".join(rng.sample(names, 12)) + "."))
    out.append("ANEXO X – CAE elegíveis")
    for code in sorted(rng.sample(range(10, 100), 40)):
        out.append(f"{code} Atividade económica da divisão {code}, incluindo serviços conexos")
    paged: list[str] = []
    for i, line in enumerate(out):
        if i % 50 == 0:
            paged += [f"Página {i // 50 + 1} de 4", "Aviso N.º MPR-2025-99 | Portugal 2030"]
        paged.append(line)
    return "\n".join(paged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=GOAL_NOTICES)
    parser.add_argument("--seed", type=int, default=2030)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    names = [m.name for m in municipalities()]
    bases = [p.read_text(encoding="utf-8") for p in sorted(NOTICES.glob("*.txt"))]
    texts = [grow(rng.choice(bases), rng, names) for _ in range(args.notices)]
    chars = sum(len(t) for t in texts) / len(texts)
    parse_notice(texts[0])  # tables and patterns are built once per process
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        parse_notice(text)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    budget = GOAL_SECONDS * args.notices / GOAL_NOTICES
    print(
        f"{args.notices} notices of {chars:,.0f} characters on average (~4 pages): "
        f"{seconds:.2f} s wall ({cpu:.2f} s CPU), {args.notices / seconds:,.0f} notices/s "
        f"({seconds / budget:.3f} of the budget of {budget:.0f} s)"
    )


if __name__ == "__main__":
    main()
