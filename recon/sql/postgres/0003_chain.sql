-- Chain reads: per-asset read status, holder kinds, transfers and receipts for the reserve side.

ALTER TABLE recon.chain_reads ADD COLUMN IF NOT EXISTS asset text;
ALTER TABLE recon.chain_reads ADD COLUMN IF NOT EXISTS at_cutoff_block bigint;
ALTER TABLE recon.chain_reads ADD COLUMN IF NOT EXISTS head_block bigint;
ALTER TABLE recon.chain_reads ADD COLUMN IF NOT EXISTS holders_read integer;
ALTER TABLE recon.chain_reads ADD COLUMN IF NOT EXISTS transfers_read integer;
ALTER TABLE recon.chain_reads ADD COLUMN IF NOT EXISTS read_at timestamptz NOT NULL DEFAULT now();
COMMENT ON COLUMN recon.chain_reads.block_number IS
    'EVM block or Stellar ledger every read of this asset used: the last one at or before the '
    'cut-off, held back to the last block with the chain''s confirmations';
COMMENT ON COLUMN recon.chain_reads.at_cutoff_block IS
    'last block or ledger closed at or before the cut-off, before any hold-back';

ALTER TABLE recon.chain_supply ADD COLUMN IF NOT EXISTS read_id text;
ALTER TABLE recon.chain_balances ADD COLUMN IF NOT EXISTS read_id text;
ALTER TABLE recon.chain_balances ADD COLUMN IF NOT EXISTS holder_kind text NOT NULL DEFAULT 'holder';

CREATE TABLE IF NOT EXISTS recon.chain_transfers (
    partition_key  text NOT NULL,
    chain          text NOT NULL,
    asset          text NOT NULL,
    block_number   bigint NOT NULL,
    block_time     timestamptz,
    tx_hash        text NOT NULL,
    log_index      bigint NOT NULL,          -- EVM log index; Stellar operation id
    from_address   text NOT NULL,
    to_address     text NOT NULL,
    amount_raw     numeric(78, 0) NOT NULL,
    amount         numeric NOT NULL,
    PRIMARY KEY (partition_key, chain, tx_hash, log_index)
);
CREATE INDEX IF NOT EXISTS chain_transfers_to_idx ON recon.chain_transfers (chain, to_address);
CREATE INDEX IF NOT EXISTS chain_transfers_from_idx ON recon.chain_transfers (chain, from_address);

CREATE TABLE IF NOT EXISTS recon.chain_receipts (
    partition_key  text NOT NULL,
    chain          text NOT NULL,
    tx_hash        text NOT NULL,
    log_index      bigint NOT NULL,          -- -1: the receipt carries no Transfer (missing, reverted)
    status         text NOT NULL CHECK (status IN ('success', 'reverted', 'not_found', 'after_cutoff')),
    block_number   bigint,
    asset          text,
    from_address   text,
    to_address     text,
    amount_raw     numeric(78, 0),
    amount         numeric,
    read_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partition_key, chain, tx_hash, log_index)
);
