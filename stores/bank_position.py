"""The bank position inside a business day, as the intraday job and tier 1 both compute it: the last
camt.053 closing balance before the day plus the booked camt.054 movements since, each movement once
whether it came as a file or over JetStream (a notification is one entry: statement_key + entry_seq)."""

from __future__ import annotations

from recon.sql import postgres_sql

# Per account and currency: the last closing balance strictly before :d.
LAST_CLOSING = postgres_sql("select_last_closings")

# Booked notified movements up to :d notified before :end, from files and from tier 1, each entry once.
# :after (nullable) skips what is not newer than the oldest last statement: the cost follows what is new.
# Tier 1's copy is preferred (it is what the listener checked); a file copy only fills what it lacks.
BOOKED_SINCE = postgres_sql("select_booked_since_closing")

# How many booked notifications tier 1 holds for a day before :end (the intraday job reports it).
TIER1_HELD = postgres_sql("count_tier1_entries")
