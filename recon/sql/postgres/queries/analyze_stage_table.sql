-- Temp tables are never auto-analysed; the planner needs their size to pick a hash anti join.
ANALYZE {stage}
