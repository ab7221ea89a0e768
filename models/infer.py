"""Running a trained tagger over documents: a second opinion next to the rule extractor.

``compare`` lists where the two disagree, for a reviewer: numbers the tagger marks that no rule
claim covers (the rules may have dropped a claim) and rule claims the tagger does not mark (the
rules may have kept a non-claim), plus spans both found with different boundaries.
``evaluate_tagger`` gives span P/R/F1 of the tagger against the rule output and, for documents
with a gold file, against gold (with the rules' own figure beside it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from junheng.models.silver import SilverDoc
from junheng.models.spans import Span, SpanScore, overlap_pairs, score_spans
from junheng.models.tagger import ClaimTagger

CONTEXT = 20  # characters either side in a disagreement row


@dataclass(slots=True)
class Disagreement:
    """One place where tagger and rules differ. ``kind``: ``tagger_only`` (the rules may have
    dropped a claim), ``rules_only`` (the rules may have kept a non-claim), ``boundary``."""

    doc: str
    kind: str
    start: int
    end: int
    surface: str
    context: str
    tagger_span: tuple[int, int] | None = None
    rule_span: tuple[int, int] | None = None
    tagger_score: float | None = None
    rule_claim_id: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _context(text: str, start: int, end: int) -> str:
    a, b = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    return f"{text[a:start]}[{text[start:end]}]{text[end:b]}".replace("\n", " ")


def compare(doc: SilverDoc, spans: Sequence[Span]) -> list[Disagreement]:
    """Disagreements between the tagger's ``spans`` and the rule claims of ``doc``."""
    rules = sorted({(c.start, c.end): c for c in doc.claims}.items())
    r_spans = [k for k, _ in rules]
    t_spans = [(s.start, s.end) for s in spans]
    pairs = overlap_pairs(t_spans, r_spans)
    paired_t = {i for i, _ in pairs}
    paired_r = {j for _, j in pairs}
    out = []
    text = doc.text
    for i, s in enumerate(spans):
        if i not in paired_t:
            out.append(
                Disagreement(
                    doc.doc_id,
                    "tagger_only",
                    s.start,
                    s.end,
                    s.surface,
                    _context(text, s.start, s.end),
                    (s.start, s.end),
                    None,
                    s.score,
                )
            )
    for j, ((a, b), c) in enumerate(rules):
        if j not in paired_r:
            out.append(
                Disagreement(
                    doc.doc_id,
                    "rules_only",
                    a,
                    b,
                    text[a:b],
                    _context(text, a, b),
                    None,
                    (a, b),
                    None,
                    c.id,
                )
            )
    for i, j in pairs:
        if t_spans[i] != r_spans[j]:
            a = min(t_spans[i][0], r_spans[j][0])
            b = max(t_spans[i][1], r_spans[j][1])
            out.append(
                Disagreement(
                    doc.doc_id,
                    "boundary",
                    a,
                    b,
                    text[a:b],
                    _context(text, a, b),
                    t_spans[i],
                    r_spans[j],
                    spans[i].score,
                    rules[j][1].id,
                )
            )
    out.sort(key=lambda d: (d.start, d.end, d.kind))
    return out


@dataclass(slots=True)
class TaggerEval:
    docs: int = 0
    vs_rules: SpanScore = field(default_factory=SpanScore)
    gold_docs: int = 0
    vs_gold: SpanScore = field(default_factory=SpanScore)
    rules_vs_gold: SpanScore = field(default_factory=SpanScore)
    chars: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict:
        d = {
            "docs": self.docs,
            "chars": self.chars,
            "seconds": round(self.seconds, 2),
            "vs_rules": self.vs_rules.to_dict(),
        }
        if self.gold_docs:
            d.update(
                gold_docs=self.gold_docs,
                vs_gold=self.vs_gold.to_dict(),
                rules_vs_gold=self.rules_vs_gold.to_dict(),
            )
        return d


def tag_docs(tagger: ClaimTagger, docs: Sequence[SilverDoc], chunk: int = 16) -> list[list[Span]]:
    """Tagger spans per document, none inside page chrome (CLAIMS.md: chrome numbers are not
    claims; the loader finds it); documents go through the model ``chunk`` at a time."""
    out: list[list[Span]] = []
    for i in range(0, len(docs), chunk):
        part = docs[i : i + chunk]
        for d, spans in zip(
            part, tagger.tag([d.text for d in part], [d.doc_id for d in part]), strict=True
        ):
            out.append(
                [s for s in spans if not any(a < s.end and s.start < b for a, b in d.chrome)]
            )
    return out


def evaluate_tagger(
    tagger: ClaimTagger,
    docs: Sequence[SilverDoc],
    gold: dict[str, list[tuple[int, int]]] | None = None,
) -> TaggerEval:
    """Span scores of the tagger against the rule claims of ``docs`` and, for the documents
    that have one, against gold."""
    import time

    t0 = time.perf_counter()
    predicted = tag_docs(tagger, docs)
    ev = TaggerEval(docs=len(docs), chars=sum(len(d.text) for d in docs))
    ev.seconds = time.perf_counter() - t0
    for d, spans in zip(docs, predicted, strict=True):
        pred = [(s.start, s.end) for s in spans]
        ev.vs_rules.add(score_spans(pred, d.spans))
        if gold and d.key in gold:
            ev.gold_docs += 1
            ev.vs_gold.add(score_spans(pred, gold[d.key]))
            ev.rules_vs_gold.add(score_spans(d.spans, gold[d.key]))
    return ev


def format_eval(ev: TaggerEval) -> str:
    """A small markdown table of an evaluation."""
    rows = [("tagger vs rules", ev.vs_rules, ev.docs)]
    if ev.gold_docs:
        rows += [
            ("tagger vs gold", ev.vs_gold, ev.gold_docs),
            ("rules vs gold", ev.rules_vs_gold, ev.gold_docs),
        ]
    lines = [
        "| comparison | docs | pred | ref | exact P / R / F1 | overlap P / R / F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, sc, n in rows:
        d = sc.to_dict()
        ex, ov = d["exact"], d["overlap"]
        lines.append(
            f"| {name} | {n} | {sc.pred} | {sc.ref} | "
            f"{ex['precision']:.3f} / {ex['recall']:.3f} / {ex['f1']:.3f} | "
            f"{ov['precision']:.3f} / {ov['recall']:.3f} / {ov['f1']:.3f} |"
        )
    cps = ev.chars / ev.seconds if ev.seconds else 0.0
    lines.append(f"tagged {ev.chars} characters in {ev.seconds:.2f} s ({cps:,.0f} chars/s)")
    return "\n".join(lines)
