"""`junheng ingest` end to end with the real loader and extractor."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from junheng.api.cli_store import ingest_cmd
from junheng.api.queries import StoreReader

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("junheng.corpus.load") is None
    or importlib.util.find_spec("junheng.extract.engine") is None,
    reason="the corpus loader or the extraction engine is not written yet",
)

# Our own sentences (not from any real document).
SAMPLE_A = (
    "某县教育局2023年工作总结\n"
    "2023年，全县新建和改扩建中小学12所，新增学位3600个。\n"
    "义务教育巩固率达到99.5%，小学校际差异系数为0.42，初中为0.38。\n"
)
SAMPLE_B = "2022年，本区招聘教师150名，教育经费投入4.5亿元，同比增长8.2%。\n"


def test_cli_ingest_real_documents(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(SAMPLE_A, encoding="utf-8")
    (corpus / "b.txt").write_text(SAMPLE_B, encoding="utf-8")
    (corpus / "same-as-a.txt").write_text(SAMPLE_A, encoding="utf-8")
    (corpus / "empty.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    store = tmp_path / "store"
    runner = CliRunner()
    res = runner.invoke(
        ingest_cmd, [str(corpus), "--store", str(store), "--workers", "1", "--no-progress"]
    )
    assert res.exit_code == 0, res.output
    assert "2 new" in res.output and "1 duplicate content" in res.output
    assert "1 errors" in res.output and "empty.pdf" in res.output  # listed at the end
    reader = StoreReader(store)
    assert reader.value("SELECT count(*) FROM documents") == 2
    surfaces = {r["surface"] for r in reader.rows("SELECT surface FROM claims")}
    assert {"12所", "99.5%", "4.5亿元"} <= surfaces
    res = runner.invoke(
        ingest_cmd, [str(corpus), "--store", str(store), "--workers", "1", "--no-progress"]
    )
    assert res.exit_code == 0 and "0 new, 3 already stored" in res.output, res.output


@pytest.mark.shared
def test_ingest_seed_documents_with_workers(tmp_path: Path):
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} is absent (the shared material is not checked out)")
    from junheng.corpus.ingest import ingest

    report = ingest([seeds], tmp_path / "s", workers=2, progress=False)
    assert (report.n_new, len(report.errors)) == (5, 0), report.errors
    reader = StoreReader(tmp_path / "s")
    n_claims = reader.value("SELECT count(*) FROM claims")
    assert n_claims == report.n_claims > 100
    docs = reader.rows("SELECT doc_id, n_claims, chrome, duplicates FROM documents")
    assert sum(d["n_claims"] for d in docs) == n_claims
    again = ingest([seeds], tmp_path / "s", workers=1, progress=False)
    assert again.n_new == 0 and again.n_skipped == 5
