"""The embedded store: append-only Parquet parts under one directory, committed atomically.

A store DIR holds ``MANIFEST.json`` (the committed parts), ``parts/<name>/<table>.parquet`` and a
``LOCK`` file. Writers (``junheng ingest``, uploads through the API) take the lock only to commit a
batch: write the part into ``tmp/``, fsync, rename it into ``parts/``, then replace the manifest
(write, fsync, rename). A ``kill -9`` at any point leaves either the old manifest or the new one;
parts the manifest does not name are garbage and are removed by the next writer. Readers never
lock: they read the manifest and the Parquet files it lists (see ``StoreReader``), so an
ingestion and the API never lock each other out. The layout is documented in docs/store.md.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import threading
import time
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng.corpus.document import Document, DuplicateBody
from junheng.extract.record import Claim

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

FORMAT_VERSION = 1
TABLES = ("documents", "extractions", "claims", "findings", "errors", "runs")
MANIFEST = "MANIFEST.json"
KEY_LEN = 16  # hex characters of the content hash used as the document key


def doc_key_of(content_hash: str) -> str:
    """The store's document id: a prefix of the SHA-256 of the text (same content, same key)."""
    return content_hash[:KEY_LEN]


# ----------------------------------------------------------------------------- schemas


def _arrow_type(hint: Any) -> pa.DataType:
    import pyarrow as pa

    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        hint = args[0] if len(args) == 1 else str
    base = typing.get_origin(hint) or hint
    return {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}.get(
        base,
        pa.string(),  # dicts, lists: JSON text
    )


def claim_columns() -> list[tuple[str, pa.DataType]]:
    """Claim fields and their Parquet types, derived from the dataclass so they stay in sync."""
    hints = typing.get_type_hints(Claim)
    return [(name, _arrow_type(hints[name])) for name in Claim.__slots__]


def schema(table: str) -> pa.Schema:
    import pyarrow as pa

    ts = pa.timestamp("us", tz="UTC")
    s, i32, i64 = pa.string(), pa.int32(), pa.int64()
    cols: dict[str, list[tuple[str, pa.DataType]]] = {
        "documents": [
            ("doc_key", s),
            ("content_hash", s),
            ("doc_id", s),
            ("source", s),
            ("format", s),
            ("encoding", s),
            ("title", s),
            ("date", s),
            ("year", i32),
            ("region", s),
            ("n_chars", i64),
            ("chrome", s),
            ("duplicates", s),
            ("warnings", s),
            ("ingested_at", ts),
            ("text", s),
        ],
        "extractions": [
            ("doc_key", s),
            ("extracted_at", i64),
            ("extractor_version", s),
            ("region", s),
            ("year", i32),
            ("n_claims", i32),
            ("n_findings", i32),
            ("verdicts", pa.bool_()),
            ("checks", pa.bool_()),
            ("run_id", s),
        ],
        "claims": [("doc_key", s), ("extracted_at", i64), ("ordinal", i32)]
        + claim_columns()
        + [("verdict_status", s), ("year_lo", i32), ("year_hi", i32)],
        "findings": [
            ("doc_key", s),
            ("extracted_at", i64),
            ("ordinal", i32),
            ("kind", s),
            ("severity", s),
            ("message", s),
            ("claim_ids", s),
            ("data", s),
        ],
        "errors": [
            ("run_id", s),
            ("at", ts),
            ("path", s),
            ("doc_id", s),
            ("stage", s),
            ("problem", s),
        ],
        "runs": [
            ("run_id", s),
            ("at", ts),
            ("status", s),
            ("extractor_version", s),
            ("workers", i32),
            ("paths", s),
            ("n_files", i64),
            ("n_new", i64),
            ("n_skipped", i64),
            ("n_duplicates", i64),
            ("n_reextracted", i64),
            ("n_errors", i64),
            ("n_claims", i64),
        ],
    }
    dupes = {name for name, _ in cols["claims"][:3]} & {n for n, _ in claim_columns()}
    if dupes:  # pragma: no cover - guards a future Claim field named like a store column
        raise RuntimeError(f"Claim fields clash with store columns: {sorted(dupes)}")
    return pa.schema(cols[table])


# ----------------------------------------------------------------------------- derived values

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_LAST = re.compile(r"last (\d+) years?")
_NEXT = re.compile(r"next (\d+) years?")
VERDICT_KEYS = ("status", "verdict", "result", "outcome")


def claim_years(time_: str | None, doc_year: int | None) -> tuple[int | None, int | None]:
    """The year interval a claim's ``time`` covers, for year_from/year_to filters.

    ``"2022"`` -> 2022..2022, ``"2016-2021"`` -> 2016..2021, ``"since 2016"`` -> 2016..doc year,
    ``"last 3 years"`` -> doc year-3..doc year, none -> the document's year.
    """
    if not time_:
        return doc_year, doc_year
    if m := _LAST.search(time_):
        return (doc_year - int(m.group(1)), doc_year) if doc_year else (None, None)
    if m := _NEXT.search(time_):
        return (doc_year, doc_year + int(m.group(1))) if doc_year else (None, None)
    years = [int(y) for y in _YEAR.findall(time_)]
    if not years:
        return doc_year, doc_year
    if time_.startswith("since"):
        return years[0], max(doc_year or years[0], years[0])
    return min(years), max(years)


def verdict_status(verdict: dict[str, Any] | None) -> str:
    """One label for a claim's verdict: its ``status`` (or verdict/result/outcome) string.

    ``unchecked`` when no verdict was given, ``unknown`` when the verdict names no status.
    """
    if not verdict:
        return "unchecked"
    for key in VERDICT_KEYS:
        value = verdict.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, bool):
            return "pass" if value else "fail"
    return "unknown"


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=_jsonable)


def _jsonable(obj: Any) -> Any:
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if hasattr(obj, "model_dump"):
        return obj.model_dump()
    if hasattr(obj, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(obj)
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    return str(obj)


def finding_to_dict(finding: Any) -> dict[str, Any]:
    """A consistency finding of any shape (dataclass, pydantic model, dict) as a plain dict."""
    if isinstance(finding, dict):
        return dict(finding)
    data = _jsonable(finding)
    return data if isinstance(data, dict) else {"message": str(data)}


def _claim_refs(finding: dict[str, Any], by_span: dict[tuple[int, int], str]) -> list[str]:
    """Ids of the claims a finding names (as ids, or as {start, end} spans of claims)."""
    out = []
    for ref in finding.get("claim_ids") or finding.get("claims") or []:
        if isinstance(ref, str):
            out.append(ref)
        elif isinstance(ref, dict):
            if ref.get("id"):
                out.append(str(ref["id"]))
            elif (span := (ref.get("start"), ref.get("end"))) in by_span:
                out.append(by_span[span])
    return out


# ----------------------------------------------------------------------------- batches


def now_ns() -> int:
    return time.time_ns()


def _utc(ns: int | None = None):
    from datetime import UTC, datetime

    return datetime.fromtimestamp((ns or now_ns()) / 1e9, tz=UTC)


@dataclass
class Batch:
    """Rows to commit together: all of them become visible at once, or none do."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})
    new_keys: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return sum(len(r) for r in self.rows.values())

    @property
    def n_documents(self) -> int:
        return len(self.rows["documents"])

    def add_document(self, doc: Document) -> str | None:
        """Add a new document; None when this batch holds its content already."""
        key = doc_key_of(doc.content_hash)
        if key in self.new_keys:
            return None
        self.new_keys.add(key)
        self.rows["documents"].append(
            {
                "doc_key": key,
                "content_hash": doc.content_hash,
                "doc_id": doc.doc_id,
                "source": doc.source,
                "format": doc.format,
                "encoding": doc.encoding,
                "title": doc.title,
                "date": doc.date,
                "year": doc.year,
                "region": doc.region,
                "n_chars": len(doc.text),
                "chrome": _json([list(c) for c in doc.chrome]),
                "duplicates": _json([[d.start, d.end, d.first_start] for d in doc.duplicates]),
                "warnings": _json(list(doc.warnings)),
                "ingested_at": _utc(),
                "text": doc.text,
            }
        )
        return key

    def add_extraction(
        self,
        doc_key: str,
        claims: list[Claim],
        findings: list[Any],
        *,
        extractor_version: str,
        extracted_at: int,
        region: str | None = None,
        year: int | None = None,
        verdicts: bool = False,
        checks: bool = False,
        run_id: str | None = None,
    ) -> None:
        self.rows["extractions"].append(
            {
                "doc_key": doc_key,
                "extracted_at": extracted_at,
                "extractor_version": extractor_version,
                "region": region,
                "year": year,
                "n_claims": len(claims),
                "n_findings": len(findings),
                "verdicts": verdicts,
                "checks": checks,
                "run_id": run_id,
            }
        )
        names = [n for n, _ in claim_columns()]
        for i, claim in enumerate(claims):
            row = {n: getattr(claim, n) for n in names}
            row["verdict"] = _json(claim.verdict)
            lo, hi = claim_years(claim.time, claim.doc_year or year)
            row.update(
                doc_key=doc_key,
                extracted_at=extracted_at,
                ordinal=i,
                verdict_status=verdict_status(claim.verdict),
                year_lo=lo,
                year_hi=hi,
            )
            self.rows["claims"].append(row)
        by_span = {(c.start, c.end): c.id for c in claims}
        for i, finding in enumerate(findings):
            data = finding_to_dict(finding)
            kind = data.get("kind") or data.get("type") or data.get("check") or data.get("code")
            self.rows["findings"].append(
                {
                    "doc_key": doc_key,
                    "extracted_at": extracted_at,
                    "ordinal": i,
                    "kind": str(kind or ""),
                    "severity": str(data.get("severity") or data.get("level") or ""),
                    "message": str(data.get("message") or data.get("detail") or ""),
                    "claim_ids": _json(_claim_refs(data, by_span)),
                    "data": _json(data),
                }
            )

    def add_error(
        self, run_id: str, path: str | None, doc_id: str | None, stage: str, problem: str
    ) -> None:
        self.rows["errors"].append(
            {
                "run_id": run_id,
                "at": _utc(),
                "path": path,
                "doc_id": doc_id,
                "stage": stage,
                "problem": problem,
            }
        )

    def add_run(self, run: dict[str, Any]) -> None:
        self.rows["runs"].append({"at": _utc(), **run, "paths": _json(run.get("paths"))})


@dataclass
class CommitResult:
    part: str | None  # the part written, None when nothing was left to write
    seq: int  # the manifest sequence number after the commit
    dropped: list[str]  # document keys dropped because the store already had them


# ----------------------------------------------------------------------------- the store


class StoreError(Exception):
    """A store directory that cannot be used (not a store, unreadable manifest)."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"format": FORMAT_VERSION, "seq": 0, "parts": []}
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: unreadable manifest ({exc})") from exc
    if data.get("format") != FORMAT_VERSION:
        raise StoreError(f"{path}: store format {data.get('format')!r}, expected {FORMAT_VERSION}")
    return data


def part_files(root: Path, manifest: dict[str, Any], table: str) -> list[str]:
    """Paths of the committed Parquet files of one table, in commit order."""
    return [
        str(root / "parts" / p["name"] / f"{table}.parquet")
        for p in manifest["parts"]
        if p["tables"].get(table)
    ]


class Store:
    """The writing side of a store directory. Any number of processes may hold one."""

    def __init__(self, root: str | Path, *, create: bool = True):
        self.root = Path(root)
        if not (self.root / MANIFEST).exists():
            if not create:
                raise StoreError(f"{self.root}: not a junheng store (no {MANIFEST})")
            if self.root.exists() and not self.root.is_dir():
                raise StoreError(f"{self.root}: not a directory")
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "parts").mkdir(exist_ok=True)
        (self.root / "tmp").mkdir(exist_ok=True)
        self._keys: set[str] = set()
        self._seen_parts: set[str] = set()
        self._mutex = threading.Lock()  # one commit at a time per process (API threads)
        if not (self.root / MANIFEST).exists():
            with self.locked():
                if not (self.root / MANIFEST).exists():
                    self._write_manifest(read_manifest(self.root))

    # -- locking and the manifest

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """The store's write lock (flock: released by the kernel if the holder dies)."""
        with self._mutex, open(self.root / "LOCK", "a+b") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def manifest(self) -> dict[str, Any]:
        return read_manifest(self.root)

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        tmp = self.root / f".{MANIFEST}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, ensure_ascii=False, indent=0)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / MANIFEST)
        _fsync_dir(self.root)

    def _collect_garbage(self, manifest: dict[str, Any]) -> None:
        """Remove what a killed writer left: tmp parts and parts the manifest never named."""
        live = {p["name"] for p in manifest["parts"]}
        for entry in (self.root / "tmp").iterdir():
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink()
        for entry in (self.root / "parts").iterdir():
            if entry.name not in live:
                shutil.rmtree(entry, ignore_errors=True)

    def _refresh_keys(self, manifest: dict[str, Any]) -> None:
        import pyarrow.parquet as pq

        names = {p["name"] for p in manifest["parts"]}
        if not self._seen_parts <= names:  # parts were compacted away: start over
            self._keys, self._seen_parts = set(), set()
        for p in manifest["parts"]:
            if p["name"] in self._seen_parts:
                continue
            if p["tables"].get("documents"):
                path = self.root / "parts" / p["name"] / "documents.parquet"
                col = pq.read_table(path, columns=["doc_key"]).column("doc_key")
                self._keys.update(col.to_pylist())
            self._seen_parts.add(p["name"])

    def document_keys(self) -> set[str]:
        """Keys of every stored document (a snapshot)."""
        self._refresh_keys(self.manifest())
        return set(self._keys)

    # -- writing

    def _write_part(self, tables: dict[str, pa.Table]) -> str:
        import pyarrow.parquet as pq

        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(4)}"
        tmp = self.root / "tmp" / name
        tmp.mkdir()
        for table, data in tables.items():
            with open(tmp / f"{table}.parquet", "wb") as fh:
                pq.write_table(
                    data,
                    fh,
                    compression="zstd",
                    row_group_size=256 if table == "documents" else 128 * 1024,
                )
                fh.flush()
                os.fsync(fh.fileno())
        _fsync_dir(tmp)
        os.rename(tmp, self.root / "parts" / name)
        _fsync_dir(self.root / "parts")
        return name

    def commit(self, batch: Batch) -> CommitResult:
        """Make a batch durable and visible, dropping documents the store already holds.

        A document row whose key is stored already is dropped together with its extraction,
        claims and findings (another writer got there first); extractions of stored documents
        that come without a document row (re-extractions) are kept.
        """
        with self.locked():
            manifest = self.manifest()
            self._collect_garbage(manifest)
            self._refresh_keys(manifest)
            rows = {t: [dict(x) for x in r] for t, r in batch.rows.items()}
            dropped = self._dedup(rows, batch.new_keys)
            manifest["clock"] = _stamp_extractions(rows, manifest.get("clock", 0))
            tables = {t: _to_arrow(t, r) for t, r in rows.items() if r}
            if not tables:
                return CommitResult(None, manifest["seq"], dropped)
            name = self._write_part(tables)
            manifest["seq"] += 1
            manifest["parts"].append(
                {
                    "name": name,
                    "seq": manifest["seq"],
                    "committed_at": time.time(),
                    "tables": {t: len(r) for t, r in rows.items() if r},
                }
            )
            self._write_manifest(manifest)
            self._seen_parts.add(name)
            self._keys.update(r["doc_key"] for r in rows["documents"])
            return CommitResult(name, manifest["seq"], dropped)

    def _dedup(self, rows: dict[str, list[dict[str, Any]]], new_keys: set[str]) -> list[str]:
        dropped = {r["doc_key"] for r in rows["documents"] if r["doc_key"] in self._keys}
        if not dropped:
            return []
        rows["documents"] = [r for r in rows["documents"] if r["doc_key"] not in dropped]
        gone = dropped & new_keys  # rows that came with a dropped document go with it
        for t in ("extractions", "claims", "findings"):
            rows[t] = [r for r in rows[t] if r["doc_key"] not in gone]
        return sorted(dropped)

    # -- maintenance and queries used by ingestion

    def compact(self, *, min_parts: int = 2) -> bool:
        """Merge all parts into one, dropping superseded extractions; True if it did.

        Readers that still hold the old file list retry on the new manifest.
        """
        import duckdb

        with self.locked():
            manifest = self.manifest()
            self._collect_garbage(manifest)
            if len(manifest["parts"]) < min_parts:
                return False
            con = duckdb.connect(":memory:")
            tables: dict[str, pa.Table] = {}
            current = _current_sql(self.root, manifest)
            for t in TABLES:
                files = part_files(self.root, manifest, t)
                if not files:
                    continue
                src = f"read_parquet({_sql_list(files)}, union_by_name=true)"
                order = {
                    "documents": "ORDER BY doc_key",
                    "claims": "ORDER BY extracted_at, ordinal",
                    "findings": "ORDER BY doc_key, ordinal",
                }.get(t, "")
                if t in ("claims", "findings") and current:
                    sql = (
                        f"SELECT s.* FROM {src} s JOIN ({current}) c "
                        f"USING (doc_key, extracted_at) {order}"
                    )
                elif t == "documents":
                    sql = f"SELECT DISTINCT ON (doc_key) * FROM {src} {order}"
                else:
                    sql = f"SELECT * FROM {src} {order}"
                tables[t] = _conform(t, con.sql(sql).to_arrow_table())
            con.close()
            name = self._write_part({t: v for t, v in tables.items() if v.num_rows})
            old = [p["name"] for p in manifest["parts"]]
            manifest["seq"] += 1
            manifest["parts"] = [
                {
                    "name": name,
                    "seq": manifest["seq"],
                    "committed_at": time.time(),
                    "compacted": len(old),
                    "tables": {t: v.num_rows for t, v in tables.items() if v.num_rows},
                }
            ]
            self._write_manifest(manifest)
            for n in old:
                shutil.rmtree(self.root / "parts" / n, ignore_errors=True)
            self._keys, self._seen_parts = set(), set()
            return True

    def stale_documents(self, extractor_version: str) -> list[str]:
        """Keys of stored documents whose current extraction is from another extractor version."""
        import duckdb

        manifest = self.manifest()
        current = _current_sql(self.root, manifest, with_version=True)
        if not current:
            return []
        con = duckdb.connect(":memory:")
        rows = con.execute(
            f"SELECT doc_key FROM ({current}) WHERE extractor_version IS DISTINCT FROM ? "
            "ORDER BY doc_key",
            [extractor_version],
        ).fetchall()
        con.close()
        return [r[0] for r in rows]

    def load_documents(self, keys: Iterable[str]) -> Iterator[Document]:
        """Stored documents rebuilt as ``Document`` objects (for re-extraction)."""
        import duckdb

        keys = list(keys)
        files = part_files(self.root, self.manifest(), "documents")
        if not keys or not files:
            return
        con = duckdb.connect(":memory:")
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            cur = con.execute(
                f"SELECT DISTINCT ON (doc_key) * EXCLUDE (ingested_at) FROM read_parquet({_sql_list(files)}, "
                "union_by_name=true) WHERE doc_key IN (SELECT unnest(?))",
                [chunk],
            )
            cols = [d[0] for d in cur.description]
            for row in cur.fetchall():
                yield row_to_document(dict(zip(cols, row, strict=True)))
        con.close()


def _stamp_extractions(rows: dict[str, list[dict[str, Any]]], clock: int) -> int:
    """Give each extraction a commit time above every earlier one (and its claims and findings
    the same): the latest committed extraction of a document is its current one, and claims
    sort in commit order. Returns the new clock."""
    remap: dict[tuple[str, int], int] = {}
    for r in rows["extractions"]:
        clock = max(now_ns(), clock + 1)
        remap[(r["doc_key"], r["extracted_at"])] = clock
        r["extracted_at"] = clock
    for t in ("claims", "findings"):
        for r in rows[t]:
            r["extracted_at"] = remap.get((r["doc_key"], r["extracted_at"]), r["extracted_at"])
    return clock


def row_to_document(row: dict[str, Any]) -> Document:
    """A ``documents`` row back into the shared Document model."""
    return Document(
        doc_id=row["doc_id"],
        text=row["text"],
        source=row.get("source"),
        format=row.get("format") or "txt",
        encoding=row.get("encoding"),
        title=row.get("title"),
        date=row.get("date"),
        year=row.get("year"),
        region=row.get("region"),
        chrome=[tuple(c) for c in json.loads(row.get("chrome") or "[]")],
        duplicates=[DuplicateBody(*d) for d in json.loads(row.get("duplicates") or "[]")],
        warnings=list(json.loads(row.get("warnings") or "[]")),
    )


def _sql_list(items: Iterable[str]) -> str:
    return "[" + ", ".join("'" + s.replace("'", "''") + "'" for s in items) + "]"


def _current_sql(root: Path, manifest: dict[str, Any], *, with_version: bool = False) -> str:
    """SQL for the current (latest) extraction of each document, or '' for an empty store."""
    files = part_files(root, manifest, "extractions")
    if not files:
        return ""
    extra = (
        ", arg_max(extractor_version, extracted_at) AS extractor_version" if with_version else ""
    )
    return (
        f"SELECT doc_key, max(extracted_at) AS extracted_at{extra} "
        f"FROM read_parquet({_sql_list(files)}, union_by_name=true) GROUP BY doc_key"
    )


def _conform(table: str, data: pa.Table) -> pa.Table:
    """Cast to the table's schema, keeping columns this version does not know about."""
    import pyarrow as pa

    target = schema(table)
    cols, fields = [], []
    for f in target:
        if f.name in data.column_names:
            cols.append(data.column(f.name).cast(f.type))
        else:
            cols.append(pa.nulls(data.num_rows, f.type))
        fields.append(f)
    for name in data.column_names:
        if name not in target.names:
            cols.append(data.column(name))
            fields.append(data.schema.field(name))
    return pa.Table.from_arrays(cols, schema=pa.schema(fields))


def _to_arrow(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=schema(table))
