"""Repeated bodies: exact offsets, whitespace differences, and no false alarms."""

from __future__ import annotations

from junheng.corpus.duplicates import detect_duplicates, duplicate_of

P1 = "近年来，全县新建、改扩建学校11所，新增学位约4200个。"
P2 = "小学、初中校际差异系数分别为0.386和0.342，均达到国家标准。"
P3 = "全县一般公共预算教育经费由2020年的8.12亿元增长到2023年的10.35亿元。"
LONG = "办好每一所家门口的学校是我们的共同责任。" * 12  # > 200 characters


def check_exact(text, dups):
    for d in dups:
        n = d.end - d.start
        assert n > 0
        assert text[d.start : d.end] == text[d.first_start : d.first_start + n]
        assert d.first_start + n <= d.start  # the first copy comes before


def test_body_printed_twice():
    body = f"  {P1}\n\n  {P2}\n\n  {P3}\n"
    title = "江城市推进义务教育优质均衡发展"
    text = (
        f"{title}\n作者: 发布时间:2023-09-12\n{body}责任编辑:李明\n\n"
        f"{title}\n发布时间:2023-09-12\n{body}责任编辑:李明\n"
    )
    dups = detect_duplicates(text)
    check_exact(text, dups)
    second = text.index(P1, text.index(P1) + 1)
    covered = [(d.start, d.end) for d in dups]
    # the whole second body, through the editor line, is one piece
    assert any(s <= second and e >= text.rindex("责任编辑:李明") + 7 for s, e in covered)
    # the repeated title line next to it joins
    assert any(text[s:e] == title and s > text.index(P3) for s, e in covered)
    # nothing in the first copy is marked
    assert all(s > text.index(P3) for s, _ in covered)


def test_duplicate_of_maps_offsets():
    text = f"{P1}\n{P2}\n正文结束。\n{P1}\n{P2}\n"
    dups = detect_duplicates(text)
    assert len(dups) == 1
    i = text.rindex("0.386")
    j = duplicate_of(dups, i, i + 5)
    assert j is not None and text[j[0] : j[1]] == "0.386" and j[0] == text.index("0.386")
    assert duplicate_of(dups, text.index("0.386"), text.index("0.386") + 5) is None


def test_whitespace_differences_give_exact_pieces():
    a = f"{P1}\n{P2}\n"
    b_p1 = P1.replace("，全县", "， 全县")  # an extra space inside
    b = f"{b_p1}\n\n{P2}\n"  # and an extra blank line
    text = f"{a}其他内容其他内容。\n{b}"
    dups = detect_duplicates(text)
    check_exact(text, dups)
    start2 = len(a) + len("其他内容其他内容。\n")
    covered = sum(d.end - d.start for d in dups if d.start >= start2)
    # everything but whitespace of the second copy is covered
    assert covered >= len(P1) + len(P2)
    assert len(dups) >= 3  # split at the space and at the blank line
    k = text.index("4200", start2)
    j = duplicate_of(dups, k, k + 4)
    assert j == (text.index("4200"), text.index("4200") + 4)


def test_single_long_paragraph_repeated():
    text = f"{P1}\n{LONG}\n{P2}\n{LONG}\n"
    dups = detect_duplicates(text)
    check_exact(text, dups)
    assert len(dups) == 1 and dups[0].start == text.rindex(LONG)


def test_no_false_alarms():
    # a short repeated sentence is a restatement, not a duplicate body
    text = f"{P1}\n{P2}\n总结：\n{P2}\n{P3}\n谢谢大家！\n谢谢大家！\n"
    assert detect_duplicates(text) == []
    assert detect_duplicates("") == []
    assert detect_duplicates(P1) == []


def test_three_copies_point_to_the_first():
    block = f"{P1}\n{P2}\n{P3}\n"
    text = block + "——\n" + block + "——\n" + block
    dups = detect_duplicates(text)
    check_exact(text, dups)
    assert {d.first_start for d in dups} == {0}
    assert len(dups) == 2


def test_crlf_lines():
    text = f"{P1}\r\n{P2}\r\n分隔\r\n{P1}\r\n{P2}\r\n"
    dups = detect_duplicates(text)
    check_exact(text, dups)
    assert dups and dups[0].start == text.rindex(P1)


def test_speed_is_linear():
    import time

    paras = [f"第{i}段：全县共有学校{i}所，新增学位{i * 7}个。" for i in range(20000)]
    text = "\n".join(paras + paras[:5000])
    t0 = time.perf_counter()
    dups = detect_duplicates(text)
    assert time.perf_counter() - t0 < 2.0
    check_exact(text, dups)
    assert dups[0].start == text.index(paras[0], 1)
