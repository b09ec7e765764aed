-- registry: objections to records (数据异议). A consumer flags a record; the provider's data officer corrects it or
-- answers by the deadline (working days); overdue objections are visible to the platform admin.
create table objections (
  id                    bigint generated always as identity primary key,
  register_id           bigint not null references registers (id),
  record_id             bigint not null references records (id),
  raised_by             bigint not null references staff (id),
  raised_by_department  bigint not null references departments (id),
  reason                text not null check (length(reason) between 2 and 2000),
  status                text not null default 'open' check (status in ('open', 'answered', 'corrected')),
  due_at                timestamptz not null,
  answer                text,
  answered_by           bigint references staff (id),
  answered_at           timestamptz,
  created_at            timestamptz not null default now()
);
create index objections_register_idx on objections (register_id, status);
create index objections_open_due_idx on objections (due_at) where status = 'open';

grant select, insert, update on objections to zt_internal;
grant usage on sequence objections_id_seq to zt_internal;
