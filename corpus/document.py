"""The document model shared by loading, extraction, the store and the API.

``text`` is the original text: for ``.txt`` the decoded file, for other formats the loader's
plain text. Every offset in junheng (claims, chrome spans, duplicate bodies) points into it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(slots=True)
class DuplicateBody:
    """``text[start:end]`` repeats ``text[first_start:first_start + (end - start)]``."""

    start: int
    end: int
    first_start: int


@dataclass(slots=True)
class Document:
    doc_id: str  # the file name (or an id given by the caller)
    text: str  # original text; all offsets point here
    source: str | None = None  # path or URL it came from
    format: str = "txt"  # txt | html | pdf | docx
    encoding: str | None = None  # detected encoding of the raw bytes
    title: str | None = None
    date: str | None = None  # ISO date (YYYY-MM-DD, or YYYY-MM / YYYY) when found
    year: int | None = None  # the year 目前/今年/全年 refer to
    region: str | None = None  # the document's region (set by extraction when unknown)
    chrome: list[tuple[int, int]] = field(default_factory=list)  # page-chrome spans
    duplicates: list[DuplicateBody] = field(default_factory=list)  # repeated bodies
    warnings: list[str] = field(default_factory=list)
    # for a page: the decoded file as Python reads it (the markup) and, for each character of
    # ``text``, its offset there (-1 where the loader made it); exports ground claims in both
    source_text: str | None = None
    source_offsets: list[int] | None = None

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class DocumentError(Exception):
    """A document that cannot be read; the message names the document and the problem."""

    def __init__(self, doc: str, problem: str):
        super().__init__(f"{doc}: {problem}")
        self.doc = doc
        self.problem = problem
