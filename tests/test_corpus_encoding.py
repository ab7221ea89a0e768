"""Decoding bytes: BOMs, UTF-8, UTF-16, GB18030 versus Big5, junk bytes, newlines."""

from __future__ import annotations

import pytest

from junheng.corpus.encoding import (
    NotText,
    decode_bytes,
    html_declared_charset,
    normalise_charset,
    universal_newlines,
)

SIMPLIFIED = (
    "全县共有义务教育学校48所，其中小学31所、初中12所。小学、初中校际差异系数分别为0.386和0.342，"
    "均达到国家标准。全年教育经费投入4.6亿元，同比增长7.8%。\n"
)
TRADITIONAL = (
    "全縣共有中小學56所，其中小學38所、初中18所，在校學生3.2萬人。全年教育經費投入4.6億元，"
    "同比增長7.8%；義務教育鞏固率達99.1%，較上年提高0.4個百分點。\n"
)


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),  # with BOM
        (b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),  # no BOM
        (SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
        (SIMPLIFIED.encode("utf-32"), "utf-32"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),  # GBK is a subset
        (SIMPLIFIED.encode("gb2312"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
    ],
)
def test_detects_encoding_and_round_trips(data, encoding):
    d = decode_bytes(data)
    assert d.encoding == encoding
    expected = TRADITIONAL if encoding == "big5" else SIMPLIFIED
    assert d.text == expected
    assert d.warnings == []


def test_bom_is_dropped():
    d = decode_bytes(b"\xef\xbb\xbf" + "学校".encode())
    assert d.text == "学校"


def test_gb18030_only_characters():
    # U+4DAE is outside GBK: a GBK decoder cannot read it, GB18030 can.
    text = "完成䶮山小学校舍改造，新增学位2700个。"
    d = decode_bytes(text.encode("gb18030"))
    assert d.encoding == "gb18030"
    assert d.text == text


def test_traditional_text_in_gb18030_is_gb18030():
    d = decode_bytes(TRADITIONAL.encode("gb18030"))
    assert d.encoding == "gb18030"
    assert d.text == TRADITIONAL


def test_big5_with_cp950_extension():
    text = TRADITIONAL + "碁"  # F9D6: in cp950, not in plain Big5
    data = text.encode("cp950")
    d = decode_bytes(data)
    assert d.encoding in ("cp950", "big5hkscs")
    assert d.text == text


@pytest.mark.parametrize("word", ["学校", "教育", "差异系数0.45", "义务教育优质均衡发展"])
def test_short_gb_text(word):
    # 学校 in GB18030 (D1A7 D0A3) happens to be valid UTF-8 (Cyrillic); it must read as GB.
    d = decode_bytes(word.encode("gb18030"))
    assert d.text == word


def test_utf8_with_junk_bytes_is_replaced_with_warning():
    data = SIMPLIFIED.encode("utf-8")
    data = data[:30] + b"\xff\xfe\x80" + data[30:] + b"\xc3"
    d = decode_bytes(data)
    assert d.encoding == "utf-8"
    assert "\ufffd" in d.text
    assert d.warnings and "U+FFFD" in d.warnings[0]
    assert d.text.startswith("全县共有义务教育学校\ufffd")
    assert "其中小学31所" in d.text
    assert d.text.endswith("\ufffd")


def test_gb18030_with_junk_bytes():
    data = SIMPLIFIED.encode("gb18030")
    data = data[:40] + b"\xff" + data[40:]
    d = decode_bytes(data)
    assert d.encoding == "gb18030"
    assert d.warnings
    assert "同比增长7.8%" in d.text


def test_universal_newlines():
    assert universal_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
    d = decode_bytes("学校\r\n48所\r教师\n".encode("gbk"))
    assert d.text == "学校\n48所\n教师\n"
    d = decode_bytes("学校\r\n48所\r\n".encode("utf-16"))
    assert d.text == "学校\n48所\n"


def test_matches_python_open(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("第一行\r\n第二行 12所\r第三行\n".encode())
    with open(p, encoding="utf-8") as f:
        assert decode_bytes(p.read_bytes()).text == f.read()


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,
        b"\x00\x01\x02\x03" * 500,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100 + bytes(range(256)) * 4,
    ],
)
def test_binary_raises(data):
    with pytest.raises(NotText):
        decode_bytes(data)


def test_declared_charset_is_honoured():
    text = "江北区交流轮岗教师428人"
    data = text.encode("gbk")
    assert decode_bytes(data, declared="gb2312").text == text
    assert decode_bytes(data, declared="gb2312").encoding == "gb18030"
    # a wrong declaration does not win over strict UTF-8
    assert decode_bytes(text.encode("utf-8"), declared="gbk").encoding == "utf-8"
    # a declaration that does not decode falls back to detection, with a warning
    d = decode_bytes(TRADITIONAL.encode("big5"), declared="utf-16")
    assert d.text == TRADITIONAL


def test_html_declared_charset():
    assert html_declared_charset(b'<html><head><meta charset="GBK"></head>') == "gbk"
    assert (
        html_declared_charset(
            b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        )
        == "gb2312"
    )
    assert html_declared_charset(b"<?xml version='1.0' encoding='big5'?><html>") == "big5"
    assert html_declared_charset(b"<html><body>no charset</body></html>") is None
    assert normalise_charset("GB2312") == "gb18030"
    assert normalise_charset("Big5") == "cp950"
    assert normalise_charset("no-such-charset") is None
