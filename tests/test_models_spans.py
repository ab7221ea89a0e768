"""Character BIO tags, windows and span scores (no torch needed)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from junheng.models.record_check import read_claims
from junheng.models.silver import SilverDoc, gold_spans, split_docs
from junheng.models.spans import (
    B,
    I,
    O,
    bio_tags,
    decode_runs,
    decode_tags,
    score_spans,
    trim,
    windows,
)


def test_bio_tags_and_back():
    tags = bio_tags(12, [(2, 5), (7, 8)])
    assert tags == [O, O, B, I, I, O, O, B, O, O, O, O]
    assert decode_tags(tags) == [(2, 5), (7, 8)]


def test_adjacent_spans_stay_apart():
    tags = bio_tags(6, [(0, 2), (2, 4)])
    assert tags == [B, I, B, I, O, O]
    assert decode_tags(tags) == [(0, 2), (2, 4)]


def test_overlapping_spans_keep_the_first():
    assert decode_tags(bio_tags(8, [(1, 5), (3, 7)])) == [(1, 5)]


def test_stray_inside_tag_starts_a_span():
    assert decode_tags([O, I, I, O, B, I]) == [(1, 3), (4, 6)]


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 6)), max_size=8))
def test_disjoint_spans_round_trip(raw):
    spans, taken = [], set()
    for s, n in raw:
        cells = set(range(s, s + n))
        if not cells & taken:
            taken |= cells
            spans.append((s, s + n))
    assert decode_tags(bio_tags(70, spans)) == sorted(spans)


@given(st.integers(0, 2000), st.integers(1, 300), st.integers(1, 300))
def test_windows_cover_every_character(length, size, stride):
    stride = min(stride, size)
    ws = windows(length, size, stride)
    covered = set()
    for s, e in ws:
        assert 0 <= s < e <= length and e - s <= size
        covered.update(range(s, e))
    assert covered == set(range(length))
    assert not ws or ws[-1][1] == length


def test_windows_reject_bad_sizes():
    with pytest.raises(ValueError, match="positive"):
        windows(10, 0, 1)


def test_decode_runs_keeps_numbers_whole():
    #        1     6     2     7     8     .     3     元    ，    2     0
    prob = [0.9, 0.2, 0.3, 0.8, 0.9, 0.9, 0.7, 0.8, 0.1, 0.6, 0.2]
    # without number runs the number falls apart; with them 16278.3 is in as a whole
    assert decode_runs(prob) == [(0, 1), (3, 8), (9, 10)]
    assert decode_runs(prob, [(0, 7), (9, 11)]) == [(0, 8)]
    assert decode_runs([0.4, 0.6], [(0, 2)]) == [(0, 2)]
    assert decode_runs([]) == []


def test_trim_whitespace():
    assert trim(" 12所 ", 0, 5) == (1, 4)


def test_span_scores_exact_and_overlap():
    sc = score_spans([(0, 3), (10, 14), (20, 22)], [(0, 3), (11, 14), (30, 31)]).to_dict()
    assert sc["exact"]["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert sc["overlap"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert sc["overlap"]["recall"] == pytest.approx(2 / 3, abs=1e-4)


def test_overlap_pairs_are_one_to_one():
    # one long prediction over two reference spans matches only one of them
    sc = score_spans([(0, 10)], [(0, 4), (5, 10)])
    assert sc.overlap == 1 and sc.exact == 0


def test_split_is_deterministic_and_disjoint():
    docs = [SilverDoc(f"d{i}.txt", "文本") for i in range(10)]
    a = split_docs(docs, 0.3, seed=1)
    b = split_docs(list(reversed(docs)), 0.3, seed=1)
    assert [d.doc_id for d in a[1]] == [d.doc_id for d in b[1]]
    assert len(a[1]) == 3 and not {d.doc_id for d in a[0]} & {d.doc_id for d in a[1]}
    assert len(split_docs(docs[:2], 0.1)[1]) == 1
    with pytest.raises(ValueError, match="holdout"):
        split_docs(docs, 1.0)


def test_gold_spans_names_bad_lines(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"start": 1, "end": 3}\nnot json\n{"start": 5}\n', encoding="utf-8"
    )
    errors: list[str] = []
    assert gold_spans(tmp_path, errors) == {"a": [(1, 3)]}
    assert [e.split(":")[:2] for e in errors] == [["a.jsonl", "2"], ["a.jsonl", "3"]]


def test_read_claims_skips_and_names_bad_rows(tmp_path):
    good = {
        "doc": "x.txt",
        "start": 0,
        "end": 3,
        "surface": "12所",
        "subject": "学校",
        "unit": "school",
        "indicator": "other",
    }
    rows = [
        json.dumps(good, ensure_ascii=False),
        "{oops",
        json.dumps({**good, "end": 0}),
        json.dumps({**good, "unit": "furlong"}),
        json.dumps([1, 2]),
        "",
    ]
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(rows), encoding="utf-8")
    claims, problems = read_claims(p)
    assert [c.surface for c in claims] == ["12所"]
    assert problems[0].startswith("c.jsonl:2: not JSON")
    assert "c.jsonl:3: column 'end'" in problems[1]
    assert "c.jsonl:4: column 'unit'" in problems[2]
    assert "c.jsonl:5: not a JSON object" in problems[3]


def test_compare_lists_disagreements_for_review():
    from junheng.extract.record import Claim
    from junheng.models.infer import compare
    from junheng.models.spans import Span

    text = "新建学校12所，投入3.5亿元，第二中学有1200名学生。"

    def claim(surface):
        s = text.index(surface)
        return Claim(doc="d.txt", start=s, end=s + len(surface), surface=surface)

    def span(surface):
        s = text.index(surface)
        return Span("d.txt", s, s + len(surface), surface, 0.9)

    doc = SilverDoc("d.txt", text, [claim("12所"), claim("3.5亿元"), claim("1200名")])
    got = compare(doc, [span("12所"), span("3.5亿"), span("二")])
    kinds = [(d.kind, d.surface) for d in got]
    assert kinds == [("boundary", "3.5亿元"), ("tagger_only", "二"), ("rules_only", "1200名")]
    b = got[0]
    assert b.tagger_span == (b.start, b.end - 1) and b.rule_span == (b.start, b.end)
    assert "亿元，第[二]中学有" in got[1].context
    assert all(text[d.start : d.end] == d.surface for d in got)


def test_tag_docs_drops_spans_in_page_chrome():
    from junheng.models.infer import tag_docs
    from junheng.models.spans import Span

    class Fixed:
        """Stands in for a tagger: every run of digits is a span."""

        def tag(self, texts, doc_ids):
            import re

            return [
                [Span(d, m.start(), m.end(), m.group()) for m in re.finditer(r"\d+", t)]
                for t, d in zip(texts, doc_ids, strict=True)
            ]

    text = "新建学校12所。全文共5225字，点击数88"
    chrome = [(text.index("全文"), len(text))]
    got = tag_docs(Fixed(), [SilverDoc("d.txt", text, [], chrome), SilverDoc("e.txt", text)])
    assert [s.surface for s in got[0]] == ["12"]
    assert [s.surface for s in got[1]] == ["12", "5225", "88"]
