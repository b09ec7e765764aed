-- registry: the data resource catalog (政务信息资源目录). A register is one data resource: catalog metadata, fields
-- (信息项) and records. Metadata and records are versioned; every change is also a ledger entry.
create table registers (
  id             bigint generated always as identity primary key,
  code           text not null unique check (code ~ '^[123][0-9]{5}([0-9]{1,4})?-[0-9]{6}$'),  -- 前段码 (类项目细目) - 顺序码
  department_id  bigint not null references departments (id),                              -- 提供方
  version        integer not null default 1,
  visibility     text not null check (visibility in ('public', 'internal')),
  metadata       jsonb not null,                                                            -- the current catalog metadata and fields
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index registers_department_idx on registers (department_id);

-- Sequence numbers per code prefix (类项目细目), allocated under a row lock.
create table register_code_sequences (
  prefix text primary key,
  last   integer not null
);

create table register_versions (
  register_id bigint not null references registers (id),
  version     integer not null,
  metadata    jsonb not null,
  changed_by  text not null,
  changed_at  timestamptz not null default now(),
  primary key (register_id, version)
);

-- The current version of every record (as in SQL:2011 system-versioned tables); superseded versions move to
-- record_versions when they are replaced, so a new record is written once.
create table records (
  id            bigint generated always as identity primary key,
  register_id   bigint not null references registers (id),
  version       integer not null default 1,
  data          jsonb not null,
  deleted       boolean not null default false,
  delete_reason text,
  updated_by    text not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index records_register_idx on records (register_id, id);
create index records_data_idx on records using gin (data jsonb_path_ops);  -- equality filters on any field

-- Superseded versions: each was current from valid_from until valid_to.
create table record_versions (
  record_id  bigint not null references records (id),
  version    integer not null,
  op         text not null check (op in ('create', 'update', 'delete')),
  data       jsonb not null,
  reason     text,
  actor      text not null,
  valid_from timestamptz not null,
  valid_to   timestamptz not null,
  primary key (record_id, version)
);

-- Values of fields marked unique, so uniqueness holds under concurrency on both engines.
create table record_unique_values (
  register_id bigint not null references registers (id),
  field       text not null,
  value       text not null,
  record_id   bigint not null references records (id),
  primary key (register_id, field, value)
);
create index record_unique_values_record_idx on record_unique_values (record_id);

grant select on registers to zt_public, zt_exchange;
grant select, insert, update on registers, register_versions, register_code_sequences to zt_internal;
grant usage on sequence registers_id_seq to zt_internal;
grant select, insert, update on records, record_versions to zt_internal;
grant select, insert, delete on record_unique_values to zt_internal;
grant usage on sequence records_id_seq to zt_internal;
grant select on records, record_versions to zt_exchange;
