"""Numbers as Chinese documents write them, and the property that they parse back to themselves."""

from __future__ import annotations

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.extract.numerals import NumeralError, parse_cn, parse_number

CASES = {
    "三千二百": 3200,
    "一万二千三百四十五": 12345,
    "二〇二四": 2024,
    "十五": 15,
    "十": 10,
    "零点四一": 0.41,
    "九十五点三": 95.3,
    "两万": 20000,
    "一万二": 12000,
    "三百五": 350,
    "一百零五": 105,
    "一千零一十": 1010,
    "一亿二千万": 120_000_000,
    "兩萬": 20000,
    "萬": 10000,
    "1,234": 1234,
    "1，234": 1234,
    "１２３": 123,
    "7.2万": 72000,
    "128.5亿": 12_850_000_000,
    "8千": 8000,
    "百分之九十五点三": 95.3,
    "三億": 300_000_000,
    "貳拾": 20,
}


@pytest.mark.parametrize("text,value", CASES.items())
def test_known_numerals(text, value):
    low, high = parse_number(text)
    assert low == high == pytest.approx(value)


@pytest.mark.parametrize("text,low,high", [("十几", 10, 19), ("几十", 10, 90), ("几百", 100, 900)])
def test_unknown_digit_is_a_range(text, low, high):
    assert parse_number(text) == (low, high)


@pytest.mark.parametrize("text", ["十三五", "五育", "", "点"])
def test_malformed_numerals_raise(text):
    with pytest.raises(NumeralError):
        parse_number(text)


_DIG = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """A reference writer of Chinese numerals (the way reports write them)."""
    if n == 0:
        return "零"

    def section(x: int) -> str:  # 0 < x < 10000
        out, zero = "", False
        for unit, div in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            d = x // div % 10
            if d:
                if zero:
                    out += "零"
                    zero = False
                out += _DIG[d] + unit
            elif out:
                zero = True
        return out

    parts = []
    for big, div in (("亿", 10**8), ("万", 10**4), ("", 1)):
        chunk = n // div % 10000 if div < 10**8 else n // div
        if chunk:
            s = section(chunk) if chunk < 10000 else to_chinese(chunk)
            if parts and chunk < 1000:
                s = "零" + s
            parts.append(s + big)
        elif parts and not parts[-1].endswith("零"):
            pass
    text = "".join(parts)
    if text.startswith("一十"):
        text = text[1:]
    return text


_s2t = opencc.OpenCC("s2t").convert


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_chinese_integers_round_trip(n):
    text = to_chinese(n)
    assert parse_cn(text) == n, text
    assert parse_cn(_s2t(text)) == n, _s2t(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=0, max_value=9999))
def test_chinese_decimals_round_trip(whole, frac):
    digits = str(frac).rstrip("0") or "0"
    text = to_chinese(whole) + "点" + "".join(_DIG[int(c)] for c in digits)
    assert parse_number(text)[0] == float(f"{whole}.{digits}")
    assert parse_number(_s2t(text))[0] == float(f"{whole}.{digits}")


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_arabic_round_trip(d):
    text = f"{d:f}"
    assert parse_number(text)[0] == float(text)
    full = text.translate({i: i + 0xFEE0 for i in range(0x21, 0x7F)})
    assert parse_number(full)[0] == float(text)
    if d >= 1000:
        whole, _, frac = text.partition(".")
        grouped = f"{int(whole):,}" + ("." + frac if frac else "")
        assert parse_number(grouped)[0] == float(text)
