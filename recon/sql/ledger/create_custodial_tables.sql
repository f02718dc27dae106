-- The redemption service's custodial tables as `recon holders reconcile` reads and updates them (demo and tests).
CREATE SCHEMA IF NOT EXISTS ledger;

CREATE TABLE IF NOT EXISTS ledger.custodial_balances (
    user_id     text NOT NULL,
    chain       text NOT NULL,
    asset       text NOT NULL,
    address     text NOT NULL,
    balance     numeric NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, chain, asset)
);

CREATE TABLE IF NOT EXISTS ledger.custodial_balance_audit (
    audit_id        bigserial PRIMARY KEY,
    user_id         text NOT NULL,
    chain           text NOT NULL,
    asset           text NOT NULL,
    address         text NOT NULL,
    operation       text NOT NULL,             -- reconciliation
    balance_before  numeric,                   -- null when the user was created
    balance_after   numeric NOT NULL,
    difference      numeric NOT NULL,
    performed_by    text NOT NULL,
    performed_at    timestamptz NOT NULL DEFAULT now()
);
