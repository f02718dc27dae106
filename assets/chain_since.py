"""An intraday window's ERC-20 balances: read again only what can have changed since the last complete read.

The basis is the latest complete read of the asset at or before the window's block (a daily read or an
earlier window), checked to be of the same chain (chain id, and its block still on the chain by hash) and
whole (every balance it counted is stored). Holders named in a Transfer log between its block and the new
one, and holders it never read, are read at the new block; the rest carry over (recon/chain/since.py states
the Transfer assumption). Anything else, no basis, or a basis in doubt: the full read. Either way the result
is a complete read at the window's block, and the basis used is said in the asset's metadata."""

from __future__ import annotations

from collections.abc import Callable

from clients.evm_client import EvmClient, Token
from recon.chain.models import BalanceRead, SupplyRead
from recon.chain.since import carried_balances
from recon.sql import postgres_sql
from stores.warehouse import Warehouse

LAST_READ = postgres_sql("select_last_complete_chain_read")
READ_BALANCES = postgres_sql("select_chain_read_balances")


def supply_since_last_read(wh: Warehouse, client: EvmClient, token: Token, bases: dict[str, str]
                           ) -> Callable[[int], tuple[SupplyRead, list[BalanceRead]]]:
    """`client.supply` for the window's block, carrying what the last complete read holds unchanged."""
    def read(block: int) -> tuple[SupplyRead, list[BalanceRead]]:
        last, why = _basis(wh, client, token, block)
        if last is None:
            bases[token.symbol] = f"full read: {why}"
            return client.supply(token, block)
        known = {r["holder"]: int(r["balance_raw"]) for r in wh.rows(
            READ_BALANCES, p=last["partition_key"], chain=client.s.name, asset=token.symbol)}
        since = last["block_number"]
        touched = [a for t in client.transfers(token, since + 1, block) for a in (t.sender, t.receiver)] \
            if block > since else []
        carried = carried_balances(known, touched)
        supply, balances = client.supply(token, block, carried)
        fresh = sum(1 for b in balances if b.holder.lower() not in carried)
        bases[token.symbol] = (f"since the complete read of {last['partition_key']} at block {since}: "
                               f"{fresh} of {len(balances)} balances read again, {len(set(touched))} "
                               f"addresses in Transfer logs")
        return supply, balances
    return read


def _basis(wh: Warehouse, client: EvmClient, token: Token, block: int) -> tuple[dict | None, str]:
    rows = wh.rows(LAST_READ, chain=client.s.name, asset=token.symbol, block=block)
    if not rows:
        return None, "no earlier complete read"
    last = rows[0]
    if last["chain_id"] != client.s.chain_id:
        return None, f"the last read ({last['partition_key']}) was of chain id {last['chain_id']}"
    if not last["holders_read"] or last["balances"] != last["holders_read"]:
        return None, f"the last read ({last['partition_key']}) holds {last['balances']} of its " \
                     f"{last['holders_read']} balances"
    if client.block(last["block_number"])["hash"] != last["block_hash"]:
        return None, f"block {last['block_number']} of the last read ({last['partition_key']}) is no longer " \
                     "on the chain"
    return last, ""
