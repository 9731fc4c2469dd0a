"""Measure a matcher against hand-labelled company x call pairs.

A labels file is a CSV with the columns ``nif``, ``aviso_id`` and ``label`` (1/0, yes/no,
true/false, sim/não). A verdict counts as a predicted match when ``match_score >= threshold``;
a labelled pair with no verdict at all counts as predicted *not* a match (a matcher that stays
silent about a pair has not recommended it). Verdicts for pairs that carry no label are ignored
and counted apart.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elinara.errors import BadInput
from elinara.models import Verdict

Pair = tuple[str, str]

_TRUE = frozenset({"1", "yes", "y", "true", "t", "sim", "s"})
_FALSE = frozenset({"0", "no", "n", "false", "f", "nao", "não"})
_COLUMNS = ("nif", "aviso_id", "label")


def read_labels(path: str | Path) -> dict[Pair, bool]:
    """``{(nif, aviso_id): is_match}`` from a labels CSV; ``BadInput`` when the file is unusable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"Labels file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"Labels file {path} cannot be read as UTF-8 text: {exc}.") from None
    rows = csv.reader(text.splitlines())
    header = next(rows, None)
    if header is None:
        raise BadInput(f"Labels file {path} is empty; it needs the columns nif, aviso_id, label.")
    names = [h.strip().casefold() for h in header]
    missing = [c for c in _COLUMNS if c not in names]
    if missing:
        raise BadInput(
            f"Labels file {path} lacks the column(s) {', '.join(missing)}; "
            "it needs nif, aviso_id and label."
        )
    at = {c: names.index(c) for c in _COLUMNS}
    labels: dict[Pair, bool] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [row[at[c]].strip() if at[c] < len(row) else "" for c in _COLUMNS]
        nif, aviso_id, raw = cells
        if not nif or not aviso_id:
            raise BadInput(f"Labels file {path}, line {line}: nif and aviso_id must not be empty.")
        value = raw.casefold()
        if value in _TRUE:
            label = True
        elif value in _FALSE:
            label = False
        else:
            raise BadInput(
                f"Labels file {path}, line {line}: label {raw!r} is not one of "
                "1/0, yes/no, true/false."
            )
        pair = (nif, aviso_id)
        if labels.get(pair, label) != label:
            raise BadInput(
                f"Labels file {path}, line {line}: the pair {nif} x {aviso_id} is labelled twice "
                "with different labels."
            )
        labels[pair] = label
    if not labels:
        raise BadInput(f"Labels file {path} has a header but no labelled pairs.")
    return labels


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass(frozen=True)
class EvalResult:
    threshold: int
    tp: int
    fp: int
    fn: int
    tn: int
    unlabelled: int = 0  # verdicts about pairs the labels do not cover (ignored)
    missing: int = 0  # labelled pairs no verdict was given for (counted as predicted negative)
    false_positives: tuple[Pair, ...] = field(default=(), repr=False)
    false_negatives: tuple[Pair, ...] = field(default=(), repr=False)

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0.0 when nothing was predicted."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0.0 when nothing is labelled a match."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "unlabelled": self.unlabelled,
            "missing": self.missing,
            "false_positives": [list(p) for p in self.false_positives],
            "false_negatives": [list(p) for p in self.false_negatives],
        }


def evaluate(verdicts: list[Verdict], labels: dict[Pair, bool], threshold: int) -> EvalResult:
    """Confusion counts of ``verdicts`` against ``labels`` at ``threshold``.

    When several verdicts cover one pair (e.g. two providers), the highest score counts.
    """
    scores: dict[Pair, int] = {}
    for v in verdicts:
        pair = (v.lead_key, v.aviso_id)
        if pair not in scores or v.match_score > scores[pair]:
            scores[pair] = v.match_score
    tp = fp = fn = tn = missing = 0
    fps: list[Pair] = []
    fns: list[Pair] = []
    for pair in sorted(labels):
        actual = labels[pair]
        score = scores.get(pair)
        if score is None:
            missing += 1
        predicted = score is not None and score >= threshold
        if predicted and actual:
            tp += 1
        elif predicted:
            fp += 1
            fps.append(pair)
        elif actual:
            fn += 1
            fns.append(pair)
        else:
            tn += 1
    unlabelled = sum(1 for pair in scores if pair not in labels)
    return EvalResult(
        threshold=threshold,
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        unlabelled=unlabelled,
        missing=missing,
        false_positives=tuple(fps),
        false_negatives=tuple(fns),
    )


def format_result(result: EvalResult, *, show_errors: int = 0) -> str:
    """A few lines for a terminal; ``show_errors`` lists up to that many misses of each kind."""
    lines = [
        f"threshold {result.threshold}: precision {result.precision:.3f}, "
        f"recall {result.recall:.3f}, F1 {result.f1:.3f}",
        f"tp {result.tp}  fp {result.fp}  fn {result.fn}  tn {result.tn}  "
        f"({result.tp + result.fp + result.fn + result.tn} labelled pairs)",
    ]
    if result.missing:
        lines.append(f"{result.missing} labelled pairs had no verdict (counted as not matched)")
    if result.unlabelled:
        lines.append(f"{result.unlabelled} verdicts had no label (ignored)")
    if show_errors:
        for name, pairs in (
            ("false positives", result.false_positives),
            ("false negatives", result.false_negatives),
        ):
            if pairs:
                shown = ", ".join(f"{n}x{a}" for n, a in pairs[:show_errors])
                more = f" (+{len(pairs) - show_errors} more)" if len(pairs) > show_errors else ""
                lines.append(f"{name}: {shown}{more}")
    return "\n".join(lines)
