"""Plain text out of HTML, PDF and DOCX bytes.

Each function returns ``(text, extra)`` where ``extra`` carries what the format knows beyond the
text (the HTML title, warnings). Problems the user must hear about raise ``FormatError`` with a
one-line explanation; the loader turns it into ``DocumentError(doc, problem)``.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field


class FormatError(ValueError):
    """The bytes are not a readable document of the claimed format."""


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None = None
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_DROP = {
    "script",
    "style",
    "nav",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "head",
    "select",
    "option",
    "button",
    "map",
    "audio",
    "video",
    "math",
}
_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "frameset",
    "frame",
    "textarea",
}
_CELL = {"td", "th"}
_NL = "\x00"  # marks a block boundary while collecting; never in decoded HTML text
_TAB = "\x01"  # marks a cell boundary

_WS_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")
_CJKISH = (
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u201c\u201d\u2018\u2019\u2014\u2026]"
)
_NL_BETWEEN_CJK = re.compile(rf"(?<={_CJKISH})[ \t\r\f\v]*\n[ \t\r\n\f\v]*(?={_CJKISH})")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _norm_inline(s: str) -> str:
    # A source line break between two Chinese characters is not a space when rendered in
    # Chinese text (browsers differ; we drop it so "1.7\n亿元" stays one number).
    s = _NL_BETWEEN_CJK.sub("", s)
    return _WS_RUN.sub(" ", s)


def html_to_text(markup: str) -> Extracted:
    """Readable plain text of an HTML page: one line per block, cells separated by tabs.

    script/style/nav/noscript (and other non-text elements) are dropped; ``<br>`` and block
    elements become line breaks; whitespace inside a block collapses as a browser shows it;
    ``<pre>`` keeps its lines.
    """
    import lxml.etree as etree
    import lxml.html

    markup = _XML_DECL.sub("", markup, count=1).replace("\x00", "").replace("\x01", "")
    if not markup.strip():
        raise FormatError("empty HTML page")
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise FormatError(f"HTML does not parse ({exc})") from exc

    title = None
    t = root.find(".//title")
    if t is not None and t.text_content().strip():
        title = _WS_RUN.sub(" ", t.text_content()).strip()
    h1s = [_WS_RUN.sub(" ", h.text_content()).strip() for h in root.iter("h1")]
    h1s = [h for h in h1s if h]

    out: list[str] = []

    def walk(el, in_pre: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # comment, processing instruction, entity
            if el.tail:
                out.append(el.tail if in_pre else _norm_inline(el.tail))
            return
        tag = tag.lower()
        if tag in _DROP:
            if el.tail:
                out.append(el.tail if in_pre else _norm_inline(el.tail))
            return
        pre = in_pre or tag in ("pre", "textarea", "listing", "plaintext")
        block = tag in _BLOCK
        if block:
            out.append(_NL)
        elif tag in _CELL:
            out.append(_TAB)
        elif tag == "br":
            out.append(_NL)
        # <img alt> is left out: on news sites it is logos and share buttons.
        if el.text:
            out.append(el.text.replace("\n", _NL) if pre else _norm_inline(el.text))
        for child in el:
            walk(child, pre)
        if block:
            out.append(_NL)
        elif tag in _CELL:
            out.append(_TAB)
        if el.tail:
            out.append(el.tail.replace("\n", _NL) if in_pre else _norm_inline(el.tail))

    body = root.find("body")
    try:
        walk(body if body is not None else root, False)
    except RecursionError as exc:
        raise FormatError("HTML nested too deeply to read") from exc
    raw = "".join(out)
    lines: list[str] = []
    for line in raw.split(_NL):
        cells = [c.strip(" \t\u00a0\u3000") for c in line.split(_TAB)]
        cells = [c for c in cells if c]
        text = "\t".join(cells)
        lines.append(text)
    # collapse runs of empty lines (block boundaries) to single line breaks
    text = "\n".join(line for line in lines if line)
    return Extracted(text=text, title=_pick_title(title, h1s))


def _pick_title(title: str | None, h1s: list[str]) -> str | None:
    """The article title: the ``<title>``'s main part (before ``_站名`` / ``- 站名``), or an
    ``<h1>`` the ``<title>`` contains that is not the site-name part."""
    parts: list[str] = []
    if title:
        parts = [p.strip() for p in re.split(r"\s+[-–—|]\s+|[|｜_]", title) if p.strip()]
    for h in h1s:
        if title and h in title and len(h) >= 4:
            if len(parts) > 1 and h in parts[1:] and h != parts[0]:
                continue  # the h1 is the site's name (a logo)
            return h
    if parts:
        return parts[0] if len(parts[0]) >= 6 or len(parts) == 1 else max(parts, key=len)
    for h in h1s:
        if 4 <= len(h) <= 120:
            return h
    return title


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 20:
            self.messages.append(record.getMessage())


_TRAILING_WS = re.compile(r"[ \t\u00a0]+\n")


def pdf_to_text(data: bytes) -> Extracted:
    """The text layer of a PDF, page by page (pages separated by a line break).

    Raises ``FormatError`` for a file that does not parse, an encrypted file we cannot open,
    and a PDF without a text layer (a scan).
    """
    import pypdf
    from pypdf.errors import PdfReadError

    warnings: list[str] = []
    handler = _Collect()
    logger = logging.getLogger("pypdf")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    old_propagate = logger.propagate
    logger.propagate = False
    try:
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except Exception as exc:  # missing crypto backend, unknown algorithm
                    raise FormatError(f"encrypted PDF cannot be opened ({exc})") from exc
                if not ok:
                    raise FormatError("encrypted PDF (password required)")
            pages = reader.pages
            n = len(pages)
        except FormatError:
            raise
        except (PdfReadError, RecursionError) as exc:
            raise FormatError(f"PDF does not parse ({type(exc).__name__}: {exc})") from exc
        except Exception as exc:  # pypdf raises many kinds on broken files
            raise FormatError(f"PDF does not parse ({type(exc).__name__}: {exc})") from exc
        if n == 0:
            raise FormatError("PDF has no pages")
        texts: list[str] = []
        failed = 0
        for i in range(n):
            try:
                t = pages[i].extract_text() or ""
            except Exception as exc:  # one bad page must not lose the document
                failed += 1
                if failed <= 3:
                    warnings.append(f"page {i + 1}: text not extracted ({type(exc).__name__})")
                t = ""
            texts.append(t)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate
    if failed == n:
        raise FormatError(f"PDF does not parse (no page could be read; {n} pages)")
    text = "\n".join(t.strip("\n") for t in texts)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_WS.sub("\n", text).strip()
    if not re.search(r"[\w\u3400-\u9fff]", text):
        raise FormatError(f"PDF has no text layer ({n} page(s); a scan needs OCR first)")
    seen = set()
    for m in handler.messages:
        if m not in seen:
            seen.add(m)
            warnings.append(f"pypdf: {m[:200]}")
    return Extracted(text=text, warnings=warnings)


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------


def docx_to_text(data: bytes) -> Extracted:
    """Paragraphs and tables of a .docx body in document order; a table row is one line with
    tab-separated cells (merged cells once)."""
    import zipfile

    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise FormatError(f"python-docx is not installed ({exc})") from exc

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise FormatError("not a Word document (a zip without word/document.xml)")
            bad = zf.testzip()
            if bad is not None:
                raise FormatError(f"corrupt .docx (bad entry {bad})")
    except zipfile.BadZipFile as exc:
        raise FormatError(f"corrupt .docx (not a valid zip: {exc})") from exc
    except (OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise FormatError(f"corrupt .docx ({type(exc).__name__}: {exc})") from exc

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises a variety (KeyError, XMLSyntaxError, ...)
        raise FormatError(f"corrupt .docx ({type(exc).__name__}: {exc})") from exc

    lines: list[str] = []

    def table_lines(table: Table) -> None:
        for row in table.rows:
            cells: list[str] = []
            seen: set[int] = set()
            try:
                row_cells = row.cells
            except Exception:
                continue
            for cell in row_cells:
                key = id(cell._tc)
                if key in seen:
                    continue
                seen.add(key)
                txt = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                cells.append(txt)
                for inner in cell.tables:
                    table_lines(inner)
            if any(cells):
                lines.append("\t".join(c for c in cells))

    try:
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                table_lines(block)
    except Exception as exc:
        raise FormatError(f"corrupt .docx ({type(exc).__name__}: {exc})") from exc

    text = "\n".join(line.rstrip() for line in lines)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").strip("\n")
    title = None
    try:
        t = (document.core_properties.title or "").strip()
        title = t or None
    except Exception:
        title = None
    return Extracted(text=text, title=title)
