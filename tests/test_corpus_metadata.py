"""Title, date and year from synthetic headers."""

from __future__ import annotations

import pytest

from junheng.corpus.load import document_from_text
from junheng.corpus.metadata import extract_metadata, title_year

BODY = "全县共有义务教育学校48所，其中小学31所、初中12所，新增学位约4200个，交流教师312人。"


def meta(text):
    d = document_from_text(text, "t.txt")
    return d.title, d.date, d.year


@pytest.mark.parametrize(
    "text, title, date, year",
    [
        # web page: chrome before the title, publishing field
        (
            f"我要投稿 | 关于我们\n\n首页 > 市县\n\n江城：聚焦“两提升一保障”\n\n作者: 发布时间:2023-09-12 来源: 报\n{BODY}\n",
            "江城：聚焦“两提升一保障”",
            "2023-09-12",
            2023,
        ),
        # speech date wins over the page date
        (
            f"当前位置: 首页 >> 内容\n关于全县义务教育均衡发展工作情况的汇报\n2023-10-09 点击数:\n"
            f"——2022年10月27日在区人大常委会会议上\n主任、各位副主任：\n{BODY}\n",
            "关于全县义务教育均衡发展工作情况的汇报",
            "2022-10-27",
            2022,
        ),
        # a date line near the top
        (
            f"关于全县教育工作的报告\n2023-10-09 点击数:\n{BODY}\n",
            "关于全县教育工作的报告",
            "2023-10-09",
            2023,
        ),
        # no date: the year from the title
        (
            f"在2023年全市城乡教育一体化推进会上的交流发言\n尊敬的各位领导：\n{BODY}\n",
            "在2023年全市城乡教育一体化推进会上的交流发言",
            None,
            2023,
        ),
        (f"某县2021年度教育工作总结\n{BODY}\n", "某县2021年度教育工作总结", None, 2021),
        (
            f"某县2016—2020年教育发展规划执行情况\n{BODY}\n",
            "某县2016—2020年教育发展规划执行情况",
            None,
            2020,
        ),
        # a bracketed date under the title, and a salutation that is not the title
        (
            f"在全县教育工作会议上的讲话\n（2024年2月26日）\n同志们：\n{BODY}\n",
            "在全县教育工作会议上的讲话",
            "2024-02-26",
            2024,
        ),
        # signed at the end
        (
            f"青禾县自评报告\n{BODY}\n青禾县人民政府\n2023年6月12日\n",
            "青禾县自评报告",
            "2023-06-12",
            2023,
        ),
        (
            f"青禾县自评报告\n{BODY}\n青禾县人民政府\n二〇二三年六月十二日\n",
            "青禾县自评报告",
            "2023-06-12",
            2023,
        ),
        # a summary of one year signed early in the next: the year reported on
        (
            f"青禾县教育局2022年工作总结\n{BODY}\n青禾县教育局\n2023年1月20日\n",
            "青禾县教育局2022年工作总结",
            "2023-01-20",
            2022,
        ),
        # but not a title's period, nor a title two years before the date
        (
            f"某县2016—2020年教育发展规划执行情况\n{BODY}\n某县人民政府\n2021年3月2日\n",
            "某县2016—2020年教育发展规划执行情况",
            "2021-03-02",
            2021,
        ),
        (
            f"青禾县2020年教育工作回顾\n{BODY}\n青禾县教育局\n2022年5月8日\n",
            "青禾县2020年教育工作回顾",
            "2022-05-08",
            2022,
        ),
        # traditional script, update field
        (
            f"\n在2023年全縣教育系統年度工作會上的講話\n- 更新時間:2023-02-14 10:05:27\n{BODY}\n",
            "在2023年全縣教育系統年度工作會上的講話",
            "2023-02-14",
            2023,
        ),
        # full-width digits in the field
        (f"标题在这里\n发布日期：２０２３－０９－０１\n{BODY}\n", "标题在这里", "2023-09-01", 2023),
        # month only
        (
            f"# 江城市推进情况报告\n\n（2023年12月）\n{BODY}\n",
            "江城市推进情况报告",
            "2023-12",
            2023,
        ),
        # no title: the text starts with a long paragraph
        (BODY * 3 + "\n", None, None, None),
    ],
)
def test_metadata(text, title, date, year):
    assert meta(text) == (title, date, year)


def test_region_is_left_to_extraction():
    assert document_from_text(f"**县自评报告\n{BODY}", "x").region is None


def test_invalid_dates_are_ignored():
    t, d, y = meta(f"某报告\n发布时间：2023-13-45\n{BODY}\n")
    assert d is None


def test_title_hint_wins():
    m = extract_metadata(f"网站名称\n{BODY}", [], title_hint="真正的标题")
    assert m.title == "真正的标题"


def test_title_year():
    assert title_year("在2024年全省推进会上的发言") == 2024
    assert title_year("二〇二三年工作总结") == 2023
    assert title_year("关于推进优质均衡的报告") is None
    assert title_year(None) is None
