"""Write camt.053 statements and camt.054 notifications (.001.02 and .001.08), streaming.

Element order follows the ISO 20022 schemas of each version, so the output validates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from recon.camt.model import Entry, Party, Statement, Transaction

VERSIONS = ("001.02", "001.08")
_ROOTS = {"053": ("BkToCstmrStmt", "Stmt"), "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}
_REFS = (("msg_id", "MsgId"), ("acct_svcr_ref", "AcctSvcrRef"), ("pmt_inf_id", "PmtInfId"),
         ("instr_id", "InstrId"), ("end_to_end_id", "EndToEndId"), ("uetr", "UETR"),
         ("tx_id", "TxId"), ("mandate_id", "MndtId"))


def _el(tag: str, value: object) -> str:
    return "" if value is None else f"<{tag}>{escape(str(value))}</{tag}>"


def _amt(value: Decimal, ccy: str, tag: str = "Amt") -> str:
    return f"<{tag} Ccy={quoteattr(ccy)}>{value:f}</{tag}>"


def _ts(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


class _Writer:
    def __init__(self, kind: str, version: str) -> None:
        if kind not in _ROOTS or version not in VERSIONS:
            raise ValueError(f"can write camt.053/054 in {VERSIONS}, not camt.{kind}.{version}")
        self.kind, self.v08 = kind, version == "001.08"
        self.ns = f"urn:iso:std:iso:20022:tech:xsd:camt.{kind}.{version}"
        self.bic_tag = "BICFI" if self.v08 else "BIC"

    def document(self, statements: Iterable[Statement], msg_id: str,
                 created_at: datetime) -> Iterator[str]:
        root, _ = _ROOTS[self.kind]
        yield (f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{self.ns}">'
               f"<{root}><GrpHdr>{_el('MsgId', msg_id)}{_el('CreDtTm', _ts(created_at))}"
               "</GrpHdr>\n")
        for s in statements:
            yield from self.statement(s)
        yield f"</{root}></Document>\n"

    def statement(self, s: Statement) -> Iterator[str]:
        tag = _ROOTS[self.kind][1]
        period = ""
        if s.from_date and s.to_date:
            period = (f"<FrToDt><FrDtTm>{s.from_date}T00:00:00</FrDtTm>"
                      f"<ToDtTm>{s.to_date}T23:59:59</ToDtTm></FrToDt>")
        svcr = (f"<Svcr><FinInstnId>{_el(self.bic_tag, s.servicer_bic)}</FinInstnId></Svcr>"
                if s.servicer_bic else "")
        yield (f"<{tag}>{_el('Id', s.statement_id)}{_el('ElctrncSeqNb', s.electronic_seq)}"
               f"{_el('LglSeqNb', s.legal_seq)}{_el('CreDtTm', _ts(s.created_at))}{period}"
               f"<Acct><Id><IBAN>{escape(s.account_iban)}</IBAN></Id>{_el('Ccy', s.currency)}"
               f"{svcr}</Acct>\n")
        if self.kind == "053":
            closing, closing_date = s.closing()
            opening_date = s.from_date or closing_date
            yield self.balance("OPBD", s.opening_balance, s.currency, opening_date)
            yield self.balance("CLBD", closing, s.currency, closing_date)
        for e in s.entries:
            yield self.entry(e, s.currency)
        yield f"</{tag}>\n"

    def balance(self, code: str, amount: Decimal, ccy: str, day: object) -> str:
        sign = "CRDT" if amount >= 0 else "DBIT"
        return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>{_amt(abs(amount), ccy)}"
                f"<CdtDbtInd>{sign}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>\n")

    def entry(self, e: Entry, ccy: str) -> str:
        status = f"<Sts><Cd>{e.status}</Cd></Sts>" if self.v08 else f"<Sts>{e.status}</Sts>"
        domain, family, sub = e.bank_tx_code
        parts = [
            "<Ntry>", _el("NtryRef", e.entry_ref), _amt(e.amount, ccy),
            f"<CdtDbtInd>{e.direction}</CdtDbtInd>",
            "<RvslInd>true</RvslInd>" if e.reversal else "", status,
            f"<BookgDt><Dt>{e.booking_date}</Dt></BookgDt>",
            f"<ValDt><Dt>{e.value_date or e.booking_date}</Dt></ValDt>",
            _el("AcctSvcrRef", e.acct_svcr_ref),
            f"<BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{family}</Cd>"
            f"<SubFmlyCd>{sub}</SubFmlyCd></Fmly></Domn></BkTxCd>",
        ]
        txs = e.transactions
        if txs or e.batch_msg_id or e.batch_pmt_inf_id:
            parts.append("<NtryDtls>")
            if len(txs) > 1 or e.batch_msg_id or e.batch_pmt_inf_id:
                parts.append(f"<Btch>{_el('MsgId', e.batch_msg_id)}"
                             f"{_el('PmtInfId', e.batch_pmt_inf_id)}"
                             f"<NbOfTxs>{max(len(txs), 1)}</NbOfTxs></Btch>")
            parts.extend(self.transaction(t, e, ccy) for t in txs)
            parts.append("</NtryDtls>")
        parts.append(_el("AddtlNtryInf", e.additional_info))
        parts.append("</Ntry>\n")
        return "".join(parts)

    def transaction(self, t: Transaction, e: Entry, ccy: str) -> str:
        refs = "".join(_el(tag, getattr(t, f)) for f, tag in _REFS
                       if self.v08 or tag != "UETR")
        parts = ["<TxDtls>", f"<Refs>{refs}</Refs>" if refs else ""]
        details = ""
        if t.instructed:
            amount, source, rate = t.instructed
            details = (f"<InstdAmt>{_amt(amount, source)}<CcyXchg><SrcCcy>{source}</SrcCcy><TrgtCcy>{ccy}"
                       f"</TrgtCcy><XchgRate>{rate}</XchgRate></CcyXchg></InstdAmt>")
        if t.amount is not None:
            if self.v08:
                parts.append(f"{_amt(t.amount, ccy)}<CdtDbtInd>{e.direction}</CdtDbtInd>")
            else:
                details += f"<TxAmt>{_amt(t.amount, ccy)}</TxAmt>"
        if details:
            parts.append(f"<AmtDtls>{details}</AmtDtls>")
        if t.counterparty:
            parts.append(self.parties(t.counterparty, (e.direction == "CRDT") != e.reversal))
        if t.remittance or t.creditor_ref:
            parts.append(self.remittance(t))
        if t.return_reason:
            parts.append(f"<RtrInf><Rsn><Cd>{escape(t.return_reason)}</Cd></Rsn></RtrInf>")
        parts.append("</TxDtls>")
        return "".join(parts)

    def parties(self, p: Party, counterparty_is_debtor: bool) -> str:
        side = "Dbtr" if counterparty_is_debtor else "Cdtr"
        name = _el("Nm", p.name)
        party = f"<{side}>{f'<Pty>{name}</Pty>' if self.v08 else name}</{side}>"
        acct = f"<{side}Acct><Id><IBAN>{escape(p.iban)}</IBAN></Id></{side}Acct>" if p.iban else ""
        out = f"<RltdPties>{party}{acct}</RltdPties>"
        if p.bic:
            out += (f"<RltdAgts><{side}Agt><FinInstnId>{_el(self.bic_tag, p.bic)}</FinInstnId>"
                    f"</{side}Agt></RltdAgts>")
        return out

    def remittance(self, t: Transaction) -> str:
        strd = ""
        if t.creditor_ref:
            tp = t.creditor_ref_type
            code = f"<Cd>{tp}</Cd>" if tp == "SCOR" else f"<Prtry>{escape(tp)}</Prtry>"
            strd = (f"<Strd><CdtrRefInf><Tp><CdOrPrtry>{code}</CdOrPrtry></Tp>"
                    f"{_el('Ref', t.creditor_ref)}</CdtrRefInf></Strd>")
        return f"<RmtInf>{_el('Ustrd', t.remittance)}{strd}</RmtInf>"


def camt_chunks(statements: Iterable[Statement], *, kind: str = "053", version: str = "001.02",
                msg_id: str = "MSG-1", created_at: datetime | None = None,
                indent: bool = False) -> Iterator[str]:
    """The document as text chunks, one per entry: nothing is held beyond the current entry.

    `indent` lays each entry out one element per line, the way banks usually send files.
    """
    created = created_at or datetime(2024, 1, 1, tzinfo=UTC)
    chunks = _Writer(kind, version).document(statements, msg_id, created)
    return (_indented(c) if indent and c.startswith("<Ntry>") else c for c in chunks)


def _indented(entry: str) -> str:
    el = etree.fromstring(entry)
    etree.indent(el, space="  ", level=3)
    return "      " + etree.tostring(el, encoding="unicode") + "\n"


def camt_bytes(statements: Iterable[Statement], **options: object) -> bytes:
    return "".join(camt_chunks(statements, **options)).encode()  # type: ignore[arg-type]


def write_camt(target: str | Path | IO[bytes], statements: Iterable[Statement],
               **options: object) -> int:
    """Stream the document to a path or binary file; returns the number of bytes written."""
    if isinstance(target, (str, Path)):
        with Path(target).open("wb") as fh:
            return write_camt(fh, statements, **options)
    size, buf = 0, []
    for chunk in camt_chunks(statements, **options):  # type: ignore[arg-type]
        buf.append(chunk)
        if len(buf) >= 512:
            data = "".join(buf).encode()
            target.write(data)
            size, buf = size + len(data), []
    data = "".join(buf).encode()
    target.write(data)
    return size + len(data)


def with_business_header(document: bytes, *, from_bic: str, to_bic: str, biz_msg_id: str,
                         message_type: str, created_at: datetime) -> bytes:
    """Wrap a Document in a Business Application Header envelope (head.001.001.02)."""
    body = document.split(b"?>", 1)[1] if document.startswith(b"<?xml") else document
    head = (f'<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">'
            f"<Fr><FIId><FinInstnId><BICFI>{from_bic}</BICFI></FinInstnId></FIId></Fr>"
            f"<To><FIId><FinInstnId><BICFI>{to_bic}</BICFI></FinInstnId></FIId></To>"
            f"<BizMsgIdr>{escape(biz_msg_id)}</BizMsgIdr><MsgDefIdr>{message_type}</MsgDefIdr>"
            f"<CreDt>{_ts(created_at)}</CreDt></AppHdr>")
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<BizMsgEnvlp>' + head.encode()
            + body.strip() + b"</BizMsgEnvlp>\n")
