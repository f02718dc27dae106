"""Bounded retries with exponential backoff and jitter for chain and Horizon reads."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


class ChainReadError(RuntimeError):
    """A read that failed for good: the asset's checks must say 'unknown'. Never carries a URL."""


class TransientError(Exception):
    """One attempt failed in a way worth retrying (timeout, 429, 5xx, garbled reply)."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.25
    max_delay: float = 8.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Full jitter over an exponential ceiling: spreads retries of many readers apart."""
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        return rng.uniform(ceiling / 2, ceiling)


def with_retries(
    fn: Callable[[], T], policy: RetryPolicy, what: str, sleep: Callable[[float], None] = time.sleep
) -> T:
    rng = random.Random()  # noqa: S311 - jitter, not secrecy
    last = ""
    for attempt in range(policy.attempts):
        try:
            return fn()
        except TransientError as exc:
            last = str(exc)
            if attempt + 1 < policy.attempts:
                sleep(policy.delay(attempt, rng))
    raise ChainReadError(f"{what} failed after {policy.attempts} attempts: {last}")
