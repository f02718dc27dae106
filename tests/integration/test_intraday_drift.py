"""The intraday window in process on real Postgres and real CAMT files: the bank position's basis (a camt.052
report when the bank sends one, else the last statement plus notifications) and balance_drift across
consecutive windows, opened and cleared by the lifecycle's rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import dagster as dg

from assets.balances import balance_checks
from assets.intraday import intraday_balance_checks
from clients.folder_source import LocalFolderSource
from recon.camt.model import Entry, Statement
from recon.camt.writer import write_camt
from resources.bank_rules import BankRulesResource
from resources.drop_folder import StatementsResource
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores.statement_days import load_business_date
from stores.warehouse import Warehouse

EUR, GBP = "DE89370400440532013000", "GB29NWBK60161331926819"
FRI, MON = date(2026, 11, 13), date(2026, 11, 16)
CLOSING = {EUR: Decimal("1000000.00"), GBP: Decimal("500000.00")}
CCY = {EUR: "EUR", GBP: "GBP"}
DRIFT_KEY = f"balance_drift|account|{EUR}|drift:EUR"
TXNS = ("txn_id,account_id,direction,amount,currency,booked_at,value_date,status\n"
        "t0,L-EUR,CRDT,1.00,EUR,2026-11-13T09:00:00Z,2026-11-13,booked\n")


def at(hour: int, minute: int = 0, day: date = MON) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


class World:
    """Friday's statements (ledger agreeing, or off by `friday_diff`), the daily check of Friday, and a
    ledger whose balance per window is set by the test."""

    def __init__(self, wh: Warehouse, tmp: Path, friday_diff: Decimal = Decimal(0), windows: int = 3) -> None:
        self.wh, self.drop, self.books = wh, tmp / "drop", tmp / "books"
        self.drop.mkdir()
        self.books.mkdir()
        self.ledger_rows = [(iban, CLOSING[iban] + (friday_diff if iban == EUR else 0), at(22, 0, FRI))
                            for iban in CLOSING]
        (self.books / "transactions.csv").write_text(TXNS)
        for iban, balance in CLOSING.items():
            write_camt(self.drop / f"053_{iban[:2]}.xml", [Statement(
                account_iban=iban, currency=CCY[iban], opening_balance=balance, statement_id=f"S-{iban[:2]}",
                created_at=at(5, 0, MON), from_date=FRI, to_date=FRI, closing_balance=balance, closing_date=FRI)],
                msg_id=f"M-{iban[:2]}", created_at=at(5, 0, MON))
        self.write_ledger()
        self.resources = {
            "warehouse": WarehouseResource(database_url=wh.engine.url.render_as_string(hide_password=False)),
            "statements": StatementsResource(drop_folder=str(self.drop)),
            "ledger": LedgerResource(kind="files", snapshot_dir=str(self.books),
                                     snapshot_home=str(tmp / "snapshots")),
            "bank_rules": BankRulesResource(drift_windows=windows),
        }
        load_business_date(wh, LocalFolderSource(self.drop), FRI)  # as Friday's daily run loads it
        assert dg.materialize([balance_checks], partition_key=FRI.isoformat(), resources=self.resources).success

    def write_ledger(self) -> None:
        lines = [f"L-{CCY[i]},{i},{CCY[i]},{b},{t.isoformat()}" for i, b, t in self.ledger_rows]
        (self.books / "accounts.csv").write_text("account_id,iban,currency,ledger_balance,as_of\n" + "\n".join(lines))

    def ledger(self, iban: str, diff: str, when: datetime) -> None:
        """The ledger's balance at `when`: the statement's closing plus `diff`."""
        self.ledger_rows.append((iban, CLOSING[iban] + Decimal(diff), when))
        self.write_ledger()

    def window(self, start: datetime, **resources: object) -> dg.ExecuteInProcessResult:
        """One window; the ledger of EUR is set just before its end by the caller."""
        return dg.materialize([intraday_balance_checks], partition_key=start.strftime("%Y-%m-%d-%H:%M"),
                              resources={**self.resources, **resources}, raise_on_error=False)

    def run(self, start: datetime, eur_diff: str | None = None) -> dg.ExecuteInProcessResult:
        if eur_diff is not None:
            self.ledger(EUR, eur_diff, start + timedelta(minutes=25))
        result = self.window(start)
        assert result.success
        return result

    def drift(self) -> dict | None:
        rows = self.wh.rows("SELECT status, resolution, severity, action, amount, first_seen_partition, "
                            "last_seen_partition, details FROM recon.discrepancies WHERE discrepancy_key = :k",
                            k=DRIFT_KEY)
        return rows[0] if rows else None

    def position(self, start: datetime, iban: str = EUR) -> dict:
        return self.wh.rows("SELECT * FROM recon.intraday_positions WHERE partition_key = :p AND account = :a",
                            p=start.strftime("%Y-%m-%d-%H:%M"), a=iban)[0]

    def note(self, name: str, amount: str, sent: datetime, iban: str = EUR, value: date = MON,
             direction: str = "CRDT") -> None:
        entry = Entry(amount=Decimal(amount), direction=direction, booking_date=MON, value_date=value,
                      acct_svcr_ref=name)
        write_camt(self.drop / f"054_{name}.xml", [Statement(
            account_iban=iban, currency=CCY[iban], statement_id=f"N-{name}", created_at=sent, from_date=MON,
            to_date=MON, entries=[entry])], kind="054", msg_id=f"M-{name}", created_at=sent)

    def report(self, name: str, balance: str, sent: datetime, entries: list[Entry], iban: str = EUR) -> None:
        write_camt(self.drop / f"052_{name}.xml", [Statement(
            account_iban=iban, currency=CCY[iban], statement_id=f"R-{name}", created_at=sent, from_date=MON,
            to_date=MON, entries=entries, closing_balance=Decimal(balance), closing_date=MON)],
            kind="052", msg_id=f"M-{name}", created_at=sent)


W1, W2, W3, W4, W5 = (at(9, 0), at(9, 30), at(10, 0), at(10, 30), at(11, 0))


def test_a_difference_growing_one_way_for_three_windows_opens_balance_drift_and_recovery_clears_it(
        fresh_warehouse: Warehouse, tmp_path: Path) -> None:
    w = World(fresh_warehouse, tmp_path)
    w.run(W1, "-10.00")
    w.run(W2, "-20.00")
    assert w.drift() is None  # two windows are not yet three
    result = w.run(W3, "-20.00")  # persists: still drift
    tiers = fresh_warehouse.rows("SELECT tier FROM recon.balance_checks WHERE partition_key = :p AND account = :a",
                                 p="2026-11-16-10:00", a=EUR)
    assert tiers == [{"tier": "ok"}]  # every window within the tiers: only drift says something is wrong
    found = w.drift()
    assert found is not None
    assert (found["status"], found["severity"], found["action"], found["amount"]) == (
        "open", "minor", "record", Decimal("20.00"))
    assert found["first_seen_partition"] == "2026-11-16-10:00"
    assert found["details"]["drift"] == ["-10.00", "-20.00", "-20.00"]
    assert found["details"]["direction"] == "ledger below bank"
    meta = result.asset_materializations_for_node("intraday_balance_checks")[0].metadata
    assert meta["balance_drift_found"].value == 1 and meta["balance_drift_unknown"].value == 0
    assert w.position(W3)["basis"] == "statement_notifications"

    w.run(W4, "0.00")  # the ledger caught up: a complete read at a later cut-off clears it
    cleared = w.drift()
    assert (cleared["status"], cleared["resolution"]) == ("resolved", "cleared_by_data")


def test_a_difference_that_flips_or_shrinks_is_not_drift(fresh_warehouse: Warehouse, tmp_path: Path) -> None:
    # Friday closed with the ledger 50 below the bank (a tier "ok" difference): drift is what the day adds.
    w = World(fresh_warehouse, tmp_path, friday_diff=Decimal("-50.00"))
    for start, diff in ((W1, "-40.00"), (W2, "-60.00"), (W3, "-40.00")):  # +10, -10, +10: flips
        w.run(start, diff)
    assert w.drift() is None
    for start, diff in ((W4, "-70.00"), (W5, "-55.00")):  # -10, -20, -5: recovering
        w.run(start, diff)
    assert w.drift() is None
    assert [w.position(s)["drift"] for s in (W3, W4, W5)] == [Decimal("10.00"), Decimal("-20.00"), Decimal("-5.00")]
    assert [w.position(s)["drift"] for s in (W3, W4, W5)] == [Decimal("10.00"), Decimal("-20.00"), Decimal("-5.00")]


def test_a_future_value_dated_item_is_in_transit_not_drift(fresh_warehouse: Warehouse, tmp_path: Path) -> None:
    w = World(fresh_warehouse, tmp_path, windows=2)
    # The bank booked a credit today with value tomorrow; the ledger will book it on its value date.
    w.note("FUT-1", "20.00", at(8, 50), value=MON + timedelta(days=1))
    # The ledger booked a payout today valued tomorrow; the bank will book it then.
    (w.books / "transactions.csv").write_text(TXNS + "t1,L-GBP,DBIT,15.00,GBP,2026-11-16T08:40:00Z,2026-11-17,booked\n")
    w.ledger(GBP, "-15.00", at(8, 45))
    for start in (W1, W2):
        w.run(start)
    eur, gbp = w.position(W2, EUR), w.position(W2, GBP)
    assert (eur["value_diff"], eur["bank_future_value"]) == (Decimal("0.00"), Decimal("20.00"))
    assert (gbp["value_diff"], gbp["ledger_future_value"]) == (Decimal("0.00"), Decimal("-15.00"))
    assert fresh_warehouse.rows("SELECT count(*) AS n FROM recon.discrepancies WHERE type = 'balance_drift'") == [
        {"n": 0}]
    diffs = {r["account"]: r["diff"] for r in fresh_warehouse.rows(
        "SELECT account, diff FROM recon.balance_checks WHERE partition_key = '2026-11-16-09:30'")}
    assert diffs == {EUR: Decimal("-20.00"), GBP: Decimal("-15.00")}  # booking with booking still differs


def test_a_camt052_report_is_preferred_and_statement_plus_notifications_used_without_one(
        fresh_warehouse: Warehouse, tmp_path: Path) -> None:
    w = World(fresh_warehouse, tmp_path)
    booked = Entry(amount=Decimal("500.00"), direction="CRDT", booking_date=MON, acct_svcr_ref="N-500")
    w.note("N-500", "500.00", at(9, 10))  # notified, and in the report below
    w.report("R1", "1000480.00", at(9, 40), [booked, Entry(amount=Decimal("20.00"), direction="DBIT",
                                                           booking_date=MON, acct_svcr_ref="FEE-1")])
    w.note("N-70", "70.00", at(9, 50))  # after the report: added to it
    w.note("FEE-1", "20.00", at(9, 45), direction="DBIT")  # the report's fee, notified late: not twice
    w.note("G-30", "30.00", at(9, 15), iban=GBP)  # GBP sends no report
    w.ledger(EUR, "550.00", at(9, 55))
    w.ledger(GBP, "30.00", at(9, 16))

    w.run(W1)  # 09:00-09:30: no report yet, so the statement and the 500 notified
    assert (w.position(W1)["basis"], w.position(W1)["bank_balance"]) == ("statement_notifications",
                                                                         Decimal("1000500.00"))
    result = w.run(W2)  # 09:30-10:00: the 09:40 report (500 in, a 20 fee) and the 70 after it
    eur, gbp = w.position(W2, EUR), w.position(W2, GBP)
    assert (eur["basis"], eur["bank_balance"], eur["movements"]) == ("camt052_report", Decimal("1000550.00"), 1)
    assert eur["report_key"] and eur["bank_cutoff"] == at(9, 40)
    assert (gbp["basis"], gbp["bank_balance"]) == ("statement_notifications", Decimal("500030.00"))
    meta = result.asset_materializations_for_node("intraday_balance_checks")[0].metadata
    assert (meta["basis_camt052_report"].value, meta["basis_statement_notifications"].value) == (1, 1)
    checks = {r["account"]: (r["bank_balance"], r["tier"]) for r in fresh_warehouse.rows(
        "SELECT account, bank_balance, tier FROM recon.balance_checks WHERE partition_key = '2026-11-16-09:30'")}
    assert checks == {EUR: (Decimal("1000550.00"), "ok"), GBP: (Decimal("500030.00"), "ok")}


def test_a_source_down_gives_unknown_and_clears_nothing(fresh_warehouse: Warehouse, tmp_path: Path) -> None:
    w = World(fresh_warehouse, tmp_path, windows=2)
    for start, diff in ((W1, "-10.00"), (W2, "-20.00")):
        w.run(start, diff)
    assert w.drift()["status"] == "open"

    # The ledger caught up, but its postings cannot be read: drift unknown, the finding stays open.
    w.ledger(EUR, "0.00", at(10, 25))
    (w.books / "transactions.csv").unlink()
    result = w.window(W3)
    meta = result.asset_materializations_for_node("intraday_balance_checks")[0].metadata
    assert (meta["balance_drift_unknown"].value, meta["source_state"].value) == (2, "unavailable")
    assert w.drift()["status"] == "open"
    assert w.position(W3)["value_diff"] is None
    sources = fresh_warehouse.rows("SELECT sources -> 'ledger.transactions' ->> 'state' AS s FROM recon.runs "
                                   "WHERE partition_key = '2026-11-16-10:00'")
    assert sources == [{"s": "unavailable"}]

    # The drop folder gone: the window's verdicts are unknown, and nothing is cleared either.
    (w.books / "transactions.csv").write_text(TXNS)
    result = w.window(W4, statements=StatementsResource(drop_folder=str(tmp_path / "gone")))
    meta = result.asset_materializations_for_node("intraday_balance_checks")[0].metadata
    assert meta["source_state"].value == "unavailable"
    assert fresh_warehouse.rows("SELECT count(*) AS n FROM recon.intraday_positions "
                                "WHERE partition_key = '2026-11-16-10:30'") == [{"n": 0}]
    assert w.drift()["status"] == "open"
