"""The indicator ontology: every indicator junheng knows, merged from data/ontology/*.yaml.

An entry names the indicator (Chinese and English), its unit, stages, direction (is higher
better?), group, synonyms, and a ``link`` rule that extraction uses to attach claims to it:

    link:
      units: [percent]          # claim units the indicator accepts (default: the entry's unit)
      kinds: [level, share]     # optional: claim kinds it accepts
      any: [交流比例, 交流轮岗比例] # at least one term must occur in the claim's context
      all: [教师]                # every term must occur
      none: [校长]               # no term may occur
      near: true                # terms must sit in the claim's own clause (default); false: sentence
      priority: 0               # ties between rules go to the higher priority, then the longer term
    max_value: 100000           # optional: no claim above it is this indicator (per-pupil figures)

Standards (thresholds) are kept apart, in data/standards.yaml, keyed by indicator id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(slots=True)
class LinkRule:
    units: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    near: bool = True
    priority: int = 0


@dataclass(slots=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str = ""
    unit: str = "other"
    stages: tuple[str, ...] = ()
    direction: str = "none"  # higher | lower | none
    group: str = ""
    synonyms: tuple[str, ...] = ()
    default_level: str | None = None  # e.g. "all" for whole-system spending figures
    description: str = ""
    # the largest value a claim of it can have: a per-pupil figure is never 1.2亿元
    max_value: float | None = None
    links: list[LinkRule] = field(default_factory=list)
    source_file: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "unit": self.unit,
            "stages": list(self.stages),
            "direction": self.direction,
            "group": self.group,
            "synonyms": list(self.synonyms),
            "default_level": self.default_level,
            "description": self.description,
        }


class Ontology:
    def __init__(self, indicators: list[Indicator]):
        self._by_id: dict[str, Indicator] = {}
        for ind in indicators:
            if ind.id in self._by_id:
                prev = self._by_id[ind.id]
                # a later file may add synonyms and link rules to an existing id
                prev.synonyms = tuple(dict.fromkeys(prev.synonyms + ind.synonyms))
                prev.links.extend(ind.links)
            else:
                self._by_id[ind.id] = ind

    def get(self, id_: str) -> Indicator | None:
        return self._by_id.get(id_)

    def all(self) -> list[Indicator]:
        return list(self._by_id.values())

    def __contains__(self, id_: str) -> bool:
        return id_ in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)


def _as_tuple(v) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(str(x) for x in v)


def _entry(d: dict, source: str) -> Indicator:
    unit = d.get("unit", "other")
    links = []
    raw = d.get("link")
    raw_list = raw if isinstance(raw, list) else ([raw] if raw else [])
    for r in raw_list:
        links.append(
            LinkRule(
                units=_as_tuple(r.get("units")) or (unit,),
                kinds=_as_tuple(r.get("kinds")),
                any=_as_tuple(r.get("any")),
                all=_as_tuple(r.get("all")),
                none=_as_tuple(r.get("none")),
                near=bool(r.get("near", True)),
                priority=int(r.get("priority", 0)),
            )
        )
    if not links and d.get("synonyms"):
        links.append(LinkRule(units=(unit,), any=_as_tuple(d.get("synonyms"))))
    return Indicator(
        id=d["id"],
        name_zh=d.get("name_zh", d["id"]),
        name_en=d.get("name_en", ""),
        unit=unit,
        stages=_as_tuple(d.get("stages")),
        direction=d.get("direction", "none"),
        group=d.get("group", ""),
        synonyms=_as_tuple(d.get("synonyms")),
        default_level=d.get("default_level"),
        description=d.get("description", ""),
        max_value=float(d["max_value"]) if d.get("max_value") is not None else None,
        links=links,
        source_file=source,
    )


@lru_cache(maxsize=1)
def load() -> Ontology:
    """Merge every data/ontology/*.yaml (canonical.yaml first)."""
    base = resources.files("junheng.indicators").joinpath("data/ontology")
    files = sorted(
        (p for p in base.iterdir() if p.name.endswith((".yaml", ".yml"))),
        key=lambda p: (p.name != "canonical.yaml", p.name),
    )
    entries: list[Indicator] = []
    for p in files:
        with p.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or []
        if isinstance(data, dict):
            data = data.get("indicators", [])
        entries.extend(_entry(d, p.name) for d in data)
    return Ontology(entries)
