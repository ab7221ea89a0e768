"""Properties over arbitrary input: loading never fails with anything but DocumentError; chrome
spans and duplicate pieces are always well formed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junheng.corpus.chrome import detect_chrome
from junheng.corpus.document import DocumentError
from junheng.corpus.duplicates import detect_duplicates
from junheng.corpus.load import document_from_text, load_bytes

PIECES = [
    "首页 > 新闻",
    "点击数：12",
    "责任编辑：王芳",
    "全县共有学校48所，",
    "其中小学31所。",
    "\n",
    "\n\n",
    "  ",
    "\r\n",
    "发布时间：2023-09-01",
    "……(未完,全文共5225字",
    "目录",
    "一、",
    "相关阅读：",
    "版权所有",
    "第1篇",
    "http://www.example.com/a.html",
    "學校",
    "１２所",
    "—",
    "。",
    "，",
    "a",
    "7",
]

texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_chrome_and_duplicates_well_formed(text):
    spans = detect_chrome(text)
    assert spans == sorted(spans)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert e1 < s2
    for d in detect_duplicates(text):
        n = d.end - d.start
        assert n > 0 and d.first_start + n <= d.start
        assert text[d.start : d.end] == text[d.first_start : d.first_start + n]


@settings(max_examples=150, deadline=None)
@given(texts.map(lambda t: t + "\n" + t))
def test_doubled_text(text):
    d = document_from_text(text, "x")
    assert d.text == text
    for x in d.duplicates:
        assert text[x.start : x.end] == text[x.first_start : x.first_start + x.end - x.start]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=400) | texts.map(lambda t: t.encode("utf-8")),
    st.sampled_from(["a.txt", "a.html", "a.pdf", "a.docx", "a.md", "upload", "a.xyz"]),
    st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html>", b"\xef\xbb\xbf", b"\xff\xfe"]),
)
def test_load_bytes_raises_only_document_error(data, name, prefix):
    try:
        doc = load_bytes(prefix + data, name)
    except DocumentError as e:
        assert e.doc == name and e.problem
    else:
        assert doc.text.strip()
