"""Interval arithmetic, written precision, and properties of the parts-vs-total check."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.corpus.document import Document
from junheng.extract.record import Claim
from junheng.indicators.consistency import (
    Interval,
    check_document,
    cv_limits,
    findings_json,
    written_scale,
)


def claim(surface: str, value: float, unit: str, **kw) -> Claim:
    return Claim(doc="t", start=0, end=len(surface), surface=surface, value=value, unit=unit, **kw)


def test_written_scale():
    assert written_scale(claim("36.8亿元", 36.8e8, "CNY")) == (1e8, "亿元", 1)
    assert written_scale(claim("85%", 85.0, "percent")) == (1.0, "%", 0)
    assert written_scale(claim("7.2万个", 72000.0, "count")) == (1e4, "万个", 1)
    assert written_scale(claim("２７１２７．７１元", 27127.71, "CNY")) == (1.0, "元", 2)
    assert written_scale(claim("百分之九十五点三", 95.3, "percent")) == (1.0, "%", 1)
    assert written_scale(claim("三千万元", 3e7, "CNY"))[0] == 1e7


def test_interval_arithmetic():
    a, b = Interval(1.0, 2.0), Interval(3.0, 5.0)
    assert a + b == Interval(4.0, 7.0)
    assert b - a == Interval(1.0, 4.0)
    assert a * b == Interval(3.0, 10.0)
    assert b / a == Interval(1.5, 5.0)
    assert (a / Interval(-1.0, 1.0)).lo == -math.inf
    assert Interval(4.0, 9.0).root(2) == Interval(2.0, 3.0)
    assert not Interval(0, 1).overlaps(Interval(1.01, 2))


def test_growth_example_of_the_brief_is_consistent_under_rounding():
    lo = (Interval(54.75, 54.85) / Interval(36.75, 36.85)).root(5).shift(-1).scale(100)
    assert lo.lo <= 8.29 <= lo.hi


def test_cv_limits_come_from_the_standards_module():
    assert cv_limits("quality_balance_2017") == {"primary": 0.5, "junior": 0.45}
    assert cv_limits("basic_balance_2012") == {"primary": 0.65, "junior": 0.55}


def _partition_doc(parts: list[int], total: int) -> tuple[Document, list[Claim]]:
    names = ["小学", "初中", "九年一贯制学校", "完全中学", "特殊教育学校"][: len(parts)]
    text = (
        f"全县共有学校{total}所，其中"
        + "、".join(f"{n}{p}所" for n, p in zip(names, parts, strict=True))
        + "。"
    )
    claims, pos = [], 0
    for v in [total, *parts]:
        s = f"{v}所"
        i = text.index(s, pos)
        claims.append(
            Claim(
                doc="p",
                start=i,
                end=i + len(s),
                surface=s,
                value=float(v),
                unit="school",
                indicator="school_count",
            )
        )
        pos = i + len(s)
    return Document(doc_id="p", text=text), claims


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 400), min_size=2, max_size=5), st.integers(-3, 3))
def test_partition_flags_exactly_the_wrong_sums(parts, error):
    total = sum(parts) + error
    if total <= 0 or total in parts:
        return
    doc, claims = _partition_doc(parts, total)
    found = check_document(doc, claims)
    assert [f.type for f in found] == ([] if error == 0 else ["parts_total"])
    if error:
        assert found[0].stated == total and found[0].expected == sum(parts)
        assert findings_json(found)["findings"][0]["claims"][0]["surface"] == f"{total}所"
