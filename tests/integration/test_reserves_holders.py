"""`recon holders reconcile` on a real chain and real Postgres: the dry run changes nothing; --apply
changes each user in its own locked, audited transaction and carries on past a user that fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import Result
from typer.testing import CliRunner

from devworld.evm_node import LocalEvmChain
from devworld.horizon import HorizonFixture
from devworld.horizon_scenario import Asset, HorizonScenario, Payment, account_id
from pipelines.cli import app
from recon.sql import load
from stores.warehouse import Warehouse

T0 = 1_767_571_200
USDT = 10**6


@pytest.fixture(scope="module")
def chain() -> Iterator[dict]:
    with LocalEvmChain(chain_id=1, genesis_timestamp=T0) as node:
        token = node.deploy_token("Tether USD", "USDT", 6, at=T0 + 60)
        users = {n: node.new_account(n) for n in ("alice", "bob", "carol", "dave", "erin")}
        for name, amount in (("alice", 100), ("bob", 250), ("carol", 40), ("dave", 2_000), ("erin", 9)):
            node.mint(token, users[name], amount * USDT)
        yield {"node": node, "token": token, "users": users}


@pytest.fixture
def books(warehouse: Warehouse, chain: dict, tmp_path: Path) -> dict:
    ddl = load("ledger", "create_custodial_tables")
    with warehouse.engine.begin() as conn:
        conn.exec_driver_sql(ddl)
        conn.exec_driver_sql("TRUNCATE ledger.custodial_balances, ledger.custodial_balance_audit")
        # A limit the service enforces: dave's on-chain balance cannot be written, and must not stop the rest.
        conn.exec_driver_sql("ALTER TABLE ledger.custodial_balances DROP CONSTRAINT IF EXISTS balance_limit")
        conn.exec_driver_sql("ALTER TABLE ledger.custodial_balances ADD CONSTRAINT balance_limit "
                             "CHECK (balance < 1000)")
        u = chain["users"]
        for user, balance in (("alice", "100"), ("bob", "200"), ("carol", "40.000000001"), ("dave", "20")):
            conn.execute(sa.text("INSERT INTO ledger.custodial_balances (user_id, chain, asset, address, balance) "
                                 "VALUES (:u, 'ethereum', 'USDT', :a, :b)"), {"u": user, "a": u[user], "b": balance})
    config = tmp_path / "chains.json"
    config.write_text(json.dumps({"evm": [{
        "name": "ethereum", "chain_id": 1, "rpc_url": chain["node"].url, "timeout_seconds": 2,
        "retry_attempts": 2, "retry_base_delay": 0.01, "holders": [chain["users"]["erin"]],
        "tokens": [{"address": chain["token"], "symbol": "USDT", "decimals": 6}]}]}))
    # As of a minute after the chain's newest block (the chain fixture stops there; a live one goes on).
    at = datetime.fromtimestamp(chain["node"].block()["timestamp"] + 60, UTC)
    return {"args": ["--ledger-url", warehouse.admin_url(), "--chain-config", str(config), "--json"],
            "at": at}


def reconcile(books: dict, *extra: str, at: datetime | None = None) -> Result:
    when = (at or books["at"]).isoformat(timespec="seconds")
    return CliRunner().invoke(app, ["holders", "reconcile", *books["args"], "--at", when, *extra])


def balances(warehouse: Warehouse) -> dict[str, Decimal]:
    return {r["user_id"]: r["balance"] for r in warehouse.rows(
        "SELECT user_id, balance FROM ledger.custodial_balances")}


def test_dry_run_changes_nothing(warehouse: Warehouse, books: dict, chain: dict) -> None:
    before = balances(warehouse)
    out = reconcile(books)
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    # bob 200 -> 250, dave 20 -> 2000, erin created; carol's 1e-9 is within the 1e-8 tolerance
    assert sorted((c["user_id"], c["action"], c["on_chain"]) for c in report["changes"]) == sorted([
        ("bob", "update", "250.000000"), ("dave", "update", "2000.000000"),  # the token's 6 decimals
        (chain["users"]["erin"], "create", "9.000000")])
    assert balances(warehouse) == before
    assert warehouse.rows("SELECT count(*) AS n FROM ledger.custodial_balance_audit") == [{"n": 0}]


def test_one_user_and_the_admin_name(warehouse: Warehouse, books: dict, chain: dict) -> None:
    # --user: only bob is compared (and erin, a configured holder, is not created for him).
    out = reconcile(books, "--user", "bob")
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert (report["scope"], report["users"]) == ("user bob", 1)
    # at the token's own 6 decimals
    assert [(c["user_id"], c["on_chain"]) for c in report["changes"]] == [("bob", "250.000000")]
    # carol by her address, in any case: within tolerance, nothing to change
    address = warehouse.rows("SELECT address FROM ledger.custodial_balances WHERE user_id = 'carol'")[0]["address"]
    carol = json.loads(reconcile(books, "--user", address.upper().replace("0X", "0x")).output)
    assert (carol["users"], carol["changes"]) == (1, [])
    # a user the books do not know is said, not compared as zero
    unknown = reconcile(books, "--user", "0x" + "99" * 20)
    assert unknown.exit_code == 2 and "no custodial balance" in unknown.output
    # --admin is every user, as without it
    admin = json.loads(reconcile(books, "--admin").output)
    assert admin["scope"] == "all users" and len(admin["changes"]) == 3
    assert reconcile(books, "--admin", "--user", "bob").exit_code == 2


def test_apply_is_per_user_audited_and_carries_on(warehouse: Warehouse, books: dict, chain: dict) -> None:
    out = reconcile(books, "--apply", "--by", "ops-anna")
    assert out.exit_code == 1  # dave failed, and the exit code says so
    report = json.loads(out.output)
    assert [f["user_id"] for f in report["failed"]] == ["dave"]
    after = balances(warehouse)
    erin = chain["users"]["erin"]
    assert after["bob"] == 250 and after["dave"] == 20 and after[erin] == 9  # dave untouched, others applied
    assert after["carol"] == Decimal("40.000000001")  # within tolerance: left alone
    audit = warehouse.rows("SELECT user_id, operation, balance_before, balance_after, difference, performed_by "
                           "FROM ledger.custodial_balance_audit ORDER BY audit_id")
    assert [(a["user_id"], a["balance_before"], a["balance_after"], a["difference"]) for a in audit] == [
        ("bob", 200, 250, 50), (erin, None, 9, 9)]
    assert {(a["operation"], a["performed_by"]) for a in audit} == {("reconciliation", "ops-anna")}
    # run again: the chain and the books agree now, except dave, who still cannot be written
    again = json.loads(reconcile(books).output)
    assert [c["user_id"] for c in again["changes"]] == ["dave"]


def test_a_node_behind_the_moment_asked_changes_nothing(warehouse: Warehouse, books: dict) -> None:
    # Two hours past the newest block: the node is behind, so no user is compared and nothing applied.
    before = balances(warehouse)
    out = reconcile(books, "--apply", "--by", "ops-anna", at=books["at"] + timedelta(hours=2))
    report = json.loads(out.output)
    assert "behind the chain" in report["chain_errors"]["ethereum"]
    assert report["applied"] == [] and balances(warehouse) == before


def test_stellar_users_against_horizon(warehouse: Warehouse, books: dict, tmp_path: Path) -> None:
    # The books fixture made the tables; a Stellar-only chain file leaves the EVM side out entirely.
    issuer, xa, xb = account_id("h-issuer"), account_id("h-user-a"), account_id("h-user-b")
    rusd = Asset("RUSD", issuer)
    first = datetime(2026, 1, 5, tzinfo=UTC)  # ledger 1000; one every 5 s up to 1099
    scenario = HorizonScenario(
        issued=[rusd], opening={a: {"native": Decimal(5)} for a in (xa, xb)}, first_close=first,
        payments=[Payment(1002, issuer, xa, rusd, Decimal(40)), Payment(1003, issuer, xb, rusd, Decimal(10)),
                  Payment(1090, issuer, xa, rusd, Decimal(5))])  # after the moment asked: rolled back
    with warehouse.engine.begin() as conn:
        for user, address, balance in (("sa", xa, "40"), ("sb", xb, "12")):
            conn.execute(sa.text("INSERT INTO ledger.custodial_balances (user_id, chain, asset, address, balance) "
                                 "VALUES (:u, 'stellar', 'RUSD', :a, :b)"), {"u": user, "a": address, "b": balance})
    with HorizonFixture(scenario) as horizon:
        config = tmp_path / "stellar.json"
        config.write_text(json.dumps({"stellar": {
            "horizon_url": horizon.url, "network_passphrase": scenario.passphrase,
            "assets": [{"code": "RUSD", "issuer": issuer}]}}))
        out = CliRunner().invoke(app, ["holders", "reconcile", "--ledger-url", warehouse.admin_url(),
                                       "--chain-config", str(config), "--chain", "stellar", "--json",
                                       "--at", (first + timedelta(minutes=6)).isoformat()])
    report = json.loads(out.output)
    assert report["chain_errors"] == {}
    assert [(c["user_id"], c["action"], c["on_chain"]) for c in report["changes"]] == [
        ("sb", "update", "10.0000000")]  # Stellar's 7 decimals, as Horizon writes them
