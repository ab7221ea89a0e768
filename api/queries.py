"""The API's read side: an in-memory DuckDB mirror of a store, refreshed as parts are committed.

Holding no file open and no lock, it lets an ingestion write while the API serves. On start it
loads every committed part (document texts stay in Parquet and are read on demand); later it
checks the manifest at most every ``refresh_interval`` seconds and loads only the new parts, or
reloads from scratch after a compaction. Queries run on per-thread cursors, so FastAPI's worker
threads query in parallel.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from junheng.api.claimindex import ClaimIndex
from junheng.corpus.store import MANIFEST, StoreError, part_files, read_manifest, schema

log = logging.getLogger(__name__)

# Columns of the in-memory ``docs`` table (the text is not among them).
DOC_COLUMNS = (
    "doc_key",
    "content_hash",
    "doc_id",
    "source",
    "format",
    "encoding",
    "title",
    "date",
    "year",
    "region",
    "n_chars",
    "chrome",
    "duplicates",
    "warnings",
)
_ISO = "strftime(({})::TIMESTAMP, '%Y-%m-%dT%H:%M:%SZ')"  # UTC, ISO 8601
_AT = _ISO.format('"at"')
INTERNAL_CLAIM_COLUMNS = ("extracted_at", "ordinal", "verdict_status", "year_lo", "year_hi")


class NotFound(LookupError):
    """No such document, region or indicator."""


class Ambiguous(LookupError):
    """A document name that several stored documents share."""


@dataclass
class _Db:
    con: Any  # duckdb.DuckDBPyConnection (in-memory)
    parts: set[str]
    seq: int
    generation: int
    index: ClaimIndex  # the current claims, for GET /claims
    refs: dict[str, dict[str, Any]] = field(default_factory=dict)  # doc_key -> document ref
    names: dict[str, list[str]] = field(default_factory=dict)  # file name -> doc_keys


def _sql_list(items: Sequence[str]) -> str:
    return "[" + ", ".join("'" + s.replace("'", "''") + "'" for s in items) + "]"


class StoreReader:
    """Read-only, lock-free view of a store directory for the API."""

    def __init__(
        self, root: str | Path, *, refresh_interval: float = 0.5, threads: int | None = None
    ):
        self.root = Path(root)
        if not (self.root / MANIFEST).exists():
            raise StoreError(f"{self.root}: not a junheng store (no {MANIFEST})")
        self.refresh_interval = refresh_interval
        self.threads = threads
        self._lock = threading.Lock()
        self._local = threading.local()
        self._stamp: tuple[int, int, int] | None = None
        self._checked = 0.0
        self._generation = 0
        self._db: _Db | None = None
        self.refresh(force=True)

    # -- refreshing

    def _manifest_stamp(self) -> tuple[int, int, int]:
        st = os.stat(self.root / MANIFEST)
        return st.st_ino, st.st_mtime_ns, st.st_size

    def maybe_refresh(self, wait: bool = False) -> None:
        """Pick up new commits: at most every ``refresh_interval`` seconds, in a background
        thread unless ``wait`` (queries meanwhile see the previous snapshot)."""
        now = time.monotonic()
        if now - self._checked < self.refresh_interval:
            return
        self._checked = now
        try:
            stamp = self._manifest_stamp()
        except FileNotFoundError:
            return
        if stamp == self._stamp:
            return
        if wait:
            self.refresh()
        elif self._lock.acquire(blocking=False):  # no refresh running: start one
            self._lock.release()
            threading.Thread(target=self._refresh_quietly, daemon=True).start()

    def _refresh_quietly(self) -> None:
        try:
            self.refresh()
        except Exception:  # noqa: BLE001 - the next request tries again
            log.exception("store refresh failed")
            self._checked = 0.0

    def refresh(self, force: bool = False) -> None:
        """Load what the manifest added since the last look (all of it after a compaction)."""
        with self._lock:
            for attempt in range(5):
                stamp = self._manifest_stamp()
                manifest = read_manifest(self.root)
                names = {p["name"] for p in manifest["parts"]}
                db = self._db
                try:
                    if db is None or force or not db.parts <= names:
                        new = self._new_db()
                        self._apply(new, manifest["parts"])
                        new.seq = manifest["seq"]
                        self._db = new
                    else:
                        added = [p for p in manifest["parts"] if p["name"] not in db.parts]
                        if added:
                            self._apply(db, added)
                        db.seq = manifest["seq"]
                    self._stamp = stamp
                    return
                except Exception as exc:  # a part compacted away under us: look again
                    if attempt == 4 or not _is_missing_file(exc):
                        raise
                    force = True
                    time.sleep(0.05)

    def _new_db(self) -> _Db:
        import duckdb

        config = {"threads": self.threads} if self.threads else {}
        con = duckdb.connect(":memory:", config=config)
        for t in ("documents", "extractions", "claims", "findings", "errors", "runs"):
            con.register("empty", schema(t).empty_table())
            if t == "documents":
                cols = ", ".join(f'"{c}"' for c in DOC_COLUMNS)
                con.execute(
                    f"CREATE TABLE docs AS SELECT {cols}, '' AS file, '' AS ingested_at FROM empty"
                )
            elif t in ("errors", "runs"):
                con.execute(f'CREATE TABLE {t} AS SELECT * REPLACE ({_AT} AS "at") FROM empty')
            else:
                con.execute(f"CREATE TABLE {t} AS SELECT * FROM empty")
            con.unregister("empty")
        con.execute("CREATE TABLE cur AS SELECT * FROM extractions")
        con.execute(
            "CREATE VIEW documents AS SELECT d.* EXCLUDE (region, year), "
            "coalesce(c.region, d.region) AS region, coalesce(c.year, d.year) AS year, "
            "c.extractor_version, c.n_claims, c.n_findings, c.extracted_at "
            "FROM docs d JOIN cur c USING (doc_key)"
        )
        self._generation += 1
        return _Db(con, set(), 0, self._generation, ClaimIndex.empty())

    def _apply(self, db: _Db, parts: list[dict[str, Any]]) -> None:
        root, fake = self.root, {"parts": parts}
        files = {
            t: part_files(root, fake, t)
            for t in ("documents", "extractions", "claims", "findings", "errors", "runs")
        }
        con = db.con.cursor()
        con.execute("BEGIN")
        try:
            new_claims, winners, refs = self._apply_files(con, files)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.close()
        names = dict(db.names)
        for key, ref in refs.items():
            if key not in db.refs:
                names[ref["name"]] = [*names.get(ref["name"], []), key]
        db.refs = {**db.refs, **refs}
        db.names = names
        db.index = db.index.append(new_claims, winners)
        db.parts.update(p["name"] for p in parts)
        db.generation = self._generation = self._generation + 1

    @staticmethod
    def _apply_files(
        con: Any, files: dict[str, list[str]]
    ) -> tuple[Any, set[str], dict[str, dict[str, Any]]]:
        """Insert new parts; returns the claims now current for re-extracted or new documents
        (commit order), those documents' keys, and their refreshed document refs."""

        def src(t: str, extra: str = "") -> str:
            return f"read_parquet({_sql_list(files[t])}, union_by_name=true{extra})"

        def add_columns(table: str, source: str) -> None:
            have = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
            for name, typ, *_ in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall():
                if name not in have:
                    con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {typ}')

        if files["documents"]:
            cols = ", ".join(f's."{c}"' for c in DOC_COLUMNS)
            con.execute(
                f"INSERT INTO docs SELECT {cols}, s.filename AS file, "
                f"{_ISO.format('s.ingested_at')} AS ingested_at FROM {src('documents', ', filename=true')} s "
                "WHERE s.doc_key NOT IN (SELECT doc_key FROM docs) "
                "QUALIFY row_number() OVER (PARTITION BY s.doc_key ORDER BY s.filename) = 1"
            )
        if files["extractions"]:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE new_ext AS SELECT * FROM {src('extractions')}"
            )
            con.execute("INSERT INTO extractions BY NAME SELECT * FROM new_ext")
            con.execute(
                "CREATE OR REPLACE TEMP TABLE win AS SELECT n.* EXCLUDE (rn) FROM ("
                "  SELECT *, row_number() OVER (PARTITION BY doc_key ORDER BY extracted_at DESC) rn"
                "  FROM new_ext) n LEFT JOIN cur c ON c.doc_key = n.doc_key "
                "WHERE n.rn = 1 AND (c.extracted_at IS NULL OR n.extracted_at > c.extracted_at)"
            )
            con.execute("DELETE FROM cur WHERE doc_key IN (SELECT doc_key FROM win)")
            con.execute("INSERT INTO cur BY NAME SELECT * FROM win")
            for t in ("claims", "findings"):
                con.execute(f"DELETE FROM {t} WHERE doc_key IN (SELECT doc_key FROM win)")
                if files[t]:
                    add_columns(t, src(t))
                    con.execute(
                        f"INSERT INTO {t} BY NAME SELECT s.* FROM {src(t)} s "
                        "SEMI JOIN win w ON s.doc_key = w.doc_key AND s.extracted_at = w.extracted_at"
                    )
        for t in ("errors", "runs"):
            if files[t]:
                con.execute(
                    f'INSERT INTO {t} BY NAME SELECT * REPLACE ({_AT} AS "at") FROM {src(t)}'
                )
        winners: set[str] = set()
        if files["extractions"]:
            winners = {r[0] for r in con.execute("SELECT doc_key FROM win").fetchall()}
        new_claims = con.sql(
            f"SELECT c.doc_key, c.region, c.indicator, c.level, c.kind, c.verdict_status, "
            f"c.year_lo, c.year_hi, c.subject, c.surface, {_record_json(con)} AS json "
            "FROM claims c JOIN documents d ON d.doc_key = c.doc_key "
            "WHERE c.doc_key IN (SELECT doc_key FROM win) ORDER BY c.extracted_at, c.ordinal"
            if winners
            else "SELECT * FROM claims LIMIT 0"
        ).to_arrow_table()
        refs = {}
        if winners:
            cur = con.execute(
                "SELECT doc_key, doc_id, title, date, year, region FROM documents "
                "WHERE doc_key IN (SELECT unnest(?::VARCHAR[]))",
                [sorted(winners)],
            )
            for key, name, title, date, year, region in cur.fetchall():
                refs[key] = {
                    "id": key,
                    "name": name,
                    "title": title,
                    "date": date,
                    "year": year,
                    "region": region,
                }
        return new_claims, winners, refs

    def close(self) -> None:
        """Release the in-memory database (queries after this fail)."""
        with self._lock:
            if self._db is not None:
                self._db.con.close()
                self._db = None

    # -- querying

    @property
    def generation(self) -> int:
        return self._db.generation if self._db else 0

    @property
    def seq(self) -> int:
        return self._db.seq if self._db else 0

    def snapshot(self) -> _Db:
        """The current snapshot (index, document refs), refreshing it when due."""
        self.maybe_refresh()
        return self._db

    def resolve(self, doc: str) -> str:
        """A document's key from its key or its file name (when exactly one has that name)."""
        db = self.snapshot()
        if doc in db.refs:
            return doc
        keys = db.names.get(doc, [])
        if not keys:
            raise NotFound(f"no document '{doc}' in the store")
        if len(keys) > 1:
            raise Ambiguous(
                f"'{doc}' names {len(keys)} documents; use an id: {', '.join(sorted(keys))}"
            )
        return keys[0]

    def cursor(self) -> Any:
        """This thread's cursor on the current snapshot (refreshing it when due)."""
        self.maybe_refresh()
        db = self._db
        loc = self._local
        if getattr(loc, "db", None) is not db:
            loc.db, loc.cur = db, db.con.cursor()
        return loc.cur

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.cursor().execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.cursor().execute(sql, list(params)).fetchone()
        return row[0] if row else None

    def document_text(self, doc: dict[str, Any]) -> str:
        """The stored text of a document row (read from its Parquet part)."""
        import duckdb

        for attempt in range(3):
            try:
                con = duckdb.connect(":memory:")
                row = con.execute(
                    "SELECT text FROM read_parquet(?) WHERE doc_key = ? LIMIT 1",
                    [doc["file"], doc["doc_key"]],
                ).fetchone()
                con.close()
                if row is not None:
                    return row[0]
            except Exception as exc:
                if not _is_missing_file(exc):
                    raise
            if attempt < 2:  # compacted away: refresh and look the file up again
                self.refresh(force=True)
                doc = {
                    **doc,
                    "file": self.value("SELECT file FROM docs WHERE doc_key = ?", [doc["doc_key"]]),
                }
                if doc["file"] is None:
                    break
        raise NotFound(f"document {doc['doc_key']}: its text is no longer in the store")

    def text_matches(self, q: str) -> list[str]:
        """Keys of documents whose text contains ``q`` (a scan of the stored texts)."""
        import duckdb

        files = part_files(self.root, read_manifest(self.root), "documents")
        if not files:
            return []
        con = duckdb.connect(":memory:")
        try:
            return [
                r[0]
                for r in con.execute(
                    f"SELECT DISTINCT doc_key FROM read_parquet({_sql_list(files)}, "
                    "union_by_name=true) WHERE contains(text, ?)",
                    [q],
                ).fetchall()
            ]
        except Exception as exc:
            if _is_missing_file(exc):
                self.refresh(force=True)
                return self.text_matches(q)
            raise
        finally:
            con.close()


def _record_json(con: Any) -> str:
    """SQL for a claim's API record as JSON text (CLAIMS.md fields, doc_key, document)."""
    cols = [r[0] for r in con.execute("DESCRIBE claims").fetchall()]
    fields = [c for c in cols if c not in INTERNAL_CLAIM_COLUMNS and c != "doc_key"]
    items = [f"'{c}': " + (f'json(c."{c}")' if c == "verdict" else f'c."{c}"') for c in fields]
    items += [
        "'doc_key': c.doc_key",
        "'document': {'id': d.doc_key, 'name': d.doc_id, "
        "'title': d.title, 'date': d.date, 'year': d.year, 'region': d.region}",
    ]
    return "to_json({" + ", ".join(items) + "})::VARCHAR"


def _is_missing_file(exc: BaseException) -> bool:
    text = str(exc)
    return (
        isinstance(exc, FileNotFoundError)
        or "No files found" in text
        or ("IO Error" in text and ("No such file" in text or "Cannot open file" in text))
    )


def parse_json(value: str | None, default: Any = None) -> Any:
    return json.loads(value) if value else default


# ----------------------------------------------------------------------------- query helpers

DOC_REF_SQL = (
    "d.doc_id AS _name, d.title AS _title, d.date AS _date, d.year AS _year, d.region AS _region"
)


@dataclass
class ClaimFilter:
    region: str | None = None
    indicator: str | None = None
    level: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    kind: str | None = None
    verdict: str | None = None
    q: str | None = None
    doc_key: str | None = None

    def select(self, db: _Db) -> Any:
        """Row numbers of the matching claims in the snapshot's index (commit order)."""
        eq = {
            "doc_key": self.doc_key,
            "region": self.region,
            "indicator": self.indicator,
            "level": self.level,
            "kind": self.kind,
            "verdict_status": self.verdict,
        }
        return db.index.select(eq, self.year_from, self.year_to, self.q)


def claim_out(row: dict[str, Any], refs: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A claims row as the API's record: internal columns dropped, verdict parsed, and with
    ``refs`` its document attached."""
    out = {k: v for k, v in row.items() if k not in INTERNAL_CLAIM_COLUMNS and k[0] != "_"}
    out["verdict"] = parse_json(row.get("verdict"))
    if refs is not None:
        out["document"] = refs.get(row["doc_key"]) or {"id": row["doc_key"], "name": row["doc"]}
    return out


def find_claims(
    reader: StoreReader, f: ClaimFilter, limit: int | None, offset: int
) -> tuple[list[str], int]:
    """A page of claims (with their documents) as JSON texts, and the number of all matches."""
    db = reader.snapshot()
    ids = f.select(db)
    page = ids[offset:] if limit is None else ids[offset : offset + limit]
    return db.index.json(page), len(ids)


def iter_claims(
    reader: StoreReader, f: ClaimFilter, limit: int | None, offset: int, chunk: int = 5000
) -> Iterator[str]:
    """Every matching claim with its document as JSON text, in chunks (for exports)."""
    db = reader.snapshot()
    ids = f.select(db)
    ids = ids[offset:] if limit is None else ids[offset : offset + limit]
    for i in range(0, len(ids), chunk):
        yield from db.index.json(ids[i : i + chunk])
