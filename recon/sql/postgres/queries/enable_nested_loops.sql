-- Back to the planner's default for the rest of the transaction.
SET LOCAL enable_nestloop = on
