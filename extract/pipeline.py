"""Public entry points of extraction: a Document (or a path, or a string) in, Claims out."""

from __future__ import annotations

from pathlib import Path

from junheng.corpus.document import Document
from junheng.extract.record import Claim

EXTRACTOR_VERSION = "0.1.0"


def extract_document(doc: Document) -> list[Claim]:
    """All claims of one loaded document, in text order. Sets ``doc.region`` when unknown."""
    from junheng.extract.engine import Extractor

    return Extractor.default().extract(doc)


def extract_text(text: str, doc_id: str = "text") -> list[Claim]:
    """Claims of a plain string (chrome and metadata detected as for a .txt file)."""
    from junheng.corpus.load import document_from_text

    return extract_document(document_from_text(text, doc_id))


def extract_path(path: str | Path) -> tuple[Document, list[Claim]]:
    """Load one file and extract it. Raises ``DocumentError`` naming the file on bad input."""
    from junheng.corpus.load import load_path

    doc = load_path(Path(path))
    return doc, extract_document(doc)
