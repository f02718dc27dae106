"""The Soroban RPC client against the fixture over HTTP, and `recon config check` reaching it."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from stellar_sdk import StrKey

from clients.chain_retry import ChainReadError, RetryPolicy
from clients.soroban_client import SorobanClient
from devworld.horizon import HorizonFixture
from devworld.horizon_scenario import HorizonScenario
from devworld.soroban_rpc import SorobanRpcFixture
from pipelines.config.check import _chains

PASSPHRASE = HorizonScenario(issued=[], opening={}, payments=[]).passphrase
HELD = StrKey.encode_contract(hashlib.sha256(b"held").digest())
EMPTY = StrKey.encode_contract(hashlib.sha256(b"empty").digest())
ASSET = "RUSD:" + StrKey.encode_ed25519_public_key(hashlib.sha256(b"issuer").digest())


def client(url: str) -> SorobanClient:
    return SorobanClient(url, PASSPHRASE, timeout=2, policy=RetryPolicy(attempts=2, base_delay=0.01))


def test_balances_of_an_issued_asset_and_an_empty_contract() -> None:
    with SorobanRpcFixture(PASSPHRASE, latest_ledger=500) as rpc:
        rpc.add_contract(HELD, last_modified=10)
        rpc.add_contract(EMPTY, last_modified=10)
        rpc.set_balance(HELD, ASSET, 12_345_678_901, last_modified=400)
        read = client(rpc.url).contract_balances([(HELD, ASSET), (EMPTY, ASSET)], pinned_ledger=450)
        assert client(rpc.url).latest_ledger() == 500
    # Stroops to the asset's 7 places, exactly; an existing contract without a balance entry holds none.
    assert read.balances == {(HELD, ASSET): Decimal("1234.5678901"), (EMPTY, ASSET): 0}
    assert str(read.balances[(HELD, ASSET)]) == "1234.5678901" and read.failed == {} and read.latest_ledger == 500


def test_an_rpc_behind_the_cut_off_or_on_another_network_is_an_error() -> None:
    with SorobanRpcFixture(PASSPHRASE, latest_ledger=400) as rpc:
        rpc.add_contract(HELD, last_modified=10)
        with pytest.raises(ChainReadError, match="before the cut-off's ledger 450"):
            client(rpc.url).contract_balances([(HELD, ASSET)], pinned_ledger=450)
        other = SorobanClient(rpc.url, "Public Global Stellar Network ; September 2015", 2, RetryPolicy(2, 0.01))
        with pytest.raises(ChainReadError, match="another network"):
            other.latest_ledger()


def test_config_check_reaches_soroban(tmp_path: Path) -> None:
    scenario = HorizonScenario(issued=[], opening={}, payments=[])
    with HorizonFixture(scenario) as horizon, SorobanRpcFixture(PASSPHRASE, latest_ledger=77) as rpc:
        path = tmp_path / "chains.json"
        path.write_text(json.dumps({"evm": [], "stellar": {
            "horizon_url": horizon.url, "soroban_rpc_url": rpc.url, "network_passphrase": PASSPHRASE}}))
        reached = {r.source: (r.state, r.detail) for r in _chains(str(path))}
    assert reached["chain stellar soroban"] == ("reachable", "ledger 77")
