"""Loading each format, sniffing, and bad input."""

from __future__ import annotations

import importlib.util
import io
import time
import zipfile

import pytest

from junheng.corpus.document import DocumentError
from junheng.corpus.formats import FormatError, html_to_text
from junheng.corpus.load import SAMPLES_DIR, load_bytes, load_path, sniff_format


def _make_samples_module():
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES_DIR / "make_samples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def ms():
    return _make_samples_module()


# ---------------------------------------------------------------- txt / md


def test_txt_is_decoded_exactly(tmp_path):
    text = "  标题\n\n正文：全县共有学校48所。\t\n  \n末行没有换行"
    p = tmp_path / "a.txt"
    p.write_text(text, encoding="utf-8")
    d = load_path(p)
    assert d.text == text
    assert d.format == "txt" and d.encoding == "utf-8"
    assert d.doc_id == "a.txt" and d.source == str(p)


def test_txt_crlf_becomes_lf_like_open(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes("第一行 12所\r\n第二行\r\n".encode("gbk"))
    d = load_path(p)
    assert d.text == "第一行 12所\n第二行\n"
    with open(p, encoding="gb18030") as f:
        assert d.text == f.read()


def test_md_is_text(tmp_path):
    p = tmp_path / "r.md"
    p.write_text("# 报告\n\n| 指标 | 小学 |\n|---|---|\n| 系数 | 0.3 |\n", encoding="utf-8")
    d = load_path(p)
    assert d.format == "txt"
    assert d.text.startswith("# 报告")
    assert d.title == "报告"


# ---------------------------------------------------------------- html

PAGE = """<!DOCTYPE html><html><head><meta charset="gbk"><title>标题一_某某网</title>
<style>p {color: red}</style><script>var a = "<p>不是正文</p>";</script></head>
<body><nav>首页 新闻</nav><div>当前位置：首页 &gt; 新闻</div>
<h1>标题一</h1>
<p>第一段，全县共有
学校48所。</p><p>第二段<br>换行后<b>粗体</b>文字&nbsp;&nbsp;继续</p>
<table><tr><td>小学</td><td>0.38</td></tr><tr><th>初中</th><td>0.33</td></tr></table>
<noscript>请启用脚本</noscript><ul><li>一</li><li>二</li></ul>
<pre>保留
  缩进</pre>
</body></html>"""


def test_html_to_text_structure():
    ext = html_to_text(PAGE)
    lines = ext.text.split("\n")
    assert "不是正文" not in ext.text and "color" not in ext.text
    assert "请启用脚本" not in ext.text
    assert "首页 新闻" not in ext.text  # <nav> dropped
    assert "第一段，全县共有学校48所。" in lines  # source line break between CJK removed
    assert "第二段" in lines and "换行后粗体文字 继续" in lines  # <br>, inline tags, &nbsp;
    assert "小学\t0.38" in lines and "初中\t0.33" in lines
    assert "一" in lines and "二" in lines
    assert "保留" in lines and "缩进" in lines  # <pre> keeps its lines
    assert ext.title == "标题一"


def test_html_load_with_meta_charset():
    d = load_bytes(PAGE.encode("gbk"), "page.html")
    assert d.format == "html"
    assert d.encoding == "gb18030"
    assert d.title == "标题一"
    assert "第一段，全县共有学校48所。" in d.text
    # the breadcrumb line is chrome
    s = d.text.index("当前位置")
    assert any(a <= s < b for a, b in d.chrome)


def test_html_full_of_scripts():
    body = "<script>" + "var x = 1;" * 5000 + "</script>"
    page = f"<html><head>{body}</head><body>{body}<p>正文：新建学校3所。</p>{body}</body></html>"
    d = load_bytes(page.encode("utf-8"), "s.htm")
    assert d.text == "正文：新建学校3所。"


def test_html_without_text_is_an_error():
    page = "<html><head><script>var a=1;</script></head><body><script>b()</script></body></html>"
    with pytest.raises(DocumentError, match="no text"):
        load_bytes(page.encode(), "empty.html")


def test_html_sniffed_without_extension():
    page = "<!DOCTYPE html><html><body><p>江北区新建学校3所。</p></body></html>"
    assert sniff_format(page.encode(), "upload") == "html"
    d = load_bytes(page.encode(), "upload")
    assert d.format == "html" and d.text == "江北区新建学校3所。"


def test_html_title_picks_article_not_site():
    ext = html_to_text(
        "<html><head><title>江北区推进交流轮岗 - 江城市教育局</title></head>"
        "<body><h1>江城市教育局</h1><p>正文</p></body></html>"
    )
    assert ext.title == "江北区推进交流轮岗"


# ---------------------------------------------------------------- pdf


def test_pdf_chinese_text_layer(ms):
    pages = [
        ["**县2023年教育经费", "教育支出6.84亿元，增长5.2%。"],
        ["第二页：新建校舍3.6万平方米。"],
    ]
    d = load_bytes(ms.make_pdf(pages), "f.pdf")
    assert d.format == "pdf"
    assert d.text.split("\n") == [*pages[0], *pages[1]]
    assert d.title == "**县2023年教育经费" and d.year == 2023


def test_pdf_ascii_digits(ms):
    d = load_bytes(ms.make_pdf([["Schools 48, CV 0.412", "Growth 12.4% (2020-2023)"]]), "a.pdf")
    assert "Schools 48, CV 0.412" in d.text and "Growth 12.4% (2020-2023)" in d.text


def test_pdf_sniffed_without_extension(ms):
    data = ms.make_pdf([["学校48所"]])
    assert sniff_format(data, "upload.bin") == "pdf"
    assert load_bytes(data, "upload.bin").text == "学校48所"


def test_pdf_without_text_layer():
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    with pytest.raises(DocumentError, match="no text layer"):
        load_bytes(buf.getvalue(), "scan.pdf")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + b"garbage that is not a pdf\n" * 20,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n",
    ],
)
def test_corrupt_pdf(data):
    with pytest.raises(DocumentError) as e:
        load_bytes(data, "bad.pdf")
    assert e.value.doc == "bad.pdf"
    assert "PDF" in e.value.problem


def test_truncated_pdf(ms):
    data = ms.make_pdf([["全县共有学校48所。"]])
    with pytest.raises(DocumentError, match="PDF"):
        load_bytes(data[:120], "cut.pdf")


def test_pdf_named_file_that_is_not_pdf():
    with pytest.raises(DocumentError, match="not a PDF"):
        load_bytes("这是文本".encode(), "x.pdf")


# ---------------------------------------------------------------- docx


def test_docx_paragraphs_and_tables(ms):
    d = load_bytes(ms.make_docx(), "r.docx")
    assert d.format == "docx"
    lines = d.text.split("\n")
    assert lines[0] == ms.DOCX_08_TITLE
    assert "\t".join(ms.DOCX_08_TABLE[1]) in lines
    assert "\t".join(ms.DOCX_08_CV_TABLE[1]) in lines
    # document order: the table comes between the paragraphs
    assert lines.index("一、资源配置指标") < lines.index("\t".join(ms.DOCX_08_TABLE[0]))
    assert lines.index("\t".join(ms.DOCX_08_CV_TABLE[2])) < lines.index("二、校际均衡情况")
    assert d.title == ms.DOCX_08_TITLE and d.year == 2023


def test_docx_merged_cells_once():
    import docx

    document = docx.Document()
    t = document.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "合并"
    t.cell(0, 2).text = "右"
    t.cell(1, 0).text = "a"
    t.cell(1, 1).text = "b"
    t.cell(1, 2).text = "c"
    buf = io.BytesIO()
    document.save(buf)
    d = load_bytes(buf.getvalue(), "m.docx")
    assert d.text.split("\n") == ["合并\t右", "a\tb\tc"]


def test_corrupt_docx(ms):
    data = ms.make_docx()
    with pytest.raises(DocumentError, match="docx"):
        load_bytes(data[: len(data) // 2], "cut.docx")
    with pytest.raises(DocumentError, match="docx"):
        load_bytes(b"not a zip at all", "x.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document>broken")
        z.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(DocumentError, match="docx"):
        load_bytes(buf.getvalue(), "broken.docx")


def test_zip_that_is_not_a_document():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DocumentError, match="Excel"):
        load_bytes(buf.getvalue(), "t.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "x")
    with pytest.raises(DocumentError, match="zip"):
        load_bytes(buf.getvalue(), "a.zip")


def test_legacy_doc():
    with pytest.raises(DocumentError, match="docx"):
        load_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.doc")


# ---------------------------------------------------------------- bad input


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(DocumentError) as e:
        load_path(p)
    assert e.value.doc == "empty.txt" and "empty" in e.value.problem
    with pytest.raises(DocumentError, match="empty"):
        load_bytes(b"", "x.txt")
    with pytest.raises(DocumentError, match="empty"):
        load_bytes(b" \n\t\r\n", "blank.txt")


def test_binary_file(tmp_path):
    p = tmp_path / "data.txt"
    p.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(DocumentError, match="not a text document"):
        load_path(p)
    with pytest.raises(DocumentError, match="PNG"):
        load_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "img")


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:  # a sparse 200 MB file
        f.truncate(200 * 1024 * 1024)
    opened = []
    import builtins

    real_open = builtins.open

    def spy(file, *a, **k):
        opened.append(str(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr(builtins, "open", spy)
    t0 = time.perf_counter()
    with pytest.raises(DocumentError) as e:
        load_path(p)
    assert time.perf_counter() - t0 < 1.0
    assert "too large" in e.value.problem and "200.0 MB" in e.value.problem
    assert str(p) not in opened


def test_size_limit_is_configurable(tmp_path, monkeypatch):
    p = tmp_path / "a.txt"
    p.write_text("全县共有学校48所。" * 20, encoding="utf-8")
    with pytest.raises(DocumentError, match="too large"):
        load_path(p, max_bytes=100)
    monkeypatch.setenv("JUNHENG_MAX_DOC_BYTES", "100")
    with pytest.raises(DocumentError, match="too large"):
        load_path(p)
    with pytest.raises(DocumentError, match="too large"):
        load_bytes(p.read_bytes(), "a.txt")
    monkeypatch.delenv("JUNHENG_MAX_DOC_BYTES")
    assert load_path(p).text.startswith("全县")


def test_missing_and_folder(tmp_path):
    with pytest.raises(DocumentError, match="not found"):
        load_path(tmp_path / "nope.txt")
    with pytest.raises(DocumentError, match="folder"):
        load_path(tmp_path)


def test_format_error_is_value_error():
    assert issubclass(FormatError, ValueError)
