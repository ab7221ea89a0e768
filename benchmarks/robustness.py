"""Bad input at scale: a folder of N small documents plus broken ones, through `junheng extract`.

Builds, in a temporary folder, N small report files, an empty file, a binary file, a file with
undecodable bytes, a 200 MB sparse file, an HTML page full of scripts, a PDF that does not parse
and a corrupt .docx; runs `junheng extract DIR -o OUT` in a subprocess for N and for N/10
documents and prints wall time, peak memory (max RSS) and the counts, so memory can be compared
as a ratio in one run ("memory flat": peak RSS should not grow with N).

    python benchmarks/robustness.py [--n 10000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMPLATES = [
    "截至{y}年底,全县共有小学{a}所、初中{b}所,专任教师{c}名。",
    "{y}年全县一般公共预算教育经费达到{d}亿元,同比增长{e}%。",
    "近3年新建、改扩建学校{a}所,新增学位{c}个,义务教育巩固率达{f}%。",
]


def build(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        t = TEMPLATES[i % len(TEMPLATES)].format(
            y=2015 + i % 9,
            a=10 + i % 50,
            b=5 + i % 20,
            c=1000 + i,
            d=round(1 + (i % 90) / 10, 1),
            e=round(2 + (i % 70) / 10, 1),
            f=round(95 + (i % 40) / 10, 1),
        )
        (folder / f"doc{i:05d}.txt").write_text(t, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(os.urandom(64 * 1024))
    (folder / "junk_bytes.txt").write_bytes(
        "全县共有小学38所。".encode("gb18030") + b"\x81\xff\xfe" * 100
    )
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    (folder / "scripts.html").write_text(
        "<html><body><p>新建学校5所。</p>"
        + "<script>var x=12345;</script>" * 20000
        + "</body></html>",
        encoding="utf-8",
    )
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + os.urandom(4096))


def run(folder: Path, out: Path) -> tuple[float, int, str]:
    exe = Path(sys.executable).with_name("junheng")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(exe), "extract", str(folder), "-o", str(out), "--no-verdicts"],
        capture_output=True,
        text=True,
    )
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    return dt, max(peak, before), f"exit {proc.returncode}; {last}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in (args.n // 10, args.n):
            folder = tmp / f"n{n}"
            build(folder, n)
            dt, rss, summary = run(folder, tmp / f"out{n}.jsonl")
            lines = sum(1 for _ in (tmp / f"out{n}.jsonl").open(encoding="utf-8"))
            print(
                f"{n:>6} documents + 7 bad files: {dt:6.1f} s, {n / dt:7.0f} docs/s, "
                f"peak RSS {rss / 1024:6.1f} MB (max over runs so far), {lines} claims; {summary}"
            )


if __name__ == "__main__":
    main()
