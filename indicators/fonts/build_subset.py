"""Rebuild JunhengCJK-Subset.otf: Noto Sans CJK SC cut down to the characters charts need.

Run by hand (not at install time) where Debian's fonts-noto-cjk is installed:

    python indicators/fonts/build_subset.py [/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]

Kept: printable ASCII, common Latin punctuation and symbols, CJK symbols and punctuation,
full-width forms, every GB 2312 character (6,763 hanzi: region names, indicator names) and the
traditional form of each (OpenCC s2t), so traditional-character documents label too. The family
is renamed (OFL: a Modified Version must not use the Reserved Font Name; Noto is a trademark).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).parent
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FACE = "Noto Sans CJK SC"
FAMILY = "Junheng CJK Subset"
OUT = HERE / "JunhengCJK-Subset.otf"


def charset() -> str:
    import opencc

    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= set("·×÷—–‘’“”…‰°±§№℃、。〈〉《》「」『』【】〔〕〖〗〜・￥")
    chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK symbols and punctuation
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}  # full-width forms
    chars |= {chr(c) for c in range(0x2460, 0x2474)}  # ①..⑳
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([hi, lo]).decode("gb2312"))
    s2t = opencc.OpenCC("s2t").convert
    chars |= set(s2t("".join(sorted(chars))))
    return "".join(sorted(chars))


def main(source: Path = SOURCE) -> None:
    coll = TTCollection(str(source))
    font = next(f for f in coll.fonts if f["name"].getDebugName(4) == FACE)
    opts = subset.Options()
    opts.layout_features = ["kern", "palt"]
    opts.hinting = False
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(text=charset())
    sub.subset(font)
    name = font["name"]
    ps = FAMILY.replace(" ", "")
    for rec in name.names:
        if rec.nameID in (1, 16):
            rec.string = FAMILY
        elif rec.nameID == 3:
            rec.string = f"{ps}-Regular;subset of {FACE}"
        elif rec.nameID == 4:
            rec.string = f"{FAMILY} Regular"
        elif rec.nameID == 6:
            rec.string = f"{ps}-Regular"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [f"{ps}-Regular"]
        top = cff.topDictIndex[0]
        top.FullName = f"{FAMILY} Regular"
        top.FamilyName = FAMILY
    font.save(str(OUT))
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
