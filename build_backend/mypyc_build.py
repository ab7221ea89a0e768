"""Compile junheng's extraction hot path with mypyc.

mypyc names a compiled module after its path, but this repository maps top-level folders onto
the ``junheng`` package (``extract/`` is ``junheng.extract``). So the sources are first staged
into a tree laid out like the import package (``<stage>/junheng/extract/attributes.py``), and
mypyc compiles from there. Each staged module to compile gets one line appended: the SHA-256 of
its source, which ``junheng.compiled.warn_if_stale`` compares at run time with the ``.py`` next
to the extension (content decides whether a compiled module is stale, not mtimes). Two entry
points:

- ``ext_modules()``: the extensions for ``setup.py``; empty unless ``JUNHENG_COMPILE=1``.
- ``build_tree(dest)``: a complete, importable copy of the package in ``dest`` with the hot
  modules compiled in place (the test of the compiled build runs against it).

``python -m build_backend.mypyc_build --clean`` removes compiled files from the source tree (left
there by an editable install with ``JUNHENG_COMPILE=1``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = "JUNHENG_COMPILE"
# mypy's view of the code: third-party modules without types are Any, and only the compiled
# modules' own errors stop the build
MYPY_OPTIONS = [
    "--ignore-missing-imports",
    "--disable-error-code=import-untyped",
    "--follow-imports=silent",
    "--python-version=3.11",
]


def wanted() -> bool:
    return os.environ.get(ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _compiled():
    """junheng/compiled.py (standard library only, loaded by path: junheng is not installed)."""
    spec = importlib.util.spec_from_file_location(
        "_junheng_compiled", ROOT / "junheng" / "compiled.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def compiled_modules() -> tuple[str, ...]:
    """The list lives in junheng/compiled.py."""
    return tuple(_compiled().MODULES)


def package_dirs() -> dict[str, str]:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["tool"]["setuptools"]["package-dir"]


def stage(dest: Path, with_data: bool = False) -> Path:
    """Copy the package into ``dest`` laid out by import name; returns ``dest``."""
    skip = shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "*.c")
    for pkg, folder in package_dirs().items():
        target = dest.joinpath(*pkg.split("."))
        target.mkdir(parents=True, exist_ok=True)
        src = ROOT / folder
        for item in src.iterdir():
            if item.is_dir():
                # sub-packages are listed in package-dir themselves; other folders are data
                if with_data and not (item / "__init__.py").exists():
                    shutil.copytree(item, target / item.name, ignore=skip, dirs_exist_ok=True)
            elif (item.suffix == ".py" or with_data) and item.suffix not in (".so", ".pyd", ".c"):
                shutil.copy2(item, target / item.name)
    return dest


def _module_paths(base: str) -> list[str]:
    """Relative paths of the compiled modules' staged sources under ``base``."""
    return [os.path.join(base, *m.split(".")) + ".py" for m in compiled_modules()]


def record_source_hashes(dest: Path) -> dict[Path, bytes]:
    """Append its source's hash to each staged module to compile; returns the original bytes.

    The hash is of the source as staged (the text mypyc compiles, less the appended line), so
    an installed or in-place ``.py`` with the same content is current whatever its mtime."""
    compiled = _compiled()
    originals = {}
    for rel in _module_paths("."):
        path = Path(dest) / rel
        data = path.read_bytes()
        originals[path] = data
        line = f"{compiled.SOURCE_HASH_ATTR} = {compiled.source_hash(data)!r}\n"
        sep = b"" if data.endswith(b"\n") or not data else b"\n"
        path.write_bytes(data + sep + line.encode())
    return originals


def ext_modules() -> list:
    """setuptools extensions for the compiled modules, or [] when compiling was not asked for."""
    if not wanted() or os.environ.get("JUNHENG_BUILD_PHASE") == "requires":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError as exc:
        raise SystemExit(
            f"{ENV}=1 asks for the compiled build, which needs mypy (pip install mypy==2.4.1); "
            "pip's default isolated build installs it by itself"
        ) from exc

    # setup.py runs in the project root; setuptools wants relative source paths
    record_source_hashes(stage(ROOT / "build" / "mypyc_src"))
    return mypycify(
        [*MYPY_OPTIONS, *_module_paths(os.path.join("build", "mypyc_src"))],
        opt_level="3",
        group_name="junheng",
        target_dir=os.path.join("build", "mypyc_c"),
    )


def build_tree(dest: Path) -> Path:
    """An importable copy of the package in ``dest`` (data included), hot modules compiled."""
    dest = Path(dest).resolve()
    originals = record_source_hashes(stage(dest, with_data=True))
    code = (
        "import sys\n"
        "from setuptools import setup\n"
        "from mypyc.build import mypycify\n"
        f"opts = {MYPY_OPTIONS!r}\n"
        f"paths = {_module_paths('.')!r}\n"
        "setup(name='junheng-compiled', ext_modules=mypycify([*opts, *paths], opt_level='3',"
        " group_name='junheng', target_dir='_mypyc_c'),"
        " script_args=['build_ext', '--inplace', '--build-temp', '_mypyc_tmp'])\n"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=dest, capture_output=True, text=True, check=False
        )
    finally:
        # compiled in place: the sources next to the extensions are the originals again
        for path, data in originals.items():
            path.write_bytes(data)
    if proc.returncode != 0:
        raise RuntimeError(f"mypyc build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return dest


def clean(root: Path = ROOT) -> list[Path]:
    """Delete compiled extension files from the source tree; returns what was removed."""
    from importlib.machinery import EXTENSION_SUFFIXES

    removed = []
    for folder in {root / f for f in package_dirs().values()} | {root}:
        for p in folder.iterdir() if folder.is_dir() else ():
            if p.is_file() and any(p.name.endswith(s) for s in EXTENSION_SUFFIXES):
                p.unlink()
                removed.append(p)
    return removed


if __name__ == "__main__":
    if "--clean" in sys.argv:
        for p in clean():
            print(f"removed {p}")
    elif len(sys.argv) == 3 and sys.argv[1] == "--tree":
        print(build_tree(Path(sys.argv[2])))
    else:
        print("usage: python -m build_backend.mypyc_build --clean | --tree DEST")
        sys.exit(2)
