"""Files that must be refused, each with a reason a person can act on (the element's path)."""

from __future__ import annotations

import pytest

from recon.camt.errors import CamtError
from recon.camt.reader import read_all
from tests.unit.camt.camt_xml import acct, bal, document, ntry, statement

GOOD = document(statement(acct() + bal("OPBD", "1") + bal("CLBD", "4") + ntry("3")))

CASES = [
    # Entity expansion bomb: refused before any parser sees the DTD.
    ("billion_laughs",
     '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">'
     ']><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol2;</Document>',
     "DTD/DOCTYPE not allowed", "/"),
    # External entity reading a local file: same door.
    ("xxe",
     '<?xml version="1.0"?>\n<!-- a comment first -->\n<!DOCTYPE d [<!ENTITY x SYSTEM '
     '"file:///etc/passwd">]><Document>&x;</Document>', "DTD/DOCTYPE not allowed", "/"),
    # A payment initiation dropped in the statement folder by mistake.
    ("wrong_namespace", GOOD.replace("camt.053.001.02", "pain.001.001.03"),
     "unknown message: namespace 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03'",
     "/Document/BkToCstmrStmt"),
    # A version this reader does not know (.001.14 is beyond the supported range).
    ("unknown_version", GOOD.replace("camt.053.001.02", "camt.053.001.14"),
     "unknown message: camt.053.001.14", "/Document/BkToCstmrStmt"),
    # A statement whose root element is not the one its namespace promises.
    ("root_mismatch", GOOD.replace("camt.053.001.02", "camt.054.001.02"),
     "unknown message: camt.054.001.02 with element BkToCstmrStmt", "/Document/BkToCstmrStmt"),
    ("missing_amount", GOOD.replace('<Ntry><Amt Ccy="CHF">3</Amt>', "<Ntry>"),
     "missing mandatory element Amt", "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt"),
    # A comma decimal separator: a float-happy parser would guess, we refuse.
    ("non_numeric_amount", GOOD.replace('<Amt Ccy="CHF">3</Amt>', '<Amt Ccy="CHF">3,00</Amt>'),
     "non-numeric amount '3,00'", "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt"),
    # More decimals than ISO allows would be rounded by a Decimal(38, 5) column: refused.
    ("six_decimals", GOOD.replace('<Amt Ccy="CHF">3</Amt>', '<Amt Ccy="CHF">3.000001</Amt>'),
     "has 6 fraction digits, at most 5", "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt"),
    # The sign of an amount is its CdtDbtInd: a minus is refused, and said to be the reason.
    ("negative_amount", GOOD.replace('<Amt Ccy="CHF">3</Amt>', '<Amt Ccy="CHF">-3.00</Amt>'),
     "negative amount '-3.00'", "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt"),
    # 19 significant digits exceed the schema's totalDigits 18 (leading zeros do not count).
    ("nineteen_digits", GOOD.replace('<Amt Ccy="CHF">3</Amt>',
                                     '<Amt Ccy="CHF">00012345678901234567.89</Amt>'),
     "has 19 digits, at most 18", "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt"),
    ("bad_balance_amount", GOOD.replace('<Amt Ccy="CHF">4</Amt>', '<Amt Ccy="CHF">two</Amt>'),
     "non-numeric amount 'two'", "/Document/BkToCstmrStmt/Stmt[1]/Bal[2]/Amt"),
    ("no_currency", GOOD.replace('<Ntry><Amt Ccy="CHF">', "<Ntry><Amt>"),
     "amount without currency", "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt"),
    ("bad_direction", GOOD.replace("CRDT</CdtDbtInd><Sts>", "C</CdtDbtInd><Sts>"),
     "neither CRDT nor DBIT", "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/CdtDbtInd"),
    ("missing_statement_id", GOOD.replace("<Id>S1</Id>", ""),
     "missing mandatory element Id", "/Document/BkToCstmrStmt/Stmt[1]/Id"),
    ("missing_account", GOOD.replace(acct(), ""),
     "missing mandatory element Acct/Id", "/Document/BkToCstmrStmt/Stmt[1]/Acct/Id"),
    ("no_statement", document(""), "missing mandatory element Stmt", "/Document/BkToCstmrStmt"),
    ("impossible_date", GOOD.replace("<BookgDt><Dt>2026-03-02", "<BookgDt><Dt>2026-02-30"),
     "invalid value '2026-02-30' in column booking_date", "entry at position 1"),
    # A transfer cut short: lxml's message and the place it stopped.
    ("truncated", GOOD[:-60], "malformed XML", "/Document/BkToCstmrStmt/Stmt[1]"),
    ("empty", "", "empty file", "/"),
    ("not_camt", "<html><body>login page</body></html>", "not a CAMT 052/053/054 message", "/"),
]


@pytest.mark.parametrize(("case", "xml", "reason", "path"), CASES, ids=[c[0] for c in CASES])
def test_refused_with_reason_and_path(camt_file, case: str, xml: str, reason: str,
                                      path: str) -> None:
    with pytest.raises(CamtError) as err:
        read_all(camt_file(xml))
    assert reason in err.value.reason
    assert err.value.path == path


def test_the_good_document_reads() -> None:
    # The cases above are one edit away from this document; it must itself be fine.
    assert "Ntry" in GOOD
