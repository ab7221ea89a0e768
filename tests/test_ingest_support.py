"""Helpers for the store/ingest tests (no tests here): a tiny loader and extractor whose output
is known exactly, importable by spawned worker processes.

The fake extractor finds ``<digits>所`` and ``<digits>%``; a text containing ``CRASH`` kills the
worker process, one containing ``BROKEN`` is refused by the loader, and ``JUNHENG_TEST_SLOW``
(seconds) slows each document down so a test can kill an ingestion mid-way.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from junheng.corpus.document import Document, DocumentError
from junheng.corpus.ingest import ProcessedDocument
from junheng.corpus.store import now_ns
from junheng.extract.record import Claim

NUMBER = re.compile(r"(\d+)(所|%)")


def load(path: Path) -> Document:
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DocumentError(Path(path).name, "not UTF-8 text") from None
    if "BROKEN" in text:
        raise DocumentError(Path(path).name, "marked broken")
    return Document(doc_id=Path(path).name, text=text, source=str(path), year=2023, region="甲市")


def load_bytes(data: bytes, name: str) -> Document:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DocumentError(name, "not UTF-8 text") from None
    return Document(doc_id=name, text=text, year=2024, region="乙县")


def expected_claims(text: str) -> int:
    return len(NUMBER.findall(text))


def process(doc: Document) -> ProcessedDocument:
    from junheng.extract import pipeline

    if "CRASH" in doc.text:
        os._exit(3)  # a worker dying hard, as on an out-of-memory kill
    if slow := float(os.environ.get("JUNHENG_TEST_SLOW", "0")):
        time.sleep(slow)
    claims = []
    for i, m in enumerate(NUMBER.finditer(doc.text)):
        unit = "school" if m.group(2) == "所" else "percent"
        claims.append(
            Claim(
                doc=doc.doc_id,
                start=m.start(),
                end=m.end(),
                surface=m.group(),
                value=float(m.group(1)),
                unit=unit,
                indicator="school_count" if unit == "school" else "retention_rate",
                region=doc.region,
                time=str(doc.year),
                doc_year=doc.year,
                verdict={"status": "meets" if i % 2 else "falls_short"}
                if unit == "percent"
                else None,
            )
        )
    return ProcessedDocument(doc, claims, [], pipeline.EXTRACTOR_VERSION, now_ns())


def write_corpus(folder: Path, n: int, *, copies: int = 0, broken: int = 0) -> dict[str, int]:
    """n distinct documents (+ copies of the first ones, + broken files); returns the expected
    claim count per distinct text."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = {}
    for i in range(n):
        text = f"第{i}号报告：全县新建学校{i % 7 + 1}所，巩固率{90 + i % 10}%，另有{i}所在建。\n"
        (folder / f"doc{i:04d}.txt").write_text(text, encoding="utf-8")
        texts[text] = expected_claims(text)
    for i in range(copies):
        src = (folder / f"doc{i:04d}.txt").read_text(encoding="utf-8")
        (folder / f"copy{i:04d}.txt").write_text(src, encoding="utf-8")
    for i in range(broken):
        (folder / f"broken{i}.txt").write_text("BROKEN 12所", encoding="utf-8")
    return texts


def race_commit(root: str, names: list[str]) -> None:
    """Commit the same content under several names (run by several processes at once)."""
    from junheng.corpus.store import Batch, Store

    store = Store(root)
    for name in names:
        d = Document(doc_id=name, text="同一内容 5所", source=name)
        b = Batch()
        key = b.add_document(d)
        claim = Claim(doc=name, start=5, end=7, surface="5所")
        b.add_extraction(key, [claim], [], extractor_version="v1", extracted_at=1)
        store.commit(b)
