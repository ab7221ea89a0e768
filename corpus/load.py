"""Documents in: files, uploaded bytes and strings become ``Document`` objects.

* ``load_path(path)`` reads one file (size checked before reading), ``load_bytes(data, name)``
  loads an upload, ``document_from_text(text, doc_id)`` wraps a string. All three detect page
  chrome, repeated bodies and metadata (title, date, year).
* ``iter_paths(paths)`` walks files and folders lazily, in sorted order.

Formats: ``.txt``/``.md`` (decoded exactly: ``Document.text`` is what
``open(f, encoding=...).read()`` gives, universal newlines included, so claim offsets point
into it), ``.html``/``.htm`` (plain text of the page), ``.pdf`` (the text layer, via pypdf),
``.docx`` (paragraphs and table rows, via python-docx). Other names are sniffed.

Bad input raises ``DocumentError(doc, problem)`` with a one-line problem: empty file, binary
file, a PDF that does not parse or has no text layer, a corrupt .docx, a file over the size
limit (``max_bytes``, default 50 MB, or the environment variable ``JUNHENG_MAX_DOC_BYTES``).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from junheng.corpus.chrome import detect_chrome, view_for_detection
from junheng.corpus.document import Document, DocumentError
from junheng.corpus.duplicates import detect_duplicates
from junheng.corpus.encoding import NotText, decode_bytes, html_declared_charset
from junheng.corpus.formats import FormatError, docx_to_text, html_to_text, pdf_to_text
from junheng.corpus.metadata import extract_metadata

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# extension -> format
SUPPORTED: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".markdown": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}

_UNSUPPORTED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "legacy Office file (.doc/.xls/.ppt) is not supported; save it as .docx",
    ),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not a text document (OCR it first)"),
    (b"\xff\xd8\xff", "a JPEG image, not a text document (OCR it first)"),
    (b"GIF87a", "a GIF image, not a text document"),
    (b"GIF89a", "a GIF image, not a text document"),
    (b"II*\x00", "a TIFF image, not a text document (OCR it first)"),
    (b"MM\x00*", "a TIFF image, not a text document (OCR it first)"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive; unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive; unpack it first"),
    (b"\x7fELF", "an executable, not a document"),
    (b"{\\rtf", "an RTF file is not supported; save it as .docx or .txt"),
    (b"%!PS", "a PostScript file is not supported; convert it to PDF"),
)


def max_bytes_default() -> int:
    env = os.environ.get("JUNHENG_MAX_DOC_BYTES")
    if env:
        try:
            return int(env)
        except ValueError:
            pass
    return DEFAULT_MAX_BYTES


def _fmt_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _too_large(size: int, limit: int) -> str:
    return f"file too large ({_fmt_size(size)}; the limit for one document is {_fmt_size(limit)})"


def sniff_format(data: bytes, name: str = "") -> str:
    """``txt``, ``html``, ``pdf`` or ``docx`` for ``data``; raises ``FormatError`` for known
    non-document formats. Magic numbers win over the extension; then the extension; then an
    HTML sniff."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data, name)
    for magic, problem in _UNSUPPORTED_MAGIC:
        if data.startswith(magic):
            raise FormatError(problem)
    ext = Path(name).suffix.lower()
    if ext == ".pdf":
        raise FormatError("PDF does not parse (no %PDF header: not a PDF file)")
    if ext == ".docx":
        raise FormatError("corrupt .docx (not a zip file)")
    if ext in SUPPORTED:
        return SUPPORTED[ext]
    return "html" if _looks_html(head) else "txt"


def _zip_kind(data: bytes, name: str) -> str:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except zipfile.BadZipFile:
        return "docx"  # the docx reader reports the corruption
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise FormatError("an Excel workbook (.xlsx) is not a supported document")
    if any(n.startswith("ppt/") for n in names):
        raise FormatError("a PowerPoint file (.pptx) is not a supported document")
    if "mimetype" in names and any(n == "content.xml" for n in names):
        raise FormatError("an OpenDocument file is not supported; save it as .docx")
    raise FormatError("a zip archive, not a document; unpack it first")


def _looks_html(head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if h.startswith((b"<!doctype html", b"<html", b"<?xml")) and (
        b"<html" in h or b"<!doctype html" in h
    ):
        return True
    return (
        sum(
            tag in h for tag in (b"<html", b"<head", b"<body", b"<meta", b"<title", b"<div", b"<p>")
        )
        >= 2
    )


def document_from_text(
    text: str,
    doc_id: str,
    source: str | None = None,
    fmt: str = "txt",
    *,
    encoding: str | None = None,
    title_hint: str | None = None,
    warnings: list[str] | None = None,
) -> Document:
    """A ``Document`` of ``text`` exactly as given, with chrome, duplicates and metadata."""
    view = view_for_detection(text)
    chrome = detect_chrome(text, view)
    dups = detect_duplicates(text)
    meta = extract_metadata(text, chrome, title_hint=title_hint, view=view)
    return Document(
        doc_id=doc_id,
        text=text,
        source=source,
        format=fmt,
        encoding=encoding,
        title=meta.title,
        date=meta.date,
        year=meta.year,
        region=None,
        chrome=chrome,
        duplicates=dups,
        warnings=list(warnings or []),
    )


def load_bytes(
    data: bytes,
    name: str,
    *,
    source: str | None = None,
    doc_id: str | None = None,
    max_bytes: int | None = None,
) -> Document:
    """Load an upload (or a file's bytes): dispatch on magic numbers, the extension of
    ``name``, then sniffing."""
    doc = doc_id or name
    limit = max_bytes_default() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise DocumentError(doc, _too_large(len(data), limit))
    if not data:
        raise DocumentError(doc, "empty file")
    try:
        fmt = sniff_format(data, name)
        if fmt == "pdf":
            ext = pdf_to_text(data)
            text, enc, warnings, title = ext.text, None, ext.warnings, None
        elif fmt == "docx":
            ext = docx_to_text(data)
            text, enc, warnings, title = ext.text, None, ext.warnings, None
        elif fmt == "html":
            decoded = decode_bytes(data, declared=html_declared_charset(data), name=name)
            ext = html_to_text(decoded.text)
            text, enc, title = ext.text, decoded.encoding, ext.title
            warnings = decoded.warnings + ext.warnings
            if not text.strip():
                raise FormatError("HTML page has no text")
        else:
            decoded = decode_bytes(data, name=name)
            text, enc, warnings, title = decoded.text, decoded.encoding, decoded.warnings, None
    except NotText as exc:
        raise DocumentError(doc, f"not a text document: {exc}") from exc
    except FormatError as exc:
        raise DocumentError(doc, str(exc)) from exc
    if not text.strip():
        raise DocumentError(doc, "empty document (no text after decoding)")
    out = document_from_text(
        text, doc, source=source, fmt=fmt, encoding=enc, title_hint=title, warnings=warnings
    )
    if fmt == "html":
        from junheng.corpus.source_map import source_offsets

        out.source_text = decoded.text
        out.source_offsets = source_offsets(decoded.text, text)
    return out


def load_path(
    path: str | os.PathLike,
    *,
    doc_id: str | None = None,
    max_bytes: int | None = None,
) -> Document:
    """Load one file. The size is checked before anything is read."""
    p = Path(path)
    doc = doc_id or p.name
    limit = max_bytes_default() if max_bytes is None else max_bytes
    try:
        st = p.stat()
    except FileNotFoundError as exc:
        raise DocumentError(doc, f"file not found ({p})") from exc
    except OSError as exc:
        raise DocumentError(doc, f"cannot read ({exc.strerror or exc})") from exc
    if stat.S_ISDIR(st.st_mode):
        raise DocumentError(doc, "is a folder, not a file (use iter_paths)")
    if not stat.S_ISREG(st.st_mode):
        raise DocumentError(doc, "not a regular file")
    if st.st_size > limit:
        raise DocumentError(doc, _too_large(st.st_size, limit))
    if st.st_size == 0:
        raise DocumentError(doc, "empty file")
    try:
        with open(p, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise DocumentError(doc, f"cannot read ({exc.strerror or exc})") from exc
    if len(data) > limit:  # grew while we looked
        raise DocumentError(doc, _too_large(len(data), limit))
    return load_bytes(data, p.name, source=str(p), doc_id=doc, max_bytes=limit)


def is_supported(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in SUPPORTED


_NOT_DOCUMENTS = re.compile(
    r"^(?:readme|license|licence|changelog|contributing)(?:\.[a-z]+)?$", re.I
)


def _hidden(name: str) -> bool:
    """Hidden and lock files, and a folder's own README/LICENSE notes, are not documents."""
    return name.startswith(".") or name.startswith("~$") or bool(_NOT_DOCUMENTS.match(name))


def iter_paths(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    recursive: bool = True,
) -> Iterator[Path]:
    """Supported files under ``paths`` (files and folders), lazily.

    Folders are walked in sorted order (names compared as strings, so a folder's files come in
    ``sorted()`` order), skipping hidden files and folders (``.name``) and Office lock files
    (``~$name``). A file named directly is yielded whatever its extension (the loader sniffs
    it); a path that does not exist is yielded too, so that loading reports it. Each file is
    yielded once.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from _walk(p, recursive, seen, set())
        else:
            key = os.path.abspath(p)
            if key not in seen:
                seen.add(key)
                yield p


def _walk(folder: Path, recursive: bool, seen: set[str], visiting: set[str]) -> Iterator[Path]:
    try:
        real = os.path.realpath(folder)
    except OSError:
        return
    if real in visiting:  # a symlink loop
        return
    visiting = visiting | {real}
    try:
        with os.scandir(folder) as it:
            entries = sorted((e.name, e.is_dir(), e.is_file()) for e in it)
    except OSError:
        return
    for name, is_dir, is_file in entries:
        if _hidden(name):
            continue
        child = folder / name
        if is_dir:
            if recursive:
                yield from _walk(child, recursive, seen, visiting)
        elif is_file and Path(name).suffix.lower() in SUPPORTED:
            key = os.path.abspath(child)
            if key not in seen:
                seen.add(key)
                yield child


SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


def sample_paths() -> list[Path]:
    """The documents of the bundled sample corpus (its README and generator script excluded)."""
    return [p for p in iter_paths(SAMPLES_DIR) if p.name.lower() != "readme.md"]
