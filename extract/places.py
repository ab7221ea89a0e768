"""Place names: a gazetteer of Chinese provinces, cities and counties, anonymised places
(``**市``, ``XXX县``), and the document's own place behind 我县/全市.

The gazetteer is the adcode table of the ``cpca`` package, read as data (the package itself is
never imported, which keeps start-up fast).
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from junheng.extract.wordlist import trie_pattern


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    code: str  # 12-digit adcode, "" for anonymised places
    rank: int  # 1 province, 2 city, 3 county, 0 anonymised/unknown


@dataclass(slots=True)
class PlaceMention:
    start: int
    end: int
    place: Place


@lru_cache(maxsize=1)
def config() -> dict:
    with (
        resources.files("junheng.extract").joinpath("data/places.yaml").open(encoding="utf-8") as fh
    ):
        return yaml.safe_load(fh)


def _adcode_file() -> Path | None:
    try:
        import importlib.util

        spec = importlib.util.find_spec("cpca")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    return p if p.exists() else None


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Full names (嘉定区, 常州市, 江苏省) -> Place. Ambiguous county names keep the first code."""
    out: dict[str, Place] = {}
    path = _adcode_file()
    if path is None:
        return out
    stop = set(config()["not_places"])
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name, code = row["name"], row["adcode"]
            if name in stop or len(name) < 2:
                continue
            if code.endswith("0000000000"):
                rank = 1
            elif code.endswith("00000000"):
                rank = 2
            else:
                rank = 3
            if name not in out or out[name].rank > rank:
                out[name] = Place(name, code, rank)
    return out


@lru_cache(maxsize=1)
def _short_names() -> dict[str, str]:
    """常州 -> 常州市 (cities and provinces only, names of 2+ characters after the suffix goes)."""
    out: dict[str, str] = {}
    for name, p in gazetteer().items():
        if p.rank in (1, 2):
            for suf in ("特别行政区", "自治区", "省", "市"):
                if name.endswith(suf) and len(name) - len(suf) >= 2:
                    out.setdefault(name[: -len(suf)], name)
    return out


_SUFFIX_CHARS = "省市区县州旗盟"
_SUFFIX = re.compile(f"[{_SUFFIX_CHARS}]")


@lru_cache(maxsize=1)
def _anon() -> re.Pattern:
    return re.compile(config()["anonymised"])


@lru_cache(maxsize=1)
def _lengths() -> dict[str, tuple[int, ...]]:
    """For each suffix character, the lengths of gazetteer names ending in it, longest first."""
    out: dict[str, set[int]] = {c: set() for c in _SUFFIX_CHARS}
    for name in gazetteer():
        if name[-1] in out:
            out[name[-1]].add(len(name))
    return {c: tuple(sorted(v, reverse=True)) for c, v in out.items()}


@lru_cache(maxsize=1)
def _endings() -> frozenset[str]:
    """The last two characters of every gazetteer name: most suffix characters in a text
    (全县, 城区, 市场) end no name, and this set says so with one look-up."""
    return frozenset(name[-2:] for name in gazetteer())


def find_places(text: str) -> list[PlaceMention]:
    """All gazetteer and anonymised place mentions, leftmost-longest, in text order."""
    gz = gazetteer()
    out: list[PlaceMention] = []
    cfg = config()
    stop_next = cfg["not_followed_by"]
    risky = cfg["risky_first_chars"]
    taken_until = -1
    lengths = _lengths()
    endings = _endings()
    for m in _SUFFIX.finditer(text):
        e = m.end()
        if text[e - 2 : e] not in endings:
            continue
        for k in lengths[m.group()]:
            s = e - k
            if s < 0 or s < taken_until:
                continue
            p = gz.get(text[s:e])
            if p is not None:
                if e < len(text) and text[e] in stop_next:
                    break
                if k == 2 and text[s] in risky:
                    break
                # 市 in 市辖区 / 常州市区: do not take a name that runs on into a longer suffix
                out.append(PlaceMention(s, e, p))
                taken_until = e
                break
    for m in _anon().finditer(text):
        out.append(PlaceMention(m.start(), m.end(), Place(m.group(), "", 0)))
    out.sort(key=lambda pm: pm.start)
    return out


_BODIES = r"(?=人民政府|政府|教育局|教育体育局|教体局|教育督导|人大|委员会|区委|县委|市委|委书记|委副书记|委常委|副?市长|副?县长|副?区长|副?州长)"
_INSTITUTION = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:自治县|自治州|县|区|市|旗|省))" + _BODIES)
# where an institution name can end: the last character of its place suffix
_INSTITUTION_END = re.compile(r"[县州区市旗省]" + _BODIES)


_DATE_TAIL = re.compile(r"^[年月日号](?:前|后|底|初|末|起)?(?:报|向|由|经|至|到|送)?")


def _institutions(text: str):
    """``_INSTITUTION.finditer(text)``, but the lazy name prefix is tried only near a place
    suffix that an institution word follows (a match starts at most 6 characters before it
    and its look-ahead reads at most 5 after it), instead of at every Chinese character."""
    pos = 0
    for q in _INSTITUTION_END.finditer(text):
        if q.start() < pos:
            continue
        m = _INSTITUTION.search(text, max(pos, q.start() - 6), q.end() + 5)
        if m is None:
            continue
        yield m
        pos = m.end()


GENERIC = re.compile(
    r"^(?:市辖区|城区|新区|学区|园区|校区|示范区|实验区|开发区|高新区|辖区|片区|社区)$|[全我本该各此其于之的和与及在对]"
)


def local_names(text: str, title: str | None) -> list[PlaceMention]:
    """Places the gazetteer does not know (a new county name, or an invented one in a sample):
    a name in front of an institution (青禾县人民政府, 江城市教育局) or at the head of the title
    (青禾县义务教育…报告), counted wherever it recurs in the text."""
    gz = gazetteer()
    names: set[str] = set()
    for m in _institutions(text):
        name = m.group(1).removeprefix("中共")  # 中共檀溪区委书记: the party's, of 檀溪区
        if m.start(1) > 0 and text[m.start(1) - 1].isdigit():
            # 2023年澄溪县人民政府, 12月31日前报省人民政府: the end of a date is no name
            name = _DATE_TAIL.sub("", name)
        if len(name) >= 3 and name not in gz and not GENERIC.search(name):
            names.add(name)
    if title:
        m = re.match(r"(?:关于)?([\u4e00-\u9fff]{2,4}?(?:县|区|市|旗))", title.strip("# "))
        if m and m.group(1) not in gz and not GENERIC.search(m.group(1)):
            names.add(m.group(1))
    out = []
    for name in names:
        rank = 1 if name.endswith("省") else 2 if name.endswith(("市", "州")) else 3
        start = text.find(name)
        while start >= 0:
            out.append(PlaceMention(start, start + len(name), Place(name, "", rank)))
            start = text.find(name, start + len(name))
    return out


_PARA_HEAD = re.compile(
    r"(?m)^[ \t\u3000]*([\u4e00-\u9fff]{2,3}(?:区|县|市|旗))(?=[在作是的以将把对通近])"
)


def local_mentions(text: str, known: set[str]) -> list[PlaceMention]:
    """Places the gazetteer does not know that open a paragraph (城南区在会上作交流发言) and are
    named at least twice in the text."""
    out = []
    for m in _PARA_HEAD.finditer(text):
        name = m.group(1)
        if name in known or GENERIC.search(name) or text.count(name) < 2:
            continue
        rank = 2 if name.endswith("市") else 3
        out.append(PlaceMention(m.start(1), m.end(1), Place(name, "", rank)))
    return out


def contains(outer: Place, inner: Place) -> bool:
    """Whether ``inner`` lies within ``outer`` by adcode."""
    if not outer.code or not inner.code or outer.rank >= inner.rank:
        return False
    prefix = outer.code[: 2 if outer.rank == 1 else 4]
    return inner.code.startswith(prefix)


def resolve_short(name: str) -> str | None:
    return _short_names().get(name)


@lru_cache(maxsize=8)
def _word_scan(words: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for all ``words`` when no occurrence of one can overlap another's (none
    inside another, no end of one that begins another): then a single left-to-right scan counts
    each word exactly as ``str.count`` does. None when they can overlap."""
    for a in words:
        for b in words:
            if a != b and (a in b or any(a.endswith(b[:k]) for k in range(1, len(b)))):
                return None
    return re.compile(trie_pattern(words))


def _count_words(text: str, words: tuple[str, ...]) -> dict[str, int]:
    """``{w: text.count(w)}`` for the words that occur (in the order of ``words``), in one
    scan where that is exact."""
    pattern = _word_scan(words)
    if pattern is None:
        return {w: n for w in words if (n := text.count(w))}
    found = Counter(pattern.findall(text))
    return {w: found[w] for w in words if w in found}


def without_inner(mentions: list[PlaceMention], local: list[PlaceMention]) -> list[PlaceMention]:
    """Gazetteer mentions that are not inside a longer name the document uses (岚县 in 青岚县)."""
    if not local:
        return mentions
    spans = sorted((lm.start, lm.end) for lm in local)
    starts = [a for a, _ in spans]
    out = []
    for pm in mentions:
        i = bisect_right(starts, pm.start) - 1
        if (
            i >= 0
            and spans[i][0] <= pm.start
            and pm.end <= spans[i][1]
            and (spans[i][1] - spans[i][0] > pm.end - pm.start)
        ):
            continue
        out.append(pm)
    return out


def _title_place(title: str, mentions: list[PlaceMention]) -> Place | None:
    """The place the title opens with (关于青禾县…, 青岚县通过…), among those the text names."""
    t = title.strip("# ").removeprefix("关于")
    best = None
    for pm in mentions:
        if t.startswith(pm.place.name) and (best is None or len(pm.place.name) > len(best.name)):
            best = pm.place
    return best


def document_region(
    text: str,
    title: str | None = None,
    mentions: list[PlaceMention] | None = None,
    local: list[PlaceMention] | None = None,
) -> str | None:
    """The place a document is about: the most mentioned place at the rank its self-references
    (我区/全市/本县) point to; an anonymised place counts like a named one; ``(unnamed county)``
    when the text says 我县 but never names one. ``mentions``: ``find_places(text)`` and
    ``local``: ``local_names(text, title)``, if the caller has them already."""
    cfg = config()
    head = text[:3000]
    if mentions is None:
        mentions = find_places(text)
    local = local_names(text, title) if local is None else local
    mentions = without_inner(mentions, local) + local
    selfref: Counter[str] = Counter()
    strong: Counter[str] = (
        Counter()
    )  # 我市/本市, not 全市 (全省平均水平 compares, it does not speak)
    for w, n in _count_words(text, tuple(cfg["self_reference"])).items():
        selfref[w[-1]] += n * cfg["self_reference"][w]
        if cfg["self_reference"][w] >= 2:
            strong[w[-1]] += n
    spec = cfg["specificity"]
    counts: Counter[Place] = Counter(pm.place for pm in mentions)
    if title:
        for pm in find_places(title):
            counts[pm.place] += 3
        for short, full in _short_names().items():
            if title.startswith(short) and full in gazetteer():
                counts[gazetteer()[full]] += 3
    if title:
        # 青岚县通过…认定 on a city's website (我市青岚县): a county or district that opens the
        # title and recurs in the text is what the document is about
        lead = _title_place(title, mentions)
        if lead is not None and counts[lead] >= 2 and lead.rank in (0, 3):
            return lead.name
    if not counts:
        if selfref:
            suffix = min(selfref, key=lambda suf: (-selfref[suf], spec.find(suf)))
            return cfg["unnamed"].get(suffix)
        return None
    wanted = None
    if selfref:
        wanted = min(selfref, key=lambda suf: (-selfref[suf], spec.find(suf)))
    if wanted:
        same = [(n, p) for p, n in counts.items() if p.name.endswith(wanted)]
        if same:
            same.sort(key=lambda x: (-x[0], head.find(x[1].name) if x[1].name in head else 10**9))
            return same[0][1].name
        if not any(p.name.endswith(wanted) for p in counts) and (strong[wanted] or not counts):
            # 全市/我市 throughout but no city named: the document's place is a city it never
            # names, not one of the districts it mentions
            return cfg["unnamed"].get(wanted)
    # no self-reference decides: the most mentioned place, preferring the more specific of a
    # parent and a child mentioned about as often
    best, n_best = counts.most_common(1)[0]
    for p, n in counts.items():
        if contains(best, p) and n >= max(2, n_best // 2):
            best, n_best = p, n
    return best.name
