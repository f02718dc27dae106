"""xs:decimal as the schema defines it: every lexical form read, the schema's limits on money kept."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from recon.camt import frames
from recon.camt import values as v
from recon.camt.errors import CamtError
from recon.camt.reader import read_all
from recon.camt.summary import summarize
from recon.stored_amounts import at_source_scale
from tests.unit.camt.camt_xml import acct, bal, document, ntry, statement


def el(text: str | None) -> SimpleNamespace:
    return SimpleNamespace(text=text, sourceline=7)


# (as sent, as kept): the value at the scale the bank sent it, written plainly.
ACCEPTED = [
    ("250.00", "250.00"),  # the common form, untouched
    ("17", "17"),
    ("0", "0"),
    (".34", "0.34"),  # no integer digit: valid xs:decimal
    ("5.", "5"),  # no fraction digit: valid
    ("+5", "5"),  # explicit plus sign
    ("007.10", "7.10"),  # leading zeros are not digits of the value; the scale sent is kept
    ("  12.5\n", "12.5"),  # the schema collapses surrounding whitespace
    ("\t\r\n1.00 ", "1.00"),  # a CRLF file's value
    ("-0.00", "0.00"),  # minus zero is zero, which minInclusive 0 allows
    ("1.23450", "1.23450"),  # 5 places as sent, the trailing zero kept
    ("1.1000000", "1.10000"),  # zeros past 5 places are not fraction digits of the value
    ("999999999999999999", "999999999999999999"),  # 18 digits: the most allowed
    ("0000000000000000000001.5", "1.5"),  # leading zeros do not count toward 18
    ("1234567890123.12345", "1234567890123.12345"),
]


@pytest.mark.parametrize(("sent", "kept"), ACCEPTED)
def test_amount_lexical_forms(sent: str, kept: str) -> None:
    assert v.amount(el(sent), "Amt") == kept


# (as sent, the reason the refusal gives): each names the real fault.
REFUSED = [
    ("-5.00", "negative amount '-5.00'"),
    ("-.01", "negative amount"),
    ("1.123456", "has 6 fraction digits, at most 5"),
    ("1234567890123456789", "has 19 digits, at most 18"),
    ("12345678901234.12345", "has 19 digits, at most 18"),
    ("3,00", "non-numeric amount '3,00'"),
    ("1e5", "non-numeric amount '1e5'"),  # a double's form, not a decimal's
    (".", "non-numeric amount '.'"),
    ("+", "non-numeric amount '+'"),
    ("", "non-numeric amount ''"),
    (None, "non-numeric amount ''"),
    ("1 000", "non-numeric amount '1 000'"),  # inner space survives whitespace collapsing
    ("١٢", "non-numeric amount"),  # Arabic-Indic digits are digits to Python, not to XSD
    ("1.2.3", "non-numeric amount"),
    ("--5", "non-numeric amount"),
]


@pytest.mark.parametrize(("sent", "reason"), REFUSED)
def test_amount_refusals_name_the_reason(sent: str | None, reason: str) -> None:
    with pytest.raises(CamtError) as err:
        v.amount(el(sent), "Amt")
    assert reason in err.value.reason


@pytest.mark.parametrize(("sent", "kept"), [
    ("1.0850", "1.0850"), (".9", "0.9"), ("+1.5", "1.5"), (" 0012.000000001 ", "12.000000001"),
    ("-0.5", "-0.5"),  # BaseOneRate has no lower bound
])
def test_rate_lexical_forms(sent: str, kept: str) -> None:
    assert v.rate(el(sent), "XchgRate") == kept


def _fx_entry(rate: str) -> str:
    details = (
        "<NtryDtls><TxDtls><Refs><EndToEndId>E1</EndToEndId></Refs>"
        "<AmtDtls><TxAmt><Amt Ccy=\"CHF\">3.00</Amt><CcyXchg><SrcCcy>EUR</SrcCcy>"
        f"<TrgtCcy>CHF</TrgtCcy><XchgRate>{rate}</XchgRate></CcyXchg></TxAmt></AmtDtls>"
        "<Chrgs><Rcrd><Amt Ccy=\"CHF\">0.10</Amt><Rate>ten</Rate></Rcrd></Chrgs>"
        "</TxDtls></NtryDtls>")
    return ntry("3.00", details=details)


def test_malformed_optional_rates_are_warnings_not_a_lost_file(camt_file) -> None:
    # A real bank's file: an exchange rate no check uses must not cost five entries and the balances.
    body = acct() + bal("OPBD", "1.00") + bal("CLBD", "7.00") + _fx_entry("1,0850") + ntry("3.00")
    path = camt_file(document(statement(body)))
    reader, rows = read_all(path)
    assert rows.height == 2
    assert reader.statements[0]["proof_ok"] is True
    first = rows.row(0, named=True)
    assert first["exchange_rate"] is None
    assert "non-numeric exchange rate '1,0850'" in first["warnings"]
    assert "NtryDtls/TxDtls[1]/AmtDtls/TxAmt/CcyXchg/XchgRate" in first["warnings"]
    assert "non-numeric charge rate 'ten'" in first["warnings"]
    assert rows.row(1, named=True)["warnings"] is None
    inspected = summarize(path)
    assert any("/Stmt[1]/Ntry[1]" in w and "exchange rate" in w for w in inspected["warnings"])


def test_valid_rate_forms_are_read_as_sent(camt_file) -> None:
    path = camt_file(document(statement(acct() + _fx_entry(" +1.08500 "))))
    _, rows = read_all(path)
    assert str(rows["exchange_rate"][0]).rstrip("0") == "1.085"
    assert "exchange rate" not in (rows["warnings"][0] or "")


def test_every_lexical_form_in_a_whole_file(camt_file) -> None:
    # Balances, entry and transaction amounts all take the same forms; the proof still holds.
    details = ("<NtryDtls><TxDtls><Amt Ccy=\"CHF\">+.50</Amt></TxDtls>"
               "<TxDtls><Amt Ccy=\"CHF\">002.</Amt></TxDtls></NtryDtls>")
    body = (acct() + bal("OPBD", " .50 ") + bal("CLBD", "003.00")
            + ntry("2.5", details=details))
    reader, rows = read_all(camt_file(document(statement(body))))
    s = reader.statements[0]
    assert (s["opening_balance"], s["closing_balance"], s["proof_ok"]) == ("0.50", "3.00", True)
    assert [str(a) for a in rows["amount"]] == ["0.50000", "2.00000"]


def test_each_amount_is_written_at_the_scale_the_bank_sent(camt_file) -> None:
    # One Decimal(38, 5) column holds them all; what is written is each text as sent.
    body = (acct() + bal("OPBD", "10") + bal("CLBD", "124.5345")
            + ntry("3") + ntry("14410.8", "DBIT") + ntry("1.23450") + ntry("007.10")
            + ntry("14300.0000", "CRDT"))
    reader, rows = read_all(camt_file(document(statement(body))))
    written = at_source_scale("bank_entries", rows)
    assert written["amount"].to_list() == ["3", "14410.8", "1.23450", "7.10", "14300.0000"]
    assert "amount_scale" not in written.columns
    balances = at_source_scale("bank_balances", frames.balances_frame(reader.balances))
    assert balances["amount"].to_list() == ["10", "124.5345"]
    s = at_source_scale("bank_statements", frames.statements_frame(reader.statements)).row(0, named=True)
    assert (s["opening_balance"], s["closing_balance"], s["booked_total"]) == ("10", "124.5345", "-99.46550")


def test_recon_camt_inspect_shows_warnings_and_amounts_as_sent(camt_file) -> None:
    # The installed command, as an operator runs it: the file reads (exit 0), the bad rate is a warning,
    # the rows show each amount as the bank sent it.
    body = acct() + bal("OPBD", "1.00") + bal("CLBD", "17.8") + _fx_entry("1,0850") + ntry("14.8")
    path = camt_file(document(statement(body)))
    recon = Path(sys.executable).with_name("recon")
    out = subprocess.run([str(recon), "camt", "inspect", "--json", "--rows", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    [report] = json.loads(out.stdout)
    assert any("non-numeric exchange rate '1,0850'" in w for w in report["warnings"])
    rows = report["statements"][0]["rows_detail"]
    assert [r["amount"] for r in rows] == ["3.00", "14.8"]
    assert "exchange rate" in rows[0]["warnings"] and "warnings" not in rows[1]


def test_impossible_value_date_is_a_warning_when_the_booking_date_is_there(camt_file) -> None:
    entry = ntry("5.00").replace("</BookgDt>", "</BookgDt><ValDt><Dt>2026-02-30</Dt></ValDt>")
    reader, rows = read_all(camt_file(document(statement(acct() + entry + ntry("1.00")))))
    row = rows.row(0, named=True)
    assert (str(row["booking_date"]), row["value_date"]) == ("2026-03-02", None)
    assert "invalid value date '2026-02-30' at ValDt" in row["warnings"]
    assert any("Ntry[1]" in w and "value date" in w for w in reader.warnings)
