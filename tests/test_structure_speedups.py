"""The fast paths of the per-document passes agree with the plain definitions they replace."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.corpus.analysis import analysis_view, to_halfwidth
from junheng.extract import places
from junheng.extract.structure import analyse

_FW = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="１２３．，（）％　ａ学12. \n元万", max_size=40))
def test_halfwidth_equals_translate(text):
    assert to_halfwidth(text) == text.translate(_FW)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="12.\n \t\r万元学，三", max_size=30))
def test_split_numbers_join_and_map_back(text):
    view = analysis_view(text)
    half = to_halfwidth(text)
    plain = re.compile(
        r"(?<=[0-9.零〇一二两三四五六七八九十百千万亿])[ \t]*\r?\n[ \t]*(?=[0-9.%万亿千百元所个名人倍])"
    )
    assert view.text == plain.sub("", half)
    if view.to_orig is not None:
        assert "".join(half[i] for i in view.to_orig) == view.text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="学(（)）[]【】\n，。", max_size=40), st.integers(0, 40))
def test_bracket_at_is_the_innermost_enclosing_span(text, pos):
    s = analyse(text)
    inside = [(a, b) for a, b in s.bracket_spans if a <= pos < b]
    expected = max(inside) if inside else None  # nested: the latest opening is innermost
    assert s.bracket_at(pos) == expected
    strict = [(a, b) for a, b in inside if a < pos]
    assert s.bracket_at(pos, strict=True) == (max(strict) if strict else None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="青禾县区市自治州人民政府教育局体委在的，", max_size=40))
def test_institution_scan_equals_the_plain_regex(text):
    plain = [m.span() for m in places._INSTITUTION.finditer(text)]
    assert [m.span() for m in places._institutions(text)] == plain


def test_structure_subsets():
    text = "一、概况\n全县有小学29所，初中17所；在校生3万人。其中：城区学校12所！"
    s = analyse(text)
    assert set(s.sent_starts) <= set(s.seg_starts) <= set(s.clause_starts)
    assert [text[p - 1] for p in s.para_starts[1:]] == ["\n"]
    assert s.clause_seps[0] == "" and all(
        text[p - 1] == sep for p, sep in zip(s.clause_starts[1:], s.clause_seps[1:], strict=True)
    )


def test_any_within_overlap():
    from junheng.extract.attributes import _any_within

    spans = ([2, 10], [4, 12])  # words at [2, 4) and [10, 12)
    assert _any_within(spans, 0, 3) and _any_within(spans, 3, 5) and _any_within(spans, 11, 20)
    assert not _any_within(spans, 4, 10) and not _any_within(spans, 12, 30)
    assert not _any_within(([], []), 0, 100)


def test_precheck_keeps_stage_and_area_words_found_in_the_segment():
    from junheng.corpus.document import Document
    from junheng.extract.engine import Extractor

    text = "全县农村小学在校生1.2万人；城区初中专任教师830名。全县共有学校40所。"
    claims = Extractor.default().extract(Document("t.txt", text))
    by_surface = {c.surface: c for c in claims}
    assert by_surface["1.2万人"].level == "primary" and by_surface["1.2万人"].area == "rural"
    assert by_surface["830名"].level == "junior" and by_surface["830名"].area == "urban"
    assert by_surface["40所"].area is None


_WORDS = st.lists(st.text(alphabet="我全县市区", min_size=1, max_size=3), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="我全本县市区学", max_size=40), _WORDS)
def test_word_counts_equal_str_count(text, words):
    # one scan where the words cannot overlap, str.count otherwise: the same counts either way
    words = tuple(dict.fromkeys(words))
    expected = {w: text.count(w) for w in words if text.count(w)}
    assert places._count_words(text, words) == expected


def test_self_reference_words_take_the_one_scan():
    words = tuple(places.config()["self_reference"])
    assert places._word_scan(words) is not None
    assert places._word_scan(("全县", "县域")) is None  # 全县域: both counted by str.count


def test_rule_ties_do_not_depend_on_string_hashing(tmp_path):
    # sets of terms iterate in an order that follows Python's per-process string hash salt;
    # the linker orders its candidate rules itself, so indicators are the same in every process
    import os
    import subprocess
    import sys
    from pathlib import Path

    samples = Path(__file__).resolve().parents[1] / "corpus" / "samples"
    code = (
        "import sys\n"
        "from junheng.corpus.load import iter_paths, load_path\n"
        "from junheng.extract.engine import Extractor\n"
        "ex = Extractor.default()\n"
        "for p in iter_paths([sys.argv[1]]):\n"
        "    for c in ex.extract(load_path(p)):\n"
        "        print(c.id, c.indicator, c.level, c.subject)\n"
    )
    outs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run(
            [sys.executable, "-c", code, str(samples)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        outs.add(proc.stdout)
    assert len(outs) == 1 and len(next(iter(outs)).splitlines()) > 200
