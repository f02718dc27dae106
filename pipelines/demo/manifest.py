"""Injected against found: which anomalies the run missed and what it found that nobody injected."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pipelines.demo.scenario import Anomaly


def compare(injected: Iterable[Anomaly], found: Iterable[Mapping[str, Any]]
            ) -> tuple[list[Anomaly], list[Mapping[str, Any]]]:
    """Pair each anomaly with one finding of its type and scope (and natural key, where the scenario
    knows it); returns (injected but not found, found but not injected)."""
    left = list(found)
    missed = []
    for a in injected:
        hit = next((f for f in left if f["type"] == a.type and f["scope_id"] == a.scope_id
                    and (a.natural_key is None or f["natural_key"] == a.natural_key)), None)
        if hit is None:
            missed.append(a)
        else:
            left.remove(hit)
    return missed, left
