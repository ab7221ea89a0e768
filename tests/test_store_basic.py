"""The store: atomic commits, dedup by content, latest extraction wins, compaction, garbage."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from junheng.api.queries import StoreReader
from junheng.corpus.document import Document, DuplicateBody
from junheng.corpus.store import (
    Batch,
    Store,
    StoreError,
    claim_years,
    doc_key_of,
    row_to_document,
    verdict_status,
)
from junheng.extract.record import Claim


def _support():
    import importlib.util
    import sys

    here = Path(__file__).resolve().parent
    if str(here) not in sys.path:
        sys.path.insert(0, str(here))
    return importlib.import_module("test_ingest_support")


def doc(text: str, name: str = "a.txt", **kw) -> Document:
    return Document(doc_id=name, text=text, source=f"/corpus/{name}", **kw)


def claims_of(d: Document, spans: list[tuple[int, int]], **kw) -> list[Claim]:
    return [Claim(doc=d.doc_id, start=s, end=e, surface=d.text[s:e], **kw) for s, e in spans]


def commit_doc(store: Store, d: Document, spans, version="v1", findings=(), **kw) -> str:
    b = Batch()
    key = b.add_document(d)
    b.add_extraction(
        key,
        claims_of(d, spans, **kw),
        list(findings),
        extractor_version=version,
        extracted_at=1,
        region=d.region,
        year=d.year,
    )
    store.commit(b)
    return key


def all_rows(store: Store, table: str) -> list[dict]:
    from junheng.corpus.store import part_files

    rows = []
    for f in part_files(store.root, store.manifest(), table):
        rows.extend(pq.read_table(f).to_pylist())
    return rows


def test_roundtrip_document_claims_findings(tmp_path: Path):
    store = Store(tmp_path / "s")
    d = doc(
        "前言。全县新建学校12所，巩固率99.5%。\n版权所有",
        year=2023,
        region="甲县",
        chrome=[(20, 24)],
        duplicates=[DuplicateBody(5, 9, 0)],
        warnings=["w1"],
    )
    finding = {
        "type": "sum",
        "severity": "error",
        "message": "parts exceed total",
        "claims": [{"start": 9, "end": 12}],
    }
    key = commit_doc(
        store,
        d,
        [(9, 12), (16, 21)],
        findings=[finding],
        unit="school",
        verdict={"status": "meets"},
    )
    assert key == doc_key_of(d.content_hash)
    r = StoreReader(store.root)
    assert r.value("SELECT count(*) FROM documents") == 1
    row = r.rows("SELECT * FROM documents")[0]
    assert (row["doc_id"], row["region"], row["year"], row["n_claims"]) == (
        "a.txt",
        "甲县",
        2023,
        2,
    )
    assert r.document_text(row) == d.text
    back = row_to_document({**row, "text": d.text})
    assert back.chrome == [(20, 24)] and back.duplicates == [DuplicateBody(5, 9, 0)]
    assert back.warnings == ["w1"] and back.content_hash == d.content_hash
    claims = r.rows("SELECT * FROM claims ORDER BY ordinal")
    assert [c["surface"] for c in claims] == ["12所", "99.5%"]
    assert claims[0]["verdict_status"] == "meets" and json.loads(claims[0]["verdict"]) == {
        "status": "meets"
    }
    f = r.rows("SELECT * FROM findings")[0]
    assert f["kind"] == "sum" and json.loads(f["claim_ids"]) == [claims[0]["id"]]


def test_same_content_is_stored_once(tmp_path: Path):
    store = Store(tmp_path / "s")
    commit_doc(store, doc("新建学校3所", "a.txt"), [(4, 6)])
    other = Store(tmp_path / "s")  # another writer that has not seen the first commit
    b = Batch()
    key = b.add_document(doc("新建学校3所", "copy.txt"))
    assert b.add_document(doc("新建学校3所", "again.txt")) is None  # same content, same batch
    b.add_extraction(key, [], [], extractor_version="v1", extracted_at=2)
    result = other.commit(b)
    assert result.dropped == [key] and result.part is None
    assert len(all_rows(store, "documents")) == 1
    assert len(all_rows(store, "extractions")) == 1


def test_latest_extraction_wins_and_stale_versions_are_listed(tmp_path: Path):
    store = Store(tmp_path / "s")
    d = doc("学校12所，教师30人，学生500人")
    key = commit_doc(store, d, [(2, 5)], version="v1")
    assert store.stale_documents("v1") == []
    assert store.stale_documents("v2") == [key]
    b = Batch()
    b.add_extraction(
        key, claims_of(d, [(8, 11), (14, 18)]), [], extractor_version="v2", extracted_at=0
    )  # the commit clock orders it after the first, whatever this says
    store.commit(b)
    assert store.stale_documents("v2") == []
    r = StoreReader(store.root)
    assert [c["surface"] for c in r.rows("SELECT * FROM claims ORDER BY ordinal")] == [
        "30人",
        "500人",
    ]
    assert r.value("SELECT extractor_version FROM documents") == "v2"
    assert r.value("SELECT n_claims FROM documents") == 2
    [loaded] = store.load_documents([key])
    assert loaded.text == d.text and loaded.doc_id == "a.txt"


def test_commit_clock_is_monotonic(tmp_path: Path):
    store = Store(tmp_path / "s")
    for i in range(5):
        commit_doc(store, doc(f"文本{i} 12所", f"{i}.txt"), [(4, 7)])
    times = [r["extracted_at"] for r in all_rows(store, "extractions")]
    assert times == sorted(times) and len(set(times)) == 5
    claim_times = {r["doc_key"]: r["extracted_at"] for r in all_rows(store, "claims")}
    assert set(claim_times.values()) == set(times)


def test_crash_leftovers_are_invisible_and_collected(tmp_path: Path, monkeypatch):
    store = Store(tmp_path / "s")
    commit_doc(store, doc("甲 1所", "a.txt"), [(2, 4)])
    # A writer killed after renaming its part but before replacing the manifest.
    boom = RuntimeError("killed")

    def die(manifest):
        raise boom

    monkeypatch.setattr(store, "_write_manifest", die)
    with pytest.raises(RuntimeError):
        commit_doc(store, doc("乙 2所", "b.txt"), [(2, 4)])
    monkeypatch.undo()
    (store.root / "tmp" / "half-written").mkdir()
    parts_on_disk = {p.name for p in (store.root / "parts").iterdir()}
    assert len(parts_on_disk) == 2  # the orphan is there ...
    r = StoreReader(store.root)
    assert r.value("SELECT count(*) FROM documents") == 1  # ... but nobody reads it
    commit_doc(Store(store.root), doc("丙 3所", "c.txt"), [(2, 4)])
    live = {p["name"] for p in store.manifest()["parts"]}
    assert {p.name for p in (store.root / "parts").iterdir()} == live
    assert list((store.root / "tmp").iterdir()) == []
    assert sorted(r["doc_id"] for r in all_rows(store, "documents")) == ["a.txt", "c.txt"]


def test_compaction_keeps_current_claims_in_order(tmp_path: Path):
    store = Store(tmp_path / "s")
    keys = [
        commit_doc(store, doc(f"第{i}份 {i}1所 {i}2所", f"{i}.txt"), [(4, 7), (8, 11)])
        for i in range(4)
    ]
    d0 = doc("第0份 01所 02所", "0.txt")
    b = Batch()
    b.add_extraction(keys[0], claims_of(d0, [(8, 11)]), [], extractor_version="v2", extracted_at=0)
    store.commit(b)
    r = StoreReader(store.root)
    before = r.rows("SELECT doc_key, surface FROM claims ORDER BY extracted_at, ordinal")
    assert store.compact() is True
    assert len(store.manifest()["parts"]) == 1
    assert len(all_rows(store, "claims")) == 7  # the superseded claims of doc 0 are gone
    assert len(all_rows(store, "extractions")) == 5  # history is kept
    r2 = StoreReader(store.root)
    after = r2.rows("SELECT doc_key, surface FROM claims ORDER BY extracted_at, ordinal")
    assert after == before
    r.refresh()  # an open reader follows the compaction (full reload)
    assert r.rows("SELECT doc_key, surface FROM claims ORDER BY extracted_at, ordinal") == before
    assert store.compact() is False  # one part: nothing to do


def test_reader_follows_commits_and_text_survives_compaction(tmp_path: Path):
    store = Store(tmp_path / "s")
    commit_doc(store, doc("甲 1所", "a.txt"), [(2, 4)])
    r = StoreReader(store.root, refresh_interval=0)
    row = r.rows("SELECT * FROM documents")[0]
    commit_doc(store, doc("乙 2所", "b.txt"), [(2, 4)])
    r.refresh()
    assert r.value("SELECT count(*) FROM documents") == 2
    assert len(r.snapshot().index.alive) == 2
    store.compact()
    assert r.document_text(row) == "甲 1所"  # its part is gone; the reader finds the new one


def test_concurrent_writers_never_double_a_document(tmp_path: Path):
    root = str(tmp_path / "s")
    Store(root)
    ctx = multiprocessing.get_context("spawn")
    support = _support()
    procs = [
        ctx.Process(target=support.race_commit, args=(root, [f"{w}-{i}.txt" for i in range(5)]))
        for w in range(3)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    store = Store(root)
    assert len(all_rows(store, "documents")) == 1
    assert len(all_rows(store, "claims")) == 1


def test_not_a_store(tmp_path: Path):
    with pytest.raises(StoreError, match="not a junheng store"):
        Store(tmp_path / "nothing", create=False)
    with pytest.raises(StoreError, match="not a junheng store"):
        StoreReader(tmp_path)
    (tmp_path / "MANIFEST.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(StoreError, match="unreadable manifest"):
        Store(tmp_path).manifest()


@pytest.mark.parametrize(
    ("time", "doc_year", "expected"),
    [
        (None, 2023, (2023, 2023)),
        ("2022", None, (2022, 2022)),
        ("2016-2021", 2024, (2016, 2021)),
        ("since 2016", 2024, (2016, 2024)),
        ("since 2016", None, (2016, 2016)),
        ("last 3 years", 2024, (2021, 2024)),
        ("last 3 years", None, (None, None)),
        ("next 3 years", 2024, (2024, 2027)),
        ("2021-2025", None, (2021, 2025)),
        ("sometime", 2020, (2020, 2020)),
    ],
)
def test_claim_years(time, doc_year, expected):
    assert claim_years(time, doc_year) == expected


def test_verdict_status():
    assert verdict_status(None) == "unchecked"
    assert verdict_status({"status": "falls_short", "margin": -1}) == "falls_short"
    assert verdict_status({"result": True}) == "pass"
    assert verdict_status({"margin": 3}) == "unknown"
