"""Node faults injected into the real JSON-RPC server: bounded retries recover, persistent faults
fail with a clear message that never carries the endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clients.chain_retry import ChainReadError, RetryPolicy
from clients.evm_client import EvmClient, EvmSettings, Token
from devworld.evm_node import MULTICALL3_ADDRESS, LocalEvmChain

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)


@pytest.fixture(scope="module")
def chain() -> Iterator[LocalEvmChain]:
    with LocalEvmChain(chain_id=8453, block_time=2) as c:
        c.token = c.deploy_token("Reserve USD", "RUSD", 6)  # type: ignore[attr-defined]
        c.mint(c.token, c.accounts[1], 42)  # type: ignore[attr-defined]
        yield c


@pytest.fixture(autouse=True)
def _clear(chain: LocalEvmChain) -> Iterator[None]:
    chain.faults.clear()
    yield
    chain.faults.clear()


def client(chain: LocalEvmChain) -> EvmClient:
    token = Token(chain.token, "RUSD", 6)  # type: ignore[attr-defined]
    return EvmClient(EvmSettings(name="base", chain_id=8453, url=chain.url, tokens=(token,),
                                 holders=(chain.accounts[1],), multicall3=MULTICALL3_ADDRESS,
                                 timeout=0.5, policy=FAST))


# Each transient kind a node or its gateway really sends, once or a few times within the bound.
@pytest.mark.parametrize("kind,count", [
    ("http_429", 3),  # rate limited: the commonest fault of hosted RPC
    ("http_502", 1),  # gateway in front of the node
    ("http_503", 2),
    ("timeout", 1),  # reply slower than the client's timeout
    ("malformed", 1),  # truncated body from a proxy
    ("rpc_error", 2),  # JSON-RPC "internal error" from an overloaded node
])
def test_transient_faults_are_retried(chain: LocalEvmChain, kind: str, count: int) -> None:
    chain.inject(kind, count=count, delay=1.0)
    chain.reset_request_count()
    supply, balances = client(chain).supply(client(chain).s.tokens[0], chain.block_number)
    assert supply.total_raw == 42 and balances[0].balance_raw == 42
    assert chain.faults.injected >= count
    assert chain.request_count > count


def test_batch_is_retried_whole(chain: LocalEvmChain) -> None:
    chain.inject("http_500", count=1, method="eth_call")
    c = client(chain)
    c.s = EvmSettings(**{**c.s.__dict__, "multicall3": None})
    assert c.balances(c.s.tokens[0], [chain.accounts[1], chain.accounts[2]], chain.block_number) == {
        chain.accounts[1]: 42, chain.accounts[2]: 0}


def test_persistent_fault_fails_clearly_without_the_url(chain: LocalEvmChain) -> None:
    chain.inject("http_429", count=None)
    with pytest.raises(ChainReadError) as info:
        client(chain).head()
    message = str(info.value)
    assert "failed after 4 attempts" in message and "HTTP 429" in message
    assert chain.url not in message and "127.0.0.1" not in message
    assert info.value.__cause__ is None and info.value.__context__ is None  # no URL in a traceback


def test_node_refusing_even_one_block_fails_the_read(chain: LocalEvmChain) -> None:
    chain.set_max_log_range(0)
    try:
        with pytest.raises(ChainReadError, match="limited to a 0 block range"):
            list(client(chain).transfers(client(chain).s.tokens[0], 0, chain.block_number))
    finally:
        chain.set_max_log_range(None)


def test_control_endpoint_injects_faults_for_other_processes(chain: LocalEvmChain) -> None:
    import json
    import urllib.request

    body = json.dumps({"kind": "http_503", "count": 1}).encode()
    req = urllib.request.Request(chain.url + "/_control/faults", data=body, method="POST")  # noqa: S310
    assert json.loads(urllib.request.urlopen(req).read())["added"]["kind"] == "http_503"  # noqa: S310
    assert client(chain).head() == chain.block_number
    stats = json.loads(urllib.request.urlopen(chain.url + "/_control/stats").read())  # noqa: S310
    assert stats["faults_injected"] >= 1
