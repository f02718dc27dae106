"""Binary search for the pinned block over a timestamp function (no node needed)."""

import pytest

from recon.chain.pinning import NothingBeforeCutoff, head_lag, last_at_or_before, pin_block

# Block n's timestamp; equal neighbours happen on chains with sub-second blocks (Base, Arbitrum).
TIMES = [100, 112, 124, 124, 124, 136, 500, 512]


def ts(n: int) -> int:
    return TIMES[n]


@pytest.mark.parametrize("cutoff,expected", [
    (100, 0),  # cut-off exactly at genesis
    (111, 0),  # between genesis and block 1
    (124, 4),  # several blocks share the cut-off second: the last of them counts
    (135, 4),
    (499, 5),  # long gap without blocks (a halted chain)
    (10_000, 7),  # cut-off after the head: the head
])
def test_last_at_or_before(cutoff: int, expected: int) -> None:
    assert last_at_or_before(cutoff, 0, len(TIMES) - 1, ts) == expected


def test_cutoff_before_genesis_has_no_block() -> None:
    with pytest.raises(NothingBeforeCutoff):
        last_at_or_before(99, 0, len(TIMES) - 1, ts)


def test_confirmations_hold_back_only_unconfirmed_blocks() -> None:
    # an old cut-off is already final: confirmations change nothing
    assert pin_block(130, head=7, confirmations=2, get_timestamp=ts).block == 4
    # a cut-off at the head: the last block with two blocks on top
    pin = pin_block(10_000, head=7, confirmations=2, get_timestamp=ts)
    assert (pin.at_cutoff, pin.block) == (7, 5)


def test_search_asks_logarithmically_many_blocks() -> None:
    asked: list[int] = []

    def counting(n: int) -> int:
        asked.append(n)
        return n * 12

    assert pin_block(12 * 700_000 + 5, 1_000_000, 0, counting).block == 700_000
    assert len(asked) <= 24


@pytest.mark.parametrize("cutoff,max_lag,expected", [
    (499, 60, None),  # blocks after the cut-off exist: the node has passed it, however long the gap
    (512, 60, None),  # the cut-off is the head's own second
    (572, 60, None),  # the head trails by exactly the allowance
    (573, 60, 61),  # one second more: the node is behind the chain
    (10_000, 900, 9_488),  # a node stuck for hours
])
def test_head_lag_flags_a_node_that_has_not_reached_the_cutoff(cutoff: int, max_lag: int,
                                                             expected: int | None) -> None:
    pin = pin_block(cutoff, head=7, confirmations=0, get_timestamp=ts)
    assert head_lag(cutoff, pin, ts(7), max_lag) == expected
