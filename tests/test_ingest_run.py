"""Ingestion runs with a known extractor: counts, errors with reasons, idempotence,
re-extraction after a version change, a crashing worker."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from junheng.corpus.ingest import ingest
from junheng.corpus.store import Store, part_files

HERE = Path(__file__).resolve().parent


def _support():
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    return importlib.import_module("test_ingest_support")


def rows(store_dir: Path, table: str) -> list[dict]:
    store = Store(store_dir)
    out = []
    for f in part_files(store.root, store.manifest(), table):
        out.extend(pq.read_table(f).to_pylist())
    return out


def run(paths, store_dir, **kw):
    s = _support()
    kw.setdefault("workers", 1)
    return ingest(paths, store_dir, progress=False, loader=s.load, processor=s.process, **kw)


def test_counts_errors_and_idempotence(tmp_path: Path):
    s = _support()
    texts = s.write_corpus(tmp_path / "c", 12, copies=2, broken=1)
    (tmp_path / "c" / "latin1.txt").write_bytes(b"caf\xe9 12")
    report = run([tmp_path / "c", tmp_path / "missing.txt"], tmp_path / "s", batch_size=5)
    assert report.status == "finished"
    assert (report.n_new, report.n_duplicates, report.n_skipped) == (12, 2, 0)
    assert report.n_claims == sum(texts.values())
    problems = {Path(e.path).name: (e.stage, e.problem) for e in report.errors}
    assert problems == {
        "missing.txt": ("load", "no such file or directory"),
        "broken0.txt": ("load", "marked broken"),
        "latin1.txt": ("load", "not UTF-8 text"),
    }
    stored = rows(tmp_path / "s", "errors")
    assert {Path(e["path"]).name for e in stored} == set(problems)
    runs = rows(tmp_path / "s", "runs")
    assert [r["status"] for r in runs] == ["started", "finished"]
    assert runs[-1]["n_new"] == 12 and runs[-1]["n_errors"] == 3

    again = run([tmp_path / "c"], tmp_path / "s")
    assert (again.n_new, again.n_skipped, again.n_claims) == (0, 14, 0)
    assert len(rows(tmp_path / "s", "documents")) == 12
    assert len(rows(tmp_path / "s", "claims")) == sum(texts.values())


def test_reextracts_when_the_extractor_version_changes(tmp_path: Path, monkeypatch):
    from junheng.extract import pipeline

    s = _support()
    texts = s.write_corpus(tmp_path / "c", 5)
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "1.0-test")
    run([tmp_path / "c"], tmp_path / "s")
    same = run([], tmp_path / "s")
    assert same.n_reextracted == 0
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "2.0-test")
    report = run([], tmp_path / "s")  # no paths: the stored texts are re-extracted
    assert report.n_reextracted == 5 and report.n_new == 0
    assert report.n_claims == sum(texts.values())
    from junheng.api.queries import StoreReader

    reader = StoreReader(tmp_path / "s")
    assert reader.value("SELECT count(DISTINCT extractor_version) FROM documents") == 1
    assert reader.value("SELECT min(extractor_version) FROM documents") == "2.0-test"
    assert reader.value("SELECT count(*) FROM claims") == sum(texts.values())
    assert Store(tmp_path / "s").stale_documents("2.0-test") == []
    none = run([], tmp_path / "s", reextract=False)
    assert none.n_reextracted == 0


def test_a_crashing_worker_fails_only_its_documents(tmp_path: Path):
    s = _support()
    texts = s.write_corpus(tmp_path / "c", 10)
    (tmp_path / "c" / "zz_crash.txt").write_text("CRASH 3所", encoding="utf-8")
    report = run([tmp_path / "c"], tmp_path / "s", workers=2)
    crashed = [e for e in report.errors if e.stage == "worker"]
    assert any(Path(e.path).name == "zz_crash.txt" for e in crashed)
    assert report.n_new == 10 - (len(crashed) - 1)  # in-flight neighbours may go down with it
    second = run([tmp_path / "c"], tmp_path / "s", workers=2)
    assert [Path(e.path).name for e in second.errors] == ["zz_crash.txt"]
    assert len(rows(tmp_path / "s", "documents")) == len(texts)


def test_process_document_records_failing_steps(monkeypatch):
    from junheng.corpus import ingest as ingest_mod
    from junheng.corpus.document import Document
    from junheng.extract.record import Claim

    doc = Document(doc_id="t.txt", text="新建学校12所")
    monkeypatch.setattr(
        "junheng.extract.pipeline.extract_document",
        lambda d: [Claim(doc="t.txt", start=4, end=7, surface="12所")],
    )

    def broken(*a, **k):
        raise ValueError("bad threshold table")

    monkeypatch.setattr("junheng.indicators.verdicts.apply_verdicts", broken)
    monkeypatch.setattr("junheng.indicators.consistency.check_document", broken)
    out = ingest_mod.process_document(doc)
    assert [c.surface for c in out.claims] == ["12所"]
    assert out.problems == [
        ("verdicts", "ValueError: bad threshold table"),
        ("checks", "ValueError: bad threshold table"),
    ]
    assert not out.verdicts and not out.checks


@pytest.mark.parametrize("workers", [1, 2])
def test_empty_run_commits_a_run_record(tmp_path: Path, workers: int):
    report = run([], tmp_path / "s", workers=workers)
    assert report.status == "finished" and report.n_files == 0
    assert [r["status"] for r in rows(tmp_path / "s", "runs")] == ["started", "finished"]
