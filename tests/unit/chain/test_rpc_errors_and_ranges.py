"""Node error classification and adaptive log ranges."""

import pytest

from recon.chain.ranges import AdaptiveChunk, chunks
from recon.chain.rpc_errors import PERMANENT, RANGE_TOO_LARGE, TRANSIENT, classify


@pytest.mark.parametrize("code,message,method,expected", [
    (-32005, "query returned more than 10000 results", "eth_getLogs", RANGE_TOO_LARGE),  # Infura
    (-32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block "
     "range", "eth_getLogs", RANGE_TOO_LARGE),  # Alchemy
    (-32000, "eth_getLogs is limited to a 10000 range", "eth_getLogs", RANGE_TOO_LARGE),  # QuickNode
    (-32000, "block range too large", "eth_getLogs", RANGE_TOO_LARGE),
    (-32005, "daily request count exceeded, request rate limited", "eth_call", TRANSIENT),
    (-32603, "internal error", "eth_call", TRANSIENT),
    (-32000, "header not found", "eth_call", TRANSIENT),  # a load-balanced node behind the head
    (3, "execution reverted", "eth_call", PERMANENT),  # a revert is an answer, not a fault
    (-32601, "the method eth_foo does not exist", "eth_foo", PERMANENT),
    (-32000, "block range too large", "eth_call", PERMANENT),  # only logs shrink ranges
])
def test_classify(code: int, message: str, method: str, expected: str) -> None:
    assert classify(code, message, method) == expected


def test_chunks_cover_the_range_once() -> None:
    assert list(chunks(5, 14, 4)) == [(5, 8), (9, 12), (13, 14)]
    assert list(chunks(7, 7, 100)) == [(7, 7)]
    assert list(chunks(8, 7, 100)) == []


def test_adaptive_chunk_halves_and_grows_back() -> None:
    c = AdaptiveChunk(size=1000, maximum=1000, grow_after=2)
    c.too_large(1000)
    c.too_large(500)
    assert c.size == 250
    c.succeeded()
    c.succeeded()
    assert c.size == 500
    with pytest.raises(ValueError):
        c.too_large(1)
