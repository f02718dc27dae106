"""What the CAMT writer takes: a statement or notification, its entries and their transactions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Party:
    """The other side of a movement: the debtor of a credit, the creditor of a debit."""

    name: str | None = None
    iban: str | None = None
    bic: str | None = None


@dataclass(frozen=True)
class Transaction:
    """One TxDtls. `amount` None: a single transaction takes its entry's amount."""

    amount: Decimal | None = None
    uetr: str | None = None  # written from .001.08 on (v02 has no UETR element)
    end_to_end_id: str | None = None
    acct_svcr_ref: str | None = None
    instr_id: str | None = None
    tx_id: str | None = None
    pmt_inf_id: str | None = None
    msg_id: str | None = None
    mandate_id: str | None = None
    counterparty: Party | None = None
    remittance: str | None = None
    creditor_ref: str | None = None
    creditor_ref_type: str = "SCOR"  # SCOR is a code; anything else (QRR, ISR) goes as Prtry
    return_reason: str | None = None
    # Converted by the bank: what was instructed, in its currency, and the rate applied (AmtDtls/InstdAmt).
    instructed: tuple[Decimal, str, Decimal] | None = None


@dataclass(frozen=True)
class Entry:
    """One Ntry. Several transactions make a batch (Btch with NbOfTxs)."""

    amount: Decimal
    direction: str  # CRDT | DBIT
    booking_date: date
    value_date: date | None = None
    status: str = "BOOK"
    reversal: bool = False
    entry_ref: str | None = None
    acct_svcr_ref: str | None = None
    bank_tx_code: tuple[str, str, str] = ("PMNT", "RCDT", "ESCT")  # domain, family, sub-family
    transactions: Sequence[Transaction] = ()
    batch_msg_id: str | None = None
    batch_pmt_inf_id: str | None = None
    additional_info: str | None = None

    def __post_init__(self) -> None:
        if self.direction not in ("CRDT", "DBIT"):
            raise ValueError(f"direction must be CRDT or DBIT, not {self.direction!r}")
        if self.amount < 0:
            raise ValueError("an entry amount is never negative; the direction carries the sign")

    @property
    def signed(self) -> Decimal:
        return self.amount if self.direction == "CRDT" else -self.amount


@dataclass
class Statement:
    """A camt.053 Stmt or camt.054 Ntfctn for one account.

    `entries` may be a generator (for files larger than memory); then give `closing_balance`
    and `closing_date`, which are otherwise derived from the booked entries.
    """

    account_iban: str
    currency: str
    opening_balance: Decimal = Decimal(0)
    entries: Iterable[Entry] = field(default_factory=list)
    servicer_bic: str | None = None
    statement_id: str = "STMT-1"
    created_at: datetime = field(default_factory=lambda: datetime(2024, 1, 1, tzinfo=UTC))
    from_date: date | None = None
    to_date: date | None = None
    electronic_seq: int | None = None
    legal_seq: int | None = None
    closing_balance: Decimal | None = None
    closing_date: date | None = None

    def closing(self) -> tuple[Decimal, date]:
        entries = self.entries
        if self.closing_balance is not None and self.closing_date is not None:
            return self.closing_balance, self.closing_date
        if not isinstance(entries, Sequence):
            raise ValueError("entries is a stream: give closing_balance and closing_date")
        booked = sum((e.signed for e in entries if e.status == "BOOK"), Decimal(0))
        days = [e.booking_date for e in entries]
        balance = self.closing_balance
        if balance is None:
            balance = self.opening_balance + booked
        when = self.closing_date or self.to_date or (max(days) if days
                                                     else self.created_at.date())
        return balance, when
