-- exchange: data sharing between departments through the safety valve (安全阀). Share requests and the grants
-- they yield, the valve's policy versions, the access log of every exchange call, usage counters for limits,
-- and subscriptions with their deliveries ("collect once, use everywhere").

-- A consuming department asks a provider for fields of a register, for a purpose, under a legal basis.
create table share_requests (
  id                     bigint generated always as identity primary key,
  register_id            bigint not null references registers (id),
  consumer_department_id bigint not null references departments (id),
  requested_by           bigint not null references staff (id),
  fields                 jsonb not null check (jsonb_typeof(fields) = 'array'),
  purpose                text not null check (length(purpose) between 1 and 200),
  legal_basis            text not null check (length(legal_basis) between 1 and 2000),
  valid_until            timestamptz not null,
  status                 text not null default 'pending'
                         check (status in ('pending', 'approved', 'rejected', 'refused', 'withdrawn')),
  due_at                 timestamptz,            -- the provider's answer is due (conditional sharing)
  escalated_at           timestamptz,            -- overdue and raised to the platform admin
  decided_by             bigint references staff (id),
  decided_at             timestamptz,
  decision_reason        text,
  created_at             timestamptz not null default now()
);
create index share_requests_register_idx on share_requests (register_id, status);
create index share_requests_consumer_idx on share_requests (consumer_department_id, id desc);
create index share_requests_pending_idx on share_requests (due_at) where status = 'pending';

-- What a department may read. Unconditional sharing grants at once; conditional after the provider approves.
create table grants (
  id                     bigint generated always as identity primary key,
  request_id             bigint not null unique references share_requests (id),
  register_id            bigint not null references registers (id),
  consumer_department_id bigint not null references departments (id),
  kind                   text not null check (kind in ('unconditional', 'conditional')),
  fields                 jsonb not null check (jsonb_typeof(fields) = 'array'),
  clear_fields           jsonb not null default '[]' check (jsonb_typeof(clear_fields) = 'array'),
  purpose                text not null,
  valid_from             timestamptz not null,
  valid_until            timestamptz not null check (valid_until > valid_from),
  rate_per_minute        integer not null check (rate_per_minute between 1 and 1000000),
  daily_limit            integer not null check (daily_limit between 1 and 1000000000),
  status                 text not null default 'active' check (status in ('active', 'revoked')),
  version                integer not null default 1,
  revoked_at             timestamptz,
  revoked_by             bigint references staff (id),
  revoke_reason          text,
  created_at             timestamptz not null default now()
);
create index grants_consumer_idx on grants (consumer_department_id, register_id);
create index grants_register_idx on grants (register_id);

-- The valve's policy set, every version kept. No row: the shipped default is in force.
create table valve_policies (
  version    integer primary key check (version >= 1),
  policy     text not null,
  comment    text,
  created_by text not null,
  created_at timestamptz not null default now()
);

-- One row per exchange call, allowed or denied: security monitoring and KPIs read it.
create table access_log (
  id              bigint generated always as identity primary key,
  at              timestamptz not null default now(),
  client_id       bigint,
  key_id          text,
  department_id   bigint,
  operation       text not null,
  register_code   text,
  grant_id        bigint,
  purpose         text,
  decision        text not null check (decision in ('allow', 'deny')),
  reason          text,
  status          integer not null,
  fields          jsonb,
  rows            integer,
  request_digest  text,
  response_digest text,
  ip              text,
  duration_ms     real
);
create index access_log_client_idx on access_log (client_id, id desc);
create index access_log_register_idx on access_log (register_code, id desc);
create index access_log_denied_idx on access_log (id desc) where decision = 'deny';

-- Requests per grant and day, in a few shards so that concurrent calls do not queue on one row.
create table grant_usage (
  grant_id bigint not null references grants (id),
  day      date not null,
  shard    smallint not null,
  count    integer not null,
  primary key (grant_id, day, shard)
);

-- A consumer's system subscribes to the changes of a register it holds a grant on.
create table subscriptions (
  id              bigint generated always as identity primary key,
  grant_id        bigint not null references grants (id),
  client_id       bigint not null references api_clients (id),
  register_id     bigint not null references registers (id),
  url             text not null,
  status          text not null default 'active' check (status in ('active', 'cancelled')),
  last_seq        bigint not null default 0,   -- the last sequence number given to a change
  delivered_seq   bigint not null default 0,   -- every change up to here was acknowledged
  failures        integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error      text,
  created_at      timestamptz not null default now(),
  cancelled_at    timestamptz
);
create index subscriptions_register_idx on subscriptions (register_id) where status = 'active';
create index subscriptions_due_idx on subscriptions (next_attempt_at) where status = 'active';

-- Each change as the subscriber may see it (fields and masking decided by the valve), in order, kept for replay.
create table deliveries (
  subscription_id bigint not null references subscriptions (id),
  seq             bigint not null,
  record_id       bigint not null,
  record_version  integer not null,
  op              text not null check (op in ('created', 'updated', 'deleted')),
  payload         jsonb not null,
  created_at      timestamptz not null default now(),
  delivered_at    timestamptz,
  primary key (subscription_id, seq)
);

grant select, insert, update on share_requests, grants to zt_internal;
grant usage on sequence share_requests_id_seq, grants_id_seq to zt_internal;
grant select on grants to zt_exchange;
grant select, insert on valve_policies to zt_internal;
grant select on valve_policies to zt_exchange;
grant select on access_log to zt_internal;
grant insert on access_log to zt_exchange;
grant usage on sequence access_log_id_seq to zt_exchange;
grant select, insert, update on grant_usage to zt_exchange;
grant select on subscriptions, deliveries to zt_internal;
grant update (status, cancelled_at) on subscriptions to zt_internal;
grant select, insert, update on subscriptions to zt_exchange;
grant usage on sequence subscriptions_id_seq to zt_exchange;
grant select, insert, update, delete on deliveries to zt_exchange;
