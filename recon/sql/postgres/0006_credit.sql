-- Credit: volatility-adjusted LTV positions per credit line and run, repayment matches, a band summary view.

ALTER TABLE recon.ltv_positions
    ADD COLUMN IF NOT EXISTS user_id text,
    ADD COLUMN IF NOT EXISTS line_status text,
    ADD COLUMN IF NOT EXISTS principal numeric,
    ADD COLUMN IF NOT EXISTS accrued_interest numeric,
    ADD COLUMN IF NOT EXISTS market_value numeric,
    ADD COLUMN IF NOT EXISTS yield_cushion_value numeric,
    ADD COLUMN IF NOT EXISTS collateral_value_with_cushion numeric,
    ADD COLUMN IF NOT EXISTS ltv_with_cushion numeric,
    ADD COLUMN IF NOT EXISTS target_ltv numeric,
    ADD COLUMN IF NOT EXISTS effective_target_ltv numeric,
    ADD COLUMN IF NOT EXISTS threshold_watch numeric,
    ADD COLUMN IF NOT EXISTS threshold_margin_call numeric,
    ADD COLUMN IF NOT EXISTS threshold_partial_liquidation numeric,
    ADD COLUMN IF NOT EXISTS threshold_full_liquidation numeric,
    ADD COLUMN IF NOT EXISTS liquidation_value numeric,
    ADD COLUMN IF NOT EXISTS topup_value numeric,
    ADD COLUMN IF NOT EXISTS reason text,
    ADD COLUMN IF NOT EXISTS assets jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN IF NOT EXISTS cutoff timestamptz,
    ADD COLUMN IF NOT EXISTS stellar_ledger bigint,
    ADD COLUMN IF NOT EXISTS computed_at timestamptz NOT NULL DEFAULT now();

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ltv_positions_band_check') THEN
        ALTER TABLE recon.ltv_positions ADD CONSTRAINT ltv_positions_band_check CHECK (band IN (
            'healthy', 'watch', 'margin_call', 'partial_liquidation', 'full_liquidation', 'unknown'));
    END IF;
END $$;

COMMENT ON COLUMN recon.ltv_positions.debt IS 'outstanding principal + accrued interest, line currency, 8 places';
COMMENT ON COLUMN recon.ltv_positions.collateral_value IS
    'sum of quantity x price x (1 - haircut) over the line''s collateral (on chain + escrowed), no yield';
COMMENT ON COLUMN recon.ltv_positions.ltv IS
    'debt / collateral_value, half-even, 8 places; NULL when there is no collateral value (band says why)';
COMMENT ON COLUMN recon.ltv_positions.band IS
    'healthy | watch | margin_call | partial_liquidation | full_liquidation | unknown (an input missing)';
COMMENT ON COLUMN recon.ltv_positions.liquidation_value IS
    'proceeds of the collateral to sell (market value) to bring the line back to effective_target_ltv';
COMMENT ON COLUMN recon.ltv_positions.topup_value IS
    'collateral value (after haircut) to add instead to reach effective_target_ltv';
COMMENT ON COLUMN recon.ltv_positions.assets IS
    'per asset: quantity, yield quantity, price, annual_vol, haircut, values, sell_quantity, thresholds';

CREATE INDEX IF NOT EXISTS ltv_positions_band_idx ON recon.ltv_positions (partition_key, band);

CREATE TABLE IF NOT EXISTS recon.repayment_matches (
    partition_key  text NOT NULL,
    bank_entry_key text NOT NULL,
    repayment_id   text NOT NULL,
    credit_line_id text NOT NULL,
    currency       text NOT NULL,
    match_key      text NOT NULL CHECK (match_key IN ('creditor_reference', 'end_to_end_id')),
    bank_amount    numeric NOT NULL,
    ledger_amount  numeric NOT NULL,
    booking_date   date,
    run_id         text,
    PRIMARY KEY (partition_key, bank_entry_key)
);
CREATE UNIQUE INDEX IF NOT EXISTS repayment_matches_ledger_idx
    ON recon.repayment_matches (partition_key, repayment_id);

CREATE OR REPLACE VIEW recon.v_ltv_bands AS
SELECT partition_key, currency, band,
       count(*) AS lines,
       sum(debt) AS debt,
       sum(collateral_value) AS collateral_value,
       sum(liquidation_value) AS liquidation_value
FROM recon.ltv_positions
GROUP BY partition_key, currency, band;
