"""Speed of loading and cleaning: chrome detection, duplicate detection, metadata, decoding.

Builds a plain text of about ``--mb`` megabytes from the bundled samples (and the seeds in
../shared when present), with page chrome and a repeated body in it, and times each step.
CPU time (process_time) is reported next to wall time: shared machines make wall time noisy.
Usage:

    .venv/bin/python benchmarks/corpus_speed.py [--mb 5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from junheng.corpus.chrome import detect_chrome, view_for_detection
from junheng.corpus.duplicates import detect_duplicates
from junheng.corpus.encoding import decode_bytes
from junheng.corpus.load import document_from_text, load_path, sample_paths
from junheng.corpus.metadata import extract_metadata

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def corpus_text(mb: float) -> str:
    texts = [load_path(p).text for p in sample_paths()]
    if SEEDS.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    base = "\n\n".join(texts)
    n = max(1, int(mb * 1e6 / len(base.encode("utf-8"))) + 1)
    # number each copy so that only the seeds' own repeats (and not the copies) are duplicates
    return "\n".join(f"第{i}份\n{base}".replace("。", f"。{i}", 1) for i in range(n))


def timed(fn, repeat: int):
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return out, best_wall, best_cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    text = corpus_text(args.mb)
    size = len(text.encode("utf-8")) / 1e6
    print(f"text: {size:.1f} MB, {len(text):,} characters, {text.count(chr(10)):,} lines")
    detect_chrome(text[:1000])  # compile patterns, load cues
    view, *_ = timed(lambda: view_for_detection(text), 1)
    rows = [
        ("t2s view (only when traditional)", lambda: view_for_detection(text)),
        ("chrome", lambda: detect_chrome(text, view)),
        ("duplicates", lambda: detect_duplicates(text)),
        ("metadata", lambda: extract_metadata(text, [], view=view)),
        ("document_from_text (all of the above)", lambda: document_from_text(text, "bench")),
        ("decode UTF-8 bytes", lambda: decode_bytes(text.encode("utf-8"))),
        ("decode GB18030 bytes", lambda: decode_bytes(text.encode("gb18030", "replace"))),
    ]
    chrome_dup_cpu = 0.0
    for name, fn in rows:
        out, wall, cpu = timed(fn, args.repeat)
        if name in ("chrome", "duplicates"):
            chrome_dup_cpu += cpu
        extra = ""
        if name == "chrome":
            extra = f"  ({len(out)} spans)"
        elif name == "duplicates":
            extra = f"  ({len(out)} pieces)"
        print(
            f"{name:40s} wall {wall:6.3f}s  cpu {cpu:6.3f}s  {size / max(cpu, 1e-9):7.1f} MB/s cpu{extra}"
        )
    print(f"chrome + duplicates: {size / chrome_dup_cpu:.1f} MB/s (cpu)")


if __name__ == "__main__":
    main()
