"""What a source read gave: complete at a cut-off, partial, unavailable, or not configured.

Every asset that reads a source gets one of these, never an empty frame standing for "nothing there".
A verdict is backed by a complete read at a recorded cut-off, or it is "unknown". Pure: no Dagster.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from recon.discrepancies import Discrepancy

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)  # a read of a DataFrame is a read of an object

COMPLETE, PARTIAL, UNAVAILABLE, NOT_CONFIGURED = "complete", "partial", "unavailable", "not_configured"
STATES = (COMPLETE, PARTIAL, UNAVAILABLE, NOT_CONFIGURED)

# The metadata every source-reading asset reports, so the UI plots the same figure across assets.
META_STATE, META_CUTOFF, META_ROWS_IN, META_UNKNOWN = "source_state", "cutoff", "rows_in", "verdicts_unknown"


class NotConfigured(Exception):
    """A setting the source needs is empty: a state, never a default path, URL or figure."""


class ConfigurationError(Exception):
    """The source's configuration is wrong (bad JSON, a missing file): retrying cannot help."""


@dataclass(frozen=True)
class SourceRead(Generic[T_co]):
    """One source's read. `value` is only set for complete and partial reads."""

    source: str
    state: str
    value: T_co | None = None
    cutoff: str | None = None
    reason: str | None = None
    missing: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"unknown source state {self.state!r}; known: {', '.join(STATES)}")

    @property
    def complete(self) -> bool:
        return self.state == COMPLETE

    def record(self) -> dict[str, object]:
        """What recon.runs keeps for this source in a run."""
        return {"state": self.state, "cutoff": self.cutoff, "reason": self.reason, "missing": list(self.missing)}


def complete(source: str, value: T, cutoff: str | None) -> SourceRead[T]:
    return SourceRead(source, COMPLETE, value, cutoff)


def partial(source: str, value: T, cutoff: str | None, missing: Iterable[str], reason: str) -> SourceRead[T]:
    return SourceRead(source, PARTIAL, value, cutoff, reason, tuple(missing))


def unavailable(source: str, reason: str, cutoff: str | None = None) -> SourceRead[T]:
    return SourceRead(source, UNAVAILABLE, None, cutoff, reason)


def not_configured(source: str, reason: str) -> SourceRead[T]:
    return SourceRead(source, NOT_CONFIGURED, None, None, reason)


def is_transient(exc: BaseException) -> bool:
    """Timeouts, refused or dropped connections, 429 and 5xx: worth a bounded retry. Nothing else is."""
    if isinstance(exc, (NotConfigured, ConfigurationError, json.JSONDecodeError, FileNotFoundError)):
        return False
    if isinstance(exc, (TimeoutError, socket.timeout, ConnectionError)):
        return True
    status = getattr(getattr(exc, "response", None), "status_code", None) or getattr(exc, "status", None)
    if isinstance(status, int):
        return status == 429 or status >= 500
    text = str(exc).lower()
    return any(s in text for s in ("timed out", "timeout", "connection refused", "could not connect",
                                   "server closed the connection", "too many requests", " 503", " 502"))


def describe(exc: BaseException) -> str:
    """One line for people: bad JSON names its file, line and column."""
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"{type(exc).__name__}: {first}"[:500]


def read_or_unknown(source: str, fn: Callable[[], T], cutoff: str | None, attempts: int = 3,
                    delays: tuple[float, ...] = (0.2, 0.5), sleep: Callable[[float], None] = time.sleep
                    ) -> SourceRead[T]:
    """Call `fn`; retry transient faults a bounded number of times, configuration errors never."""
    for attempt in range(attempts):
        try:
            return complete(source, fn(), cutoff)
        except NotConfigured as exc:
            return not_configured(source, str(exc))
        except Exception as exc:
            if is_transient(exc) and attempt + 1 < attempts:
                sleep(delays[min(attempt, len(delays) - 1)])
                continue
            return unavailable(source, describe(exc), cutoff)
    raise AssertionError("unreachable")  # pragma: no cover


def unavailable_findings(reads: Iterable[SourceRead[object]]) -> list[Discrepancy]:
    """A source_unavailable finding per source read that failed or came back partial, naming it.

    Not-configured sources are a choice, not an outage: their verdicts are unknown, no alert is raised."""
    return [Discrepancy("source_unavailable", "source", r.source, "read", "unknown",
                        f"{r.source} {r.state}: {r.reason or ', '.join(r.missing)}"[:500],
                        details={"state": r.state, "cutoff": r.cutoff, "missing": list(r.missing)})
            for r in reads if r.state in (UNAVAILABLE, PARTIAL)]


def overall_state(reads: Iterable[SourceRead[object]]) -> str:
    """The weakest state among reads (complete only when every one is complete)."""
    states = [r.state for r in reads]
    for s in (UNAVAILABLE, NOT_CONFIGURED, PARTIAL):
        if s in states:
            return s
    return COMPLETE


def load_json(path: str | None, setting: str) -> dict:
    """A configuration file as a dict. An empty setting is NotConfigured; a missing file or bad JSON is a
    ConfigurationError naming the file (and the line and column), never a traceback to decode."""
    from pathlib import Path

    if not path:
        raise NotConfigured(f"{setting} is not set")
    file = Path(path)
    try:
        text = file.read_text()
    except OSError as exc:
        raise ConfigurationError(f"{setting}: cannot read {file}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"{setting}: {file} line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise ConfigurationError(f"{setting}: {file} must hold a JSON object")
    return data
