"""A built wheel carries every file of the package folders: data read at run time (the
ontology's YAML files sit one folder deeper than the other data) must not exist only in an
editable install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _setuptools_ok() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 68


@pytest.mark.skipif(not _setuptools_ok(), reason="needs setuptools>=68 in this environment")
def test_wheel_ships_every_package_file(tmp_path):
    # a copy of the tracked files, so that no earlier build/ folder leaks into the wheel
    src = tmp_path / "src"
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell tracked files from build output")
    for rel in filter(None, listed.stdout.split("\0")):
        if (REPO / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, src / rel)
    # the project's own PEP 517 backend, in this environment (no download, nothing compiled)
    out = tmp_path / "dist"
    out.mkdir()
    code = (
        "import sys; sys.path.insert(0, 'build_backend'); import backend;"
        f"print(backend.build_wheel({str(out)!r}))"
    )
    env = dict(os.environ)
    env.pop("JUNHENG_COMPILE", None)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=src, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    wheel = out / proc.stdout.strip().splitlines()[-1]
    names = set(zipfile.ZipFile(wheel).namelist())
    with open(REPO / "pyproject.toml", "rb") as fh:
        package_dirs = tomllib.load(fh)["tool"]["setuptools"]["package-dir"]
    folders = {REPO / f for f in package_dirs.values()}
    missing = []
    for pkg, folder in package_dirs.items():
        base = REPO / folder
        for path in base.rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".so", ".c"):
                continue
            # files of a sub-package are checked under that sub-package's own entry
            owner = max((f for f in folders if f in path.parents), key=lambda f: len(f.parts))
            if owner != base:
                continue
            arc = pkg.replace(".", "/") + "/" + path.relative_to(base).as_posix()
            if arc not in names:
                missing.append(arc)
    assert not missing, missing[:20]
    assert not any(n.endswith(".so") for n in names)  # no JUNHENG_COMPILE: a pure wheel
