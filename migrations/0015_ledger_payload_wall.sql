-- ledger: the wall covers private payloads. The public zone's role may read the log's public part (leaves, hashes,
-- checkpoints) but neither an entry's payload nor its salt nor its readers; a receipt reaches an entitled reader
-- only through the two functions below, which check that the reader is named on the entry. The internal zone (staff,
-- auditors) keeps its full read.
revoke select on ledger_entries from zt_public;
grant select (idx, receipt_id, leaf, leaf_hash, entry_type, entry_time, zone, actor, subject, integrated_at)
  on ledger_entries to zt_public;
revoke select on ledger_queue from zt_public;

-- One receipt for readers named on it: the integrated entry, or (pending) the queued one's receipt id alone.
create function ledger_receipt_for(p_receipt text, p_principals text[])
returns table (idx bigint, receipt_id text, leaf bytea, leaf_hash bytea, entry_type text, entry_time text, zone text,
               actor text, subject text, payload text, salt bytea, pending boolean)
language sql stable security definer set search_path = public, pg_temp
as $$
  select e.idx, e.receipt_id, e.leaf, e.leaf_hash, e.entry_type, e.entry_time, e.zone, e.actor, e.subject, e.payload,
         e.salt, false
  from ledger_entries e
  where e.receipt_id = p_receipt and e.readers && p_principals
  union all
  select null, q.receipt_id, null, null, null, null, null, null, null, null, null, true
  from ledger_queue q
  where q.receipt_id = p_receipt and q.readers && p_principals
    and not exists (select 1 from ledger_entries e where e.receipt_id = p_receipt)
$$;

-- The latest receipts one reader is named on (no payloads: the list links to each receipt).
create function ledger_receipts_of(p_principal text, p_limit int)
returns table (idx bigint, receipt_id text, entry_type text, entry_time text, subject text)
language sql stable security definer set search_path = public, pg_temp
as $$
  select e.idx, e.receipt_id, e.entry_type, e.entry_time, e.subject
  from ledger_entries e
  where e.readers @> array[p_principal]
  order by e.idx desc
  limit least(greatest(p_limit, 0), 500)
$$;

revoke all on function ledger_receipt_for(text, text[]) from public;
revoke all on function ledger_receipts_of(text, int) from public;
grant execute on function ledger_receipt_for(text, text[]) to zt_public, zt_internal;
grant execute on function ledger_receipts_of(text, int) to zt_public, zt_internal;
