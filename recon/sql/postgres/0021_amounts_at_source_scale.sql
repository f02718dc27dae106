-- Amounts at the scale their source sent, not the 18 places a Decimal(38, 18) frame padded them to:
-- recon.minor_units is ISO 4217 (the same table as recon/money.py), and recon.at_source_scale keeps a
-- value's own digits and at least its currency's minor units, never rounding. Stored rows are rewritten
-- in place (same values, their scale only), so analysts and re-runs see 250.00, not 250.000000000000000000.
CREATE OR REPLACE FUNCTION recon.minor_units(code text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN code = ANY ('{AED,AFN,ALL,AMD,ANG,AOA,ARS,AUD,AWG,AZN,BAM,BBD,BDT,BGN,BMD,BND,BOB,BOV,BRL,BSD,BTN,BWP,BYN,BZD,CAD,CDF,CHE,CHF,CHW,CNY,COP,COU,CRC,CUC,CUP,CVE,CZK,DKK,DOP,DZD,EGP,ERN,ETB,EUR,FJD,FKP,GBP,GEL,GHS,GIP,GMD,GTQ,GYD,HKD,HNL,HTG,HUF,IDR,ILS,INR,IRR,JMD,KES,KGS,KHR,KPW,KYD,KZT,LAK,LBP,LKR,LRD,LSL,MAD,MDL,MGA,MKD,MMK,MNT,MOP,MRU,MUR,MVR,MWK,MXN,MXV,MYR,MZN,NAD,NGN,NIO,NOK,NPR,NZD,PAB,PEN,PGK,PHP,PKR,PLN,QAR,RON,RSD,RUB,SAR,SBD,SCR,SDG,SEK,SGD,SHP,SLE,SLL,SOS,SRD,SSP,STN,SVC,SYP,SZL,THB,TJS,TMT,TOP,TRY,TTD,TWD,TZS,UAH,USD,USN,UYU,UZS,VED,VES,WST,XCD,XCG,YER,ZAR,ZMW,ZWG,ZWL}'::text[]) THEN 2
                WHEN code = ANY ('{BIF,CLP,DJF,GNF,ISK,JPY,KMF,KRW,PYG,RWF,UGX,UYI,VND,VUV,XAF,XOF,XPF}'::text[]) THEN 0
                WHEN code = ANY ('{BHD,IQD,JOD,KWD,LYD,OMR,TND}'::text[]) THEN 3
                WHEN code = ANY ('{CLF,UYW}'::text[]) THEN 4 END
$$;
COMMENT ON FUNCTION recon.minor_units(text) IS 'ISO 4217 minor units of a fiat currency; NULL for a token.';

CREATE OR REPLACE FUNCTION recon.at_source_scale(v numeric, unit text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT round(v, greatest(scale(trim_scale(v)), coalesce(recon.minor_units(unit), 0)))
$$;
COMMENT ON FUNCTION recon.at_source_scale(numeric, text) IS
    'The value with its own digits and at least the unit''s minor units: trailing padding dropped, never rounded.';

UPDATE recon.bank_statements SET
    opening_balance = recon.at_source_scale(opening_balance, currency),
    closing_balance = recon.at_source_scale(closing_balance, currency),
    booked_total = recon.at_source_scale(booked_total, currency),
    signed_entry_total = recon.at_source_scale(signed_entry_total, currency);
UPDATE recon.bank_balances SET
    amount = recon.at_source_scale(amount, currency);
UPDATE recon.bank_entries SET
    amount = recon.at_source_scale(amount, currency),
    entry_amount = recon.at_source_scale(entry_amount, entry_currency),
    instructed_amount = recon.at_source_scale(instructed_amount, instructed_currency),
    counter_value_amount = recon.at_source_scale(counter_value_amount, counter_value_currency),
    charges_amount = recon.at_source_scale(charges_amount, charges_currency);
UPDATE recon.balance_checks SET
    ledger_balance = recon.at_source_scale(ledger_balance, currency),
    bank_balance = recon.at_source_scale(bank_balance, currency),
    diff = recon.at_source_scale(diff, currency);
UPDATE recon.discrepancies SET
    amount = recon.at_source_scale(amount, currency);
UPDATE recon.transaction_matches SET
    bank_amount = recon.at_source_scale(bank_amount, currency),
    ledger_amount = recon.at_source_scale(ledger_amount, currency);
UPDATE recon.transactions_in_transit SET
    amount = recon.at_source_scale(amount, currency);
UPDATE recon.repayment_matches SET
    bank_amount = recon.at_source_scale(bank_amount, currency),
    ledger_amount = recon.at_source_scale(ledger_amount, currency);
UPDATE recon.backing_checks SET
    circulating = recon.at_source_scale(circulating, NULL),
    reserves = recon.at_source_scale(reserves, NULL),
    shortfall = recon.at_source_scale(shortfall, NULL);
UPDATE recon.reserve_status SET
    total = recon.at_source_scale(total, currency),
    locked = recon.at_source_scale(locked, currency),
    available = recon.at_source_scale(available, currency);
UPDATE recon.reserve_ledger_audit SET
    initial_reserve = recon.at_source_scale(initial_reserve, NULL),
    top_ups = recon.at_source_scale(top_ups, NULL),
    real_amount = recon.at_source_scale(real_amount, NULL),
    test_amount = recon.at_source_scale(test_amount, NULL),
    expected_reserve = recon.at_source_scale(expected_reserve, NULL),
    ledger_reserve = recon.at_source_scale(ledger_reserve, NULL);
UPDATE recon.redemption_audit SET
    amount = recon.at_source_scale(amount, NULL),
    reserve_before = recon.at_source_scale(reserve_before, NULL),
    reserve_after = recon.at_source_scale(reserve_after, NULL);
UPDATE recon.ltv_positions SET
    debt = recon.at_source_scale(debt, currency),
    collateral_value = recon.at_source_scale(collateral_value, currency),
    principal = recon.at_source_scale(principal, currency),
    accrued_interest = recon.at_source_scale(accrued_interest, currency),
    market_value = recon.at_source_scale(market_value, currency),
    yield_cushion_value = recon.at_source_scale(yield_cushion_value, currency),
    collateral_value_with_cushion = recon.at_source_scale(collateral_value_with_cushion, currency),
    liquidation_value = recon.at_source_scale(liquidation_value, currency),
    topup_value = recon.at_source_scale(topup_value, currency);
UPDATE recon.ltv_positions SET
    ltv = trim_scale(ltv),
    ltv_with_cushion = trim_scale(ltv_with_cushion),
    target_ltv = trim_scale(target_ltv),
    effective_target_ltv = trim_scale(effective_target_ltv),
    threshold_watch = trim_scale(threshold_watch),
    threshold_margin_call = trim_scale(threshold_margin_call),
    threshold_partial_liquidation = trim_scale(threshold_partial_liquidation),
    threshold_full_liquidation = trim_scale(threshold_full_liquidation);
