"""An ERC-20's tracked balances at a new block from a complete read at an earlier block and the Transfer
logs between them.

Relies on the token emitting Transfer for every balance change, mints (from the zero address) and burns (to
it) included, as ERC-20 requires and the project's ReserveToken does (contracts/ReserveToken.vy: transfer,
transferFrom, mint, mintMany and burn all log Transfer). A token that changes balances without a log (rebasing,
fee-on-transfer beyond the logged amount) must not be read this way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def carried_balances(known: Mapping[str, int], touched: Iterable[str]) -> dict[str, int]:
    """Balances (lower-case address -> raw) the earlier read holds that no Transfer since names: unchanged.
    Holders the earlier read lacks are not carried, so they are read."""
    moved = {a.lower() for a in touched}
    return {h.lower(): raw for h, raw in known.items() if h.lower() not in moved}
