"""kill -9 in the middle of an ingestion, then a re-run: nothing lost, nothing doubled."""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq

from junheng.corpus.ingest import ingest
from junheng.corpus.store import Store, doc_key_of, part_files

HERE = Path(__file__).resolve().parent


def _support():
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    return importlib.import_module("test_ingest_support")


def committed_documents(store_dir: Path) -> int:
    try:
        manifest = json.loads((store_dir / "MANIFEST.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return 0
    return sum(p["tables"].get("documents", 0) for p in manifest["parts"])


def rows(store: Store, table: str) -> list[dict]:
    out = []
    for f in part_files(store.root, store.manifest(), table):
        out.extend(pq.read_table(f).to_pylist())
    return out


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_kill_9_mid_ingest_then_resume(tmp_path: Path):
    support = _support()
    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    texts = support.write_corpus(corpus, 240, copies=12, broken=2)
    driver = tmp_path / "driver.py"
    driver.write_text(
        textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(HERE)!r})
        import test_ingest_support as s
        from junheng.corpus.ingest import ingest
        if __name__ == "__main__":  # spawned workers re-import this file
            ingest([{str(corpus)!r}], {str(store_dir)!r}, workers=2, batch_size=8,
                   commit_every=0.3, progress=False, loader=s.load, processor=s.process)
    """),
        encoding="utf-8",
    )
    env = {**os.environ, "JUNHENG_TEST_SLOW": "0.03"}
    proc = subprocess.Popen(
        [sys.executable, str(driver)],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while committed_documents(store_dir) < 24:
            assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
            assert time.monotonic() < deadline, "ingestion made no progress"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # the parent, the only writer, dies mid-run
        proc.wait(10)
        deadline = time.monotonic() + 10  # workers die with their parent (PR_SET_PDEATHSIG)
        while group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not group_alive(proc.pid), "worker processes outlived their killed parent"
    finally:
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    done_before = committed_documents(store_dir)
    assert 24 <= done_before < len(texts), "the kill did not land mid-way"

    report = ingest(
        [corpus],
        store_dir,
        workers=2,
        batch_size=16,
        progress=False,
        loader=support.load,
        processor=support.process,
    )
    store = Store(store_dir)
    docs = rows(store, "documents")
    keys = [d["doc_key"] for d in docs]
    assert len(keys) == len(set(keys)) == len(texts)  # nothing doubled
    assert set(keys) == {doc_key_of(_sha(t)) for t in texts}  # nothing lost
    claims = rows(store, "claims")
    assert len(claims) == sum(texts.values())
    assert len({(c["doc_key"], c["id"]) for c in claims}) == len(claims)
    assert report.n_new == len(texts) - done_before
    assert report.n_new + report.n_skipped + report.n_duplicates == 240 + 12
    assert sorted(e.path.rsplit("/", 1)[-1] for e in report.errors) == [
        "broken0.txt",
        "broken1.txt",
    ]
    again = ingest(
        [corpus],
        store_dir,
        workers=1,
        progress=False,
        loader=support.load,
        processor=support.process,
    )
    assert again.n_new == 0 and again.n_skipped == 240 + 12  # idempotent
    assert len(rows(Store(store_dir), "documents")) == len(texts)


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
