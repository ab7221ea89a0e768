"""``junheng extract`` and ``junheng demo``."""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import click


def _extract_one(path: Path, verdicts: bool):
    """Load and extract one file: (document, claims, None) or (None, [], (name, problem)).
    Module-level, so that worker processes can run it."""
    from junheng.corpus.document import DocumentError
    from junheng.corpus.load import load_path
    from junheng.extract.pipeline import extract_document
    from junheng.indicators.verdicts import apply_verdicts

    try:
        doc = load_path(path)
        claims = extract_document(doc)
        if verdicts:
            claims = apply_verdicts(claims, text=doc.text)
    except DocumentError as exc:
        return None, [], (exc.doc, exc.problem)
    except Exception as exc:  # a bug must not stop a batch of thousands
        return None, [], (str(path), f"internal error: {type(exc).__name__}: {exc}")
    return doc, claims, None


def _in_order(files, verdicts: bool, workers: int):
    """Results of ``_extract_one`` for ``files`` in their order, from ``workers`` processes.

    At most ``4 * workers`` files are in flight, so memory stays flat on any folder. A worker
    that dies (out of memory, a crash) fails the files in flight with a message, and a new pool
    goes on with the rest; three pools in a row that finish nothing end the run.
    """
    import concurrent.futures as cf
    import multiprocessing
    from collections import deque

    from junheng.corpus.processes import die_with_parent

    def new_pool():
        ctx = multiprocessing.get_context("spawn")
        return cf.ProcessPoolExecutor(workers, mp_context=ctx, initializer=die_with_parent)

    files = iter(files)
    pending: deque = deque()
    pool, breaks = new_pool(), 0
    try:
        while True:
            while len(pending) < 4 * workers:
                f = next(files, None)
                if f is None:
                    break
                pending.append((f, pool.submit(_extract_one, f, verdicts)))
            if not pending:
                return
            f, fut = pending.popleft()
            try:
                yield fut.result()
                breaks = 0
            except cf.process.BrokenProcessPool:
                lost = [f] + [g for g, _ in pending]
                pending.clear()
                for g in lost:
                    yield None, [], (str(g), "the worker process died (out of memory or a crash)")
                breaks += 1
                if breaks >= 3:
                    raise click.ClickException(
                        "worker processes die before finishing any document (3 pools in a row)"
                    ) from None
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def auto_workers(n_files: int) -> int:
    """All cores for a batch worth starting processes for (16 files or more), else one."""
    from junheng.corpus.processes import default_workers

    return default_workers() if n_files >= 16 else 1


def run_extraction(paths, on_document, *, verdicts=True, progress=True, workers=1):
    """Load and extract every supported file under ``paths``; ``on_document(doc, claims)`` per
    document, in file order whatever the number of worker processes (0: ``auto_workers``).
    Returns (documents read, failures as (name, problem))."""
    from junheng.corpus.load import iter_paths

    paths = list(paths)
    files = list(iter_paths([Path(p) for p in paths]))
    workers = workers or auto_workers(len(files))
    workers = max(1, min(workers, len(files)))
    if workers == 1:
        results = (_extract_one(f, verdicts) for f in files)
    else:
        results = _in_order(files, verdicts, workers)
    show = (
        progress
        and (len(paths) > 1 or any(Path(p).is_dir() for p in paths))
        and sys.stderr.isatty()
    )
    if show:
        from tqdm import tqdm

        results = tqdm(results, total=len(files), unit="doc", file=sys.stderr)
    ok, failed = 0, []
    for doc, claims, problem in results:
        if problem is not None:
            failed.append(problem)
            click.echo(f"junheng: {problem[0]}: {problem[1]}", err=True)
            continue
        on_document(doc, claims)
        ok += 1
    return ok, failed


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write records here (JSON Lines unless --format says otherwise).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "table"]),
    default=None,
    help="Output format: jsonl (default with -o), csv, or table (default without -o).",
)
@click.option(
    "--verdicts/--no-verdicts",
    default=True,
    show_default=True,
    help="Add claim-level verdicts against the national standards.",
)
@click.option("--skip-duplicates", is_flag=True, help="Leave out claims of repeated bodies.")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Worker processes; 0: all cores for 16 files or more, else one. "
    "Output order and content do not depend on it.",
)
def extract_cmd(paths, out, fmt, verdicts, skip_duplicates, workers):
    """Extract claim records from documents (files or folders, recursively).

    A document that cannot be read is reported on stderr with its name and the reason; the run
    goes on. The exit code is non-zero only when no document could be read.
    """
    from junheng.extract import export

    fmt = fmt or ("jsonl" if out else "table")
    tmp = None
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".junheng-", dir=out.parent)
        fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
    else:
        fh = sys.stdout
    writer = export.CsvWriter(fh) if fmt == "csv" else None
    first = [True]
    total = [0]

    def emit(doc, claims):
        if skip_duplicates:
            claims = [c for c in claims if not c.duplicate_of]
        if fmt == "jsonl":
            total[0] += export.write_jsonl(claims, fh, doc)
        elif fmt == "csv":
            total[0] += writer.write(claims, doc)
        else:
            total[0] += export.write_table(claims, fh, header=first[0])
            first[0] = False

    try:
        ok, failed = run_extraction(paths, emit, verdicts=verdicts, workers=workers)
    finally:
        if out:
            fh.close()
    if out:
        if ok:
            os.replace(tmp, out)
        else:
            os.unlink(tmp)
    click.echo(
        f"junheng: {ok} document(s), {total[0]} claim(s)"
        + (f", {len(failed)} failed" if failed else "")
        + (f" -> {out}" if out and ok else ""),
        err=True,
    )
    if ok == 0:
        sys.exit(1)


def _samples_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "corpus" / "samples"


@click.command("demo")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/demo"),
    show_default=True,
    help="Where to write the demo outputs.",
)
def demo_cmd(out_dir: Path):
    """Run the main job on the bundled sample corpus and print a readable summary."""
    from junheng.extract import export

    samples = _samples_dir()
    if not samples.is_dir():
        raise click.ClickException(f"no sample corpus at {samples}")
    out_dir.mkdir(parents=True, exist_ok=True)
    docs, all_claims = [], []

    def keep(doc, claims):
        docs.append(doc)
        all_claims.extend(claims)

    from junheng.corpus.load import iter_paths

    files = [p for p in iter_paths([samples]) if not p.name.upper().startswith("README")]
    ok, failed = run_extraction(files, keep, progress=False)
    with open(out_dir / "claims.jsonl", "w", encoding="utf-8") as fh:
        by_doc = {d.doc_id: d for d in docs}
        for c in all_claims:
            export.write_jsonl([c], fh, by_doc.get(c.doc))
    from junheng.compiled import describe

    click.echo(f"junheng demo: {ok} sample documents from {samples} (extraction: {describe()})")
    click.echo("")
    for d in docs:
        n = sum(1 for c in all_claims if c.doc == d.doc_id)
        dups = sum(1 for c in all_claims if c.doc == d.doc_id and c.duplicate_of)
        click.echo(
            f"  {d.doc_id:<34} {d.format:<5} {d.encoding or '':<9} region={d.region or '-':<10}"
            f" year={d.year or '-'}  claims={n}" + (f" ({dups} in a repeated body)" if dups else "")
        )
    uniq = [c for c in all_claims if not c.duplicate_of]
    click.echo("")
    click.echo(f"claims: {len(all_claims)} ({len(uniq)} after skipping repeated bodies)")
    by_ind = Counter(c.indicator for c in uniq if c.indicator != "other")
    click.echo("top indicators: " + ", ".join(f"{k} {v}" for k, v in by_ind.most_common(8)))
    statuses = Counter((c.verdict or {}).get("status") for c in uniq if c.verdict)
    if statuses:
        click.echo("verdicts: " + ", ".join(f"{k} {v}" for k, v in statuses.most_common()))
        short = [c for c in uniq if c.verdict and c.verdict.get("status") == "falls_short"]
        for c in short[:8]:
            v = c.verdict
            click.echo(
                f"  falls short: {c.doc} {c.surface} ({c.indicator}, {c.level}) "
                f"{v.get('op')} {v.get('threshold')}: {v.get('reason', '')}"
            )
    _demo_checks(docs, all_claims, out_dir)
    _demo_cv(samples, out_dir)
    click.echo("")
    click.echo(f"sample claims ({min(12, len(uniq))} of {len(uniq)}):")
    export.write_table(uniq[:12])
    click.echo("")
    click.echo(
        f"outputs in {out_dir}/ (claims.jsonl"
        + (", findings.json" if (out_dir / "findings.json").exists() else "")
        + (", cv.json" if (out_dir / "cv.json").exists() else "")
        + ")"
    )
    if failed:
        click.echo(f"{len(failed)} sample(s) failed: " + "; ".join(f"{n}: {p}" for n, p in failed))


def _demo_checks(docs, claims, out_dir: Path) -> None:
    import json
    from dataclasses import asdict, is_dataclass

    from junheng.indicators.consistency import check_corpus

    by_doc = {}
    for c in claims:
        by_doc.setdefault(c.doc, []).append(c)
    findings = check_corpus([(d, by_doc.get(d.doc_id, [])) for d in docs])
    rows = [asdict(f) if is_dataclass(f) else dict(f) for f in findings]
    (out_dir / "findings.json").write_text(
        json.dumps({"findings": rows}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    click.echo("")
    click.echo(f"consistency findings: {len(rows)}")
    for r in rows[:10]:
        click.echo(f"  [{r.get('severity')}] {r.get('doc')}: {r.get('type')}: {r.get('message')}")


def _demo_cv(samples: Path, out_dir: Path) -> None:
    tables = sorted(p for p in samples.glob("*.csv"))
    if not tables:
        return
    import json

    from junheng.indicators.cli_cv import cv_report

    rep = cv_report(tables[0])
    (out_dir / "cv.json").write_text(
        json.dumps(rep, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    click.echo("")
    click.echo(f"school table {tables[0].name}: {len(rep.get('schools', []))} school sections")
    for r in rep.get("results", [])[:14]:
        flag = "ok " if r.get("pass") else "OVER"
        click.echo(
            f"  {flag} {r['county']} {r['year']} {r['stage']:<7} {r['indicator']:<46} "
            f"cv={r['cv']:.3f} (<= {r['threshold']})"
        )
