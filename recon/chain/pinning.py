"""Which block (or ledger) a read is pinned to, found by binary search over its timestamps.

The chain is only asked through `get_timestamp(n)`, so the search is tested without a node."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class NothingBeforeCutoff(LookupError):
    """The chain's first block is later than the cut-off: there is no state to read."""


@dataclass(frozen=True)
class Pin:
    at_cutoff: int  # last block whose timestamp is at or before the cut-off
    block: int  # the block read: at_cutoff, held back to the last block with enough confirmations
    head: int
    confirmations: int


def last_at_or_before(
    cutoff_ts: int, first: int, last: int, get_timestamp: Callable[[int], int]
) -> int:
    """Largest n in [first, last] with get_timestamp(n) <= cutoff_ts (timestamps never decrease)."""
    if get_timestamp(first) > cutoff_ts:
        raise NothingBeforeCutoff(f"block {first} is after the cut-off {cutoff_ts}")
    if get_timestamp(last) <= cutoff_ts:
        return last
    lo, hi = first, last  # invariant: ts(lo) <= cutoff < ts(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if get_timestamp(mid) <= cutoff_ts:
            lo = mid
        else:
            hi = mid
    return lo


def head_lag(cutoff_ts: int, pin: Pin, head_ts: int, max_lag: int) -> int | None:
    """Seconds the newest block trails the cut-off, when the node has nothing after the cut-off and
    trails it by more than `max_lag`; None otherwise. Chains make blocks every few seconds, so such a
    node is behind the chain: its state is older than the cut-off it would be reported for."""
    if pin.at_cutoff < pin.head:
        return None
    lag = cutoff_ts - head_ts
    return lag if lag > max_lag else None


def pin_block(
    cutoff_ts: int,
    head: int,
    confirmations: int,
    get_timestamp: Callable[[int], int],
    first: int = 0,
) -> Pin:
    """Pin a read: the last block at or before the cut-off, but never one with fewer than
    `confirmations` blocks on top of it at `head` (a later cut-off falls back to head - confirmations).
    """
    if confirmations < 0:
        raise ValueError("confirmations must be >= 0")
    final = head - confirmations
    if final < first:
        raise NothingBeforeCutoff(f"no block has {confirmations} confirmations yet (head {head})")
    at_cutoff = last_at_or_before(cutoff_ts, first, head, get_timestamp)
    return Pin(at_cutoff=at_cutoff, block=min(at_cutoff, final), head=head,
               confirmations=confirmations)
