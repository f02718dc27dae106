"""Properties over generated data: every row ends once, amounts are conserved, row order is irrelevant."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon.matching import MatchConfig, match_transactions
from tests.unit.matching.builders import MON, bank, ledger

# Small pools so keys, amounts and dates collide often: that is where matchers go wrong.
_KEYS = st.one_of(st.none(), st.sampled_from(["k1", "k2", "k3", "NOTPROVIDED"]))
_ROW = st.fixed_dictionaries({
    "amount": st.sampled_from(["1", "2", "2.50", "0.00000001", "5000000"]),
    "direction": st.sampled_from(["CRDT", "DBIT"]),
    "account": st.sampled_from(["A", "B"]),
    "uetr": _KEYS, "end_to_end_id": _KEYS, "batch_id": st.one_of(st.none(), st.sampled_from(["P1", "P2"])),
    "days_back": st.integers(0, 6),
})


def _frames(brows, lrows):  # type: ignore[no-untyped-def]
    b = bank(*[{**{k: v for k, v in r.items() if k != "days_back"}, "entry_key": f"b{i}",
                "acct_svcr_ref": r["uetr"], "booking_date": MON - timedelta(days=r["days_back"])}
               for i, r in enumerate(brows)])
    lg = ledger(*[{**{k: v for k, v in r.items() if k != "days_back"}, "txn_id": f"l{i}",
                  "bank_reference": r["end_to_end_id"], "booking_date": MON - timedelta(days=r["days_back"])}
                 for i, r in enumerate(lrows)])
    return b, lg


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ROW, max_size=12), st.lists(_ROW, max_size=12), st.randoms(use_true_random=False))
def test_each_row_ends_exactly_once_and_order_does_not_matter(brows, lrows, rnd) -> None:  # type: ignore[no-untyped-def]
    b, lg = _frames(brows, lrows)
    cfg = MatchConfig(as_of=MON)
    r = match_transactions(b, lg, cfg)
    out = r.outcomes()
    per_row = out.group_by("side", "key").agg(pl.col("state").n_unique().alias("n"), pl.len().alias("rows"))
    assert per_row.height == b.height + lg.height
    assert per_row["n"].to_list() == [1] * per_row.height and per_row["rows"].max() in (None, 1)
    assert out["state"].is_in(["matched", "proposed", "in_transit", "discrepancy"]).all()
    for side, frame in (("bank", b), ("ledger", lg)):
        got = out.filter(pl.col("side") == side)["amount"].sum()
        assert (got or Decimal(0)) == (frame["amount"].sum() or Decimal(0))

    shuffled_b = b.sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 10**6))
    shuffled_l = lg.sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 10**6))
    again = match_transactions(shuffled_b, shuffled_l, cfg)
    assert again.matches.sort(pl.all()).equals(r.matches.sort(pl.all()))
    assert again.proposals.sort(pl.all()).equals(r.proposals.sort(pl.all()))
    assert again.discrepancies.equals(r.discrepancies)
    assert again.outcomes().select("side", "key", "state", "detail").sort(pl.all()).equals(
        out.select("side", "key", "state", "detail").sort(pl.all()))
