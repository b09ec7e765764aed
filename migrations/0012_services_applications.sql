-- services: forms and workflows of items, and applications (办件) with their materials, timeline and tasks.
alter table service_items add column form jsonb;       -- JSON Schema of the application form, with UI hints
alter table service_items add column workflow jsonb;   -- declarative steps (受理, 审查, 决定, 办结, …)
alter table service_item_versions add column form jsonb;
alter table service_item_versions add column workflow jsonb;

-- Uploaded files, content-addressed, kept in the database so every public instance sees them.
create table uploads (
  sha256       text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  content_type text not null,
  size         integer not null check (size > 0),
  bytes        bytea not null,
  created_at   timestamptz not null default now()
);

create table applications (
  id              bigint generated always as identity primary key,
  number          text unique,          -- given at submission: region + date + the id's last eight digits
  item_id         bigint not null references service_items (id),
  item_version    integer not null,
  account_id      bigint not null references accounts (id),
  applicant       jsonb not null,                               -- kind, name, sealed identifier (for held data)
  department_id   bigint not null references departments (id),  -- where it is handled now
  status          text not null default 'draft'
                  check (status in ('draft', 'submitted', 'correction', 'in_progress', 'approved', 'rejected',
                                    'concluded', 'withdrawn')),
  step            text,                                         -- the workflow step it waits in
  form_data       jsonb not null default '{}',
  materials       jsonb not null default '[]',
  idempotency_key text not null,
  correction      jsonb,                                        -- what is missing, all at once (一次性告知)
  result          jsonb,
  submitted_at    timestamptz,
  due_at          timestamptz,                                  -- the promised limit, in working days
  warn_at         timestamptz,                                  -- 80% of it
  paused_at       timestamptz,                                  -- the clock stops while the applicant corrects
  version         integer not null default 1,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (account_id, idempotency_key)
);
create index applications_account_idx on applications (account_id, id desc);
-- The inbox: a department's open applications, soonest due first, with or without a step.
create index applications_inbox_idx on applications (department_id, step, due_at, id)
  where status in ('submitted', 'in_progress');
create index applications_inbox_due_idx on applications (department_id, due_at, id)
  where status in ('submitted', 'in_progress');

-- Parallel approval (并联审批): one task per department at a parallel step.
create table application_tasks (
  application_id bigint not null references applications (id),
  step           text not null,
  department_id  bigint not null references departments (id),
  status         text not null default 'open' check (status in ('open', 'approved', 'rejected')),
  decided_by     bigint references staff (id),
  decided_at     timestamptz,
  note           text,
  primary key (application_id, step, department_id)
);
create index application_tasks_open_idx on application_tasks (department_id) where status = 'open';

-- The timeline: every step, who took it, and its ledger receipt.
create table application_events (
  id             bigint generated always as identity primary key,
  application_id bigint not null references applications (id),
  step           text,
  action         text not null,
  actor          text not null,
  department_id  bigint,
  note           text,
  receipt_id     text not null,
  at             timestamptz not null default now()
);
create index application_events_app_idx on application_events (application_id, id);

grant select, insert on uploads to zt_public;
grant select on uploads to zt_internal;
grant select, insert, update on applications to zt_public, zt_internal;
grant usage on sequence applications_id_seq to zt_public;
grant select, insert on application_events to zt_public, zt_internal;
grant usage on sequence application_events_id_seq to zt_public, zt_internal;
grant select, insert, update on application_tasks to zt_internal;
grant select on application_tasks to zt_public;

-- The back office checks held materials through the safety valve and logs each check (exchange/held.service.ts).
grant insert on access_log to zt_internal;
grant usage on sequence access_log_id_seq to zt_internal;
