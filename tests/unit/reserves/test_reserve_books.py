"""The reserve accounts' books operation by operation, and the money behind each top-up and withdrawal."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from recon.reserves import schemas
from recon.reserves.reserve_books import BANK_MOVES, CHAIN_MOVES, check_books, match_movements, operation_log

from .reserve_books import D, at, frame, op, operations


def accounts(*rows: tuple[str, str, str, str]) -> pl.DataFrame:
    return frame([{"reserve_id": r, "currency": c, "reserve_type": t, "initial_total": D(i)}
                  for r, c, t, i in rows], schemas.RESERVE_ACCOUNTS)


ACCTS = accounts(("USD", "USD", "fiat", "1000"), ("USDT", "USDT", "crypto", "500"))


def checks(found) -> list[tuple[str, str]]:
    return sorted((f.details["check"], f.scope_id) for f in found)


def test_sound_books_are_quiet() -> None:
    ops = operations(op("1", "USD", "lock", "600", "P1", 0), op("2", "USD", "withdrawal", "400", "W1", 1),
                     op("3", "USD", "release", "600", "P1", 2), op("4", "USD", "top_up", "50", "T1", 3))
    assert check_books(ACCTS, ops, at(10)) == []  # withdrawing exactly what is available is allowed


def test_each_break_fires_once() -> None:
    ops = operations(
        op("1", "USD", "top_up", "0", "T0", 0),                 # non-positive top-up
        op("2", "USD", "lock", "600", "P1", 1),
        op("3", "USD", "withdrawal", "500", "W1", 2),           # 400 available: 100 over, available -100
        op("4", "USD", "lock", "10", "P2", 3),                  # still below zero: not reported again
        op("5", "USD", "release", "700", "P1", 4),              # 600 held under P1
        op("6", "USDT", "lock", "501", "L", 5),                 # takes available to -1
    )
    found = check_books(ACCTS, ops, at(10))
    assert checks(found) == [("negative_available", "USDT"), ("non_positive_top_up", "USD"),
                             ("release_over_lock", "USD"), ("withdrawal_over_available", "USD")]
    by_check = {f.details["check"]: f for f in found}
    assert by_check["withdrawal_over_available"].amount == D(100)
    assert by_check["withdrawal_over_available"].details["available_before"] == D(400)
    assert by_check["release_over_lock"].amount == D(100)
    assert by_check["negative_available"].severity == "critical"
    # operations after the cut-off are not judged yet
    assert check_books(ACCTS, ops, at(0)) == check_books(ACCTS, operations(op("1", "USD", "top_up", "0", "T0", 0)),
                                                         at(0))


def bank(*rows: tuple[str, str, str]) -> pl.DataFrame:
    return frame([{"currency": "USD", "amount": D(a), "direction": d, "acct_svcr_ref": ref, "end_to_end_id": None}
                  for a, d, ref in rows], BANK_MOVES)


def chain(*rows: tuple[str, str]) -> pl.DataFrame:
    return frame([{"tx_hash": h, "amount": D(a)} for h, a in rows], CHAIN_MOVES)


def test_movements_by_bank_reference_and_tx_hash() -> None:
    tx = "0x" + "ab" * 32
    ops = operations(op("1", "USD", "top_up", "100", "BANK-1", 0), op("2", "USD", "withdrawal", "40", "BANK-2", 1),
                     op("3", "USDT", "top_up", "7", tx.upper().replace("0X", "0x"), 2),
                     op("4", "USD", "top_up", "5", "BANK-3", 3), op("5", "USD", "top_up", "9", "BANK-4", 4),
                     op("6", "USD", "lock", "1", "BANK-9", 4))
    window = timedelta(days=2)
    result = match_movements(ACCTS, ops, bank(("100", "CRDT", "BANK-1"), ("40", "DBIT", "BANK-2"),
                                              ("6", "CRDT", "BANK-3")), chain((tx, "7")), at(10), window)
    # 1-3 matched; BANK-3's movement carries 6 not 5; BANK-4 has none but is young: in transit.
    assert (result.matched, result.in_transit) == (3, 1)
    assert [(f.natural_key, f.details["reason"]) for f in result.findings] == [("top_up:4", "amount_differs")]
    later = match_movements(ACCTS, ops, bank(("100", "CRDT", "BANK-1")), chain(), at(10) + window, window)
    assert sorted(f.natural_key for f in later.findings) == ["top_up:3", "top_up:4", "top_up:5", "withdrawal:2"]
    # a credit does not carry a withdrawal
    wrong_way = match_movements(ACCTS, operations(op("2", "USD", "withdrawal", "40", "BANK-2", 1)),
                                bank(("40", "CRDT", "BANK-2")), chain(), at(10) + window, window)
    assert [f.natural_key for f in wrong_way.findings] == ["withdrawal:2"]


def test_operation_log_carries_the_currency() -> None:
    log = operation_log(ACCTS, operations(op("1", "USD", "lock", "5", "P", 0), op("2", "USDT", "top_up", "7", "T", 1)),
                        at(10))
    assert log.select("operation_key", "currency").rows() == [("1", "USD"), ("2", "USDT")]
