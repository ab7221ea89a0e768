"""Claims of a page are grounded in the page's markup (CLAIMS.md: the original text as Python
reads it), with their place in the loader's plain text kept beside."""

from __future__ import annotations

import json

from click.testing import CliRunner

from junheng.corpus.load import load_bytes
from junheng.corpus.source_map import source_offsets, source_span, visible_stream
from junheng.extract import export
from junheng.extract.pipeline import extract_document

PAGE = (
    "<!DOCTYPE html><html><head><title>新闻</title><style>p{margin:0}</style>"
    "<script>var n = '新建学校9所';</script></head><body>"
    "<div class='nav'>首页 | 新闻 | 新建学校2所</div>"
    "<div class='article'><p>2023年，全县新建学校<b>4</b>所，投入资金1.2亿元&nbsp;，"
    "学校&amp;幼儿园共计56所。</p><!-- 注释：新建学校7所 -->"
    "<table><tr><td>小学</td><td>32所</td></tr></table></div></body></html>"
)


def test_the_stream_leaves_out_markup_and_reads_entities():
    stream, offs = visible_stream(PAGE)
    assert "var" not in stream and "margin" not in stream and "注释" not in stream
    assert "学校&幼儿园" in stream
    k = stream.index("&")
    assert PAGE.startswith("&amp;", offs[k])


def test_every_placed_character_is_the_markups():
    doc = load_bytes(PAGE.encode("utf-8"), "p.html")
    offs = source_offsets(PAGE, doc.text)
    for i, o in enumerate(offs):
        if o >= 0 and PAGE[o] != "&":
            assert PAGE[o] == doc.text[i]
    assert all(o >= 0 for i, o in enumerate(offs) if not doc.text[i].isspace())


def test_records_of_a_page_point_into_its_markup():
    doc = load_bytes(PAGE.encode("utf-8"), "p.html")
    claims = extract_document(doc)
    recs = [export.grounded(c, doc) for c in claims]
    assert {r["surface"] for r in recs} >= {"1.2亿元", "56所", "32所"}
    for c, r in zip(claims, recs, strict=True):
        assert PAGE[r["start"] : r["end"]] == r["surface"]
        assert doc.text[r["text_start"] : r["text_end"]] == c.surface
    four = next(r for r in recs if r["value"] == 4.0)
    assert four["surface"] == "4</b>所"  # a tag inside a claim stays inside its span
    assert all("新建学校2所" not in r["surface"] for r in recs)


def test_a_text_documents_records_are_unchanged():
    doc = load_bytes("全县新建学校4所。".encode(), "a.txt")
    (c,) = extract_document(doc)
    assert export.grounded(c, doc) == c.to_dict()


def test_a_span_with_nothing_placed_has_no_markup_span():
    assert source_span("abc", [-1, -1, -1], 0, 3) is None


def test_the_cli_export_of_a_page_is_grounded_in_the_file(tmp_path):
    from junheng.cli import main

    page = tmp_path / "p.html"
    page.write_bytes(PAGE.encode("utf-8"))
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["extract", str(page), "-o", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    raw = page.read_text(encoding="utf-8")
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert recs and all(raw[r["start"] : r["end"]] == r["surface"] for r in recs)
