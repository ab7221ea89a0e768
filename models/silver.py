"""Training material for the tagger: documents with the rule extractor's claim spans (silver
labels), a deterministic train/held-out split, and gold spans from a gold folder."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from junheng.extract.record import Claim


@dataclass(slots=True)
class SilverDoc:
    """A document's text and the rule extractor's claims over it."""

    doc_id: str
    text: str
    claims: list[Claim] = field(default_factory=list)
    chrome: list[tuple[int, int]] = field(default_factory=list)  # page chrome: never claims

    @property
    def spans(self) -> list[tuple[int, int]]:
        return sorted({(c.start, c.end) for c in self.claims})

    @property
    def key(self) -> str:
        """The document name without extension: how gold files are named."""
        return Path(self.doc_id).stem


def load_corpus(
    paths: Iterable[str | Path], errors: list[str] | None = None, with_claims: bool = True
) -> list[SilverDoc]:
    """Every readable document under ``paths`` with its rule claims. A document that cannot be
    read or extracted goes to ``errors`` as ``name: problem``; the rest go on."""
    from junheng.corpus.document import DocumentError
    from junheng.corpus.load import iter_paths, load_path
    from junheng.extract.pipeline import extract_document

    out = []
    for path in iter_paths([Path(p) for p in paths]):
        try:
            doc = load_path(path)
            claims = extract_document(doc) if with_claims else []
        except DocumentError as exc:
            if errors is not None:
                errors.append(f"{exc.doc}: {exc.problem}")
            continue
        except Exception as exc:  # one bad document must not stop a corpus
            if errors is not None:
                errors.append(f"{path}: internal error: {type(exc).__name__}: {exc}")
            continue
        out.append(SilverDoc(doc.doc_id, doc.text, claims, list(doc.chrome)))
    return out


def split_docs(
    docs: list[SilverDoc], holdout: float, seed: int = 13
) -> tuple[list[SilverDoc], list[SilverDoc]]:
    """(train, held out): documents ordered by a hash of seed and name, the last ``holdout``
    share held out (at least one when there are two or more documents and holdout > 0)."""
    if not 0.0 <= holdout < 1.0:
        raise ValueError(f"holdout must be in [0, 1) (got {holdout})")
    order = sorted(docs, key=lambda d: hashlib.sha1(f"{seed}:{d.doc_id}".encode()).hexdigest())
    n_held = round(len(order) * holdout)
    if holdout > 0 and n_held == 0 and len(order) >= 2:
        n_held = 1
    cut = len(order) - n_held
    return order[:cut], order[cut:]


def gold_spans(gold_dir: Path, errors: list[str] | None = None) -> dict[str, list[tuple[int, int]]]:
    """Gold claim spans per document key (gold file name without .jsonl). Bad lines are
    reported as ``file:line: problem`` and skipped."""
    out: dict[str, list[tuple[int, int]]] = {}
    for f in sorted(Path(gold_dir).glob("*.jsonl")):
        spans = out.setdefault(f.stem, [])
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                spans.append((int(row["start"]), int(row["end"])))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                if errors is not None:
                    errors.append(f"{f.name}:{n}: no usable start/end ({type(exc).__name__})")
    return {k: sorted(set(v)) for k, v in out.items()}
