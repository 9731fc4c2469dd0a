"""Write elinara/data/sample/p2030_avisos.json: a recorded-shape Portugal 2030 API answer.

The file is what a client would have saved from the notices API (elinara/agent/sources/p2030.py): a list of pages
``{"status": 200, "avisos": [...]}``, the end marker not included. The avisos are invented but
realistic; their dates keep the sample useful for years: most calls opened in 2026 and close
between 2027-06 and 2029-12, four closed in 2025 and two open in 2027.

Deterministic: run it again and the file is byte for byte the same.

    python scripts/make_sample_calls.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "elinara" / "data" / "sample" / "p2030_avisos.json"
PAGE_SIZE = 12

PROGRAMMES: dict[str, tuple[int, str]] = {
    "COMPETE": (1, "Programa Temático Inovação e Transição Digital (COMPETE 2030)"),
    "PESSOAS": (2, "Programa Temático Demografia, Qualificações e Inclusão (PESSOAS 2030)"),
    "SUSTENTAVEL": (3, "Programa Temático Ação Climática e Sustentabilidade (SUSTENTÁVEL 2030)"),
    "MAR": (4, "Programa Mar 2030"),
    "NORTE": (5, "Programa Regional do Norte 2030"),
    "CENTRO": (6, "Programa Regional do Centro 2030"),
    "LISBOA": (7, "Programa Regional de Lisboa 2030"),
    "ALENTEJO": (8, "Programa Regional do Alentejo 2030"),
    "ALGARVE": (9, "Programa Regional do Algarve 2030"),
    "ACORES": (10, "Programa Regional dos Açores 2030"),
    "MADEIRA": (11, "Programa Regional da Madeira 2030"),
}

PRIORITIES: dict[str, str] = {
    "COMPETE": "Inovação e Transição Digital",
    "PESSOAS": "Adaptabilidade e Aprendizagem ao Longo da Vida",
    "SUSTENTAVEL": "Transição Climática e Sustentabilidade dos Recursos",
    "MAR": "Promoção da aquicultura sustentável e da transformação dos produtos da pesca",
    "competitive": "Prioridade 1 - Inovação e competitividade da economia regional",
    "green": "Prioridade 2 - Transição climática e sustentabilidade dos recursos",
    "tourism": "Prioridade 4 - Valorização do território, da cultura e do turismo",
}

OBJECTIVES: dict[str, str] = {
    "rso11": "RSO1.1. Desenvolver e reforçar as capacidades de investigação e inovação e a adoção "
    "de tecnologias avançadas",
    "rso12": "RSO1.2. Aproveitar as vantagens da digitalização para os cidadãos, as empresas, as "
    "organizações de investigação e as autoridades públicas",
    "rso13": "RSO1.3. Reforçar o crescimento sustentável e a competitividade das PME e a criação de "
    "emprego nas PME, inclusive através de investimentos produtivos",
    "rso14": "RSO1.4. Desenvolver competências para a especialização inteligente, a transição "
    "industrial e o empreendedorismo",
    "rso21": "RSO2.1. Promover a eficiência energética e reduzir as emissões de gases com efeito "
    "de estufa",
    "rso26": "RSO2.6. Promover a transição para uma economia circular e eficiente na utilização "
    "dos recursos",
    "rso46": "RSO4.6. Reforçar o papel da cultura e do turismo sustentável no desenvolvimento "
    "económico, na inclusão social e na inovação social",
    "eso44": "ESO4.4. Promover a adaptação dos trabalhadores, das empresas e dos empresários à "
    "mudança",
    "eso47": "ESO4.7. Promover a aprendizagem ao longo da vida, nomeadamente através de "
    "oportunidades flexíveis de melhoria de competências e requalificação",
    "feampa21": "OE 2.1. Promover atividades aquícolas sustentáveis, especialmente através do "
    "reforço da competitividade da produção aquícola",
    "feampa22": "OE 2.2. Promover a comercialização, a qualidade e o valor acrescentado dos "
    "produtos da pesca e da aquicultura, bem como a transformação desses produtos",
}

FUND_OF = {"PESSOAS": "FSE+", "MAR": "FEAMPA", "SUSTENTAVEL": "Fundo de Coesão"}

# code, programmes, title PT, title EN or None, [(typology, objective, dotação)], priority,
# published, opens, closes, closes as extended (dataFimAtual) or None, last change
CALLS: list[tuple[Any, ...]] = [
    (
        "NORTE2030-2026-12",
        ["NORTE"],
        "Sistema de Incentivos à Inovação Produtiva - PME da Região Norte",
        "Productive Innovation Incentive Scheme - SMEs in the North Region",
        [("Inovação Produtiva", "rso13", 45_000_000.0)],
        "competitive",
        "2026-02-16 10:30:00",
        "2026-02-16",
        "2027-09-30",
        None,
        "2026-04-02 15:12:44",
    ),
    (
        "NORTE2030-2026-15",
        ["NORTE"],
        "Qualificação e Internacionalização das PME do Norte",
        "Qualification and Internationalisation of SMEs in the North",
        [
            ("Qualificação e Internacionalização das PME", "rso13", 12_000_000.0),
            ("Internacionalização", "rso13", 6_000_000.0),
        ],
        "competitive",
        "2026-03-09 09:00:00",
        "2026-03-09",
        "2027-12-15 17:59:59",
        None,
        "2026-03-09 09:00:00",
    ),
    (
        "NORTE2030-2026-21",
        ["NORTE"],
        "Transição digital das empresas da Região Norte",
        None,
        [("Transição digital das empresas", "rso12", 20_000_000.0)],
        "competitive",
        "2026-05-04 11:20:00",
        "2026-05-18",
        "2028-06-30",
        None,
        "2026-05-04 11:20:00",
    ),
    (
        "NORTE2030-2025-34",
        ["NORTE"],
        "Turismo - Valorização turística de recursos endógenos do Norte",
        "Tourism - Enhancing endogenous resources of the North",
        [("Turismo", "rso46", 9_500_000.0)],
        "tourism",
        "2025-03-03 10:00:00",
        "2025-03-10",
        "2025-07-31",
        "2025-09-15 17:59:59",
        "2025-07-22 16:05:10",
    ),
    (
        "NORTE2030-2026-27",
        ["NORTE"],
        "Vale Incubação - Apoio a empresas com menos de um ano (PME)",
        None,
        [("Vale Incubação", "rso13", 3_000_000.0)],
        "competitive",
        "2026-06-01 10:00:00",
        "2026-06-01",
        "2028-12-31",
        None,
        "2026-06-01 10:00:00",
    ),
    (
        "CENTRO2030-2026-3",
        ["CENTRO"],
        "Inovação Produtiva na Agroindústria - Pequenas e médias empresas da Região Centro",
        "Productive Innovation in Agro-industry - SMEs in the Centre Region",
        [("Agroindústria", "rso13", 8_000_000.0), ("Inovação Produtiva", "rso13", 14_000_000.0)],
        "competitive",
        "2026-01-26 14:00:00",
        "2026-02-02",
        "2027-06-30",
        "2027-10-29",
        "2027-05-20 10:44:02",
    ),
    (
        "CENTRO2030-2026-8",
        ["CENTRO"],
        "Eficiência energética nas empresas da Região Centro",
        "Energy efficiency in companies of the Centre Region",
        [("Eficiência energética nas empresas", "rso21", "7.500.000,00")],
        "green",
        "2026-04-13 10:00:00",
        "2026-04-20",
        "2028-04-28 17:59:59",
        None,
        "2026-04-13 10:00:00",
    ),
    (
        "CENTRO2030-2026-14",
        ["CENTRO"],
        "Empreendedorismo qualificado e criativo no Centro",
        None,
        [("Empreendedorismo qualificado e criativo", "rso13", 5_000_000.0)],
        "competitive",
        "2026-07-06 10:00:00",
        "2026-07-06",
        "2029-03-30",
        None,
        "2026-09-14 12:01:33",
    ),
    (
        "CENTRO2030-2025-41",
        ["CENTRO"],
        "Internacionalização das PME da Região Centro - 2.ª fase",
        None,
        [("Internacionalização", "rso13", 6_500_000.0)],
        "competitive",
        "2025-05-05 09:30:00",
        "2025-05-12",
        "2025-10-31",
        None,
        "2025-10-31 18:00:00",
    ),
    (
        "CENTRO2030-2026-20",
        ["NORTE", "CENTRO", "ALENTEJO"],
        "Qualificação e Internacionalização das PME - Aviso conjunto Norte, Centro e Alentejo",
        "Qualification and Internationalisation of SMEs - joint call North, Centre and Alentejo",
        [("Qualificação e Internacionalização das PME", "rso13", 4_000_000.0)],
        "competitive",
        "2026-08-03 10:00:00",
        "2026-08-03",
        "2028-02-29",
        None,
        "2026-08-03 10:00:00",
    ),
    (
        "LISBOA2030-2026-5",
        ["LISBOA"],
        "Investigação e Desenvolvimento Tecnológico em copromoção - Lisboa",
        "R&D projects in co-promotion - Lisbon",
        [("Investigação e Desenvolvimento Tecnológico", "rso11", 16_000_000.0)],
        "competitive",
        "2026-02-23 10:00:00",
        "2026-03-02",
        "2027-11-30",
        None,
        "2026-02-23 10:00:00",
    ),
    (
        "LISBOA2030-2026-9",
        ["LISBOA"],
        "Transição digital e economia circular nas PME da Área Metropolitana de Lisboa",
        None,
        [
            ("Transição digital das empresas", "rso12", 5_000_000.0),
            ("Economia circular", "rso26", 3_500_000.0),
        ],
        "competitive",
        "2026-05-11 10:00:00",
        "2026-05-11",
        "2028-09-29",
        None,
        "2026-05-11 10:00:00",
    ),
    (
        "LISBOA2030-2026-31",
        ["LISBOA"],
        "Vale Incubação - Lisboa",
        "Incubation Voucher - Lisbon",
        [("Vale Incubação", "rso13", 2_000_000.0)],
        "competitive",
        "2026-10-19 10:00:00",
        "2027-03-01",
        "2028-12-29",
        None,
        "2026-10-19 10:00:00",
    ),
    (
        "ALENTEJO2030-2026-11",
        ["ALENTEJO"],
        "Agroindústria - Inovação Produtiva nas PME do Alentejo",
        "Agro-industry - Productive innovation in Alentejo SMEs",
        [("Agroindústria", "rso13", 11_000_000.0)],
        "competitive",
        "2026-03-16 10:00:00",
        "2026-03-23",
        "2027-12-31",
        None,
        "2026-03-16 10:00:00",
    ),
    (
        "ALENTEJO2030-2026-18",
        ["ALENTEJO"],
        "Turismo sustentável no Alentejo - Empreendimentos e animação turística",
        None,
        [("Turismo", "rso46", 7_000_000.0)],
        "tourism",
        "2026-06-15 10:00:00",
        "2026-06-15",
        "2028-05-31",
        None,
        "2026-06-15 10:00:00",
    ),
    (
        "ALENTEJO2030-2026-22",
        ["ALENTEJO"],
        "Descarbonização e eficiência energética nas empresas do Alentejo",
        "Decarbonisation and energy efficiency in Alentejo companies",
        [
            ("Descarbonização", "rso21", 4_000_000.0),
            ("Eficiência energética nas empresas", "rso21", 3_000_000.0),
        ],
        "green",
        "2026-07-20 10:00:00",
        "2026-07-27",
        "2027-07-30",
        "2027-11-30 17:59:59",
        "2027-07-01 09:15:00",
    ),
    (
        "ALGARVE2030-2026-4",
        ["ALGARVE"],
        "Qualificação e Internacionalização das PME do Algarve",
        None,
        [("Qualificação e Internacionalização das PME", "rso13", 6_000_000.0)],
        "competitive",
        "2026-02-09 10:00:00",
        "2026-02-09",
        "2027-10-29",
        None,
        "2026-02-09 10:00:00",
    ),
    (
        "ALGARVE2030-2026-10",
        ["ALGARVE"],
        "Turismo - Diversificação da oferta turística do Algarve",
        "Tourism - Diversifying the Algarve's tourism offer",
        [("Turismo", "rso46", 10_000_000.0)],
        "tourism",
        "2026-04-06 10:00:00",
        "2026-04-06",
        "2028-03-31",
        None,
        "2026-04-06 10:00:00",
    ),
    (
        "ALGARVE2030-2025-19",
        ["ALGARVE"],
        "Economia circular nas empresas do Algarve",
        None,
        [("Economia circular", "rso26", 2_500_000.0)],
        "green",
        "2025-04-14 10:00:00",
        "2025-04-21",
        "2025-09-30",
        None,
        "2025-09-30 18:00:00",
    ),
    (
        "ACORES2030-2026-6",
        ["ACORES"],
        "Sistema de Incentivos à Competitividade - Inovação Produtiva nos Açores",
        "Competitiveness Incentive Scheme - Productive Innovation in the Azores",
        [("Inovação Produtiva", "rso13", 15_000_000.0)],
        "competitive",
        "2026-03-02 10:00:00",
        "2026-03-02",
        "2028-12-29",
        None,
        "2026-03-02 10:00:00",
    ),
    (
        "ACORES2030-2026-13",
        ["ACORES"],
        "Empreendedorismo qualificado e criativo nos Açores - micro, pequenas e médias empresas",
        None,
        [("Empreendedorismo qualificado e criativo", "rso13", 3_500_000.0)],
        "competitive",
        "2026-06-22 10:00:00",
        "2026-06-22",
        "2029-06-29",
        None,
        "2026-06-22 10:00:00",
    ),
    (
        "MADEIRA2030-2026-7",
        ["MADEIRA"],
        "Inovação Produtiva e Internacionalização das empresas da Madeira",
        "Productive innovation and internationalisation of Madeira companies",
        [
            ("Inovação Produtiva", "rso13", 9_000_000.0),
            ("Internacionalização", "rso13", 3_000_000.0),
        ],
        "competitive",
        "2026-04-27 10:00:00",
        "2026-04-27",
        "2028-10-31",
        None,
        "2026-04-27 10:00:00",
    ),
    (
        "MADEIRA2030-2026-19",
        ["MADEIRA"],
        "Eficiência energética nas empresas da Região Autónoma da Madeira",
        None,
        [("Eficiência energética nas empresas", "rso21", 4_000_000.0)],
        "green",
        "2026-11-02 10:00:00",
        "2027-02-01",
        "2028-07-31",
        None,
        "2026-11-02 10:00:00",
    ),
    (
        "COMPETE2030-2026-7",
        ["COMPETE"],
        "SI Inovação Produtiva - Não PME",
        "Productive Innovation Incentive Scheme - non-SMEs",
        [("Inovação Produtiva Não PME", "rso13", 120_000_000.0)],
        "COMPETE",
        "2026-01-19 10:00:00",
        "2026-01-26",
        "2027-12-29 17:59:59",
        None,
        "2026-05-05 10:30:00",
    ),
    (
        "COMPETE2030-2026-9",
        ["COMPETE", "NORTE", "CENTRO", "ALENTEJO"],
        "Investigação e Desenvolvimento Tecnológico - Projetos individuais e em copromoção",
        "Technological Research and Development - individual and co-promoted projects",
        [("Investigação e Desenvolvimento Tecnológico", "rso11", 60_000_000.0)],
        "COMPETE",
        "2026-02-02 10:00:00",
        "2026-02-09",
        "2028-01-31",
        None,
        "2026-02-02 10:00:00",
    ),
    (
        "COMPETE2030-2026-12",
        ["COMPETE"],
        "Internacionalização das PME - Projetos conjuntos",
        "Internationalisation of SMEs - joint projects",
        [("Internacionalização", "rso13", 25_000_000.0)],
        "COMPETE",
        "2026-03-23 10:00:00",
        "2026-03-30",
        "2028-06-30",
        None,
        "2026-03-23 10:00:00",
    ),
    (
        "COMPETE2030-2026-15",
        ["COMPETE"],
        "Inovação Produtiva - Grandes empresas",
        "Productive Innovation - Large companies",
        [("Inovação Produtiva", "rso13", 80_000_000.0)],
        "COMPETE",
        "2026-04-20 10:00:00",
        "2026-04-27",
        "2028-04-28",
        None,
        "2026-04-20 10:00:00",
    ),
    (
        "COMPETE2030-2026-18",
        ["COMPETE"],
        "Transição digital das empresas - PME e Não PME",
        None,
        [
            ("Transição digital das empresas - PME", "rso12", 30_000_000.0),
            ("Transição digital das empresas - Não PME", "rso12", 20_000_000.0),
        ],
        "COMPETE",
        "2026-05-25 10:00:00",
        "2026-06-01",
        "2029-12-28",
        None,
        "2026-05-25 10:00:00",
    ),
    (
        "COMPETE2030-2025-22",
        ["COMPETE"],
        "Qualificação e Internacionalização das PME - Aviso 2025",
        None,
        [("Qualificação e Internacionalização das PME", "rso13", 35_000_000.0)],
        "COMPETE",
        "2025-02-17 10:00:00",
        "2025-02-24",
        "2025-06-30 17:59:59",
        None,
        "2025-06-30 18:00:00",
    ),
    (
        "PESSOAS2030-2026-4",
        ["PESSOAS"],
        "Formação profissional de trabalhadores em contexto empresarial",
        "Vocational training for workers in companies",
        [("Formação profissional", "eso44", 40_000_000.0)],
        "PESSOAS",
        "2026-01-12 10:00:00",
        "2026-01-19",
        "2028-11-30",
        None,
        "2026-01-12 10:00:00",
    ),
    (
        "PESSOAS2030-2026-11",
        ["PESSOAS"],
        "Formação-ação para micro, pequenas e médias empresas",
        None,
        [("Formação profissional", "eso47", 15_000_000.0)],
        "PESSOAS",
        "2026-04-07 10:00:00",
        "2026-04-14",
        "2029-04-30",
        None,
        "2026-04-07 10:00:00",
    ),
    (
        "SUSTENTAVEL2030-2026-3",
        ["SUSTENTAVEL"],
        "Descarbonização da indústria - Eficiência energética e energias renováveis",
        "Decarbonisation of industry - energy efficiency and renewables",
        [
            ("Descarbonização", "rso21", 50_000_000.0),
            ("Eficiência energética nas empresas", "rso21", 25_000_000.0),
        ],
        "SUSTENTAVEL",
        "2026-02-26 10:00:00",
        "2026-03-05",
        "2028-02-29",
        None,
        "2026-02-26 10:00:00",
    ),
    (
        "SUSTENTAVEL2030-2026-8",
        ["SUSTENTAVEL"],
        "Economia circular e valorização de resíduos nas empresas",
        None,
        [("Economia circular", "rso26", 20_000_000.0)],
        "SUSTENTAVEL",
        "2026-06-08 10:00:00",
        "2026-06-15",
        "2029-09-28",
        None,
        "2026-06-08 10:00:00",
    ),
    (
        "MAR2030-2026-5",
        ["MAR"],
        "Aquicultura - Investimentos produtivos na aquicultura sustentável",
        "Aquaculture - productive investment in sustainable aquaculture",
        [("Aquicultura", "feampa21", 12_000_000.0)],
        "MAR",
        "2026-03-30 10:00:00",
        "2026-04-06",
        "2028-03-31",
        None,
        "2026-03-30 10:00:00",
    ),
    (
        "MAR2030-2026-9",
        ["MAR"],
        "Transformação dos produtos da pesca e da aquicultura - PME",
        "Processing of fishery and aquaculture products - SMEs",
        [("Agroindústria", "feampa22", 8_000_000.0)],
        "MAR",
        "2026-05-18 10:00:00",
        "2026-05-25",
        "2028-12-29",
        None,
        "2026-05-18 10:00:00",
    ),
    (
        "COMPETE2030-2026-24",
        ["COMPETE", "LISBOA", "ALGARVE"],
        "Inovação Produtiva - PME e Não PME com investimento em Lisboa e no Algarve",
        None,
        [
            ("Inovação Produtiva", "rso13", 18_000_000.0),
            ("Internacionalização", "rso13", 4_000_000.0),
        ],
        "COMPETE",
        "2026-09-07 10:00:00",
        "2026-09-14",
        "2029-12-28",
        None,
        "2026-09-07 10:00:00",
    ),
]


def _fund(programme: str) -> str:
    return FUND_OF.get(programme, "FEDER")


def _priority(programme: str, default: str) -> str:
    if programme in PRIORITIES:
        return PRIORITIES[programme]
    # A regional programme in a national aviso keeps a regional priority.
    return PRIORITIES["competitive" if default in PROGRAMMES else default]


def _documents(code: str, published: str, number: int) -> list[dict[str, str]]:
    year = published[:4]
    base = f"{year}/{code}"
    documents = [
        {
            "documentoDesignacao": f"Aviso de Abertura de Concurso {code}",
            "tipoDocumentoDesignacao": "Aviso",
            "path": f"{base}/Aviso_{code}.pdf",
            "container": "avisos",
        },
        {
            "documentoDesignacao": "Referencial de Análise de Mérito",
            "tipoDocumentoDesignacao": "Anexo",
            "path": f"{base}/Referencial_Merito_{code}.pdf",
            "container": "avisos",
        },
    ]
    if number % 3 == 0:
        documents.append(
            {
                "documentoDesignacao": "Esclarecimentos (perguntas frequentes)",
                "tipoDocumentoDesignacao": "Esclarecimentos",
                "path": f"{base}/FAQ_{code}.pdf",
                "container": "avisos",
            }
        )
    return documents


def aviso(number: int, spec: tuple[Any, ...]) -> dict[str, Any]:
    (
        code,
        programmes,
        title,
        title_en,
        typologies,
        priority,
        published,
        opens,
        closes,
        closes_now,
        updated,
    ) = spec
    structure = []
    for index, programme in enumerate(programmes):
        program_id, designation = PROGRAMMES[programme]
        for typology, objective, amount in typologies:
            # The lead programme carries the allocation; the others are listed without one.
            structure.append(
                {
                    "programaOperacionalId": program_id,
                    "programaOperacionalDesignacao": designation,
                    "prioridadeDesignacao": _priority(programme, priority),
                    "objetivoEspecificoDesignacao": OBJECTIVES[objective],
                    "tipologiaOperacaoDesignacao": typology,
                    "fundoDesignacao": _fund(programme),
                    "dotacao": amount if index == 0 else 0.0,
                }
            )
    return {
        "aviso": {
            "avisoGlobalId": 40100 + number * 7,
            "codigoAviso": code,
            "designacaoPT": title,
            "designacaoEN": title_en,
            "classificacaoAvisoDesignacao": "Aviso de Concurso",
            "dataUltimaAlteracao": updated,
        },
        "estrutura": structure,
        "calendario": {
            "dataPublicacao": published,
            "dataInicio": opens,
            "dataFim": closes,
            "dataFimAtual": closes_now,
        },
        "documentos": _documents(code, published, number),
    }


def build() -> list[dict[str, Any]]:
    avisos = [aviso(number, spec) for number, spec in enumerate(CALLS, start=1)]
    return [
        {"status": 200, "avisos": avisos[start : start + PAGE_SIZE]}
        for start in range(0, len(avisos), PAGE_SIZE)
    ]


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(build(), ensure_ascii=False, indent=2) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(CALLS)} avisos)")


if __name__ == "__main__":
    main()
