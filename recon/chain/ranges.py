"""Block ranges read in chunks that shrink when a node says a range is too large."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


def chunks(start: int, end: int, size: int) -> Iterator[tuple[int, int]]:
    """Inclusive [start, end] cut into inclusive ranges of at most `size` blocks."""
    if size < 1:
        raise ValueError("chunk size must be >= 1")
    lo = start
    while lo <= end:
        hi = min(end, lo + size - 1)
        yield lo, hi
        lo = hi + 1


@dataclass
class AdaptiveChunk:
    """Chunk size for log reads: halves on 'range too large', grows back after clean reads."""

    size: int
    maximum: int
    grow_after: int = 8
    _clean: int = 0

    def too_large(self, tried: int) -> None:
        if tried <= 1:
            raise ValueError("the node refuses even a one-block range")
        self.size = max(1, min(self.size, tried) // 2)
        self._clean = 0

    def succeeded(self) -> None:
        self._clean += 1
        if self._clean >= self.grow_after and self.size < self.maximum:
            self.size = min(self.maximum, self.size * 2)
            self._clean = 0
