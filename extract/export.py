"""Writers for claim records: JSON Lines (the CLAIMS.md record), CSV, and a readable table."""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections.abc import Iterable
from typing import IO, Any

from junheng.corpus.document import Document
from junheng.corpus.source_map import source_span
from junheng.extract.record import CLAIM_FIELDS, Claim

CSV_FIELDS = (
    [f for f in CLAIM_FIELDS if f != "verdict"]
    + ["verdict_status", "verdict_threshold"]
    + ["text_start", "text_end"]
)
TABLE_COLUMNS = (
    ("doc", 14),
    ("surface", 12),
    ("value", 12),
    ("unit", 8),
    ("qual", 6),
    ("kind", 11),
    ("time", 12),
    ("region", 8),
    ("level", 10),
    ("area", 5),
    ("indicator", 30),
    ("subject", 24),
)


def grounded(c: Claim, doc: Document | None = None) -> dict[str, Any]:
    """The record of ``c`` as CLAIMS.md grounds it: offsets in the original file as Python
    reads it. For a page that is the markup: ``start``/``end``/``surface`` (and the sentence's
    offsets) move there, and ``text_start``/``text_end`` keep the claim's place in the
    loader's plain text (the document text of the store and the API). Other documents'
    records are the claim's own."""
    d = c.to_dict()
    if doc is None or doc.source_offsets is None or doc.source_text is None:
        return d
    span = source_span(doc.source_text, doc.source_offsets, c.start, c.end)
    if span is None:
        return d  # nothing of it is in the markup's visible text: leave the text's offsets
    d["text_start"], d["text_end"] = c.start, c.end
    d["start"], d["end"] = span
    d["surface"] = doc.source_text[span[0] : span[1]]
    if c.sentence_start is not None and c.sentence_end is not None:
        sent = source_span(doc.source_text, doc.source_offsets, c.sentence_start, c.sentence_end)
        d["sentence_start"], d["sentence_end"] = sent if sent else (None, None)
    return d


def write_jsonl(claims: Iterable[Claim], fh: IO[str], doc: Document | None = None) -> int:
    n = 0
    for c in claims:
        fh.write(json.dumps(grounded(c, doc), ensure_ascii=False) + "\n")
        n += 1
    return n


class CsvWriter:
    def __init__(self, fh: IO[str]):
        self.w = csv.DictWriter(fh, fieldnames=CSV_FIELDS, extrasaction="ignore")
        self.w.writeheader()

    def write(self, claims: Iterable[Claim], doc: Document | None = None) -> int:
        n = 0
        for c in claims:
            d = grounded(c, doc)
            v = d.pop("verdict") or {}
            d["verdict_status"] = v.get("status")
            d["verdict_threshold"] = v.get("threshold")
            self.w.writerow(d)
            n += 1
        return n


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _fit(s: str, width: int) -> str:
    out, w = "", 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if w + cw > width:
            return out[: max(0, len(out) - 1)] + "…" + " " * (width - w)
        out += ch
        w += cw
    return out + " " * (width - w)


def _cell(c: Claim, name: str) -> str:
    if name == "qual":
        return c.qualifier
    if name == "value":
        if c.value is None:
            return f"{c.value_low:g}–{c.value_high:g}" if c.value_low is not None else ""
        return f"{c.value:g}"
    if name == "doc":
        return c.doc
    v = getattr(c, name)
    return "" if v is None else str(v)


def write_table(claims: Iterable[Claim], fh: IO[str] | None = None, header: bool = True) -> int:
    fh = fh or sys.stdout
    if header:
        fh.write(" ".join(_fit(name, w) for name, w in TABLE_COLUMNS).rstrip() + "\n")
    n = 0
    for c in claims:
        row = " ".join(_fit(_cell(c, name), w) for name, w in TABLE_COLUMNS)
        mark = "  (dup)" if c.duplicate_of else ""
        fh.write(row.rstrip() + mark + "\n")
        n += 1
    return n
