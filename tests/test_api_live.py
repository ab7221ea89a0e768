"""The real server: `junheng serve` (uvicorn) on 127.0.0.1 and a free port, queried over HTTP
while an ingestion writes into the same store."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent


def _support(name: str):
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    return importlib.import_module(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_served_over_http_while_ingesting(tmp_path: Path):
    ids = _support("test_api_support").build_store(tmp_path / "s")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "junheng",
            "serve",
            "--store",
            str(tmp_path / "s"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(base + "/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read().decode(errors="replace")
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
        assert health.status_code == 200 and health.json()["documents"] == 5
        with httpx.Client(base_url=base, timeout=10) as c:
            r = c.get("/claims", params={"region": "甲市", "indicator": "retention_rate"})
            assert r.status_code == 200 and r.json()["total"] == 2
            assert "application/json" in r.headers["content-type"]
            view = c.get(f"/documents/{ids['甲市2023年教育工作报告']}/view")
            assert view.status_code == 200 and 'class="c v-pass' in view.text
            assert c.get("/claims?level=bogus").status_code == 422

            fakes = _support("test_ingest_support")  # a writer while the server reads
            from junheng.corpus.ingest import ingest

            fakes.write_corpus(tmp_path / "c", 4)
            report = ingest(
                [tmp_path / "c"],
                tmp_path / "s",
                workers=1,
                progress=False,
                loader=fakes.load,
                processor=fakes.process,
                reextract=False,
            )  # the samples carry a made-up extractor version
            assert report.n_new == 4
            deadline = time.monotonic() + 15
            while c.get("/health").json()["documents"] != 9:
                assert time.monotonic() < deadline, "the server never saw the new documents"
                time.sleep(0.2)
            assert c.get("/claims", params={"region": "甲市"}).json()["total"] == 6 + 12
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
