"""Word lists as regular expressions that scan fast.

Python's ``re`` tries the branches of an alternation one after another, so a list of a few
hundred cue words costs a few hundred comparisons at every position. The same list written as
a character trie (``生(?:均(?:经费|用房)|师比)``) costs one comparison per character on the
path actually taken. The trie keeps the meaning of a longest-first alternation: at a given
position the longest word that matches wins, and a shorter one is tried when what follows the
word in a larger pattern fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # key of the end-of-word mark in a trie node


def trie_pattern(words: Iterable[str]) -> str:
    """A regex source matching exactly the given words, longest match first at a position."""
    root: dict = {}
    for w in set(words):
        if not w:
            continue
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[_END] = True
    if not root:
        return "(?!)"
    return _node(root)


def _node(node: dict) -> str:
    """The regex of what may follow a trie node ("" when only the end of a word may)."""
    branches = [re.escape(ch) + _node(node[ch]) for ch in sorted(k for k in node if k != _END)]
    if not branches:
        return ""
    if len(branches) == 1:
        body = branches[0]
        single = len(body) == 1 or (len(body) == 2 and body[0] == "\\")
        if _END not in node:
            return body
        return f"{body}?" if single else f"(?:{body})?"
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if _END in node else body


def alternation(words: Iterable[str]) -> re.Pattern:
    """The words as one compiled trie pattern. No look-ahead in front: ``re`` reads the set of
    first characters off the trie's top branches itself and skips to them at C speed (a
    leading look-ahead would turn that off and cost about four times as much)."""
    return re.compile(trie_pattern(words))
