"""Small hand-written CAMT documents for the reader's odd cases."""

from __future__ import annotations

NS = "urn:iso:std:iso:20022:tech:xsd:camt.{}"
ROOTS = {"052": ("BkToCstmrAcctRpt", "Rpt"), "053": ("BkToCstmrStmt", "Stmt"),
         "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}


def acct(iban: str = "CH9300762011623852957", ccy: str = "CHF") -> str:
    return f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{ccy}</Ccy></Acct>"


def bal(code: str, amount: str, sign: str = "CRDT", day: str = "2026-03-02") -> str:
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"CHF\">{amount}</Amt>"
            f"<CdtDbtInd>{sign}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>")


def ntry(amount: str, sign: str = "CRDT", extra: str = "", sts: str = "<Sts>BOOK</Sts>",
         details: str = "") -> str:
    return (f"<Ntry><Amt Ccy=\"CHF\">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd>{extra}{sts}"
            f"<BookgDt><Dt>2026-03-02</Dt></BookgDt>{details}</Ntry>")


def document(body: str, message: str = "053.001.02", msg_id: str = "M1") -> str:
    root = ROOTS[message[:3]][0]
    return (f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{NS.format(message)}">'
            f"<{root}><GrpHdr><MsgId>{msg_id}</MsgId><CreDtTm>2026-03-02T18:00:00+01:00"
            f"</CreDtTm></GrpHdr>{body}</{root}></Document>")


def statement(inner: str, sid: str = "S1", message: str = "053.001.02") -> str:
    tag = ROOTS[message[:3]][1]
    return f"<{tag}><Id>{sid}</Id>{inner}</{tag}>"
