"""Parsing of numbers as Chinese documents write them: Arabic, full-width, Chinese numerals
(simplified, traditional, financial), 万/亿 multipliers, 百分之…点…, and 几 as an unknown digit.

The character tables live in data/numerals.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def tables() -> dict:
    with (
        resources.files("junheng.extract")
        .joinpath("data/numerals.yaml")
        .open(encoding="utf-8") as fh
    ):
        return yaml.safe_load(fh)


@lru_cache(maxsize=1)
def _maps() -> tuple[
    dict[str, int], dict[str, int], dict[str, int], frozenset[str], frozenset[str]
]:
    t = tables()
    return (
        {k: int(v) for k, v in t["digits"].items()},
        {k: int(v) for k, v in t["small_units"].items()},
        {k: int(v) for k, v in t["large_units"].items()},
        frozenset(t["decimal_point"]),
        frozenset(t["unknown_digit"]),
    )


class NumeralError(ValueError):
    pass


def _parse_int_cn(s: str) -> int:
    """Integer part of a Chinese numeral: 三千二百 / 一万二千三百四十五 / 二〇二四 / 十五."""
    digits, small, large, _, _ = _maps()
    if not s:
        raise NumeralError("empty numeral")
    if all(c in digits for c in s):  # positional: 二〇二四, 一二
        return int("".join(str(digits[c]) for c in s))
    total = 0  # closed sections (above the current large unit)
    section = 0  # the current section below 万
    number: int | None = None  # the pending digit
    last_large: int | None = None
    for c in s:
        if c in digits:
            if number:  # 十三五: two digits in a row outside a positional numeral
                raise NumeralError(f"not a well-formed numeral: {s!r}")
            number = digits[c]
        elif c in small:
            section += (1 if number is None else number) * small[c]
            number = None
        elif c in large:
            unit = large[c]
            section += number or 0
            number = None
            if last_large is not None and unit > last_large:
                # 三千万亿-style stacking: multiply everything so far
                total = (total + section) * unit
            else:
                total += (section or (1 if total == 0 else 0)) * unit
            section = 0
            last_large = unit
        else:
            raise NumeralError(f"not a numeral character: {c!r}")
    if number is not None:
        # 一万二 = 12000, 三百五 = 350: a trailing digit after a unit scales one step down
        prev = s[-2] if len(s) >= 2 else ""
        if prev in small and small[prev] >= 100:
            number *= small[prev] // 10
        elif prev in large:
            number *= large[prev] // 10
        section += number
    return total + section


def parse_cn(s: str) -> float:
    """A Chinese numeral (no 几) to a number: 零点四一 -> 0.41, 三千二百 -> 3200, 一点二亿 -> 1.2e8."""
    digits, _, _, points, _ = _maps()
    for p in points:
        if p in s:
            ip, _, fp = s.partition(p)
            core = fp.rstrip("万亿萬億")  # 一点二亿: the multiplier scales the whole number
            if not core or not all(c in digits for c in core):
                raise NumeralError(f"bad decimal part in {s!r}")
            whole = _parse_int_cn(ip) if ip else 0
            v = float(f"{whole}.{''.join(str(digits[c]) for c in core)}")
            return scaled(v, multiplier(fp[len(core) :])) if len(core) < len(fp) else v
    return float(_parse_int_cn(s))


def parse_cn_range(s: str) -> tuple[float, float]:
    """A numeral that may contain 几: 十几 -> (10, 19), 几十 -> (10, 90), 几百 -> (100, 900)."""
    _, _, _, _, unknown = _maps()
    if not any(c in unknown for c in s):
        v = parse_cn(s)
        return v, v
    lo = s
    hi = s
    for u in unknown:
        lo = lo.replace(u, "一" if s.startswith(u) else "零")
        hi = hi.replace(u, "九")
    low = parse_cn(lo.replace("十零", "十").rstrip("零") or "零")
    return low, parse_cn(hi)


_AR = re.compile(r"\d+(?:\.\d+)?")
_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_ARABIC_TOKEN = re.compile(r"(\d[\d,]*(?:\.\d+)?)([十百千万亿萬億]*)")
_MULT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def scaled(v: float, factor: float) -> float:
    """``v * factor`` without binary noise: 1.12 * 1e8 is 112000000.00000001 in floats, and a
    figure written with at most a few decimals has no such digits."""
    return round(v * factor, 6) if factor != 1.0 else v


def multiplier(chars: str) -> float:
    """万 -> 1e4, 亿 -> 1e8, 千万 -> 1e7, 万亿 -> 1e12 (traditional forms accepted)."""
    m = 1.0
    for c in chars.replace("萬", "万").replace("億", "亿"):
        m *= _MULT[c]
    return m


def parse_arabic(s: str) -> float:
    """Arabic digits with thousands separators (1,234 / 1，234) and full-width digits."""
    s = s.translate(_FULLWIDTH).replace(",", "")
    if not _AR.fullmatch(s):
        raise NumeralError(f"not a number: {s!r}")
    return float(s)


def parse_number(s: str) -> tuple[float, float]:
    """Any single number token: Arabic (with trailing multipliers) or Chinese; returns (low, high)."""
    # the common cases: 1234 / 12.5 / 3.5万 (ASCII digits with at most one inner point)
    core = s.rstrip("十百千万亿萬億")
    if core.isascii() and core.replace(".", "", 1).isdigit() and core[0] != "." and core[-1] != ".":
        v = float(core)
        if len(core) < len(s):
            v = scaled(v, multiplier(s[len(core) :]))
        return v, v
    s = s.strip()
    if not s:
        raise NumeralError("empty number")
    if s.startswith(("百分之", "百分之")):
        low, high = parse_number(s[3:])
        return low, high
    t = s if s.isascii() else s.translate(_FULLWIDTH)
    m = _ARABIC_TOKEN.fullmatch(t)
    if m:
        digits = m.group(1).replace(",", "")
        v = scaled(float(digits), multiplier(m.group(2))) if m.group(2) else float(digits)
        return v, v
    return parse_cn_range(s)
