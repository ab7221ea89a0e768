"""Claim spans as character BIO tags, windows over long texts, and span P/R/F1.

Pure Python: the tagger, training and evaluation share it, and it is tested without torch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

O, B, I = 0, 1, 2  # noqa: E741 - the BIO tag ids, in the order of models/data/tagger.yaml


@dataclass(slots=True)
class Span:
    """A claim span ``text[start:end] == surface`` of document ``doc``."""

    doc: str
    start: int
    end: int
    surface: str
    score: float | None = None  # the tagger's mean claim probability over the span

    def to_dict(self) -> dict:
        return asdict(self)


def bio_tags(length: int, spans: Iterable[tuple[int, int]]) -> list[int]:
    """Tag ids for ``length`` characters; later spans never overwrite earlier ones' B."""
    tags = [O] * length
    for start, end in sorted(spans):
        start, end = max(0, start), min(length, end)
        if start >= end or tags[start] != O:
            continue
        tags[start] = B
        for i in range(start + 1, end):
            if tags[i] != O:
                break
            tags[i] = I
    return tags


def decode_tags(tags: Sequence[int]) -> list[tuple[int, int]]:
    """Spans of a tag sequence. A B starts a span; an I continues one (or starts one after O)."""
    out: list[tuple[int, int]] = []
    start = None
    for i, t in enumerate(tags):
        if t == B or (t == I and start is None):
            if start is not None:
                out.append((start, i))
            start = i
        elif t == O and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(tags)))
    return out


def decode_runs(
    claim_prob: Sequence[float], numbers: Sequence[tuple[int, int]] = (), threshold: float = 0.5
) -> list[tuple[int, int]]:
    """Spans as maximal runs of characters whose claim probability reaches ``threshold``, after
    averaging the probability over each ``numbers`` span (a number is in or out as a whole)."""
    prob = [float(x) for x in claim_prob]
    for s, e in numbers:
        if e > s:
            mean = sum(prob[s:e]) / (e - s)
            prob[s:e] = [mean] * (e - s)
    return decode_tags([I if x >= threshold else O for x in prob])


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def windows(length: int, size: int, stride: int) -> list[tuple[int, int]]:
    """(start, end) windows of at most ``size`` covering ``range(length)``, ``stride`` apart;
    the last one ends at ``length``. An empty text has no window."""
    if size <= 0 or stride <= 0:
        raise ValueError(f"window size and stride must be positive (got {size}, {stride})")
    if length <= 0:
        return []
    if length <= size:
        return [(0, length)]
    out = []
    start = 0
    while True:
        end = min(start + size, length)
        out.append((start, end))
        if end == length:
            return out
        start = min(start + stride, length - size)


@dataclass(slots=True)
class SpanScore:
    """Counts of predicted against reference spans, exact and by overlap (one-to-one)."""

    pred: int = 0
    ref: int = 0
    exact: int = 0
    overlap: int = 0

    def add(self, other: SpanScore) -> None:
        self.pred += other.pred
        self.ref += other.ref
        self.exact += other.exact
        self.overlap += other.overlap

    @staticmethod
    def _prf(tp: int, pred: int, ref: int) -> dict[str, float]:
        p = tp / pred if pred else 0.0
        r = tp / ref if ref else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

    def to_dict(self) -> dict:
        return {
            "pred": self.pred,
            "ref": self.ref,
            "exact": self._prf(self.exact, self.pred, self.ref),
            "overlap": self._prf(self.overlap, self.pred, self.ref),
        }


def overlap_pairs(
    a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """One-to-one (i, j) pairs of overlapping spans of ``a`` and ``b``, largest overlap first
    (how ../shared/eval/score_claims.py pairs claims)."""
    cand = []
    sb = sorted(range(len(b)), key=lambda j: b[j])
    for i, (s, e) in enumerate(a):
        for j in sb:
            bs, be = b[j]
            if bs >= e:
                break
            ov = min(e, be) - max(s, bs)
            if ov > 0:
                cand.append((ov, i, j))
    cand.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for _, i, j in cand:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j))
    return out


def score_spans(pred: Sequence[tuple[int, int]], ref: Sequence[tuple[int, int]]) -> SpanScore:
    """Exact matches (same start and end) and one-to-one overlap matches."""
    exact = len(set(pred) & set(ref))
    return SpanScore(len(pred), len(ref), exact, len(overlap_pairs(pred, ref)))
