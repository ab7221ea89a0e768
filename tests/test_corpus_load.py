"""load_path / load_bytes / document_from_text / iter_paths, and the bundled samples."""

from __future__ import annotations

import os

import pytest

from junheng.corpus.document import Document
from junheng.corpus.load import (
    SAMPLES_DIR,
    document_from_text,
    iter_paths,
    load_bytes,
    load_path,
    sample_paths,
)


def test_document_from_text_keeps_text_exactly():
    text = "首页 > 新闻\r\n  江北区推进交流轮岗\r\n正文：学校48所。\r\n"
    d = document_from_text(text, "x", source="s", fmt="txt")
    assert isinstance(d, Document)
    assert d.text == text and d.doc_id == "x" and d.source == "s"
    assert d.chrome and d.text[d.chrome[0][0] : d.chrome[0][1]] == "首页 > 新闻"
    assert d.title == "江北区推进交流轮岗"


def test_load_bytes_dispatch():
    assert load_bytes("学校48所".encode("gb18030"), "a.txt").encoding == "gb18030"
    assert load_bytes(b"<html><body><p>x1</p></body></html>", "a.htm").format == "html"
    assert load_bytes("学校48所".encode(), "noext").format == "txt"


def make_tree(root):
    (root / "b").mkdir()
    (root / "a").mkdir()
    (root / ".hidden").mkdir()
    for rel in [
        "z.txt",
        "a/2.html",
        "a/1.pdf",
        "b/x.docx",
        "b/y.md",
        "b/notes.xlsx",
        ".hidden/h.txt",
        ".dot.txt",
        "a/~$lock.docx",
        "c.TXT",
    ]:
        (root / rel).write_text("x", encoding="utf-8")


def test_iter_paths_sorted_and_filtered(tmp_path):
    make_tree(tmp_path)
    got = [p.relative_to(tmp_path).as_posix() for p in iter_paths(tmp_path)]
    assert got == ["a/1.pdf", "a/2.html", "b/x.docx", "b/y.md", "c.TXT", "z.txt"]
    top = [p.relative_to(tmp_path).as_posix() for p in iter_paths(tmp_path, recursive=False)]
    assert top == ["c.TXT", "z.txt"]


def test_iter_paths_files_given_directly(tmp_path):
    make_tree(tmp_path)
    f = tmp_path / "b" / "notes.xlsx"
    got = list(iter_paths([f, tmp_path / "z.txt", tmp_path, str(tmp_path / "missing.txt")]))
    assert got[0] == f  # named directly: yielded whatever the extension
    assert got[1] == tmp_path / "z.txt"
    assert got.count(tmp_path / "z.txt") == 1  # once, though the folder holds it too
    assert got[-1] == tmp_path / "missing.txt"  # loading reports it


def test_iter_paths_is_lazy(tmp_path):
    for i in range(50):
        (tmp_path / f"{i:03d}.txt").write_text("x")
    it = iter_paths(tmp_path)
    assert next(it).name == "000.txt"


def test_iter_paths_symlink_loop(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x")
    try:
        os.symlink(tmp_path, tmp_path / "d" / "loop")
    except OSError:
        pytest.skip("no symlinks here")
    got = list(iter_paths(tmp_path))
    assert len(got) == 1


# ---------------------------------------------------------------- the bundled samples

EXPECTED = {
    "01_qinghe_self_evaluation.txt": (
        "txt",
        "utf-8",
        "青禾县义务教育优质均衡发展自评报告",
        "2023-06-12",
    ),
    "02_anon_county_control.txt": (
        "txt",
        "utf-8-sig",
        "**县义务教育优质均衡发展自评报告（摘要）",
        "2023-05-20",
    ),
    "03_county_speech_gb18030.txt": (
        "txt",
        "gb18030",
        "在全县2024年教育工作会议上的讲话",
        "2024-02-26",
    ),
    "04_news_new_schools.txt": (
        "txt",
        "utf-8",
        "江城市今年秋季新投用中小学幼儿园１２所",
        "2023-09-01",
    ),
    "05_jiangcheng_city_report.md": (
        "txt",
        "utf-8",
        "江城市推进义务教育优质均衡发展情况报告",
        "2023-12",
    ),
    "06_jiangbei_web_page.html": (
        "html",
        "gb18030",
        "江北区推进教师交流轮岗 促进师资均衡配置",
        "2023-11-08",
    ),
    "07_traditional_big5.txt": (
        "txt",
        "big5",
        "在2022年全縣教育系統表彰大會上的講話",
        "2022-05-18",
    ),
    "08_jiangnan_monitoring.docx": (
        "docx",
        None,
        "江城市江南区义务教育资源配置监测报告（2023年度）",
        None,
    ),
    "09_county_funding.pdf": ("pdf", None, "**县2023年义务教育经费保障情况", None),
}


def test_samples_are_listed():
    assert [p.name for p in sample_paths()] == sorted(EXPECTED)
    for p in SAMPLES_DIR.iterdir():
        if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"):
            assert p.stat().st_size < 10 * 1024, p.name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_loads(name):
    fmt, enc, title, date = EXPECTED[name]
    d = load_path(SAMPLES_DIR / name)
    assert (d.format, d.encoding, d.title, d.date) == (fmt, enc, title, date)
    assert d.warnings == []
    assert d.year == int((date or "2023")[:4]) or name == "09_county_funding.pdf"


def test_sample_txt_text_is_the_file():
    for name in (
        "01_qinghe_self_evaluation.txt",
        "03_county_speech_gb18030.txt",
        "07_traditional_big5.txt",
    ):
        enc = EXPECTED[name][1]
        with open(SAMPLES_DIR / name, encoding=enc) as f:
            assert load_path(SAMPLES_DIR / name).text == f.read()


def test_sample_web_page_chrome_and_duplicate():
    d = load_path(SAMPLES_DIR / "06_jiangbei_web_page.html")
    text = d.text
    for needle in (
        "我要投稿 | 关于我们",
        "点击数：2876",
        "责任编辑：赵磊",
        "分享到",
        "苏ICP备12345678号-1",
        "相关阅读",
        "江北区新建3所学校投入使用",
    ):
        i = text.index(needle)
        assert any(s <= i < e for s, e in d.chrome), needle
    first = text.index("交流轮岗教师428人")
    second = text.index("交流轮岗教师428人", first + 1)
    assert not any(s <= first < e for s, e in d.chrome)
    dup = [x for x in d.duplicates if x.start <= second < x.end]
    assert dup and dup[0].first_start + (second - dup[0].start) == first
    for x in d.duplicates:
        assert text[x.start : x.end] == text[x.first_start : x.first_start + x.end - x.start]


def test_sample_news_chrome():
    d = load_path(SAMPLES_DIR / "04_news_new_schools.txt")
    for needle in ("江城市教育局 > 教育动态 > 正文", "浏览次数：1352", "责任编辑：王芳"):
        i = d.text.index(needle)
        assert any(s <= i < e for s, e in d.chrome), needle
    i = d.text.index("百分之九十五点三")
    assert not any(s <= i < e for s, e in d.chrome)


def test_sample_big5_chrome():
    d = load_path(SAMPLES_DIR / "07_traditional_big5.txt")
    for needle in ("更新時間", "以下是為您推薦的", "講話第1篇", "責任編輯"):
        i = d.text.index(needle)
        assert any(s <= i < e for s, e in d.chrome), needle
    i = d.text.index("全縣共有中小學56所")
    assert not any(s <= i < e for s, e in d.chrome)
