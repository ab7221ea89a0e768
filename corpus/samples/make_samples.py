"""Writes the encoded and binary samples of the bundled corpus (run from anywhere):

    python corpus/samples/make_samples.py

The UTF-8 samples (01, 04, 05) are plain files edited by hand. This script writes the others
from the texts below, byte for byte the same on every run (fixed timestamps in the .docx zip):

* 02 UTF-8 with a BOM, 03 GB18030, 06 an HTML page in GBK, 07 Big5 (traditional script),
* 08 a .docx (python-docx: paragraphs and tables),
* 09 a .pdf whose text layer is Chinese: no CJK font is installed here, so the PDF is written
  by hand with the standard CJK font STSong-Light, the predefined CMap UniGB-UCS2-H (character
  codes are UCS-2) and a ToUnicode map. Text extraction needs no font; viewers with the Adobe
  Asian font pack render it.

Regions, schools and figures are invented; see README.md for what each sample exercises.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CONTROL_02 = """**县义务教育优质均衡发展自评报告（摘要）

一、基本情况

**县辖6个镇、2个街道。全县共有义务教育学校36所，其中小学22所、初中10所、九年一贯制学校4所。义务教育阶段在校学生28600人，其中小学19150人、初中9450人。专任教师1980人，其中具有中级以上职称的950人，占比48.0%。

二、资源配置情况

小学7项指标校际差异系数分别为0.356、0.412、0.426、0.301、0.388、0.267、0.342，最高为0.426；初中分别为0.318、0.365、0.398、0.274、0.352、0.236、0.311，最高为0.398。小学、初中各项指标差异系数均达到国家标准（小学小于或等于0.50，初中小于或等于0.45）。

三、政府保障情况

全县一般公共预算教育经费由2020年的5.00亿元增长到2023年的6.30亿元，年均增长8.0%。三年累计投入校舍建设资金1.50亿元，其中新建学校0.90亿元、改扩建学校0.60亿元。小学生均公用经费由2022年的800元提高到2023年的920元，增长15%。

2023年，我县交流轮岗教师210人，占符合交流条件教师总数（1400人）的15.0%，其中骨干教师63人，占交流总数的30%。教师持证上岗率100%。

四、教育质量与社会认可度

初中三年巩固率为99.1%，残疾儿童少年入学率为97.0%。社会认可度调查回收有效问卷2500份，其中表示满意的2300份，认可度为92%。

**县人民政府
2023年5月20日
"""

SPEECH_03 = """在全县2024年教育工作会议上的讲话
（2024年2月26日）

同志们：

今天召开全县教育工作会议，主要任务是总结2023年工作，部署2024年任务。

一、2023年工作回顾

过去一年，我县教育事业取得新进展。全年教育支出完成9.8亿元，同比增长6.5%；新建、改扩建学校5所，新增学位2700个；新招聘教师135名，其中研究生学历12名；完成䶮山小学、城东初级中学等4所学校的校舍改造。义务教育巩固率达到99.2%，高考本科上线率提高3.2个百分点。

“十三五”期间，全县累计投入教育经费38.6亿元，是“十二五”时期的1.6倍。进入“十四五”以来，全县已新增学位近8000个。

二、2024年重点任务

（一）加快优质均衡创建。力争到2025年，全县义务教育学校7项资源配置指标校际差异系数小学控制在0.45以内、初中控制在0.40以内，顺利通过国家义务教育优质均衡发展县督导评估。今年要完成3—5所薄弱学校改造，计划投入资金1.2亿元。

（二）扩大优质资源供给。“十四五”期间，计划新建、改扩建中小学、幼儿园12所，新增学位9000个以上；到2025年，学前三年毛入园率达到95%以上，公办园在园幼儿占比达到55%左右。

（三）建强教师队伍。今年计划招聘教师150名左右，交流轮岗教师比例不低于15%，骨干教师占交流轮岗教师的比例不低于20%。

同志们，教育是我县最大的民生工程。让我们以更加饱满的热情、更加务实的作风，奋力推动全县教育高质量发展！

谢谢大家！
"""

_ARTICLE = [
    "近年来，江北区把教师交流轮岗作为推进义务教育优质均衡发展的关键举措。2023年，全区义务教育学校"
    "交流轮岗教师428人，占符合交流条件教师总数的17.6%，其中骨干教师112人，占交流总数的26.2%。",
    "全区建立“区管校聘”管理机制，近3年累计选派186名城区优秀教师到乡村学校任教，乡村学校县级以上"
    "骨干教师数由2020年的64人增加到2023年的139人。",
    "下一步，江北区将力争到2025年实现区域内校长、教师交流轮岗常态化，交流比例稳定在15%以上。",
]
_TITLE_06 = "江北区推进教师交流轮岗 促进师资均衡配置"

HTML_06 = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>{_TITLE_06}_江城市教育局</title>
<style>body {{ font-size: 14px }} .nav a {{ margin: 0 5px }}</style>
<script>var _hmt = _hmt || []; (function () {{ var hm = document.createElement("script");
hm.src = "https://hm.example.com/hm.js?2023"; }})();</script>
</head>
<body>
<div class="top">我要投稿 | 关于我们 | 联系我们 | 网站地图</div>
<nav><a href="/">首页</a> <a href="/xw/">教育新闻</a> <a href="/gg/">通知公告</a></nav>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xw/">教育新闻</a> &gt; 正文</div>
<div class="article">
<h1>{_TITLE_06}</h1>
<div class="info">发布时间：2023-11-08 &nbsp; 来源：江北区教育局 &nbsp; 点击数：2876</div>
<div class="content">
{"".join(f"<p>　　{p}</p>{chr(10)}" for p in _ARTICLE)}</div>
<div class="editor">责任编辑：赵磊</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
</div>
<div class="print-version">
<h2>{_TITLE_06}</h2>
<p>发布时间：2023-11-08</p>
{"".join(f"<p>{p}</p>{chr(10)}" for p in _ARTICLE)}<p>责任编辑：赵磊</p>
</div>
<div class="related">相关阅读：
<ul>
<li><a href="/xw/1.html">江城市召开义务教育优质均衡发展推进会</a></li>
<li><a href="/xw/2.html">江北区新建3所学校投入使用</a></li>
</ul>
</div>
<div class="footer">
<p>版权所有：江城市教育局 &nbsp; 地址：江城市人民路88号 &nbsp; 邮编：210000</p>
<p>苏ICP备12345678号-1 &nbsp; 苏公网安备32010202000123号 &nbsp; 网站标识码：3201000001</p>
<noscript>请启用JavaScript以获得更好的浏览体验</noscript>
</div>
</body>
</html>
"""

BIG5_07 = """
在2022年全縣教育系統表彰大會上的講話
- 更新時間：2022-05-18 09:12:03
以下是為您推薦的《在2022年全縣教育系統表彰大會上的講話》，供您學習參考，歡迎收藏！
在2022年全縣教育系統表彰大會上的講話第1篇
2021年，我縣教育工作在縣委、縣政府的正確領導下，緊緊圍繞義務教育優質均衡發展目標，各項工作取得明顯成效。
一、辦學條件持續改善。全縣共有中小學56所，其中小學38所、初中18所，在校學生3.2萬人。全年教育經費投入4.6億元，同比增長7.8%；新建、改擴建校舍面積4.5萬平方米，新增學位1800個。
二、均衡水準穩步提高。小學、初中校際綜合差異係數分別為0.386和0.342，均達到國家標準；義務教育鞏固率達99.1%，較上年提高0.4個百分點。
三、教師隊伍不斷加強。全年招聘教師96名，交流輪崗教師215人，培訓教師2400餘人次。
今年，我們將力爭新增學位2000個以上，確保全縣義務教育學校標準化建設達標率達到100%。
謝謝大家！
責任編輯：陳明
"""

DOCX_08_TITLE = "江城市江南区义务教育资源配置监测报告（2023年度）"
DOCX_08_PARAS_BEFORE = [
    "江南区共有义务教育学校38所，其中小学24所、初中14所，在校学生4.1万人，专任教师3120人。",
    "按照《县域义务教育优质均衡发展督导评估办法》，区教育督导室对全区义务教育学校2023年资源配置情况进行了监测，主要结果如下。",
]
DOCX_08_TABLE = [
    ["指标", "小学", "初中", "国家标准（小学/初中）"],
    ["每百名学生拥有高于规定学历教师数（人）", "5.4", "6.3", "4.2/5.3"],
    ["每百名学生拥有县级以上骨干教师数（人）", "1.2", "1.4", "1/1"],
    ["生均教学及辅助用房面积（平方米）", "5.1", "6.2", "4.5/5.8"],
    ["生均体育运动场馆面积（平方米）", "7.9", "10.6", "7.5/10.2"],
    ["生均教学仪器设备值（元）", "2280", "2760", "2000/2500"],
]
DOCX_08_CV_TABLE = [
    ["差异系数", "小学", "初中"],
    ["综合差异系数", "0.382", "0.331"],
    ["最大单项差异系数", "0.468", "0.437"],
]
DOCX_08_PARAS_AFTER = [
    "全区小学、初中综合差异系数分别为0.382和0.331，各单项差异系数均在国家标准以内。",
    "2023年区财政安排义务教育经费5.6亿元，较上年增长4.3%。",
]

PDF_09_PAGES = [
    [
        "**县2023年义务教育经费保障情况",
        "一、经费投入",
        "2023年全县一般公共预算教育支出6.84亿元，比上年增长5.2%。",
        "其中义务教育支出4.12亿元，占教育支出的60.2%。",
        "二、生均经费",
        "小学生均一般公共预算教育事业费12850元，初中16420元。",
    ],
    [
        "三、学校建设",
        "全年新建、改扩建校舍3.6万平方米，完成投资1.05亿元。",
        "Table 1: CV primary 0.412, junior 0.376",
    ],
]


def write_bytes(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def make_docx() -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    head = document.add_paragraph(DOCX_08_TITLE)
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for p in DOCX_08_PARAS_BEFORE:
        document.add_paragraph(p)
    document.add_paragraph("一、资源配置指标")
    for rows in (DOCX_08_TABLE, DOCX_08_CV_TABLE):
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, val in enumerate(row):
                table.cell(r, c).text = val
        if rows is DOCX_08_CV_TABLE:
            document.add_paragraph("二、校际均衡情况")
    for p in DOCX_08_PARAS_AFTER:
        document.add_paragraph(p)
    _slim(document)
    props = document.core_properties
    fixed = dt.datetime(2024, 1, 15, 9, 0, 0)
    props.title = DOCX_08_TITLE
    props.author = "junheng samples"
    props.last_modified_by = "junheng samples"
    props.created = fixed
    props.modified = fixed
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip(buf.getvalue())


def _slim(document) -> None:
    """Keep the sample small: drop the template's unused styles and optional parts."""
    from docx.oxml.ns import qn

    keep = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"}
    styles = document.styles.element
    for child in list(styles):
        if (
            child.tag == qn("w:latentStyles")
            or child.tag == qn("w:style")
            and child.get(qn("w:styleId")) not in keep
        ):
            styles.remove(child)
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in (
            "stylesWithEffects",
            "customXml",
            "webSettings",
            "theme",
            "numbering",
            "fontTable",
        ):
            part.drop_rel(rid) if hasattr(part, "drop_rel") else part.rels.pop(rid)
    pkg_rels = part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            pkg_rels.pop(rid)


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so the file is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF with a Chinese text layer (STSong-Light, UniGB-UCS2-H, ToUnicode)."""
    chars = sorted({c for page in pages for line in page for c in line})
    # ToUnicode: identity from UCS-2 codes to Unicode (bfchar blocks of at most 100)
    blocks = []
    for i in range(0, len(chars), 100):
        chunk = chars[i : i + 100]
        body = "\n".join(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{body}\nendbfchar")
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")

    objs: dict[int, bytes] = {}
    n_pages = len(pages)
    first_page = 6
    page_ids = [first_page + 2 * k for k in range(n_pages)]
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objs[2] = f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode()
    objs[3] = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>"
    )
    objs[4] = (
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor " + str(first_page + 2 * n_pages).encode() + b" 0 R "
        b"/DW 1000 /W [1 95 500] >>"
    )
    objs[5] = b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream"
    for k, lines in enumerate(pages):
        ops = ["BT", "/F1 12 Tf", "18 TL", "72 770 Td"]
        for j, line in enumerate(lines):
            hexs = "".join(f"{ord(c):04X}" for c in line)
            ops.append(("" if j == 0 else "T* ") + f"<{hexs}> Tj")
        ops.append("ET")
        stream = ("\n".join(ops) + "\n").encode("ascii")
        pid = page_ids[k]
        objs[pid] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {pid + 1} 0 R >>"
        ).encode()
        objs[pid + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream"
    objs[first_page + 2 * n_pages] = (
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>"
    )

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = out.tell()
        out.write(f"{num} 0 obj\n".encode() + objs[num] + b"\nendobj\n")
    xref = out.tell()
    size = max(objs) + 1
    out.write(f"xref\n0 {size}\n".encode())
    out.write(b"0000000000 65535 f \n")
    for num in range(1, size):
        out.write(f"{offsets[num]:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def main() -> None:
    write_bytes("02_anon_county_control.txt", b"\xef\xbb\xbf" + CONTROL_02.encode("utf-8"))
    write_bytes("03_county_speech_gb18030.txt", SPEECH_03.encode("gb18030"))
    write_bytes("06_jiangbei_web_page.html", HTML_06.encode("gbk"))
    write_bytes("07_traditional_big5.txt", BIG5_07.encode("big5"))  # strict: every char in Big5
    write_bytes("08_jiangnan_monitoring.docx", make_docx())
    write_bytes("09_county_funding.pdf", make_pdf(PDF_09_PAGES))
    for p in sorted(HERE.iterdir()):
        if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"):
            size = p.stat().st_size
            assert size < 10 * 1024, f"{p.name} is {size} bytes (samples stay under 10 KB)"
            print(f"{p.name:36s} {size:6d} bytes")


if __name__ == "__main__":
    main()
