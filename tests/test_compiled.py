"""The optional mypyc build of the extraction hot path (build_backend/, junheng/compiled.py).

The compiled modules are built once into a temporary copy of the package; the claims they
give must equal the pure-Python claims record for record, and the extraction tests must pass
against them. Skips with a reason where mypy or a C compiler is missing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import types
import warnings
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from junheng import compiled

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# documents of every kind the extractor reads: samples (all formats), fixtures, and the seeds
_DUMP = """
import json, sys
from pathlib import Path
from junheng.compiled import describe
from junheng.corpus.load import iter_paths, load_path
from junheng.extract.engine import Extractor
ex = Extractor.default()
print(describe(), file=sys.stderr)
for p in iter_paths([Path(a) for a in sys.argv[1:]]):
    try:
        doc = load_path(p)
    except Exception as exc:
        print(json.dumps({"doc": p.name, "error": type(exc).__name__}))
        continue
    for c in ex.extract(doc):
        print(json.dumps(c.to_dict(), ensure_ascii=False, sort_keys=True))
"""


def _compiler() -> str | None:
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(cc) or shutil.which("cc") or shutil.which("gcc")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    if importlib.util.find_spec("mypyc") is None:
        pytest.skip("mypy (mypyc) is not installed: pip install -e '.[dev]'")
    if _compiler() is None:
        pytest.skip("no C compiler: the compiled build cannot be made here")
    sys.path.insert(0, str(REPO))
    try:
        from build_backend.mypyc_build import build_tree
    finally:
        sys.path.remove(str(REPO))
    return build_tree(tmp_path_factory.mktemp("compiled"))


def _run(tree: Path | None, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    """A child Python importing junheng from ``tree`` (None: this environment's install).

    The child runs in ``tree`` (or a neutral folder): run from the repository, its own
    ``junheng/`` folder would come first on the path and shadow the compiled copy."""
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env.pop("PYTHONPATH", None)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    cwd = tree if tree is not None else Path(sysconfig.get_paths()["stdlib"]).parent
    cmd = [sys.executable, "-c", code, *args] if code else [sys.executable, *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _folders() -> list[str]:
    out = [str(REPO / "corpus" / "samples"), str(REPO / "tests" / "fixtures")]
    if (SHARED / "seeds").is_dir():
        out.append(str(SHARED / "seeds"))
    return out


def test_every_hot_module_is_compiled(tree):
    proc = _run(tree, code="from junheng import compiled; print(compiled.status())")
    assert proc.returncode == 0, proc.stderr
    status = eval(proc.stdout)  # a dict literal printed by the child
    assert set(status) == set(compiled.MODULES)
    assert all(status.values()), status


def test_compiled_claims_equal_pure_claims(tree):
    pure = _run(None, "-c", _DUMP, *_folders())
    fast = _run(tree, "-c", _DUMP, *_folders())
    assert pure.returncode == 0, pure.stderr
    assert fast.returncode == 0, fast.stderr
    # each child says which build it ran; the comparison is only worth it between the two
    assert pure.stderr.strip().endswith("pure Python"), pure.stderr
    n = len(compiled.MODULES)
    assert fast.stderr.strip().endswith(f"compiled with mypyc ({n} modules)"), fast.stderr
    a, b = pure.stdout.splitlines(), fast.stdout.splitlines()
    assert len(a) > 300  # the comparison covers a real amount of output
    diff = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
    assert len(a) == len(b) and not diff, diff[:3]


# random strings over the characters the rules look at: odd branches, where a wrong type
# annotation would make compiled code raise while pure Python goes on
_FUZZ = """
import json, random
from junheng.corpus.document import Document
from junheng.extract.engine import Extractor
alphabet = (
    "0123456789.%万亿千百十一二三四五六七八九零〇两几所名人元个年月日,，。;；、:()（）《》“”"
    "\\n\\t|学校小学初中县区市我全生均差异系数不低于达到约近余多以上至—-第比"
)
rng = random.Random(20261123)
ex = Extractor.default()
for i in range(1500):
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 90)))
    for c in ex.extract(Document(doc_id=str(i), text=text)):
        print(json.dumps(c.to_dict(), ensure_ascii=False, sort_keys=True))
"""


def test_compiled_equals_pure_on_random_text(tree):
    pure, fast = _run(None, code=_FUZZ), _run(tree, code=_FUZZ)
    assert pure.returncode == 0, pure.stderr[-2000:]
    assert fast.returncode == 0, fast.stderr[-2000:]
    assert len(pure.stdout.splitlines()) > 500
    assert pure.stdout == fast.stdout


def test_extraction_tests_pass_compiled(tree):
    tests = [
        "test_extract_numerals.py",
        "test_extract_claims.py",
        "test_extract_cli.py",
        "test_structure_speedups.py",
        "test_wordlist.py",
        "test_corpus_properties.py",
        "test_consistency_reports.py",
    ]
    config = ["-c", str(REPO / "pyproject.toml"), "--rootdir", str(REPO)]
    paths = [str(REPO / "tests" / t) for t in tests]
    # the children's own check that they run compiled code, not the repository's sources
    check = "from junheng import compiled; assert all(compiled.status().values())"
    assert _run(tree, code=check).returncode == 0
    assert _run(None, code=check).returncode != 0
    proc = _run(tree, "-m", "pytest", "-q", "-p", "no:cacheprovider", *config, *paths)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


# a child that builds an Extractor and says what warn_if_stale found
_STALE = """
import json, warnings
from junheng import compiled
from junheng.extract.engine import Extractor
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    Extractor()
print(json.dumps({
    "unrecorded": [n for n in compiled.MODULES if compiled._recorded_hash(n) is None],
    "stale": compiled.warn_if_stale(),
    "warned": [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)],
}))
"""


def _sources(tree: Path) -> list[Path]:
    return [tree.joinpath(*m.split(".")).with_suffix(".py") for m in compiled.MODULES]


def test_touched_sources_do_not_make_compiled_modules_stale(tree):
    # what a wheel's installer or a checkout does: the .py is newer, its content the same
    for src in _sources(tree):
        assert compiled.SOURCE_HASH_ATTR not in src.read_text()  # the originals, not the staged
        os.utime(src, (src.stat().st_mtime + 3600,) * 2)
    proc = _run(tree, code=_STALE)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    # every module carries its hash, so content decided (the mtime rule would call all stale)
    assert out == {"unrecorded": [], "stale": [], "warned": []}, out


def test_edited_source_makes_its_compiled_module_stale(tree):
    src = tree / "junheng" / "extract" / "numerals.py"
    original = src.read_bytes()
    try:
        src.write_bytes(original + b"\n# edited after the build\n")
        os.utime(src, (1_000_000, 1_000_000))  # older than the extension: content decides
        proc = _run(tree, code=_STALE)
    finally:
        src.write_bytes(original)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["stale"] == [str(src)], out
    assert len(out["warned"]) == 1 and str(src) in out["warned"][0], out


def _fake_extension(tmp_path: Path, source: bytes) -> tuple[Path, Path]:
    """A package with ``hot.py`` next to a file named like its extension (never loaded)."""
    pkg = tmp_path / "stalepkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    ext = pkg / f"hot{EXTENSION_SUFFIXES[0]}"
    ext.write_bytes(b"not really a module")
    src = pkg / "hot.py"
    src.write_bytes(source)
    return ext, src


def test_recorded_hash_decides_staleness(tmp_path, monkeypatch):
    ext, src = _fake_extension(tmp_path, b"X = 1\n")
    os.utime(ext, (1_000_000, 1_000_000))  # by mtime, stale
    # the compiled module as imported: its spec points at the extension, it carries the hash
    mod = types.ModuleType("stalepkg.hot")
    mod.__spec__ = importlib.util.spec_from_file_location("stalepkg.hot", ext)
    setattr(mod, compiled.SOURCE_HASH_ATTR, compiled.source_hash(b"X = 1\n"))
    monkeypatch.setitem(sys.modules, "stalepkg.hot", mod)
    monkeypatch.setattr(compiled, "MODULES", ("stalepkg.hot",))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert compiled.warn_if_stale() == []  # same content: current, whatever the mtimes
    src.write_bytes(b"X = 2\n")
    os.utime(src, (1_000_000, 1_000_000))  # by mtime, current
    with pytest.warns(RuntimeWarning, match="older than their sources"):
        assert compiled.warn_if_stale() == [str(src)]


def test_stale_compiled_module_is_reported_without_a_recorded_hash(tmp_path, monkeypatch):
    # an extension built before hashes were recorded (this one does not even load): mtimes
    ext, src = _fake_extension(tmp_path, b"X = 1\n")
    os.utime(ext, (1_000_000, 1_000_000))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(compiled, "MODULES", ("stalepkg.hot",))
    with pytest.warns(RuntimeWarning, match="older than their sources"):
        assert compiled.warn_if_stale() == [str(src)]
    # rebuilt after the edit, or the source written just after the extension: not stale
    for src_time in (1_000_000 - 100, 1_000_000 + compiled.MTIME_TOLERANCE_S / 2):
        os.utime(src, (src_time, src_time))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert compiled.warn_if_stale() == []


def test_describe_names_the_build(monkeypatch):
    names = compiled.MODULES
    monkeypatch.setattr(compiled, "status", lambda: dict.fromkeys(names, False))
    assert compiled.describe() == "pure Python"
    monkeypatch.setattr(compiled, "status", lambda: dict.fromkeys(names, True))
    assert compiled.describe() == f"compiled with mypyc ({len(names)} modules)"
    monkeypatch.setattr(compiled, "status", lambda: {n: n.endswith("engine") for n in names})
    assert compiled.describe().startswith("partly compiled (1 of")
