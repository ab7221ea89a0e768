"""Batch ingestion into a store, and the per-document pipeline the API upload path shares.

Workers (processes) load and extract; the parent is the only writer and commits a batch every
``batch_size`` documents or ``commit_every`` seconds. A batch is atomic (see ``store.Store``), so
after a ``kill -9`` a re-run finds every committed document by its content key and redoes only
the rest: nothing is lost or doubled. Documents whose current extraction comes from another
``EXTRACTOR_VERSION`` are re-extracted from their stored text at the start of each run.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import secrets
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from junheng.corpus.document import Document, DocumentError
from junheng.corpus.processes import default_workers, die_with_parent
from junheng.corpus.store import Batch, Store, doc_key_of, now_ns
from junheng.extract.record import Claim

log = logging.getLogger(__name__)

Loader = Callable[[Path], Document]


@dataclass
class ProcessedDocument:
    """One document after the whole pipeline: claims (with verdicts) and consistency findings."""

    doc: Document
    claims: list[Claim]
    findings: list[Any]
    extractor_version: str
    extracted_at: int  # ns since the epoch; the newest extraction wins
    verdicts: bool = False  # verdicts were applied
    checks: bool = False  # consistency checks ran
    problems: list[tuple[str, str]] = field(default_factory=list)  # (stage, message), non-fatal

    @property
    def doc_key(self) -> str:
        return doc_key_of(self.doc.content_hash)


def extractor_version() -> str:
    from junheng.extract.pipeline import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


def process_document(doc: Document) -> ProcessedDocument:
    """load -> extract -> verdicts -> checks for one document.

    Extraction errors propagate (the document fails); a failing verdict or check step is
    recorded in ``problems`` and the claims are kept.
    """
    from junheng.extract.pipeline import EXTRACTOR_VERSION, extract_document
    from junheng.indicators.consistency import check_document
    from junheng.indicators.verdicts import apply_verdicts

    claims = extract_document(doc)
    out = ProcessedDocument(doc, claims, [], EXTRACTOR_VERSION, now_ns())
    try:
        out.claims = apply_verdicts(out.claims, text=doc.text)
        out.verdicts = True
    except Exception as exc:  # noqa: BLE001 - a step's bug must not lose the document
        out.problems.append(("verdicts", f"{type(exc).__name__}: {exc}"))
    try:
        out.findings = list(check_document(doc, out.claims))
        out.checks = True
    except Exception as exc:  # noqa: BLE001
        out.problems.append(("checks", f"{type(exc).__name__}: {exc}"))
    return out


def add_processed(batch: Batch, p: ProcessedDocument, *, run_id: str, new: bool) -> str | None:
    """Add a processed document (``new``) or a re-extraction to a batch; its key, or None
    when the batch holds the same content already."""
    key = batch.add_document(p.doc) if new else p.doc_key
    if key is None:
        return None
    batch.add_extraction(
        key,
        p.claims,
        p.findings,
        extractor_version=p.extractor_version,
        extracted_at=p.extracted_at,
        region=p.doc.region,
        year=p.doc.year,
        verdicts=p.verdicts,
        checks=p.checks,
        run_id=run_id,
    )
    for stage, problem in p.problems:
        batch.add_error(run_id, p.doc.source, p.doc.doc_id, stage, problem)
    return key


# ----------------------------------------------------------------------------- workers


@dataclass
class Outcome:
    task: str  # the path, or "store:<key>" for a re-extraction
    status: str  # new | known | reextracted | error
    processed: ProcessedDocument | None = None
    doc_id: str | None = None
    stage: str = ""
    problem: str = ""


_W: dict[str, Any] = {}


def _init(loader: Loader | None, processor: Callable | None, known: frozenset[str]) -> None:
    die_with_parent()
    if loader is None:
        from junheng.corpus.load import load_path as loader
    _W.update(loader=loader, processor=processor or process_document, known=known)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, DocumentError):
        return exc.problem
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _work(task: tuple[str, Any]) -> Outcome:
    kind, item = task
    if kind == "doc":  # a stored document to re-extract
        doc: Document = item
        name = f"store:{doc_key_of(doc.content_hash)}"
        try:
            return Outcome(name, "reextracted", _W["processor"](doc), doc.doc_id)
        except Exception as exc:  # noqa: BLE001
            return Outcome(name, "error", None, doc.doc_id, "extract", _describe(exc))
    path = Path(item)
    try:
        doc = _W["loader"](path)
    except Exception as exc:  # noqa: BLE001 - any loader failure is this document's error
        return Outcome(str(path), "error", None, path.name, "load", _describe(exc))
    if doc_key_of(doc.content_hash) in _W["known"]:
        return Outcome(str(path), "known", None, doc.doc_id)
    try:
        return Outcome(str(path), "new", _W["processor"](doc), doc.doc_id)
    except Exception as exc:  # noqa: BLE001
        return Outcome(str(path), "error", None, doc.doc_id, "extract", _describe(exc))


# ----------------------------------------------------------------------------- the run


class IngestAborted(RuntimeError):
    """The run cannot go on (workers cannot start); committed batches are kept."""


@dataclass
class IngestError:
    path: str
    doc_id: str | None
    stage: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: [{self.stage}] {self.problem}"


@dataclass
class IngestReport:
    run_id: str
    store: str
    n_files: int = 0
    n_new: int = 0
    n_skipped: int = 0  # content already stored
    n_duplicates: int = 0  # same content as another file of this run
    n_reextracted: int = 0
    n_claims: int = 0
    errors: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0
    status: str = "running"

    def counts(self) -> dict[str, Any]:
        return {
            "n_files": self.n_files,
            "n_new": self.n_new,
            "n_skipped": self.n_skipped,
            "n_duplicates": self.n_duplicates,
            "n_reextracted": self.n_reextracted,
            "n_errors": len(self.errors),
            "n_claims": self.n_claims,
        }


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestError]]:
    """Files to ingest (directories expanded by the corpus loader) and paths that do not exist."""
    paths = [Path(p) for p in paths]
    missing = [
        IngestError(str(p), p.name, "load", "no such file or directory")
        for p in paths
        if not p.exists()
    ]
    from junheng.corpus.load import iter_paths

    present = [p for p in paths if p.exists()]
    return list(iter_paths(present)), missing


def ingest(
    paths: Iterable[str | Path],
    store_dir: str | Path,
    *,
    workers: int | None = None,
    batch_size: int = 64,
    commit_every: float = 2.0,
    reextract: bool = True,
    compact_over: int = 8,
    progress: bool = True,
    loader: Loader | None = None,
    processor: Callable[[Document], ProcessedDocument] | None = None,
) -> IngestReport:
    """Ingest files into ``store_dir``; returns counts and the per-document errors.

    ``loader`` and ``processor`` default to ``junheng.corpus.load.load_path`` and
    ``process_document``; they must be picklable (module-level) when ``workers > 1``.
    """
    from tqdm import tqdm

    started = time.monotonic()
    store = Store(store_dir)
    run_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
    report = IngestReport(run_id, str(store.root))
    workers = workers or default_workers()
    version = extractor_version()
    files, report.errors = expand_paths(paths)
    stale = store.stale_documents(version) if reextract else []
    report.n_files = len(files)
    known = frozenset(store.document_keys())
    run_row = {
        "run_id": run_id,
        "extractor_version": version,
        "workers": workers,
        "paths": [str(p) for p in paths],
    }
    start = Batch()
    start.add_run({**run_row, "status": "started", **report.counts()})
    for e in report.errors:
        start.add_error(run_id, e.path, e.doc_id, e.stage, e.problem)
    store.commit(start)

    tasks: Iterator[tuple[str, Any]] = _chain(
        (("doc", d) for d in store.load_documents(stale)), (("path", str(f)) for f in files)
    )
    stored = set(known)
    batch = Batch()
    last_commit = time.monotonic()
    bar = tqdm(
        total=len(stale) + len(files),
        unit="doc",
        disable=not progress,
        file=sys.stderr,
        dynamic_ncols=True,
    )

    def flush() -> None:
        nonlocal batch, last_commit
        if len(batch):
            result = store.commit(batch)
            report.n_new -= len(result.dropped)  # another writer stored them first
            report.n_duplicates += len(result.dropped)
        batch, last_commit = Batch(), time.monotonic()

    def handle(o: Outcome) -> None:
        if o.status == "error":
            report.errors.append(IngestError(o.task, o.doc_id, o.stage, o.problem))
            batch.add_error(run_id, o.task, o.doc_id, o.stage, o.problem)
        elif o.status == "known":
            report.n_skipped += 1
        elif o.processed is not None:
            new = o.status == "new"
            if new and o.processed.doc_key in stored:
                report.n_duplicates += 1
            elif add_processed(batch, o.processed, run_id=run_id, new=new) is not None:
                stored.add(o.processed.doc_key)
                report.n_claims += len(o.processed.claims)
                report.errors.extend(
                    IngestError(o.task, o.doc_id, s, m) for s, m in o.processed.problems
                )
                if new:
                    report.n_new += 1
                else:
                    report.n_reextracted += 1
        bar.update(1)
        bar.set_postfix(
            new=report.n_new, skipped=report.n_skipped, errors=len(report.errors), refresh=False
        )
        if (
            batch.n_documents + len(batch.rows["extractions"]) >= batch_size
            or time.monotonic() - last_commit >= commit_every
        ):
            flush()

    try:
        if workers <= 1:
            _init(loader, processor, known)
            for task in tasks:
                handle(_work(task))
        else:
            _run_pool(tasks, workers, handle, (loader, processor, known))
        flush()
        report.status = "finished"
    except BaseException:
        report.status = "interrupted"
        flush()
        raise
    finally:
        bar.close()
        report.seconds = time.monotonic() - started
        end = Batch()
        end.add_run({**run_row, "status": report.status, **report.counts()})
        store.commit(end)
    if compact_over and len(store.manifest()["parts"]) > compact_over:
        store.compact()
    return report


def _chain(*its: Iterable[Any]) -> Iterator[Any]:
    for it in its:
        yield from it


def _run_pool(
    tasks: Iterator[tuple[str, Any]],
    workers: int,
    handle: Callable[[Outcome], None],
    initargs: tuple[Any, ...],
) -> None:
    """Keep ``4 * workers`` tasks in flight; a dead worker fails only the tasks it held."""
    ctx = multiprocessing.get_context("spawn")
    pending: dict[cf.Future, tuple[str, Any]] = {}
    pool = cf.ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=initargs)
    breaks = 0
    try:
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < 4 * workers:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                    break
                pending[pool.submit(_work, task)] = task
            if not pending:
                break
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            broken = False
            for fut in done:
                task = pending.pop(fut)
                try:
                    handle(fut.result())
                except cf.process.BrokenProcessPool:
                    broken = True
                    handle(_lost(task))
            if broken:  # every task still pending died with the pool
                for task in pending.values():
                    handle(_lost(task))
                pending.clear()
                breaks += 1
                if breaks >= 3:
                    raise IngestAborted(
                        "worker processes die before finishing any document (3 pools in a "
                        "row): cannot start the loader or extractor in a worker?"
                    )
                pool.shutdown(wait=False, cancel_futures=True)
                pool = cf.ProcessPoolExecutor(
                    workers, mp_context=ctx, initializer=_init, initargs=initargs
                )
            elif done:
                breaks = 0
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _lost(task: tuple[str, Any]) -> Outcome:
    kind, item = task
    name = f"store:{doc_key_of(item.content_hash)}" if kind == "doc" else str(item)
    doc_id = item.doc_id if kind == "doc" else Path(item).name
    return Outcome(
        name,
        "error",
        None,
        doc_id,
        "worker",
        "the worker process died (out of memory or a crash); not stored",
    )
