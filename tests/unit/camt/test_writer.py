"""The writer's output reads back to what was written, in every kind and version it writes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from recon.camt.model import Entry, Party, Statement, Transaction
from recon.camt.reader import CamtReader, read_all
from recon.camt.writer import camt_bytes, with_business_header, write_camt

DAY = date(2026, 3, 2)
UETR = "7f3c1b2e-4a5d-4e6f-8a9b-0c1d2e3f4a5b"


def _entries() -> list[Entry]:
    return [
        Entry(Decimal("100.12345"), "CRDT", DAY, acct_svcr_ref="ASR1", entry_ref="N1",
              transactions=[Transaction(uetr=UETR, end_to_end_id="E2E1", instr_id="I1",
                                        tx_id="T1", pmt_inf_id="P1", msg_id="M1",
                                        counterparty=Party("Ada & Co", "DE89370400440532013000",
                                                           "COBADEFFXXX"),
                                        remittance="inv <1>", creditor_ref="210000000003139471430009017",
                                        creditor_ref_type="QRR")]),
        Entry(Decimal("50"), "DBIT", DAY, batch_pmt_inf_id="SAL-3",
              transactions=[Transaction(Decimal("20"), end_to_end_id="B1"),
                            Transaction(Decimal("30"), end_to_end_id="B2")]),
        Entry(Decimal("5"), "DBIT", DAY, reversal=True,
              transactions=[Transaction(counterparty=Party("Payer"), return_reason="AC04")]),
    ]


@pytest.mark.parametrize("kind", ["052", "053", "054"])
@pytest.mark.parametrize("version", ["001.02", "001.08"])
def test_round_trip(tmp_path, kind: str, version: str) -> None:
    stmt = Statement("CH9300762011623852957", "CHF", Decimal("10"), _entries(),
                     servicer_bic="UBSWCHZH80A", statement_id="S1", electronic_seq=7)
    path = tmp_path / "f.xml"
    path.write_bytes(camt_bytes([stmt], kind=kind, version=version, msg_id="MSG"))

    reader, rows = read_all(path)

    assert reader.message is not None and reader.message.message_type == f"camt.{kind}.{version}"
    s = reader.statements[0]
    assert (s["entries"], s["rows"], s["signed_entry_total"]) == (3, 4, "45.12345")
    assert s["proof_ok"] is (True if kind == "053" else None)
    first = rows.row(0, named=True)
    assert first["amount"] == Decimal("100.12345")
    assert first["counterparty_name"] == "Ada & Co" and first["counterparty_bic"] == "COBADEFFXXX"
    assert (first["creditor_ref_type"], first["remittance"]) == ("QRR", "inv <1>")
    assert (first["end_to_end_id"], first["instr_id"], first["tx_id"]) == ("E2E1", "I1", "T1")
    # UETR exists from .001.08 on; v02 has no element for it.
    assert first["uetr"] == (UETR if version == "001.08" else None)
    assert rows["batch_pmt_inf_id"].to_list()[1:3] == ["SAL-3", "SAL-3"]
    last = rows.row(3, named=True)
    assert (last["reversal"], last["return_reason"], last["counterparty_name"]) == (
        True, "AC04", "Payer")


def test_streamed_entries_need_their_closing_given(tmp_path) -> None:
    def stream():
        for i in range(1000):
            yield Entry(Decimal(i), "CRDT", DAY)

    with pytest.raises(ValueError, match="closing_balance"):
        camt_bytes([Statement("CH93", "CHF", entries=stream())])
    buf = io.BytesIO()
    total = Decimal(sum(range(1000)))
    size = write_camt(buf, [Statement("CH93", "CHF", entries=stream(), closing_balance=total,
                                      closing_date=DAY)], indent=True)
    assert size == len(buf.getvalue())
    path = tmp_path / "s.xml"
    path.write_bytes(buf.getvalue())
    reader = CamtReader(path, batch_rows=128)
    batches = list(reader.entry_batches())
    assert [b.height for b in batches][:2] == [128, 128]  # rows arrive in bounded batches
    assert reader.statements[0]["proof_ok"] is True


def test_business_header_envelope_reads() -> None:
    doc = camt_bytes([Statement("CH93", "CHF", entries=_entries())], version="001.08")
    wrapped = with_business_header(doc, from_bic="UBSWCHZH80A", to_bic="COBADEFFXXX",
                                   biz_msg_id="B1", message_type="camt.053.001.08",
                                   created_at=datetime(2026, 3, 2, tzinfo=UTC))
    assert wrapped.count(b"<AppHdr") == 1 and wrapped.count(b"<?xml") == 1


def test_entry_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="CRDT or DBIT"):
        Entry(Decimal(1), "C", DAY)
    with pytest.raises(ValueError, match="never negative"):
        Entry(Decimal(-1), "CRDT", DAY)
    with pytest.raises(ValueError, match=r"not camt\.056"):
        camt_bytes([], kind="056")
