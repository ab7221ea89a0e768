"""An in-memory index of the current claims for filtered listing in well under a millisecond.

GET /claims is the API's hot path: on a store of a million claims a SQL scan per request costs
10-20 ms, which 32 concurrent clients turn into seconds of queueing on two cores. Here the
claims live in Arrow batches in commit order, each as its finished JSON record (built by DuckDB's
to_json at refresh time, so a request serialises nothing); filter columns are integer codes in
numpy arrays with posting lists. A query starts from the shortest posting list, masks the
candidates with the other filters, and takes one page of JSON texts.

Snapshots are immutable: ``append`` returns a new index sharing the old Arrow chunks, so queries
on the event loop never see a half-applied refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

STORED = ("json", "subject", "surface")
CODED = ("doc_key", "region", "indicator", "level", "kind", "verdict_status")
POSTED = CODED
NO_HI = np.iinfo(np.int16).min  # a missing year never passes year_from / year_to
NO_LO = np.iinfo(np.int16).max
EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class ClaimIndex:
    batches: tuple[pa.RecordBatch, ...]  # current claims, commit order
    starts: np.ndarray  # first row number of each batch
    alive: np.ndarray  # False for rows of a superseded extraction
    codes: dict[str, np.ndarray]  # column -> int32 code per row (-1: null)
    vocab: dict[str, dict[Any, int]]  # column -> value -> code
    postings: dict[str, dict[int, np.ndarray]]  # column -> code -> sorted row numbers
    year_lo: np.ndarray
    year_hi: np.ndarray

    @property
    def n_rows(self) -> int:
        return len(self.alive)

    @classmethod
    def empty(cls) -> ClaimIndex:
        return cls(
            (),
            np.zeros(0, np.int64),
            np.zeros(0, bool),
            {c: np.zeros(0, np.int32) for c in CODED},
            {c: {} for c in CODED},
            {c: {} for c in POSTED},
            np.zeros(0, np.int16),
            np.zeros(0, np.int16),
        )

    def append(self, rows: pa.Table, superseded: set[str] | None = None) -> ClaimIndex:
        """A new index with ``rows`` added at the end and the rows of ``superseded``
        documents (re-extracted ones) marked dead."""
        import pyarrow as pa

        alive = self.alive
        if superseded:
            alive = alive.copy()
            for key in superseded:
                code = self.vocab["doc_key"].get(key)
                if code is not None:
                    alive[self.postings["doc_key"].get(code, EMPTY)] = False
        if rows.num_rows == 0:
            return ClaimIndex(
                self.batches,
                self.starts,
                alive,
                self.codes,
                self.vocab,
                self.postings,
                self.year_lo,
                self.year_hi,
            )
        base = self.n_rows
        # One batch per refresh; take() on a chunked table would concatenate every chunk.
        # Stored: each record as JSON, and the text ``q`` searches; filters live in numpy.
        stored = rows.select(list(STORED)).combine_chunks()
        batches = (*self.batches, *stored.to_batches(max_chunksize=1 << 30))
        if len(batches) > 64:
            batches = tuple(
                pa.Table.from_batches(batches).combine_chunks().to_batches(max_chunksize=1 << 30)
            )
        starts = np.cumsum([0] + [b.num_rows for b in batches[:-1]]).astype(np.int64)
        codes, vocab, postings = dict(self.codes), dict(self.vocab), dict(self.postings)
        for col in CODED:
            vocab[col] = dict(self.vocab[col])
            new = _encode(rows.column(col), vocab[col])
            dtype = _code_dtype(len(vocab[col]))  # small codes: cheaper gathers
            codes[col] = np.concatenate(
                [self.codes[col].astype(dtype, copy=False), new.astype(dtype)]
            )
            if col in POSTED:
                postings[col] = _extend_postings(self.postings[col], new, base)
        lo, hi = _years(rows)
        return ClaimIndex(
            batches,
            starts,
            np.concatenate([alive, np.ones(rows.num_rows, bool)]),
            codes,
            vocab,
            postings,
            np.concatenate([self.year_lo, lo]),
            np.concatenate([self.year_hi, hi]),
        )

    # -- queries

    def select(
        self,
        eq: dict[str, Any],
        year_from: int | None = None,
        year_to: int | None = None,
        q: str | None = None,
    ) -> np.ndarray:
        """Row numbers (ascending, i.e. commit order) of the live claims matching every filter.

        ``eq`` maps a coded column to the value it must equal; ``q`` is a substring of the
        subject or the surface.
        """
        wanted = {}
        for col, value in eq.items():
            if value is None:
                continue
            code = self.vocab[col].get(value)
            if code is None:
                return EMPTY
            wanted[col] = code
        cands: np.ndarray | None = None
        if wanted:  # start from the shortest posting list, check the rest on its rows
            lists = {c: self.postings[c].get(code, EMPTY) for c, code in wanted.items()}
            first = min(lists, key=lambda c: len(lists[c]))
            cands = lists[first]
            del wanted[first]
            mask = self.alive[cands]
            for col, code in wanted.items():
                mask &= self.codes[col][cands] == code
            if year_from is not None:
                mask &= self.year_hi[cands] >= year_from
            if year_to is not None:
                mask &= self.year_lo[cands] <= year_to
            cands = cands[mask]
        else:
            mask = self.alive.copy()
            if year_from is not None:
                mask &= self.year_hi >= year_from
            if year_to is not None:
                mask &= self.year_lo <= year_to
            cands = np.flatnonzero(mask)
        if q and len(cands):
            import pyarrow.compute as pc

            hits = []
            for batch, local in self._split(cands):
                sub = batch.select(["subject", "surface"]).take(local)
                hit = pc.or_(
                    pc.fill_null(pc.match_substring(sub.column(0), q), False),
                    pc.fill_null(pc.match_substring(sub.column(1), q), False),
                )
                hits.append(np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool))
            cands = cands[np.concatenate(hits)]
        return cands

    def _split(self, ids: np.ndarray):
        """(batch, local row numbers) for ascending global row numbers, in order."""
        which = np.searchsorted(self.starts, ids, side="right") - 1
        bounds = np.flatnonzero(np.diff(which)) + 1
        for chunk in np.split(np.arange(len(ids)), bounds):
            if len(chunk):
                b = int(which[chunk[0]])
                yield self.batches[b], _arrow_indices(ids[chunk] - self.starts[b])

    def json(self, ids: np.ndarray) -> list[str]:
        """The records of these rows, as JSON texts."""
        out: list[str] = []
        for batch, local in self._split(ids):
            out.extend(batch.column(0).take(local).to_pylist())
        return out


def _arrow_indices(ids: np.ndarray) -> Any:
    import pyarrow as pa

    return pa.array(ids.astype(np.int64, copy=False))


def _encode(column: Any, vocab: dict[Any, int]) -> np.ndarray:
    """Integer codes of a column's values, growing ``vocab`` with new values (-1 for null)."""
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(column).combine_chunks()
    local = enc.dictionary.to_pylist()
    remap = np.array([vocab.setdefault(v, len(vocab)) for v in local] + [-1], dtype=np.int32)
    idx = enc.indices.to_numpy(zero_copy_only=False)
    idx = (
        np.where(np.isnan(idx), len(local), idx).astype(np.int64)
        if idx.dtype.kind == "f"
        else idx.astype(np.int64)
    )
    return remap[idx]


def _code_dtype(n_values: int) -> type:
    for dtype in (np.int8, np.int16, np.int32):
        if n_values < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _extend_postings(
    old: dict[int, np.ndarray], codes: np.ndarray, base: int
) -> dict[int, np.ndarray]:
    out = dict(old)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    bounds = np.flatnonzero(np.diff(sorted_codes)) + 1
    for chunk in np.split(order, bounds):
        if not len(chunk):
            continue
        code = int(codes[chunk[0]])
        if code < 0:
            continue
        ids = chunk.astype(np.int64) + base
        prev = out.get(code)
        out[code] = ids if prev is None else np.concatenate([prev, ids])
    return out


def _years(rows: Any) -> tuple[np.ndarray, np.ndarray]:
    lo = rows.column("year_lo").to_numpy(zero_copy_only=False)
    hi = rows.column("year_hi").to_numpy(zero_copy_only=False)
    lo = np.where(np.isnan(lo.astype(float)), NO_LO, lo.astype(float)).astype(np.int16)
    hi = np.where(np.isnan(hi.astype(float)), NO_HI, hi.astype(float)).astype(np.int16)
    return lo, hi
