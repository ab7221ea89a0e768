"""Word lists as trie regexes mean exactly what a longest-first alternation means."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.extract.wordlist import alternation, trie_pattern

ALPHABET = "生均师比学校经费元(.*"
words = st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=5), min_size=1, max_size=12)
texts = st.text(alphabet=ALPHABET, max_size=60)


def _plain(ws: list[str], suffix: str = "") -> re.Pattern:
    alt = "|".join(re.escape(w) for w in sorted(set(ws), key=len, reverse=True))
    return re.compile(f"(?:{alt}){suffix}")


@settings(max_examples=400, deadline=None)
@given(words, texts)
def test_trie_matches_like_a_longest_first_alternation(ws, text):
    expected = [m.span() for m in _plain(ws).finditer(text)]
    assert [m.span() for m in alternation(ws).finditer(text)] == expected


@settings(max_examples=400, deadline=None)
@given(words, texts)
def test_trie_backtracks_to_shorter_words(ws, text):
    # what follows the word decides: a shorter word is tried when the longest cannot go on
    trie = re.compile(f"(?:{trie_pattern(ws)})经")
    assert [m.span() for m in trie.finditer(text)] == [
        m.span() for m in _plain(ws, "经").finditer(text)
    ]


def test_trie_shape_and_edge_cases():
    assert trie_pattern(["生均", "生师比", "生"]) == "生(?:均|师比)?"
    assert alternation([]).search("anything") is None
    assert alternation(["", "校"]).search("学校").group() == "校"
    assert alternation(["a.b"]).search("axb") is None  # words are literal
