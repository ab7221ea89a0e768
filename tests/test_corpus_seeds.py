"""Structural facts about the seed documents in ../shared/seeds (skipped when absent)."""

from __future__ import annotations

import pytest

from junheng.corpus.load import iter_paths, load_path

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def seeds(shared_dir):
    docs = {p.name[:3]: load_path(p) for p in iter_paths(shared_dir / "seeds")}
    if len(docs) < 5:
        pytest.skip("fewer than five seeds")
    return docs


def covered(spans, i):
    return any(s <= i < e for s, e in spans)


def test_seed_text_is_the_file(seeds, shared_dir):
    for d in seeds.values():
        with open(shared_dir / "seeds" / d.doc_id, encoding="utf-8") as f:
            assert d.text == f.read()
        assert d.encoding == "utf-8" and d.warnings == []


def test_001_second_copy_is_a_duplicate(seeds):
    d = seeds["001"]
    text = d.text
    assert d.duplicates
    for x in d.duplicates:
        assert text[x.start : x.end] == text[x.first_start : x.first_start + x.end - x.start]
    # every body paragraph of the second half (after the first 责任编辑 line) is covered,
    # and nothing before it is
    cut = text.index("责任编辑") + 1
    assert all(x.start >= cut for x in d.duplicates)
    pos = cut
    n_checked = 0
    for line in text[cut:].split("\n"):
        i = text.index(line, pos) if line else pos
        pos = i + len(line)
        if len(line.strip()) >= 20 and "发布时间" not in line:
            k = i + len(line) - len(line.lstrip())
            assert any(x.start <= k < x.end for x in d.duplicates), line[:30]
            n_checked += 1
    assert n_checked >= 10
    assert sum(x.end - x.start for x in d.duplicates) > 0.4 * len(text)


def test_001_chrome(seeds):
    d = seeds["001"]
    for needle in ("我要投稿", "首页 >", "发布时间", "责任编辑"):
        assert covered(d.chrome, d.text.index(needle)), needle
    assert d.date == "2024-04-17" and d.year == 2024
    assert d.title and d.title.startswith("常州")


def test_002_chrome_and_date(seeds):
    d = seeds["002"]
    for needle in ("当前位置", "点击数", "分享到"):
        assert covered(d.chrome, d.text.index(needle)), needle
    assert d.year == 2022 and d.date.startswith("2022-")
    assert not d.duplicates


def test_003_toc_and_paywall_lines(seeds):
    d = seeds["003"]
    text = d.text
    toc = text.index("目录")
    assert covered(d.chrome, toc)
    # the TOC headings are chrome up to the talk's title, which is not
    first_body = text.index("同志们")
    title_line = text.rfind("\n", 0, first_body - 1) + 1
    for k in range(toc, title_line - 1):
        if not text[k].isspace():
            assert covered(d.chrome, k)
    assert not covered(d.chrome, title_line)
    assert d.title == text[title_line : first_body - 1].strip()
    for needle in ("省略858字", "全文共5225字", "当前仅显示2408字"):
        assert covered(d.chrome, text.index(needle)), needle
    # the paragraph the paywall note ends is body
    line_start = text.rfind("\n", 0, text.index("全文共5225字")) + 1
    assert not covered(d.chrome, line_start)


def test_004_traditional(seeds):
    d = seeds["004"]
    assert d.year == 2021 and d.date == "2021-03-29"
    assert covered(d.chrome, d.text.index("更新時間"))
    assert covered(d.chrome, d.text.index("以下是為您推薦"))
    for k in ("第1篇", "第2篇"):
        assert covered(d.chrome, d.text.index(k)), k


def test_000_no_duplicates_and_reprint_line(seeds):
    d = seeds["000"]
    assert not d.duplicates
    assert covered(d.chrome, d.text.index("如若转载"))
    assert d.year == 2024


def test_gold_claims_are_not_chrome(seeds, shared_dir):
    """No hand-checked claim lies in chrome; a claim in a repeated body maps, through its
    DuplicateBody, onto a claim with the same surface in the first copy."""
    import json

    from junheng.corpus.duplicates import duplicate_of

    n_mapped = 0
    for gold in sorted((shared_dir / "gold").glob("*.jsonl")):
        d = seeds[gold.name[:3]]
        claims = [json.loads(x) for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()]
        spans = {(c["start"], c["end"]) for c in claims}
        for c in claims:
            assert d.text[c["start"] : c["end"]] == c["surface"]
            assert not any(s < c["end"] and c["start"] < e for s, e in d.chrome), c["surface"]
            first = duplicate_of(d.duplicates, c["start"], c["end"])
            if first is not None:
                assert d.text[first[0] : first[1]] == c["surface"]
                assert first in spans, c["surface"]
                n_mapped += 1
    assert n_mapped >= 10
