-- registry: an outbox of record changes. Every statement that writes records (a form, an import, a correction)
-- adds one row per record it touched, in the same transaction, so a reader above the registry (the exchange's
-- subscriptions) sees every committed change exactly once and never one that rolled back. Rows are deleted
-- when they have been taken.
create table record_changes (
  id          bigint generated always as identity primary key,
  register_id bigint not null,
  record_id   bigint not null,
  version     integer not null,
  deleted     boolean not null,
  changed_at  timestamptz not null default now()
);

create function record_changes_capture() returns trigger language plpgsql as $$
begin
  insert into record_changes (register_id, record_id, version, deleted)
  select register_id, id, version, deleted from changed_rows order by id;
  return null;
end
$$;

create trigger records_capture_insert after insert on records
  referencing new table as changed_rows for each statement execute function record_changes_capture();
create trigger records_capture_update after update on records
  referencing new table as changed_rows for each statement execute function record_changes_capture();

grant insert on record_changes to zt_internal;
grant usage on sequence record_changes_id_seq to zt_internal;
grant select, delete on record_changes to zt_exchange;
grant select on record_unique_values to zt_exchange;
