"""CAE (Classificação Portuguesa de Atividades Económicas) codes: sections, divisions, and whether
a company's code falls under a notice's CAE clause.

Codes are kept as their digits (``"10711"``); a clause item is in the normal form of
:mod:`elinara.agent.criteria` (a section letter, a 2-5 digit prefix, or a range of prefixes).
"""

from __future__ import annotations

from functools import lru_cache

# Rev.3 section of each CAE division (two leading digits); the gaps (04, 34, 40, ...) are unused.
_SECTION_RANGES: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 3),
    ("B", 5, 9),
    ("C", 10, 33),
    ("D", 35, 35),
    ("E", 36, 39),
    ("F", 41, 43),
    ("G", 45, 47),
    ("H", 49, 53),
    ("I", 55, 56),
    ("J", 58, 63),
    ("K", 64, 66),
    ("L", 68, 68),
    ("M", 69, 75),
    ("N", 77, 82),
    ("O", 84, 84),
    ("P", 85, 85),
    ("Q", 86, 88),
    ("R", 90, 93),
    ("S", 94, 96),
    ("T", 97, 98),
    ("U", 99, 99),
)
CAE_DIVISIONS: dict[str, str] = {
    f"{division:02d}": letter
    for letter, first, last in _SECTION_RANGES
    for division in range(first, last + 1)
}

SECTION_LABELS: dict[str, str] = {
    "A": "agricultura, pesca e floresta",
    "B": "indústrias extrativas",
    "C": "indústria transformadora",
    "D": "energia",
    "E": "água, saneamento e resíduos",
    "F": "construção",
    "G": "comércio",
    "H": "transportes e armazenagem",
    "I": "alojamento e restauração",
    "J": "informação e comunicação",
    "K": "atividades financeiras e seguros",
    "L": "atividades imobiliárias",
    "M": "consultoria, científicas e técnicas",
    "N": "serviços administrativos e de apoio",
    "O": "administração pública",
    "P": "educação",
    "Q": "saúde e apoio social",
    "R": "artes, espetáculos e recreação",
    "S": "outros serviços",
    "T": "famílias empregadoras",
    "U": "organismos internacionais",
}


@lru_cache(maxsize=16384)
def cae_range(low: str, high: str) -> str:
    """The range item "low-high" of two codes of one length, low first; "?" otherwise (a range
    whose ends are not of one level cannot be written in the normal form)."""
    return f"{low}-{high}" if len(low) == len(high) and low < high else "?"


def cae_digits(cae: str | None) -> str:
    """The digits of a CAE code: ``"10.711"`` -> ``"10711"``; ``""`` when there are none."""
    if not cae:
        return ""
    if cae.isdigit():
        return cae
    return "".join(ch for ch in cae if ch.isdigit())


def cae_division(cae: str | None) -> str | None:
    digits = cae_digits(cae)
    return digits[:2] if len(digits) >= 2 else None


def cae_section(cae: str | None, section: str | None = None) -> str | None:
    """The section letter (A-U): from the code's division when it is a real one, else the given
    letter, else None."""
    division = cae_division(cae)
    if division is not None and division in CAE_DIVISIONS:
        return CAE_DIVISIONS[division]
    if section:
        letter = section.strip().upper()[:1]
        return letter if letter.isalpha() else None
    return None


def cae_matches(cae: str | None, section: str | None, item: str) -> bool | None:
    """Whether a company's CAE falls under one clause item; None when its CAE is too coarse (or
    missing) to tell."""
    digits = cae_digits(cae)
    letter = cae_section(cae, section)
    if item.isalpha():
        return None if letter is None else letter == item.upper()
    low, _, high = item.partition("-")
    high = high or low
    if not digits:
        if letter is None:
            return None
        sections = {CAE_DIVISIONS.get(low[:2]), CAE_DIVISIONS.get(high[:2])}
        return None if letter in sections else False
    width = len(low)
    if len(digits) < width:
        # a company known only to its class: inside when the whole class lies in the item
        span_low, span_high = digits.ljust(width, "0"), digits.ljust(width, "9")
        if low <= span_low and span_high <= high:
            return True
        return None if span_low <= high and low <= span_high else False
    return low <= digits[:width] <= high


@lru_cache(maxsize=65536)
def cae_in(cae: str | None, section: str | None, items: tuple[str, ...]) -> tuple[bool | None, str]:
    """(whether the CAE is under any item, the first item it is under); None when unknown."""
    unknown = False
    for item in items:
        found = cae_matches(cae, section, item)
        if found:
            return True, item
        if found is None:
            unknown = True
    return (None if unknown else False), ""


def item_text(item: str) -> str:
    """How a clause item reads: ``"C"`` -> "secção C", ``"10-33"`` -> "CAE 10 a 33"."""
    if item.isalpha():
        return f"secção {item}"
    low, _, high = item.partition("-")
    return f"CAE {low} a {high}" if high else f"CAE {low}"
