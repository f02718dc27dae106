-- Bank statements at full depth: statement header, balances, entry/transaction rows, links, file log.

ALTER TABLE recon.bank_statements
    ADD COLUMN IF NOT EXISTS message_kind text,
    ADD COLUMN IF NOT EXISTS statement_created_at timestamptz,
    ADD COLUMN IF NOT EXISTS electronic_seq text,
    ADD COLUMN IF NOT EXISTS legal_seq text,
    ADD COLUMN IF NOT EXISTS page_number text,
    ADD COLUMN IF NOT EXISTS last_page boolean,
    ADD COLUMN IF NOT EXISTS account_iban text,
    ADD COLUMN IF NOT EXISTS account_other_id text,
    ADD COLUMN IF NOT EXISTS servicer_bic text,
    ADD COLUMN IF NOT EXISTS period_from text,
    ADD COLUMN IF NOT EXISTS period_to text,
    ADD COLUMN IF NOT EXISTS opening_type text,
    ADD COLUMN IF NOT EXISTS booked_total numeric,
    ADD COLUMN IF NOT EXISTS signed_entry_total numeric,
    ADD COLUMN IF NOT EXISTS entries integer,
    ADD COLUMN IF NOT EXISTS rows integer,
    ADD COLUMN IF NOT EXISTS position integer;

-- A transaction of a batch may carry no amount of its own: its row keeps amount NULL.
ALTER TABLE recon.bank_entries ALTER COLUMN amount DROP NOT NULL;
ALTER TABLE recon.bank_entries
    ADD COLUMN IF NOT EXISTS message_type text,
    ADD COLUMN IF NOT EXISTS entry_seq integer,
    ADD COLUMN IF NOT EXISTS tx_seq integer,
    ADD COLUMN IF NOT EXISTS tx_count integer,
    ADD COLUMN IF NOT EXISTS position bigint,
    ADD COLUMN IF NOT EXISTS entry_ref text,
    ADD COLUMN IF NOT EXISTS entry_amount numeric,
    ADD COLUMN IF NOT EXISTS entry_currency text,
    ADD COLUMN IF NOT EXISTS entry_direction text,
    ADD COLUMN IF NOT EXISTS reversal boolean,
    ADD COLUMN IF NOT EXISTS status text,
    ADD COLUMN IF NOT EXISTS booking_datetime text,
    ADD COLUMN IF NOT EXISTS value_datetime text,
    ADD COLUMN IF NOT EXISTS entry_acct_svcr_ref text,
    ADD COLUMN IF NOT EXISTS bank_tx_domain text,
    ADD COLUMN IF NOT EXISTS bank_tx_family text,
    ADD COLUMN IF NOT EXISTS bank_tx_subfamily text,
    ADD COLUMN IF NOT EXISTS bank_tx_proprietary text,
    ADD COLUMN IF NOT EXISTS batch_count integer,
    ADD COLUMN IF NOT EXISTS batch_msg_id text,
    ADD COLUMN IF NOT EXISTS batch_pmt_inf_id text,
    ADD COLUMN IF NOT EXISTS msg_id text,
    ADD COLUMN IF NOT EXISTS pmt_inf_id text,
    ADD COLUMN IF NOT EXISTS instr_id text,
    ADD COLUMN IF NOT EXISTS tx_id text,
    ADD COLUMN IF NOT EXISTS mandate_id text,
    ADD COLUMN IF NOT EXISTS cheque_number text,
    ADD COLUMN IF NOT EXISTS remittance text,
    ADD COLUMN IF NOT EXISTS creditor_ref text,
    ADD COLUMN IF NOT EXISTS creditor_ref_type text,
    ADD COLUMN IF NOT EXISTS counterparty_name text,
    ADD COLUMN IF NOT EXISTS counterparty_iban text,
    ADD COLUMN IF NOT EXISTS counterparty_account text,
    ADD COLUMN IF NOT EXISTS counterparty_bic text,
    ADD COLUMN IF NOT EXISTS return_reason text,
    ADD COLUMN IF NOT EXISTS instructed_amount numeric,
    ADD COLUMN IF NOT EXISTS instructed_currency text,
    ADD COLUMN IF NOT EXISTS exchange_rate numeric,
    ADD COLUMN IF NOT EXISTS source_currency text,
    ADD COLUMN IF NOT EXISTS target_currency text,
    ADD COLUMN IF NOT EXISTS counter_value_amount numeric,
    ADD COLUMN IF NOT EXISTS counter_value_currency text,
    ADD COLUMN IF NOT EXISTS charges_amount numeric,
    ADD COLUMN IF NOT EXISTS charges_currency text,
    ADD COLUMN IF NOT EXISTS additional_info text;
CREATE INDEX IF NOT EXISTS bank_entries_statement_idx ON recon.bank_entries (statement_key);
CREATE INDEX IF NOT EXISTS bank_entries_e2e_idx ON recon.bank_entries (end_to_end_id)
    WHERE end_to_end_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS bank_entries_asr_idx ON recon.bank_entries (account, acct_svcr_ref);

CREATE TABLE IF NOT EXISTS recon.bank_balances (
    statement_key    text NOT NULL,
    position         integer NOT NULL,
    business_date    date NOT NULL,
    balance_type     text NOT NULL,
    type_proprietary boolean,
    sub_type         text,
    amount           numeric NOT NULL,         -- signed: a DBIT balance is negative
    currency         text NOT NULL,
    direction        text NOT NULL,
    balance_date     date,
    balance_datetime text,
    availability     text,                     -- JSON list as sent (days or date, amount)
    PRIMARY KEY (statement_key, position)
);
CREATE INDEX IF NOT EXISTS bank_balances_date_idx ON recon.bank_balances (business_date);

-- A camt.054 / camt.052 movement later booked in a camt.053: one bank movement, not two.
CREATE TABLE IF NOT EXISTS recon.bank_entry_links (
    notification_entry_key text PRIMARY KEY,
    statement_entry_key    text NOT NULL,
    matched_on             text NOT NULL,      -- acct_svcr_ref | entry_ref | uetr | end_to_end_id
    account                text NOT NULL,
    business_date          date NOT NULL,      -- the statement's business date
    linked_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS bank_entry_links_date_idx ON recon.bank_entry_links (business_date);

ALTER TABLE recon.ingested_files
    ADD COLUMN IF NOT EXISTS message_id text,
    ADD COLUMN IF NOT EXISTS statements integer,
    ADD COLUMN IF NOT EXISTS entries integer,
    ADD COLUMN IF NOT EXISTS quarantine_path text,
    ADD COLUMN IF NOT EXISTS statement_keys text[],      -- the statements this file contributes
    ADD COLUMN IF NOT EXISTS business_dates date[];

-- Every bank movement once: statement rows, plus notification/report rows not (yet) booked in one.
CREATE OR REPLACE VIEW recon.v_bank_movements AS
SELECT e.*
FROM recon.bank_entries e
WHERE e.message_type LIKE 'camt.053.%'
   OR NOT EXISTS (SELECT 1 FROM recon.bank_entry_links l WHERE l.notification_entry_key = e.entry_key);
