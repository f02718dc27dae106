"""What real banks send that a reader must get right, one case per test."""

from __future__ import annotations

from decimal import Decimal

from recon.camt.reader import read_all
from recon.camt.summary import summarize
from tests.unit.camt.camt_xml import acct, bal, document, ntry, statement


def _rows(camt_file, xml: str):
    reader, entries = read_all(camt_file(xml))
    return reader, entries


def test_status_v02_text_and_later_code_form(camt_file) -> None:
    # v02 writes <Sts>BOOK</Sts>; .04 onwards <Sts><Cd>BOOK</Cd></Sts> (or <Prtry>).
    v02 = document(statement(acct() + ntry("1") + ntry("2", sts="<Sts>PDNG</Sts>")))
    v08 = document(statement(acct() + ntry("1", sts="<Sts><Cd>INFO</Cd></Sts>")
                             + ntry("2", sts="<Sts><Prtry>XYZ</Prtry></Sts>"),
                             message="053.001.08"), message="053.001.08")
    assert _rows(camt_file, v02)[1]["status"].to_list() == ["BOOK", "PDNG"]
    assert _rows(camt_file, v08)[1]["status"].to_list() == ["INFO", "XYZ"]


def test_booking_date_as_date_or_datetime(camt_file) -> None:
    # Some banks give BookgDt/DtTm: the date part is the account's local day, kept as sent.
    xml = document(statement(acct() + ntry("1").replace(
        "<Dt>2026-03-02</Dt></BookgDt>", "<DtTm>2026-03-02T23:30:00+01:00</DtTm></BookgDt>")))
    row = _rows(camt_file, xml)[1].row(0, named=True)
    assert str(row["booking_date"]) == "2026-03-02"
    assert row["booking_datetime"] == "2026-03-02T23:30:00+01:00"


def test_business_application_header_envelope(camt_file) -> None:
    # SWIFT/SIC deliver AppHdr + Document under another root.
    body = document(statement(acct() + ntry("3")), message="053.001.08")
    body = body.split("?>", 1)[1]
    xml = ('<?xml version="1.0"?><BizMsgEnvlp><AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:'
           'head.001.001.02"><BizMsgIdr>B1</BizMsgIdr></AppHdr>' + body + "</BizMsgEnvlp>")
    s = summarize(camt_file(xml))
    assert s["message"] == "camt.053.001.08"
    assert s["statements"][0]["entries"] == 1


def test_camt052_intraday_report(camt_file) -> None:
    xml = document(statement(acct() + bal("ITBD", "10") + ntry("4", "DBIT"), message="052.001.08"),
                   message="052.001.08")
    s = summarize(camt_file(xml))
    assert s["message"] == "camt.052.001.08"
    assert s["statements"][0]["signed_entry_total"] == "-4"
    assert s["statements"][0]["proof"]["proof_ok"] is None  # no OPBD/CLBD: nothing to prove


def test_five_decimal_amount_is_kept_exactly(camt_file) -> None:
    xml = document(statement(acct() + bal("OPBD", "0.00001") + bal("CLBD", "1.23457")
                             + ntry("1.23456")))
    reader, entries = _rows(camt_file, xml)
    assert entries["amount"].to_list() == [Decimal("1.23456")]
    assert reader.statements[0]["proof_ok"] is True


def test_batch_entry_with_several_transactions(camt_file) -> None:
    # A batch: each TxDtls is a row; v02 puts each amount in AmtDtls/TxAmt.
    tx = ("<TxDtls><Refs><EndToEndId>E{n}</EndToEndId></Refs><AmtDtls><TxAmt>"
          '<Amt Ccy="CHF">{a}</Amt></TxAmt></AmtDtls></TxDtls>')
    details = ("<NtryDtls><Btch><PmtInfId>P1</PmtInfId><NbOfTxs>2</NbOfTxs></Btch>"
               + tx.format(n=1, a="4.00") + tx.format(n=2, a="6.00") + "</NtryDtls>")
    entries = _rows(camt_file, document(statement(acct() + ntry("10.00", details=details))))[1]
    assert entries["amount"].to_list() == [Decimal("4"), Decimal("6")]
    assert entries["end_to_end_id"].to_list() == ["E1", "E2"]
    assert entries["batch_pmt_inf_id"].to_list() == ["P1", "P1"]
    assert entries["batch_count"].to_list() == [2, 2]
    assert entries["entry_amount"].to_list() == [Decimal("10"), Decimal("10")]


def test_batch_without_amounts_leaves_row_amounts_empty(camt_file) -> None:
    # Several transactions without amounts: the entry's amount belongs to none of them alone.
    details = "<NtryDtls><TxDtls/><TxDtls/></NtryDtls>"
    entries = _rows(camt_file, document(statement(acct() + ntry("10", details=details))))[1]
    assert entries["amount"].to_list() == [None, None]


def test_reversal_counterparty_is_the_original_payer(camt_file) -> None:
    # A returned credit: RvslInd with DBIT; the other side is the debtor of the original credit.
    details = ("<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Payer</Nm></Dbtr><Cdtr><Nm>Us</Nm>"
               "</Cdtr></RltdPties><RtrInf><Rsn><Cd>AC06</Cd></Rsn></RtrInf></TxDtls></NtryDtls>")
    row = _rows(camt_file, document(statement(
        acct() + ntry("5", "DBIT", extra="<RvslInd>true</RvslInd>", details=details))))[1].row(
        0, named=True)
    assert row["reversal"] is True
    assert row["counterparty_name"] == "Payer"
    assert row["return_reason"] == "AC06"


def test_missing_optional_elements_are_nulls(camt_file) -> None:
    # An entry with only the mandatory Amt and CdtDbtInd (no status, dates or details).
    xml = document(statement(acct() + '<Ntry><Amt Ccy="CHF">1</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                             "</Ntry>"))
    row = _rows(camt_file, xml)[1].row(0, named=True)
    assert row["status"] is None and row["booking_date"] is None and row["uetr"] is None
    assert row["amount"] == Decimal("1")


def test_several_statements_and_accounts_in_one_file(camt_file) -> None:
    body = (statement(acct("CH11") + bal("OPBD", "1") + bal("CLBD", "2") + ntry("1"), sid="A")
            + statement(acct("CH22", "EUR") + bal("PRCD", "5") + bal("CLBD", "4")
                        + ntry("1", "DBIT"), sid="B"))
    reader, entries = _rows(camt_file, document(body))
    assert [(s["statement_id"], s["account"], s["proof_ok"], s["opening_type"])
            for s in reader.statements] == [("A", "CH11", True, "OPBD"), ("B", "CH22", True, "PRCD")]
    assert entries["account"].to_list() == ["CH11", "CH22"]
    assert entries["position"].to_list() == [1, 2]


def test_pending_entries_stay_out_of_the_proof(camt_file) -> None:
    # PDNG is not booked: opening + booked must equal closing without it.
    xml = document(statement(acct() + bal("OPBD", "10") + bal("CLBD", "12")
                             + ntry("2") + ntry("100", sts="<Sts>PDNG</Sts>")))
    reader, _ = _rows(camt_file, xml)
    assert reader.statements[0]["proof_ok"] is True
    assert reader.statements[0]["signed_entry_total"] == "102"


def test_unbalanced_statement_is_reported_not_raised(camt_file) -> None:
    xml = document(statement(acct() + bal("OPBD", "10") + bal("CLBD", "99") + ntry("2")))
    s = summarize(camt_file(xml))
    assert s["statements"][0]["proof"]["proof_ok"] is False
    assert any("does not balance" in e for e in s["errors"])
