-- opendata: conditional opening (有条件开放). A person or enterprise applies for a dataset with a purpose, a scenario,
-- the data-security commitments (安全承诺书) and the use agreement (开放利用协议); the publishing department decides
-- within its working days. An approval grants a quota (calls and rows a day), an expiry and the purpose; the applicant
-- then issues the API key (shown once; only its SHA-256 is kept, so no reviewer ever sees it). Every use and every
-- refusal of a key is logged; usage is counted per key and day in one row, so the quota holds across instances.
create table opendata_applications (
  id             bigint generated always as identity primary key,
  dataset_id     bigint not null references opendata_datasets (id),
  account_id     bigint not null references accounts (id),
  purpose        text not null check (length(purpose) between 2 and 500),
  scenario       text not null check (length(scenario) between 2 and 2000),
  commitments    boolean not null check (commitments),
  agreement      boolean not null check (agreement),
  status         text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  due_at         timestamptz not null,
  decided_by     bigint references staff (id),
  decided_at     timestamptz,
  decision_note  text,
  calls_per_day  integer check (calls_per_day > 0),
  rows_per_day   integer check (rows_per_day > 0),
  expires_at     timestamptz,
  created_at     timestamptz not null
);
create index opendata_applications_account_idx on opendata_applications (account_id);
create index opendata_applications_dataset_idx on opendata_applications (dataset_id, status);

create table opendata_keys (
  id              bigint generated always as identity primary key,
  application_id  bigint not null references opendata_applications (id),
  key_hash        bytea not null unique,
  key_prefix      text not null,
  status          text not null default 'active' check (status in ('active', 'revoked', 'replaced')),
  revoked_by      text,
  revoked_at      timestamptz,
  created_at      timestamptz not null
);
create index opendata_keys_application_idx on opendata_keys (application_id);

create table opendata_key_usage (
  application_id  bigint not null references opendata_applications (id),
  day             date not null,
  calls           integer not null default 0,
  rows            integer not null default 0,
  primary key (application_id, day)
);

create table opendata_access_log (
  id              bigint generated always as identity primary key,
  application_id  bigint,
  dataset_id      bigint,
  action          text not null,
  decision        text not null check (decision in ('allow', 'deny')),
  reason          text,
  rows            integer,
  ip              text,
  at              timestamptz not null
);
create index opendata_access_log_application_idx on opendata_access_log (application_id, id);

grant select, insert on opendata_applications to zt_public;
grant usage on sequence opendata_applications_id_seq to zt_public;
grant select, update on opendata_applications to zt_internal;
grant select, insert, update on opendata_keys to zt_public;
grant usage on sequence opendata_keys_id_seq to zt_public;
grant select, update on opendata_keys to zt_internal;
grant select, insert, update on opendata_key_usage to zt_public;
grant select on opendata_key_usage to zt_internal;
grant insert, select on opendata_access_log to zt_public;
grant usage on sequence opendata_access_log_id_seq to zt_public;
grant select on opendata_access_log to zt_internal;
