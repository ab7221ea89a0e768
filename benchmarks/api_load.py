"""Load benchmark of the API: filtered GET /claims on a synthetic store of >= 1,000,000 claims.

Builds the store through the real write path (Store.commit, then compaction), starts
``junheng serve`` on 127.0.0.1 (a free port, loopback only), and runs N concurrent keep-alive
clients for a bounded number of requests and seconds. Prints p50/p90/p99 latency and
requests per second. The clients share the machine with the server, as they would on a laptop.

    .venv/bin/python benchmarks/api_load.py                    # 1M claims, 32 clients
    .venv/bin/python benchmarks/api_load.py --claims 200000 --clients 8 --requests 2000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REGIONS = [
    f"{a}{b}{s}" for a in "东南西北中" for b in "山河湖江海林原川" for s in ("市", "区", "县")
]
INDICATORS = [
    "school_count",
    "student_count",
    "teacher_count",
    "new_or_expanded_schools",
    "expenditure_per_student",
    "public_funds_per_student",
    "cv",
    "teacher_rotation_ratio",
    "retention_rate",
    "floor_area",
    "education_expenditure_total",
    "class_size_limit",
    "backbone_teachers_per_100",
    "sports_area_per_student",
    "teaching_space_per_student",
    "equipment_value_per_student",
    "satisfaction_rate",
    "large_class_count",
    "other",
]
LEVELS = ["primary", "junior", "compulsory", "all", "k12"]
KINDS = ["level", "change", "growth_rate", "share", "threshold"]
UNITS = ["school", "person", "CNY", "percent", "coefficient", "m2", "count"]
VERDICTS = [
    None,
    None,
    {"status": "meets"},
    {"status": "falls_short"},
    {"status": "not_comparable"},
]
SUBJECTS = [
    "新建学校",
    "专任教师",
    "生均公用经费",
    "校际差异系数",
    "教师交流比例",
    "巩固率",
    "校舍面积",
    "一般公共预算教育经费",
    "大班额",
    "满意度",
]


def build_store(root: Path, n_claims: int, per_doc: int = 100, seed: int = 7) -> None:
    """A store of synthetic documents and claims, written as ingestion writes it."""
    from junheng.corpus.document import Document
    from junheng.corpus.store import Batch, Store, now_ns
    from junheng.extract.record import Claim

    rng = random.Random(seed)
    store = Store(root)
    n_docs = -(-n_claims // per_doc)
    batch, t0 = Batch(), time.time()
    for d in range(n_docs):
        region = rng.choice(REGIONS)
        year = rng.randint(2012, 2024)
        pieces, claims = [], []
        pos = 0
        for k in range(per_doc):
            subj = rng.choice(SUBJECTS)
            num = f"{rng.randint(1, 9999)}"
            unit = rng.choice(UNITS)
            sentence = f"{region}{subj}达到{num}。"
            start = pos + len(region) + len(subj) + 2
            pieces.append(sentence)
            v = rng.choice(VERDICTS)
            claims.append(
                Claim(
                    doc=f"synthetic-{d:06d}.txt",
                    start=start,
                    end=start + len(num),
                    surface=num,
                    subject=subj,
                    value=float(num),
                    unit=unit,
                    kind=rng.choice(KINDS),
                    time=str(year - rng.randint(0, 3)),
                    region=region if k % 5 else rng.choice(REGIONS),
                    level=rng.choice(LEVELS),
                    indicator=rng.choice(INDICATORS),
                    doc_year=year,
                    verdict=dict(v) if v else None,
                )
            )
            pos += len(sentence)
        doc = Document(
            doc_id=f"synthetic-{d:06d}.txt",
            text="".join(pieces),
            year=year,
            region=region,
            source="synthetic",
        )
        key = batch.add_document(doc)
        batch.add_extraction(
            key,
            claims,
            [],
            extractor_version="synthetic",
            extracted_at=now_ns(),
            region=region,
            year=year,
        )
        if len(batch.rows["claims"]) >= 100_000:
            store.commit(batch)
            batch = Batch()
            print(f"  {d + 1}/{n_docs} documents written ({time.time() - t0:.0f}s)", flush=True)
    store.commit(batch)
    store.compact()
    print(f"store built: {n_docs} documents, {n_docs * per_doc} claims in {time.time() - t0:.0f}s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def queries(rng: random.Random, n: int) -> list[str]:
    """Filtered /claims queries: region, indicator, level, years, kind, verdict, text, pages."""
    out = []
    for _ in range(n):
        p: dict[str, object] = {}
        shape = rng.randrange(6)
        if shape == 0:
            p["region"] = rng.choice(REGIONS)
        elif shape == 1:
            p.update(region=rng.choice(REGIONS), indicator=rng.choice(INDICATORS))
        elif shape == 2:
            y = rng.randint(2012, 2022)
            p.update(
                indicator=rng.choice(INDICATORS),
                level=rng.choice(LEVELS),
                year_from=y,
                year_to=y + 2,
            )
        elif shape == 3:
            p.update(
                kind=rng.choice(KINDS),
                verdict=rng.choice(["meets", "falls_short"]),
                region=rng.choice(REGIONS),
            )
        elif shape == 4:
            p.update(
                indicator=rng.choice(INDICATORS), q=rng.choice(SUBJECTS), region=rng.choice(REGIONS)
            )
        else:
            p.update(
                region=rng.choice(REGIONS),
                level=rng.choice(LEVELS),
                offset=rng.choice([0, 50, 100]),
            )
        p["limit"] = rng.choice([20, 50])
        out.append("/claims?" + urlencode(p))
    return out


async def run_clients(port: int, urls: list[str], clients: int, seconds: float) -> dict:
    """Closed-loop clients on keep-alive connections; each sends its next request on reply.

    A minimal HTTP/1.1 client on asyncio streams: httpx costs ~1 ms of CPU per request, which on
    two cores would measure the client, not the server.
    """
    lat: list[float] = []
    errors: list[str] = []
    it = iter(urls)
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for url in it:
                if time.perf_counter() > deadline:
                    return
                t = time.perf_counter()
                writer.write(f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                lat.append(time.perf_counter() - t)
                status = int(head.split(b" ", 2)[1])
                if status != 200:
                    errors.append(f"{status} {url}")
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - t0
    lat.sort()

    def q(p: float) -> float:
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000

    return {
        "requests": len(lat),
        "errors": len(errors),
        "seconds": round(wall, 2),
        "rps": round(len(lat) / wall, 1),
        "p50_ms": round(q(0.50), 1),
        "p90_ms": round(q(0.90), 1),
        "p99_ms": round(q(0.99), 1),
        "max_ms": round(lat[-1] * 1000, 1),
        "mean_ms": round(statistics.mean(lat) * 1000, 1),
        "first_errors": errors[:3],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, default=Path("out/bench-store"))
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=5000, help="at most this many requests")
    ap.add_argument("--seconds", type=float, default=60, help="and at most this long")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the synthetic store")
    args = ap.parse_args()

    marker = args.store / "BENCH.json"
    if (
        args.rebuild
        or not marker.exists()
        or json.loads(marker.read_text())["claims"] != args.claims
    ):
        shutil.rmtree(args.store, ignore_errors=True)
        build_store(args.store, args.claims)
        marker.write_text(json.dumps({"claims": args.claims}))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "junheng",
            "serve",
            "--store",
            str(args.store),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        import httpx

        t0 = time.perf_counter()
        while True:
            try:
                h = httpx.get(base + "/health", timeout=2).json()
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.perf_counter() - t0 > 120:
                    raise SystemExit("server did not start") from None
                time.sleep(0.2)
        print(
            f"server up in {time.perf_counter() - t0:.1f}s: {h['documents']} documents, "
            f"{h['claims']} claims"
        )
        rng = random.Random(11)
        asyncio.run(run_clients(port, queries(rng, args.warmup), 4, 30))
        res = asyncio.run(
            run_clients(port, queries(rng, args.requests), args.clients, args.seconds)
        )
        print(json.dumps({"claims": h["claims"], "clients": args.clients, **res}, indent=1))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
