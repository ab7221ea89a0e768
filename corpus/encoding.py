"""Decoding raw bytes into text: BOMs, UTF-8, GB18030 versus Big5, and a safe last resort.

Order of decisions (``decode_bytes``):

1. A byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides; the mark is dropped.
2. UTF-16 without a mark, recognised by the NUL bytes of its ASCII characters.
3. Strict UTF-8 (the common case, and never wrong when it succeeds on non-ASCII text).
4. A charset the container declares (HTML ``<meta charset>``), when it decodes strictly.
5. GB18030 (a superset of GBK and GB2312) against Big5 (cp950, Big5-HKSCS): every candidate is
   decoded and scored by its share of common Chinese characters, against replacement,
   private-use and control characters. charset-normalizer's guess joins the candidates.
6. UTF-8 with a few bad bytes (a UTF-8 file with junk in it) when that scores best.

Whatever wins, undecodable bytes never raise: the last resort decodes with
``errors="replace"`` and says so in the warnings.

Newlines follow Python's universal-newline reading (``open(f, encoding=...).read()``):
``\\r\\n`` and a lone ``\\r`` become ``\\n``. Offsets of claims point into that text.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

# The most frequent Chinese characters (simplified), plus the vocabulary of education reports.
# Traditional forms are added at first use with OpenCC.
_COMMON_SIMPLIFIED = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
    "数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提"
    "直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计"
    "别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海"
    "口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身"
    "车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石"
    "记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青"
    "省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型"
    "眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
    "校师均衡优质乡镇村舍费亿差异系县域城区财投入教室辅助用房面积仪器设备值骨干专任职称编制招聘"
    "交流轮岗培训改扩新建幼儿园初中小学高中义务残疾随迁子女留守儿童入学率巩固体育艺术音乐美术"
    "多媒体网络图书册平方米万元百分点同比增长年均提高下降减少人次名所个项达到以上以下不低于不超过"
    "推进落实加强完善健全创建评估督导验收整改攻坚规划布局集团化办学智慧课程课堂作业负担减双"
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Declared charset names -> the codec we decode with (a declared GB2312/GBK page often holds
# GBK or GB18030 characters; a declared Big5 page often holds cp950 extensions).
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "hz",
    "big5": "cp950",
    "big-5": "cp950",
    "cp950": "cp950",
    "x-x-big5": "cp950",
    "big5-hkscs": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode": "utf-8",
}

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


class NotText(ValueError):
    """The bytes are not text (binary data)."""


def universal_newlines(text: str) -> str:
    """What ``open(f, newline=None).read()`` does to line ends: ``\\r\\n`` and ``\\r`` -> ``\\n``."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB (``<meta charset>`` or http-equiv)."""
    head = data[:4096]
    m = _META_CHARSET.search(head)
    if m:
        return m.group(1).decode("ascii", "replace").strip().lower()
    m = re.search(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", head, re.IGNORECASE)
    if m:
        return m.group(1).decode("ascii", "replace").lower()
    return None


def normalise_charset(name: str | None) -> str | None:
    if not name:
        return None
    n = name.strip().lower().replace("_", "-")
    if n in _ALIASES:
        return _ALIASES[n]
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    chars = set(_COMMON_SIMPLIFIED)
    try:
        import opencc

        chars |= set(opencc.OpenCC("s2t").convert(_COMMON_SIMPLIFIED))
        chars |= set(opencc.OpenCC("s2tw").convert(_COMMON_SIMPLIFIED))
    except Exception:  # pragma: no cover - OpenCC is a dependency; scoring still works without
        pass
    chars.discard("\n")
    return frozenset(chars)


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_BAD = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]")
_HANGUL_KANA = re.compile(r"[\u3040-\u30ff\uac00-\ud7af\u1100-\u11ff]")


@dataclass(slots=True)
class _Score:
    encoding: str
    text: str
    bad: int  # replacement, private-use, control characters
    common: int  # common Chinese characters
    cjk: int  # all CJK ideographs
    foreign: int  # kana / hangul (a GB or Big5 mis-decode often produces them)

    @property
    def value(self) -> float:
        rare = self.cjk - self.common
        return 3.0 * self.common - 1.0 * rare - 10.0 * self.bad - 2.0 * self.foreign


def _score(encoding: str, data: bytes) -> _Score:
    text = data.decode(encoding, errors="replace")
    common = _common_chars()
    cjk = _CJK.findall(text)
    return _Score(
        encoding=encoding,
        text=text,
        bad=len(_BAD.findall(text)),
        common=sum(1 for c in cjk if c in common),
        cjk=len(cjk),
        foreign=len(_HANGUL_KANA.findall(text)),
    )


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters leave NUL bytes on one side of each pair."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    n = len(even)
    z_even = even.count(0)
    z_odd = odd.count(0)
    # CJK text in UTF-16 has NULs only with its ASCII (digits, newlines, punctuation); a few
    # CJK characters (一 U+4E00) put a NUL on the other side.
    for enc, z_here, z_other in (("utf-16-le", z_odd, z_even), ("utf-16-be", z_even, z_odd)):
        if z_here >= max(2, 0.04 * n) and z_here >= 4 * z_other:
            try:
                text = data[: len(data) - len(data) % 2].decode(enc)
            except UnicodeDecodeError:
                continue
            if len(_BAD.findall(text[:20000])) <= 0.02 * min(len(text), 20000):
                return enc
    return None


def _binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text, or None. Called after BOM and UTF-16 checks."""
    sample = data[:65536]
    if not sample:
        return None
    nul = sample.count(0)
    if nul and nul > max(2, len(sample) // 200):
        return f"binary data ({nul} NUL bytes in the first {len(sample)} bytes)"
    ctrl = sum(
        sample.count(b) for b in (*range(1, 8), 0x0B, *range(0x0E, 0x1A), *range(0x1C, 0x20))
    )
    if ctrl > max(8, len(sample) // 20):
        return f"binary data ({ctrl} control bytes in the first {len(sample)} bytes)"
    return None


def decode_bytes(data: bytes, declared: str | None = None, name: str = "") -> Decoded:
    """Decode ``data`` (see the module docstring); raises ``NotText`` for binary data.

    The returned text has universal newlines applied. ``declared`` is a charset a container
    names (an HTML ``<meta charset>``); it is honoured only when it decodes strictly and
    strict UTF-8 did not.
    """
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                text = data.decode(enc, errors="replace")
                warnings.append(f"undecodable bytes in {enc} text replaced with U+FFFD")
            return Decoded(universal_newlines(text), enc, warnings)

    u16 = _looks_utf16(data)
    if u16:
        body = data[: len(data) - len(data) % 2]
        text = body.decode(u16, errors="replace")
        if len(body) != len(data):
            warnings.append("odd trailing byte of UTF-16 text dropped")
        return Decoded(universal_newlines(text), u16, warnings)

    reason = _binary_reason(data)
    if reason:
        raise NotText(reason)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        alt = _two_byte_utf8_lookalike(data, text)
        if alt is not None:
            return Decoded(universal_newlines(alt.text), alt.encoding, warnings)
        return Decoded(universal_newlines(text), "utf-8", warnings)

    want = normalise_charset(declared)
    if declared and want is None:
        warnings.append(f"declared charset {declared!r} unknown; detected instead")
    if want and want != "utf-8":
        try:
            return Decoded(universal_newlines(data.decode(want)), want, warnings)
        except (UnicodeDecodeError, LookupError):
            warnings.append(
                f"declared charset {declared!r} does not decode the bytes; detected instead"
            )

    # Candidates that decode without errors keep their strict text (no U+FFFD, no warning).
    strict: dict[str, str] = {}
    for enc in ("gb18030", "big5", "cp950", "big5hkscs"):
        with contextlib.suppress(UnicodeDecodeError):
            strict[enc] = data.decode(enc)
    # Score the candidates on a sample (the decision needs no more), then decode everything.
    sample = data[:_SAMPLE_BYTES]
    candidates = ["utf-8", "gb18030", "cp950", "big5hkscs"]
    guess = _charset_normalizer_guess(sample)
    if guess and guess not in candidates:
        candidates.append(guess)
    scores = []
    for enc in candidates:
        try:
            scores.append(_score(enc, sample))
        except LookupError:
            continue
    best = max(scores, key=lambda s: s.value)
    enc = best.encoding
    if enc in ("cp950", "big5hkscs") and "big5" in strict and strict["big5"] == strict.get(enc):
        enc = "big5"
    text = strict.get(enc)
    if text is None:
        text = data.decode(enc, errors="replace")
        n_bad = text.count("\ufffd")
        warnings.append(
            f"decoded as {enc} with {n_bad} undecodable byte sequence(s) replaced by U+FFFD"
        )
    n = max(1, len(best.text))
    if best.bad > 0.3 * n and best.cjk < 0.1 * n:
        raise NotText(f"not text in any known encoding (best guess {enc})")
    return Decoded(universal_newlines(text), enc, warnings)


_ABOVE_0800 = re.compile(r"[\u0800-\U0010ffff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _two_byte_utf8_lookalike(data: bytes, text: str) -> _Score | None:
    """Short GB/Big5 text can be valid UTF-8 by accident (学校 in GB18030 is D1A7 D0A3, which
    UTF-8 reads as Cyrillic). When the UTF-8 reading has non-ASCII characters but none above
    U+07FF (no CJK at all), a GB18030 or Big5 reading made only of CJK characters, most of them
    common, wins."""
    if not _NON_ASCII.search(text) or _ABOVE_0800.search(text):
        return None
    best: _Score | None = None
    for enc in ("gb18030", "cp950"):
        try:
            alt = data.decode(enc)
        except UnicodeDecodeError:
            continue
        sc = _score(enc, data)
        n_non_ascii = len(_NON_ASCII.findall(alt))
        if sc.bad or not sc.cjk or sc.cjk < 0.8 * n_non_ascii or sc.common < 0.5 * sc.cjk:
            continue
        if best is None or sc.value > best.value:
            best = sc
    if best is not None and best.encoding == "cp950":
        try:
            if data.decode("big5") == best.text:
                best.encoding = "big5"
        except UnicodeDecodeError:
            pass
    return best


_SAMPLE_BYTES = 64 * 1024


def _charset_normalizer_guess(data: bytes) -> str | None:
    """charset-normalizer's best guess as a codec name (only as one more candidate)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover
        return None
    try:
        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - a detector failure must not break loading
        return None
    if best is None:
        return None
    return normalise_charset(best.encoding)
