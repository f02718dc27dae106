-- Whether another live run holds a partition's advisory lock.
SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :cls
               AND l.objid = (hashtext(:r)::bigint & 4294967295)::oid) AS locked,
       coalesce((SELECT summary ? 'runner_pid' FROM recon.runs WHERE run_id = :r), false) AS in_process
