-- The longest this transaction waits for a lock, in milliseconds (SET LOCAL with a bound value).
SELECT set_config('lock_timeout', :ms, true)
