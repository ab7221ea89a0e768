"""How good is the embedding linker? Two honest measures on a gold folder (../shared/gold).

1. ``subject``: for every gold claim whose indicator is canonical (eval/canonical_indicators.txt,
   aliases folded), link the gold ``subject`` and ``unit``; per threshold report coverage
   (share linked), accuracy (share of links that are right) and recall (share right overall).
2. ``fallback``: run the rule extractor over the gold documents (seeds/ next to gold/), pair its
   claims with gold claims by span overlap, and count what the fallback would do to the claims
   the rules left as "other": suggestions right, wrong (including any suggestion for a claim
   whose gold indicator is not canonical: the scorer would count it wrong), and the resulting
   indicator accuracy over canonical gold claims, rules alone against rules plus fallback.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from junheng.models.linker import EmbeddingLinker


class GoldError(Exception):
    """A gold folder or file that cannot be used; the message names it."""


@dataclass(slots=True)
class ThresholdRow:
    threshold: float
    n: int
    linked: int
    correct: int

    @property
    def coverage(self) -> float:
        return self.linked / self.n if self.n else 0.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.linked if self.linked else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.n if self.n else 0.0

    def to_dict(self) -> dict:
        return {
            **asdict(self),
            "coverage": round(self.coverage, 4),
            "accuracy": round(self.accuracy, 4),
            "recall": round(self.recall, 4),
        }


@dataclass(slots=True)
class FallbackRow:
    threshold: float
    canonical_pairs: int  # rule claims paired with a canonical gold claim
    rules_correct: int  # of those, the rules' indicator is right
    rules_other: int  # the rules said "other" (the fallback's chance)
    suggested: int  # suggestions over all paired "other" claims
    suggested_right: int
    suggested_wrong: int  # wrong id, or any id where gold is not canonical

    @property
    def combined_correct(self) -> int:
        return self.rules_correct + self.suggested_right

    def to_dict(self) -> dict:
        n = self.canonical_pairs or 1
        return {
            **asdict(self),
            "rules_accuracy": round(self.rules_correct / n, 4),
            "combined_accuracy": round(self.combined_correct / n, 4),
        }


@dataclass(slots=True)
class LinkEvalReport:
    encoder: str
    gold_claims: int
    canonical_claims: int
    top1: float
    top3: float
    subject: list[ThresholdRow] = field(default_factory=list)
    fallback: list[FallbackRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    examples: list[dict] = field(default_factory=list)  # wrong top-1 links, for reading

    def to_dict(self) -> dict:
        return {
            "encoder": self.encoder,
            "gold_claims": self.gold_claims,
            "canonical_claims": self.canonical_claims,
            "top1": round(self.top1, 4),
            "top3": round(self.top3, 4),
            "subject": [r.to_dict() for r in self.subject],
            "fallback": [r.to_dict() for r in self.fallback],
            "errors": self.errors,
            "examples": self.examples,
        }


def load_canonical(path: Path) -> tuple[set[str], dict[str, str]]:
    """Canonical ids and ``alias -> id`` lines of a canonical_indicators.txt."""
    ids: set[str] = set()
    alias: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if "->" in line:
            a, b = (x.strip() for x in line.split("->", 1))
            alias[a] = b
        else:
            ids.add(line)
    return ids, alias


def load_gold(gold_dir: Path, errors: list[str] | None = None) -> dict[str, list[dict]]:
    """Gold rows per document key (file name without .jsonl). Bad lines are reported into
    ``errors`` (file:line: problem) and skipped."""
    if not gold_dir.is_dir():
        raise GoldError(f"{gold_dir}: not a folder of gold .jsonl files")
    out: dict[str, list[dict]] = {}
    for f in sorted(gold_dir.glob("*.jsonl")):
        rows = out.setdefault(f.stem, [])
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                int(row["start"]), int(row["end"])
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                if errors is not None:
                    errors.append(f"{f.name}:{n}: not a gold claim ({type(exc).__name__}: {exc})")
                continue
            rows.append(row)
    if not out:
        raise GoldError(f"{gold_dir}: no .jsonl gold files")
    return out


def _pairs(pred: list, gold: list[dict]) -> list[tuple[object, dict]]:
    """One-to-one pairs of overlapping spans, largest overlap first (as the scorer pairs)."""
    cand = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            ov = min(p.end, g["end"]) - max(p.start, g["start"])
            if ov > 0:
                cand.append((ov, i, j))
    cand.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_p, used_g, out = set(), set(), []
    for _, i, j in cand:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((pred[i], gold[j]))
    return out


def evaluate_linker(
    linker: EmbeddingLinker,
    gold_dir: Path,
    thresholds: list[float],
    canonical_file: Path | None = None,
    seeds_dir: Path | None = None,
    fallback: bool = True,
) -> LinkEvalReport:
    """Both measures (see the module docstring) for ``linker`` on ``gold_dir``."""
    canonical_file = canonical_file or gold_dir.parent / "eval" / "canonical_indicators.txt"
    if not canonical_file.is_file():
        raise GoldError(f"{canonical_file}: canonical indicator list not found")
    ids, alias = load_canonical(canonical_file)
    errors: list[str] = []
    gold = load_gold(gold_dir, errors)

    def canon(ind: str | None) -> str | None:
        ind = alias.get(ind or "", ind)
        return ind if ind in ids else None

    rows = [g for doc in gold.values() for g in doc]
    items = [
        (g.get("subject") or "", g.get("unit") or "other", canon(g.get("indicator"))) for g in rows
    ]
    items = [it for it in items if it[2]]
    ranked = linker.rank_many([(s, u) for s, u, _ in items], k=3)
    top1 = sum(1 for r, it in zip(ranked, items, strict=True) if r and r[0][0] == it[2])
    top3 = sum(1 for r, it in zip(ranked, items, strict=True) if any(x[0] == it[2] for x in r))
    report = LinkEvalReport(
        encoder=linker.encoder.name,
        gold_claims=len(rows),
        canonical_claims=len(items),
        top1=top1 / len(items) if items else 0.0,
        top3=top3 / len(items) if items else 0.0,
        errors=errors,
    )
    for t in thresholds:
        linked = [(r, it) for r, it in zip(ranked, items, strict=True) if r and r[0][1] >= t]
        report.subject.append(
            ThresholdRow(t, len(items), len(linked), sum(1 for r, it in linked if r[0][0] == it[2]))
        )
    report.examples = [
        {
            "subject": it[0],
            "unit": it[1],
            "gold": it[2],
            "linked": r[0][0] if r else None,
            "score": round(r[0][1], 4) if r else None,
        }
        for r, it in zip(ranked, items, strict=True)
        if not r or r[0][0] != it[2]
    ]
    if fallback:
        report.fallback = _fallback_rows(
            linker, gold, canon, thresholds, seeds_dir or gold_dir.parent / "seeds", errors
        )
    return report


def _fallback_rows(
    linker, gold, canon, thresholds, seeds_dir: Path, errors: list[str]
) -> list[FallbackRow]:
    from junheng.corpus.document import DocumentError
    from junheng.corpus.load import load_path
    from junheng.extract.pipeline import extract_document

    pairs = []
    for key, gold_rows in gold.items():
        files = sorted(p for p in seeds_dir.glob(f"{key}.*")) if seeds_dir.is_dir() else []
        if not files:
            errors.append(f"{key}: no document for this gold file in {seeds_dir}")
            continue
        try:
            claims = extract_document(load_path(files[0]))
        except DocumentError as exc:
            errors.append(f"{exc.doc}: {exc.problem}")
            continue
        pairs.extend(_pairs(claims, gold_rows))
    others = [(c, g) for c, g in pairs if c.indicator == "other"]
    ranked = linker.rank_many([(c.subject, c.unit) for c, _ in others], k=1)
    canonical = [(c, g) for c, g in pairs if canon(g.get("indicator"))]
    rules_correct = sum(1 for c, g in canonical if canon(c.indicator) == canon(g["indicator"]))
    rules_other = sum(1 for c, _ in canonical if c.indicator == "other")
    out = []
    for t in thresholds:
        right = wrong = n = 0
        for (_, g), r in zip(others, ranked, strict=True):
            if not r or r[0][1] < t:
                continue
            n += 1
            gid = canon(g.get("indicator"))
            if gid and canon(r[0][0]) == gid:
                right += 1
            else:
                wrong += 1
        out.append(FallbackRow(t, len(canonical), rules_correct, rules_other, n, right, wrong))
    return out


def format_report(rep: LinkEvalReport) -> str:
    """Plain-text tables (markdown-compatible) of a report."""
    lines = [
        f"encoder: {rep.encoder}",
        f"gold claims: {rep.gold_claims}; with a canonical indicator: {rep.canonical_claims}",
        f"top-1 accuracy (no threshold): {rep.top1:.3f}; top-3: {rep.top3:.3f}",
        "",
        "| threshold | coverage | accuracy of links | right overall |",
        "|---|---|---|---|",
    ]
    for r in rep.subject:
        lines.append(
            f"| {r.threshold:.2f} | {r.coverage:.3f} ({r.linked}/{r.n}) | "
            f"{r.accuracy:.3f} ({r.correct}/{r.linked}) | {r.recall:.3f} |"
        )
    if rep.fallback:
        f0 = rep.fallback[0]
        lines += [
            "",
            f"fallback on rule output: {f0.canonical_pairs} rule claims paired with canonical "
            f"gold; rules right on {f0.rules_correct}, 'other' on {f0.rules_other}",
            "| threshold | suggestions | right | wrong "
            "| indicator accuracy, rules -> rules+fallback |",
            "|---|---|---|---|---|",
        ]
        for r in rep.fallback:
            d = r.to_dict()
            lines.append(
                f"| {r.threshold:.2f} | {r.suggested} | {r.suggested_right} | "
                f"{r.suggested_wrong} | {d['rules_accuracy']:.3f} -> "
                f"{d['combined_accuracy']:.3f} |"
            )
    for e in rep.errors:
        lines.append(f"warning: {e}")
    return "\n".join(lines)
