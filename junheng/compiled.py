"""Which extraction modules run compiled, and whether a compiled module is stale.

The extraction hot path can be compiled to C with mypyc (``JUNHENG_COMPILE=1 pip install .``,
see ``build_backend/``). The compiled build runs the same source, so it gives the same claims;
only speed differs. This module names the modules that get compiled (the build reads this list
from here) and reports at run time which of them are compiled. Standard library only: the build
imports it before any dependency is installed.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import warnings
from importlib.machinery import EXTENSION_SUFFIXES

# Typed modules on the per-claim path. Each must type-check under mypy, because mypyc
# compiles from the types; ``tests/test_compiled.py`` builds them and compares the output.
MODULES: tuple[str, ...] = (
    "junheng.corpus.analysis",
    "junheng.extract.structure",
    "junheng.extract.numerals",
    "junheng.extract.places",
    "junheng.extract.attributes",
    "junheng.extract.engine",
)

# The build appends ``<SOURCE_HASH_ATTR> = "<hex digest>"`` to the copy of each module it
# compiles: the SHA-256 of the source text as it was before that line was added. A compiled
# module is stale when the ``.py`` next to it no longer has that hash. Content decides, not
# mtimes: a wheel's installer may write the ``.py`` after the extension, and a checkout or a
# ``touch`` changes mtimes without changing the code.
SOURCE_HASH_ATTR = "__junheng_source_sha256__"
# extensions built before the hash was recorded: stale when the source is newer by this much
MTIME_TOLERANCE_S = 2.0


def _is_extension(path: str | None) -> bool:
    return bool(path) and any(str(path).endswith(s) for s in EXTENSION_SUFFIXES)


def status() -> dict[str, bool]:
    """Module name -> whether it was imported from a compiled extension."""
    out = {}
    for name in MODULES:
        mod = importlib.import_module(name)
        out[name] = _is_extension(getattr(mod, "__file__", None))
    return out


def describe() -> str:
    """One line for benchmarks and ``junheng demo``: compiled, pure Python, or mixed."""
    st = status()
    n = sum(st.values())
    if n == 0:
        return "pure Python"
    if n == len(st):
        return f"compiled with mypyc ({n} modules)"
    return f"partly compiled ({n} of {len(st)} modules: {', '.join(k for k, v in st.items() if v)})"


def source_hash(data: bytes) -> str:
    """The hash the build records for a module's source bytes."""
    return hashlib.sha256(data).hexdigest()


def _recorded_hash(name: str) -> str | None:
    """The source hash compiled into module ``name``; None for a build that has none."""
    try:
        mod = importlib.import_module(name)
    except ImportError:  # an extension that does not load: nothing recorded to compare
        return None
    value = getattr(mod, SOURCE_HASH_ATTR, None)
    return value if isinstance(value, str) else None


def _is_stale(name: str, ext: str, src: str) -> bool:
    recorded = _recorded_hash(name)
    if recorded is not None:
        with open(src, "rb") as fh:
            return source_hash(fh.read()) != recorded
    return os.path.getmtime(src) > os.path.getmtime(ext) + MTIME_TOLERANCE_S


def warn_if_stale() -> list[str]:
    """Warn when a compiled module was built from other code than the source file next to it.

    That happens in a source tree built in place (an editable install with
    ``JUNHENG_COMPILE=1``) and edited afterwards: Python imports the extension, so the edits
    to the ``.py`` would be silently ignored. Returns the stale modules' source paths.
    """
    stale = []
    for name in MODULES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        if not _is_extension(origin):
            continue
        base = str(origin)
        src = base
        for s in EXTENSION_SUFFIXES:
            if base.endswith(s):
                src = base[: -len(s)] + ".py"
                break
        if src != base and os.path.exists(src) and _is_stale(name, base, src):
            stale.append(src)
    if stale:
        warnings.warn(
            "junheng: compiled modules are older than their sources and shadow them: "
            + ", ".join(stale)
            + ". Rebuild (JUNHENG_COMPILE=1 pip install .) or delete the compiled files "
            "(python -m build_backend.mypyc_build --clean).",
            RuntimeWarning,
            stacklevel=2,
        )
    return stale
