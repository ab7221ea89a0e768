"""`junheng extract` and `junheng demo` as a user runs them: folders, bad files, formats."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from click.testing import CliRunner

from junheng.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpus" / "samples"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def test_folder_with_bad_files_goes_on(tmp_path):
    (tmp_path / "good.txt").write_text("全县共有小学38所,初中12所。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    (tmp_path / "scripts.html").write_text(
        "<html><head><script>var a=123456;</script><style>p{width:100px}</style></head>"
        "<body><p>新建学校5所。</p>" + "<script>x=1;</script>" * 500 + "</body></html>",
        encoding="utf-8",
    )
    (tmp_path / "gbk.txt").write_bytes("全县共有初中12所。".encode("gb18030") + b"\xff\xfe\x81")
    out = tmp_path / "out.jsonl"
    res = run("extract", tmp_path, "-o", out)
    assert res.exit_code == 0, res.output
    for name in ("empty.txt", "binary.txt", "broken.pdf", "broken.docx"):
        assert name in res.output, res.output  # each failure names the file
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_doc = {}
    for r in recs:
        by_doc.setdefault(r["doc"], []).append(r["surface"])
    assert by_doc["good.txt"] == ["38所", "12所"]
    assert by_doc["scripts.html"] == ["5所"]  # numbers in scripts and styles are not claims
    assert "12所" in by_doc["gbk.txt"]


def test_nothing_readable_is_an_error_and_writes_nothing(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.jsonl"
    res = run("extract", tmp_path / "empty.txt", "-o", out)
    assert res.exit_code != 0
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".junheng-")]


def test_oversized_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # a sparse 200 MB file
        fh.truncate(200 * 1024 * 1024)
    (tmp_path / "ok.txt").write_text("新增学位3000个。", encoding="utf-8")
    res = run("extract", tmp_path, "-o", tmp_path / "o.jsonl")
    assert res.exit_code == 0
    assert "huge.txt" in res.output
    assert "3000个" in (tmp_path / "o.jsonl").read_text(encoding="utf-8")


def test_many_files(tmp_path):
    for i in range(300):
        (tmp_path / f"d{i:04d}.txt").write_text(f"全县新建学校{i + 1}所。", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    res = run("extract", tmp_path, "-o", out, "--no-verdicts")
    assert res.exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 300


def test_csv_and_table_formats(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("截至2023年底,全县共有小学38所,教育经费达到12.5亿元。", encoding="utf-8")
    res = run("extract", src, "-o", tmp_path / "a.csv", "--format", "csv")
    assert res.exit_code == 0
    rows = list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert [r["surface"] for r in rows] == ["38所", "12.5亿元"]
    assert rows[1]["value"] == "1250000000.0"
    res = run("extract", src)
    assert "38所" in res.output and "school_count" in res.output


def test_demo_runs_on_the_bundled_samples(tmp_path):
    assert SAMPLES.is_dir()
    res = run("demo", "--out", tmp_path / "demo")
    assert res.exit_code == 0, res.output
    assert "claims:" in res.output
    lines = (tmp_path / "demo" / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 50
    docs = {json.loads(line)["doc"] for line in lines}
    assert len(docs) >= 5


def test_samples_are_grounded():
    from junheng.corpus.load import iter_paths, load_path
    from junheng.extract.pipeline import extract_document

    n = 0
    for p in iter_paths([SAMPLES]):
        doc = load_path(p)
        for c in extract_document(doc):
            assert doc.text[c.start : c.end] == c.surface
            n += 1
    assert n > 100
    assert os.environ.get("HF_HUB_OFFLINE") == "1"


def test_workers_give_the_same_output_in_the_same_order(tmp_path):
    texts = [
        "全县共有小学38所,初中12所。",
        "2023年新建学校5所,新增学位3000个。",
        "教育经费达到12.5亿元,同比增长4.2%。",
    ]
    for i in range(20):
        (tmp_path / f"d{i:02d}.txt").write_text(texts[i % 3] + f"教师{i + 10}名。", "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    outs = {}
    for w in ("1", "2"):
        out = tmp_path / f"o{w}.jsonl"
        res = run("extract", tmp_path, "-o", out, "--workers", w)
        assert res.exit_code == 0, res.output
        assert "empty.txt" in res.output and "binary.txt" in res.output
        assert "20 document(s)" in res.output
        outs[w] = out.read_text(encoding="utf-8")
    assert outs["1"] == outs["2"]
    docs = [json.loads(line)["doc"] for line in outs["2"].splitlines()]
    assert docs == sorted(docs)  # file order, not the order the workers finished in


def test_auto_workers_only_for_batches(monkeypatch):
    from junheng.corpus import processes
    from junheng.extract.cli import auto_workers

    monkeypatch.setattr(processes, "default_workers", lambda: 4)
    assert auto_workers(3) == 1  # starting processes costs more than a few files
    assert auto_workers(1000) == 4
