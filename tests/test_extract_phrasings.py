"""Extraction on phrasings of report genres the first rules did not see (work summaries,
news items, traditional-script write-ups, tables); every sentence is written for these tests."""

from __future__ import annotations

import pytest

from junheng.extract.pipeline import extract_text


def one(text: str, surface: str, **kw):
    claims = extract_text(text, doc_id=kw.get("doc_id", "t.txt"))
    found = [c for c in claims if c.surface == surface]
    assert found, f"{surface!r} not found in {[c.surface for c in claims]}"
    return found[kw.get("nth", 0)]


@pytest.mark.parametrize(
    "text,surface,subject",
    [
        ("全县社会捐资不超过800万元。", "800万元", "社会捐资"),
        ("专项资金每年不少于600万元。", "600万元", "专项资金每年"),
        ("乡村教师补助人均每月不低于300元。", "300元", "乡村教师补助人均每月"),
    ],
)
def test_subject_leaves_out_the_comparator(text, surface, subject):
    c = one(text, surface)
    assert c.subject == subject
    assert c.qualifier in ("le", "ge")


def test_summary_signed_next_year_reads_its_title_year():
    text = (
        "青禾县教育局2022年工作总结\n\n全年新建学校4所，教育经费总投入达到3.2亿元。\n\n"
        "青禾县教育局\n2023年1月18日\n"
    )
    c = one(text, "3.2亿元")
    assert c.doc_year == 2022
    assert c.time == "2022"
