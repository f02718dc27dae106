-- A malformed optional field no check uses (an exchange rate, a charge rate) is kept as a warning on
-- its row instead of costing the file.
ALTER TABLE recon.bank_entries ADD COLUMN IF NOT EXISTS warnings text;
COMMENT ON COLUMN recon.bank_entries.warnings IS
    'Optional fields of this row the bank sent malformed, with their path; they were ignored.';
