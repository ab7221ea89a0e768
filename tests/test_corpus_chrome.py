"""Chrome detection on synthetic pages: what is chrome is marked, body text never is."""

from __future__ import annotations

import pytest

from junheng.corpus.chrome import detect_chrome, in_chrome, load_cues


def marked(text: str) -> list[str]:
    return [text[s:e] for s, e in detect_chrome(text)]


def is_chrome(text: str, needle: str) -> bool:
    s = text.index(needle)
    return in_chrome(detect_chrome(text), s, s + len(needle))


BODY = (
    "近年来，全县新建、改扩建学校11所，新增学位约4200个。全县小学、初中校际差异系数分别为0.386和0.342，"
    "均达到国家标准。"
)

PAGE = f"""我要投稿 | 关于我们 | 联系我们
标题 全文
首页 > 市县 > 正文
当前位置：首页 >> 教育动态 >> 内容
江城市推进义务教育优质均衡发展
作者:　发布时间:2023-09-12　来源: 江城教育报
2023-10-09 点击数:
来       源:江城教育报
{BODY}
（二）扩大资源供给。
{BODY}
责任编辑：陈路
分享到：微信 微博 QQ空间
相关阅读：
江城市召开推进会
江北区新建3所学校投入使用
版权所有：江城市教育局 Copyright © 2024
苏ICP备12345678号-1 苏公网安备32010202000123号
如若转载，请注明出处：https://www.example.com/163011.html
"""


@pytest.mark.parametrize(
    "needle",
    [
        "我要投稿 | 关于我们 | 联系我们",
        "标题 全文",
        "首页 > 市县 > 正文",
        "当前位置：首页 >> 教育动态 >> 内容",
        "作者:　发布时间:2023-09-12　来源: 江城教育报",
        "2023-10-09 点击数:",
        "来       源:江城教育报",
        "责任编辑：陈路",
        "分享到：微信 微博 QQ空间",
        "相关阅读：",
        "江北区新建3所学校投入使用",
        "版权所有：江城市教育局 Copyright © 2024",
        "苏ICP备12345678号-1 苏公网安备32010202000123号",
        "如若转载，请注明出处：https://www.example.com/163011.html",
    ],
)
def test_page_chrome_is_marked(needle):
    assert is_chrome(PAGE, needle), needle


def test_body_is_not_marked():
    spans = detect_chrome(PAGE)
    pos = 0
    while True:
        i = PAGE.find(BODY, pos)
        if i < 0:
            break
        assert not any(s < i + len(BODY) and i < e for s, e in spans)
        pos = i + 1
    for keep in ("江城市推进义务教育优质均衡发展", "（二）扩大资源供给。"):
        i = PAGE.index(keep)
        assert not any(s < i + len(keep) and i < e for s, e in spans), keep


def test_spans_are_sorted_merged_and_in_range():
    spans = detect_chrome(PAGE)
    assert spans == sorted(spans)
    for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert e1 < s2
    assert all(0 <= s < e <= len(PAGE) for s, e in spans)
    for s, e in spans:
        assert PAGE[s:e] == PAGE[s:e].strip()


def test_paywall_note_inside_a_body_line():
    line = (
        "办好每一所家门口的学校是我们的责任，要补短板、强弱项，让每个孩子都能上好学、 "
        "……(未完,全文共4816字,当前仅显示1953字,请阅读下面提示信息。"
    )
    text = f"{BODY}\n{line}\n{BODY}\n"
    spans = detect_chrome(text)
    note = text.index("……(未完")
    assert in_chrome(spans, note, text.index("信息。") + 3)
    assert not any(
        s < note - 5 and e > text.index("教育公平") for s, e in spans
    )  # the sentence stays


def test_omitted_note():
    text = f"{BODY}\n……(某范文网http://www.example.com省略736字,正式会员可完整阅读)……\n{BODY}"
    assert "……(某范文网http://www.example.com省略736字,正式会员可完整阅读)……" in marked(text)


def test_template_site_lines():
    text = (
        "在2023年全县教育系统年度工作会上的讲话\n- 更新时间:2023-02-14 10:05:27\n-\n发言稿\n"
        "以下是为您推荐的《在2023年全县教育系统年度工作会上的讲话》,供您学习参考,欢迎收藏!\n"
        "在2023年全县教育系统年度工作会上的讲话第1篇\n"
        f"{BODY}\n在2023年全县教育系统年度工作会上的讲话第2篇\n{BODY}\n"
    )
    for needle in (
        "- 更新时间:2023-02-14 10:05:27",
        "发言稿",
        "以下是为您推荐的",
        "讲话第1篇",
        "讲话第2篇",
    ):
        assert is_chrome(text, needle), needle
    assert not is_chrome(text, ["在2023年全县教育系统年度工作会上的讲话", "- "][0])


def test_traditional_script_on_t2s_view():
    text = (
        "在2023年全縣教育系統年度工作會上的講話\n- 更新時間:2023-02-14 10:05:27\n"
        "以下是為您推薦的《在2023年全縣教育系統年度工作會上的講話》,供您學習參考,歡迎收藏!\n"
        "全縣共有中小學56所，其中小學38所、初中18所，在校學生3.2萬人，教育經費投入4.6億元。\n"
        "點擊數：1234\n責任編輯：陳明\n版權所有 © 2021\n"
    )
    for needle in (
        "更新時間",
        "以下是為您推薦的",
        "點擊數：1234",
        "責任編輯：陳明",
        "版權所有 © 2021",
    ):
        assert is_chrome(text, needle), needle
    assert not is_chrome(text, "全縣共有中小學56所")


def test_table_of_contents():
    text = (
        "目录/提纲:……\n一、夯实办学条件打牢均衡发展“地基”\n一是全面排查建立“问题台账”\n"
        "二、配强教师队伍提升育人“软实力”\n……\n在全县推进会上的讲话\n同志们:\n"
        f"{BODY}\n一、夯实办学条件 打牢均衡发展“地基”\n{BODY}\n"
    )
    spans = detect_chrome(text)
    toc_end = text.index("在全县推进会上的讲话")
    assert in_chrome(spans, 0, toc_end - 1)
    assert not is_chrome(text, "在全县推进会上的讲话")
    assert not is_chrome(text, "一、夯实办学条件 打牢")
    assert not is_chrome(text, BODY)


def test_dot_leader_toc_lines():
    text = f"第一章 总则........3\n第二章 资源配置……12\n{BODY}\n"
    assert is_chrome(text, "第一章 总则........3")
    assert is_chrome(text, "第二章 资源配置……12")


def test_conservative_on_body_lines():
    # cues inside sentences are not chrome
    lines = [
        "依托高校提供技术支持，建成智慧课堂120间。",
        "全县图书收藏量达到120万册，生均图书35册。",
        "来源于中央和省级的专项资金共计1.2亿元，占比45%。",
        "首页的通知说明，全县新建学校3所，新增学位1200个，交流教师210人，覆盖率达95%。",
        "时间紧、任务重，全县上下要在2024年底前完成整改，确保差异系数控制在0.45以内。",
        "关于我们县的教育经费，2023年投入6.3亿元，较上年增长5.2%。",
    ]
    text = "\n".join(lines) + "\n"
    assert detect_chrome(text) == []


def test_wrapped_line_starting_with_cue_word():
    text = "全县中小学图书馆\n收藏量达到120万册\n"
    assert detect_chrome(text) == []


def test_crlf_text():
    text = PAGE.replace("\n", "\r\n")
    assert is_chrome(text, "责任编辑：陈路")
    assert not is_chrome(text, BODY)


def test_cues_are_data():
    cues = load_cues()
    assert "点击数" in cues.counters and "责任编辑" in cues.fields
    assert all(s.endswith(("网", "站")) for s in cues.site_suffixes)


def test_empty_text():
    assert detect_chrome("") == []


def test_field_like_body_lines_are_not_chrome():
    text = (
        "时间：2023年3月至6月，全县共排查学校48所\n"
        "来源：2023年全县投入教育经费6.3亿元\n"
        "作者：张三\n"
        "发布时间：2023-03-01 来源：县教育局 点击数：120次\n"
    )
    assert not is_chrome(text, "时间：2023年3月至6月")
    assert not is_chrome(text, "来源：2023年全县投入")
    assert is_chrome(text, "作者：张三")
    assert is_chrome(text, "发布时间：2023-03-01 来源：县教育局 点击数：120次")


def test_counter_lines():
    text = "2023-10-09 点击数:\n阅读量：1352 | 评论\n1352次浏览\n全县教育网站年浏览量达120万人次\n"
    assert is_chrome(text, "2023-10-09 点击数:")
    assert is_chrome(text, "阅读量：1352 | 评论")
    assert is_chrome(text, "1352次浏览")
    assert not is_chrome(text, "全县教育网站年浏览量达120万人次")


def test_related_heading_must_stand_alone():
    text = "相关信息化建设投入1.2亿元\n全县新建学校3所\n相关阅读\n江北区新建3所学校投入使用\n"
    assert not is_chrome(text, "相关信息化建设投入1.2亿元")
    assert not is_chrome(text, "全县新建学校3所")
    assert is_chrome(text, "相关阅读")
    assert is_chrome(text, "江北区新建3所学校投入使用")
