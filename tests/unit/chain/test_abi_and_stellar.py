"""Transfer log decoding, Multicall3 encoding, Stellar supply and roll-back arithmetic."""

from decimal import Decimal as D

from eth_abi import encode

from recon.chain import abi, stellar


def _topic(addr: str) -> str:
    return "0x" + "00" * 12 + addr.removeprefix("0x").lower()


LOG = {"address": "0x" + "aa" * 20, "blockNumber": "0x10", "blockHash": "0x" + "01" * 32,
       "transactionHash": "0x" + "02" * 32, "logIndex": "0x3",
       "topics": [abi.TRANSFER_TOPIC, _topic("0x" + "11" * 20), _topic("0x" + "22" * 20)],
       "data": "0x" + (10**24).to_bytes(32, "big").hex()}


def test_decode_transfer() -> None:
    t = abi.decode_transfer(LOG)
    assert t is not None
    assert (t.block_number, t.log_index, t.amount_raw) == (16, 3, 10**24)
    assert t.sender.lower() == "0x" + "11" * 20


def test_erc721_transfer_with_four_topics_is_not_an_erc20_transfer() -> None:
    nft = {**LOG, "topics": [*LOG["topics"], "0x" + "00" * 31 + "07"], "data": "0x"}
    assert abi.decode_transfer(nft) is None


def test_aggregate3_selector_and_roundtrip() -> None:
    assert abi.AGGREGATE3.hex() == "82ad56cb"  # the canonical Multicall3 selector
    reply = encode(["(bool,bytes)[]"], [[(True, (5).to_bytes(32, "big")), (False, b"")]])
    assert abi.decode_aggregate3(reply) == [(True, (5).to_bytes(32, "big")), (False, b"")]


def test_supply_counts_every_place_an_asset_can_sit() -> None:
    record = {"balances": {"authorized": "100.0000000", "authorized_to_maintain_liabilities":
                           "1.0000000", "unauthorized": "0.5000000"},
              "claimable_balances_amount": "2.0000000", "liquidity_pools_amount": "3.0000000",
              "contracts_amount": "0.0000001"}
    assert stellar.supply_from_asset_record(record) == D("106.5000001")


def test_roll_back_flows() -> None:
    me, issuer = "GME", "GISS"
    key = f"RUSD:{issuer}"
    credit = {"asset_type": "credit_alphanum4", "asset_code": "RUSD", "asset_issuer": issuer}
    payments = [
        {"type": "payment", "from": issuer, "to": me, "amount": "10.0000000", **credit},  # mint
        {"type": "payment", "from": me, "to": issuer, "amount": "4.0000000", **credit},  # burn
        {"type": "payment", "from": me, "to": "GX", "amount": "1.0000000", "asset_type": "native"},
        {"type": "path_payment_strict_send", "from": me, "to": "GX", "amount": "9.0000000",
         "asset_type": "native", "source_amount": "2.0000000",
         **{f"source_{k}": v for k, v in credit.items()}},  # pays RUSD, delivered as XLM
    ]
    assert stellar.net_flow(payments, me, key) == D("4")
    assert stellar.net_issuance(payments, issuer, key) == D("6")
    assert stellar.ledger_of(str((1234 << 32) | (5 << 12) | 1)) == 1234
