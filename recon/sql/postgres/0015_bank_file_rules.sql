-- Bank files: withdrawal by a person, content digests per statement, which version of a statement counts.
ALTER TABLE recon.ingested_files DROP CONSTRAINT IF EXISTS ingested_files_status_check;
ALTER TABLE recon.ingested_files ADD CONSTRAINT ingested_files_status_check
    CHECK (status IN ('ingested', 'duplicate', 'quarantined', 'withdrawn'));
ALTER TABLE recon.ingested_files
    ADD COLUMN IF NOT EXISTS statement_digests text[],   -- content sha256 of each of statement_keys
    ADD COLUMN IF NOT EXISTS withdrawn_by text,
    ADD COLUMN IF NOT EXISTS withdrawn_reason text,
    ADD COLUMN IF NOT EXISTS withdrawn_at timestamptz;

-- Every statement a business date could count, and the rule's verdict on it (replaced with the day).
CREATE TABLE IF NOT EXISTS recon.bank_statement_choices (
    business_date    date NOT NULL,
    statement_key    text NOT NULL,
    file_sha256      text NOT NULL,
    source_file      text NOT NULL,
    message_type     text NOT NULL,
    account          text NOT NULL,
    currency         text,
    statement_id     text NOT NULL,
    page_number      text,
    created_at       timestamptz,                -- GrpHdr/CreDtTm
    statement_created_at timestamptz,            -- Stmt/CreDtTm
    electronic_seq   text,
    legal_seq        text,
    opening_balance  numeric,
    closing_balance  numeric,
    content_sha256   text NOT NULL,
    counted          boolean NOT NULL,
    rule             text NOT NULL,              -- why it counts, or which one counts instead
    run_id           text,
    PRIMARY KEY (business_date, file_sha256, statement_key)
);

-- Two finding types more, added to whatever the type list holds now (other migrations may extend it too).
DO $$
DECLARE
    known text[];
BEGIN
    SELECT array_agg(DISTINCT m[1]) INTO known
    FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') AS m
    WHERE c.conrelid = 'recon.discrepancies'::regclass AND c.conname = 'discrepancies_type_check';
    known := array(SELECT DISTINCT unnest(coalesce(known, '{}') || ARRAY['statement_changed', 'extra_statement'])
                   ORDER BY 1);
    ALTER TABLE recon.discrepancies DROP CONSTRAINT IF EXISTS discrepancies_type_check;
    EXECUTE format('ALTER TABLE recon.discrepancies ADD CONSTRAINT discrepancies_type_check '
                   'CHECK (type = ANY (%L::text[]))', known);
END
$$;
