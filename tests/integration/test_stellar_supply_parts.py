"""Stellar circulating supply counts every place the asset sits, as Horizon's asset record splits it:
each part injected alone into the Horizon fixture moves the supply by exactly its amount."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from clients.chain_retry import RetryPolicy
from clients.stellar_client import StellarClient, StellarSettings
from devworld.horizon import HorizonFixture
from devworld.horizon_scenario import Asset, HorizonScenario, Payment, account_id

ISSUER, HOLDER = account_id("parts-issuer"), account_id("parts-holder")
RUSD = Asset("RUSD", ISSUER)
FAST = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.05)
PARTS = ("maintain_liabilities", "unauthorized", "claimable", "pools", "contracts")


def supply_with(**parts: D) -> D:
    scenario = HorizonScenario(issued=[RUSD], opening={HOLDER: {"native": D(5)}},
                               payments=[Payment(1001, ISSUER, HOLDER, RUSD, D("100"))], ledger_count=10,
                               **{k: {RUSD.key: v} for k, v in parts.items()})
    with HorizonFixture(scenario) as h:
        client = StellarClient(StellarSettings(h.url, scenario.passphrase, (("RUSD", ISSUER),), (), (HOLDER,),
                                               timeout=2, policy=FAST))
        read, _ = client.supply("RUSD", ISSUER, scenario.last_ledger)
        return read.amount(read.total_raw)


@pytest.mark.parametrize("part", PARTS)
def test_each_place_the_asset_sits_counts(part: str) -> None:
    # 100 on an authorised trustline, plus 0.0000007 in one other place: a backing check leaving it out is wrong.
    assert supply_with(**{part: D("0.0000007")}) == D("100.0000007")


def test_all_places_together() -> None:
    amounts = {p: D(i + 1) for i, p in enumerate(PARTS)}
    assert supply_with(**amounts) == D(100) + sum(amounts.values())
