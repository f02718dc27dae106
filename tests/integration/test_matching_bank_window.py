"""The bank window read by COPY gives what a row-by-row read of the same rows gives, awkward values included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from recon.ledger.tables import MONEY
from stores import matching_store as store
from stores.warehouse import Warehouse

_READ = ("SELECT entry_key, statement_key, entry_seq, account, currency, direction, amount, entry_amount, booking_date,"
         " value_date, business_date, uetr, end_to_end_id, acct_svcr_ref, entry_acct_svcr_ref, instr_id, tx_id,"
         " pmt_inf_id, batch_pmt_inf_id, batch_msg_id, reversal FROM recon.v_bank_movements"
         " WHERE statement_key = 'bw-s' AND entry_key <> 'bw-6' ORDER BY entry_key")


def _entry(key: str, **over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "entry_key": key, "statement_key": "bw-s", "entry_seq": 1, "account": "BW-ACC", "currency": "EUR",
        "direction": "CRDT", "amount": Decimal("1.00"), "entry_amount": None, "booking_date": date(2026, 3, 2),
        "value_date": date(2026, 3, 2), "business_date": date(2026, 3, 2), "uetr": None, "end_to_end_id": None,
        "acct_svcr_ref": None, "entry_acct_svcr_ref": None, "instr_id": None, "tx_id": None, "pmt_inf_id": None,
        "batch_pmt_inf_id": None, "batch_msg_id": None, "reversal": None, "message_type": "camt.053.001.08"}
    return {**row, **over}


ROWS = [
    # an empty reference is a string, not NULL; "\N" as text is text; CSV's own characters travel intact
    _entry("bw-1", uetr="", end_to_end_id="\\N", acct_svcr_ref='a,"b"\nc', reversal=True),
    # five decimals as the bank sent them, and the most a DECIMAL(38, 18) holds
    _entry("bw-2", amount=Decimal("12345.67891"), direction="DBIT", reversal=False),
    _entry("bw-3", amount=Decimal("99999999999999999999.999999999999999999")),
    # a batch transaction without an amount of its own: the entry's amount stands for it
    _entry("bw-4", amount=None, entry_amount=Decimal("30.5"), pmt_inf_id="PMT-1", entry_seq=2, tx_id="t ä €"),
    # outside the window, only read because it is carried
    _entry("bw-5", business_date=date(2026, 1, 5), booking_date=None, value_date=date(2026, 1, 5)),
    _entry("bw-6", business_date=date(2026, 1, 6)),  # outside the window, not carried: not read
]


def test_copy_read_equals_row_read(warehouse: Warehouse, tmp_path: Path) -> None:
    with warehouse.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM recon.bank_entries WHERE statement_key = 'bw-s'"))
        table = sa.table("bank_entries", *(sa.column(n) for n in ROWS[0]), schema="recon")
        conn.execute(sa.insert(table), ROWS)
    got = store.bank_window(warehouse, date(2026, 3, 2), date(2026, 3, 2), ["bw-5"], tmp_path)
    got = got.filter(pl.col("statement_key") == "bw-s").sort("entry_key")
    want = warehouse.query(_READ).with_columns(pl.col("amount", "entry_amount").cast(MONEY))
    assert got["entry_key"].to_list() == ["bw-1", "bw-2", "bw-3", "bw-4", "bw-5"]
    assert got.to_dicts() == want.to_dicts()
    assert got.schema["amount"] == MONEY and got.schema["reversal"] == pl.Boolean()
    assert got.row(0, named=True)["uetr"] == "" and got.row(0, named=True)["end_to_end_id"] == "\\N"
    assert got["amount"].to_list()[1:3] == [Decimal("12345.67891"), Decimal("99999999999999999999.999999999999999999")]
