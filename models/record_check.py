"""Reading claim records (JSON Lines) for the linker: each bad row named and skipped."""

from __future__ import annotations

import json
from pathlib import Path

from junheng.extract.record import UNITS, Claim


def check_unit(unit: str) -> str | None:
    """A problem with ``unit``, or None."""
    if unit not in UNITS:
        return f"unknown unit {unit!r} (expected one of {', '.join(UNITS)})"
    return None


def check_row(row: object) -> str | None:
    """The first problem of a claim row, or None."""
    if not isinstance(row, dict):
        return f"not a JSON object but {type(row).__name__}"
    for name in ("doc", "surface"):
        if not isinstance(row.get(name), str):
            return f"column '{name}' missing or not a string"
    for name in ("start", "end"):
        v = row.get(name)
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            return f"column '{name}' missing or not a non-negative integer ({v!r})"
    if row["end"] <= row["start"]:
        return f"column 'end' ({row['end']}) is not after 'start' ({row['start']})"
    for name in ("subject", "indicator", "unit", "id"):
        if name in row and row[name] is not None and not isinstance(row[name], str):
            return f"column '{name}' is not a string ({row[name]!r})"
    problem = check_unit(row.get("unit") or "other")
    return f"column 'unit': {problem}" if problem else None


def read_claims(path: Path) -> tuple[list[Claim], list[str]]:
    """(claims, problems): every usable row of a JSON Lines file; each problem reads
    ``file:line: problem``."""
    claims: list[Claim] = []
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})"]
    except OSError as exc:
        return [], [f"{path.name}: cannot read ({exc.strerror})"]
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path.name}:{n}: not JSON ({exc.msg})")
            continue
        problem = check_row(row)
        if problem:
            problems.append(f"{path.name}:{n}: {problem}")
            continue
        row = {
            k: v
            for k, v in row.items()
            if v is not None or k not in ("subject", "unit", "indicator", "id")
        }
        claims.append(Claim.from_dict(row))
    return claims, problems
