"""Files other readers get wrong, each written here: this reader must read every one of them right."""

from __future__ import annotations

from decimal import Decimal

from recon.camt.reader import read_all
from recon.camt.summary import summarize
from tests.unit.camt.camt_xml import acct, bal, document, ntry, statement

V08 = "053.001.08"


def _tx(amount: str | None = None, sign: str | None = None, e2e: str = "E", extra: str = "") -> str:
    amt = f'<Amt Ccy="CHF">{amount}</Amt>' if amount else ""
    ind = f"<CdtDbtInd>{sign}</CdtDbtInd>" if sign else ""
    return f"<TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs>{amt}{ind}{extra}</TxDtls>"


def test_batch_entry_is_split_by_each_transaction_amount(camt_file) -> None:
    # Readers that copy the entry total onto every TxDtls book 300.00 three times.
    details = ("<NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch>" + _tx("100.00", e2e="A")
               + _tx("150.50", e2e="B") + _tx("49.50", e2e="C") + "</NtryDtls>")
    xml = document(statement(acct() + bal("OPBD", "0") + bal("CLBD", "300.00")
                             + ntry("300.00", details=details), message=V08), message=V08)
    reader, rows = read_all(camt_file(xml))
    assert rows["amount"].to_list() == [Decimal("100.00"), Decimal("150.50"), Decimal("49.50")]
    assert rows["entry_amount"].to_list() == [Decimal("300.00")] * 3
    assert sum(rows["amount"].to_list()) == Decimal("300.00")
    assert reader.statements[0]["proof_ok"] is True  # the proof counts the entry once


def test_several_statements_each_booked_to_its_own_account(camt_file) -> None:
    # Readers that take the first Stmt's account for the whole file book B's rows to A.
    eur = ntry("7.00").replace('Ccy="CHF"', 'Ccy="EUR"')
    body = (statement(acct("CH9300762011623852957") + ntry("1.00") + ntry("2.00"), sid="A")
            + statement(acct("DE89370400440532013000", "EUR") + eur, sid="B")
            + statement(acct("CH5604835012345678009") + ntry("3.00", "DBIT"), sid="C"))
    reader, rows = read_all(camt_file(document(body)))
    assert [(r["account"], r["currency"], str(r["amount"]).rstrip("0"))
            for r in rows.iter_rows(named=True)] == [
        ("CH9300762011623852957", "CHF", "1."), ("CH9300762011623852957", "CHF", "2."),
        ("DE89370400440532013000", "EUR", "7."), ("CH5604835012345678009", "CHF", "3.")]
    keys = [s["statement_key"] for s in reader.statements]
    assert len(set(keys)) == 3
    assert rows["statement_key"].to_list() == [keys[0], keys[0], keys[1], keys[2]]


def test_description_only_in_additional_entry_info(camt_file) -> None:
    extra_info = "<AddtlNtryInf>SEPA credit Invoice 4711 Müller GmbH</AddtlNtryInf>"
    xml = document(statement(acct() + ntry("5.00", details=extra_info)))
    row = read_all(camt_file(xml))[1].row(0, named=True)
    assert row["additional_info"] == "SEPA credit Invoice 4711 Müller GmbH"


def test_camt052_report_with_all_its_rows(camt_file) -> None:
    # Readers that only look for Stmt read nothing from a BkToCstmrAcctRpt/Rpt.
    batch = "<NtryDtls>" + _tx("1.00", e2e="X") + _tx("2.00", e2e="Y") + "</NtryDtls>"
    body = statement(acct() + bal("ITBD", "10.00") + ntry("4.00", "DBIT") + ntry("3.00", details=batch)
                     + ntry("9.00", sts="<Sts><Cd>PDNG</Cd></Sts>"), message="052.001.08")
    s = summarize(camt_file(document(body, message="052.001.08")), with_rows=True)
    assert s["message"] == "camt.052.001.08"
    group = s["statements"][0]
    assert (group["entries"], group["rows"]) == (3, 4)
    assert [r.get("end_to_end_id") for r in group["rows_detail"]] == [None, "X", "Y", None]


def test_booking_and_value_date_given_as_datetime(camt_file) -> None:
    entry = ntry("1.00").replace("<BookgDt><Dt>2026-03-02</Dt></BookgDt>",
                                 "<BookgDt><DtTm>2026-03-02T23:59:59+01:00</DtTm></BookgDt>"
                                 "<ValDt><DtTm>2026-03-03T00:00:00</DtTm></ValDt>")
    row = read_all(camt_file(document(statement(acct() + entry))))[1].row(0, named=True)
    assert (str(row["booking_date"]), str(row["value_date"])) == ("2026-03-02", "2026-03-03")
    assert row["booking_datetime"] == "2026-03-02T23:59:59+01:00"
    assert row["value_datetime"] == "2026-03-03T00:00:00"


def test_dt_holding_a_datetime_and_a_date_ending_in_whitespace(camt_file) -> None:
    entry = ntry("1.00").replace("<BookgDt><Dt>2026-03-02</Dt></BookgDt>",
                                 "<BookgDt><Dt>2026-03-02T10:15:00</Dt></BookgDt>"
                                 "<ValDt><Dt>2026-03-04 \n\t</Dt></ValDt>")
    closing = bal("CLBD", "1.00").replace("<Dt>2026-03-02</Dt>", "<Dt> 2026-03-05\r\n</Dt>")
    reader, rows = read_all(camt_file(document(statement(acct() + bal("OPBD", "0") + closing
                                                         + entry))))
    row = rows.row(0, named=True)
    assert (str(row["booking_date"]), str(row["value_date"])) == ("2026-03-02", "2026-03-04")
    assert str(row["business_date"]) == "2026-03-05"
    assert reader.statements[0]["business_date"] == "2026-03-05"


def test_crlf_line_endings(camt_file) -> None:
    xml = document(statement(acct() + bal("OPBD", "1.00") + bal("CLBD", "3.50")
                             + ntry("2.50", details="<AddtlNtryInf>line one\r\nline two</AddtlNtryInf>")))
    crlf = xml.replace("><", ">\r\n<").replace(">2.50<", ">\r\n  2.50\r\n<")
    reader, rows = read_all(camt_file(crlf.encode()))
    assert reader.statements[0]["proof_ok"] is True
    row = rows.row(0, named=True)
    assert row["amount"] == Decimal("2.50")
    assert row["additional_info"] == "line one\nline two"  # XML turns CRLF into LF


def test_non_ascii_names_utf8_and_latin1(camt_file) -> None:
    party = ("<RltdPties><Dbtr><Nm>Zoë Ångström-Łukasiewicz 株式会社</Nm></Dbtr></RltdPties>")
    xml = document(statement(acct() + ntry("1.00", details=f"<NtryDtls>{_tx(extra=party)}"
                                                             "</NtryDtls>")))
    row = read_all(camt_file(xml.encode("utf-8")))[1].row(0, named=True)
    assert row["counterparty_name"] == "Zoë Ångström-Łukasiewicz 株式会社"
    party1 = "<RltdPties><Dbtr><Nm>Björn Müller-Lüdenscheidt</Nm></Dbtr></RltdPties>"
    latin = document(statement(acct() + ntry("1.00", details=f"<NtryDtls>{_tx(extra=party1)}"
                                                              "</NtryDtls>")))
    latin = latin.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    row = read_all(camt_file(latin))[1].row(0, named=True)
    assert row["counterparty_name"] == "Björn Müller-Lüdenscheidt"


def test_credits_and_debits_inside_one_entry(camt_file) -> None:
    # Net entry of 70.00 CRDT: a 100.00 credit and a 30.00 fee debit, each with its own indicator.
    debit_party = "<RltdPties><Cdtr><Nm>Bank fees</Nm></Cdtr><Dbtr><Nm>Us</Nm></Dbtr></RltdPties>"
    credit_party = "<RltdPties><Dbtr><Nm>Payer AG</Nm></Dbtr><Cdtr><Nm>Us</Nm></Cdtr></RltdPties>"
    details = ("<NtryDtls>" + _tx("100.00", "CRDT", "IN", credit_party)
               + _tx("30.00", "DBIT", "FEE", debit_party) + "</NtryDtls>")
    xml = document(statement(acct() + bal("OPBD", "0") + bal("CLBD", "70.00")
                             + ntry("70.00", details=details), message=V08), message=V08)
    reader, rows = read_all(camt_file(xml))
    got = [(r["direction"], r["amount"], r["counterparty_name"]) for r in rows.iter_rows(named=True)]
    assert got == [("CRDT", Decimal("100.00"), "Payer AG"), ("DBIT", Decimal("30.00"), "Bank fees")]
    assert rows["entry_direction"].to_list() == ["CRDT", "CRDT"]
    assert reader.statements[0]["proof_ok"] is True


def test_reversal_entry_with_return_information(camt_file) -> None:
    # RVSL: the bank takes back a credit it booked; the return reason and original refs survive.
    rtr = ("<RtrInf><OrgnlBkTxCd><Domn><Cd>PMNT</Cd></Domn></OrgnlBkTxCd><Orgtr><Nm>Bank</Nm>"
           "</Orgtr><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>Account closed</AddtlInf></RtrInf>")
    parties = "<RltdPties><Dbtr><Pty><Nm>Original Payer</Nm></Pty></Dbtr></RltdPties>"
    details = "<NtryDtls>" + _tx("25.00", "DBIT", "ORIG-1", parties + rtr) + "</NtryDtls>"
    entry = ntry("25.00", "DBIT", extra="<RvslInd>true</RvslInd>", details=details)
    entry = entry.replace("<Sts>BOOK</Sts>", "<Sts><Cd>BOOK</Cd></Sts>")
    xml = document(statement(acct() + bal("OPBD", "25.00") + bal("CLBD", "0") + entry,
                             message=V08), message=V08)
    reader, rows = read_all(camt_file(xml))
    row = rows.row(0, named=True)
    assert (row["reversal"], row["direction"], row["amount"]) == (True, "DBIT", Decimal("25.00"))
    assert row["return_reason"] == "AC04"
    assert row["end_to_end_id"] == "ORIG-1"
    assert row["counterparty_name"] == "Original Payer"
    assert reader.statements[0]["proof_ok"] is True
