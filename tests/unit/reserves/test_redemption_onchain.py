"""Each real redemption against its receipt: the ways a chain can fail to prove a redemption."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recon.chain.models import ReceiptRead, TransferRead
from recon.reserves.config import RedemptionChain, ReservesConfig
from recon.reserves.redemption_onchain import hashes_to_read, verify_onchain

from .reserve_books import redemption, redemptions

CONFIG = ReservesConfig(redemption_chains=(RedemptionChain("ethereum", 1, Decimal(100000)),
                                           RedemptionChain("base", 8453, Decimal(100000))))
USER = "0x" + "11" * 20
TX = "0x" + "aa" * 32


def receipt(status: str = "success", sender: str = USER, raw: int = 100_000_000, asset: str = "USDT"):
    transfer = TransferRead("ethereum", asset, 5, TX, 0, sender, "0x" + "00" * 20, 6, raw)
    return ReceiptRead("ethereum", TX, status, 5, (transfer,) if status == "success" else ())


@pytest.mark.parametrize(
    ("read", "outcome"),
    [
        (receipt(), "verified"),
        (None, "not_found"),  # the hash was never mined on this chain
        (receipt("not_found"), "not_found"),
        (receipt("reverted"), "reverted"),  # mined but failed: no tokens came back
        (receipt("after_cutoff"), "pending"),  # mined after the pinned block: not provable yet
        (receipt(sender="0x" + "22" * 20), "no_transfer"),  # someone else's tokens
        (receipt(raw=99_000_000), "no_transfer"),  # a smaller amount than the log claims
        (receipt(asset="OTHER"), "no_transfer"),  # a Transfer of another token
    ],
)
def test_receipt_outcomes(read, outcome) -> None:
    log = redemptions(redemption("r1", "100", "100000", "99900", 1, tx=TX, user=USER.upper().replace("0X", "0x")))
    result = verify_onchain(CONFIG, log, {"ethereum": {TX: read} if read else {}})
    assert result.outcome == {"r1": outcome}
    assert [f.type for f in result.findings] == ([] if outcome in ("verified", "pending")
                                                 else ["redemption_unverified"])


def test_unreadable_chain_is_unknown_never_verified() -> None:
    log = redemptions(redemption("r1", "100", "100000", "99900", 1, tx=TX))
    result = verify_onchain(CONFIG, log, {"ethereum": None})
    assert result.outcome == {"r1": "unknown"} and not result.complete
    assert [(f.type, f.severity) for f in result.findings] == [("source_unavailable", "unknown")]


def test_test_mode_and_refused_are_not_read() -> None:
    log = redemptions(redemption("t1", "5", "1", "1", 1, test=True), redemption("x", "5", "1", "1", 2,
                                                                                  status="refused"),
                      redemption("r1", "1", "1", "0", 3, tx=TX.upper().replace("0X", "0x")))
    assert hashes_to_read(CONFIG, log) == {"ethereum": [TX]}
    assert verify_onchain(CONFIG, log, {"ethereum": {TX: receipt(raw=1_000_000)}}).outcome == {"r1": "verified"}
