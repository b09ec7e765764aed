-- opendata: datasets opened to society (数据开放). A dataset is published from a register's open fields by its
-- department; each release is an immutable version: its table (one row per record, as published), its data
-- dictionary (Frictionless Table Schema), its row count and the SHA-256 of its canonical CSV. A withdrawn dataset
-- keeps its versions' hashes for its tombstone page; its rows go.
create table opendata_datasets (
  id              bigint generated always as identity primary key,
  uuid            uuid not null unique default gen_random_uuid(),   -- CKAN's id
  name            text not null unique check (name ~ '^[a-z0-9][a-z0-9_-]{1,99}$'),  -- CKAN's name (URL slug)
  department_id   bigint not null references departments (id),
  register_id     bigint references registers (id),
  access          text not null check (access in ('open', 'conditional')),
  title           text not null check (length(title) between 1 and 200),
  notes           text not null default '',
  theme           text not null,                                   -- CKAN's group
  tags            text[] not null default '{}',
  license_id      text not null,
  update_cycle    text not null,
  spatial         text,                                            -- GB/T 2260 region code
  temporal_start  date,
  temporal_end    date,
  contact         text,
  fields          text[] not null,                                 -- the register's fields published
  state           text not null default 'active' check (state in ('active', 'withdrawn')),
  version         integer not null default 0,                      -- the current (latest) version
  created_at      timestamptz not null,
  modified_at     timestamptz not null
);
create index opendata_datasets_modified_idx on opendata_datasets (modified_at, id);

create table opendata_versions (
  dataset_id  bigint not null references opendata_datasets (id),
  version     integer not null check (version >= 1),
  schema      jsonb not null,
  row_count   integer not null check (row_count >= 0),
  sha256      text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  note        text,
  receipt_id  text not null,
  created_by  text not null,
  created_at  timestamptz not null,
  primary key (dataset_id, version)
);

create table opendata_rows (
  dataset_id  bigint not null,
  version     integer not null,
  row_no      integer not null check (row_no >= 1),
  data        jsonb not null,
  primary key (dataset_id, version, row_no),
  foreign key (dataset_id, version) references opendata_versions (dataset_id, version) on delete cascade
);

grant select on opendata_datasets, opendata_versions, opendata_rows to zt_public;
grant select, insert, update on opendata_datasets, opendata_versions to zt_internal;
grant select, insert, delete on opendata_rows to zt_internal;
grant usage on sequence opendata_datasets_id_seq to zt_internal;
