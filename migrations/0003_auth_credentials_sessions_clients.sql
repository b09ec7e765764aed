-- auth: staff credentials and sessions (internal zone), citizen and enterprise accounts and their sessions
-- (public zone), department API clients and the replay guard for their signed requests (exchange zone).
create table staff_credentials (
  staff_id            bigint primary key references staff (id) on delete cascade,
  password_hash       text not null,
  failed_logins       integer not null default 0,
  locked_until        timestamptz,
  password_changed_at timestamptz not null default now()
);

create table staff_sessions (
  token_hash   bytea primary key,          -- SHA-256 of the cookie token; the token itself is never stored
  staff_id     bigint not null references staff (id) on delete cascade,
  csrf_token   text not null,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index staff_sessions_staff_idx on staff_sessions (staff_id);

-- A citizen (person) or an enterprise. The real-name identifier (resident ID or unified social credit code) is
-- stored encrypted; login looks it up by a keyed hash (HMAC) so the plain number is never in an index.
create table accounts (
  id                  bigint generated always as identity primary key,
  kind                text not null check (kind in ('person', 'enterprise')),
  display_name        text not null check (length(display_name) between 1 and 100),
  identifier_hash     bytea not null unique,
  identifier_enc      bytea not null,
  identifier_masked   text not null,
  password_hash       text not null,
  failed_logins       integer not null default 0,
  locked_until        timestamptz,
  password_changed_at timestamptz not null default now(),
  created_at          timestamptz not null default now()
);

create table account_sessions (
  token_hash   bytea primary key,
  account_id   bigint not null references accounts (id) on delete cascade,
  csrf_token   text not null,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index account_sessions_account_idx on account_sessions (account_id);

-- A department's system that calls the exchange zone, signing each request (RFC 9421) with its key.
create table api_clients (
  id            bigint generated always as identity primary key,
  key_id        text not null unique check (key_id ~ '^[A-Za-z0-9._-]{8,64}$'),
  department_id bigint not null references departments (id),
  name          text not null check (length(name) between 1 and 100),
  alg           text not null check (alg in ('ed25519', 'sm2-sm3')),
  public_key    text not null,
  status        text not null default 'active' check (status in ('active', 'revoked')),
  created_by    bigint references staff (id),
  created_at    timestamptz not null default now(),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);

-- Nonces seen within the signature window; a nonce seen twice for one key is a replay.
create table request_nonces (
  key_id     text not null,
  nonce      text not null,
  seen_at    timestamptz not null default now(),
  primary key (key_id, nonce)
);
create index request_nonces_seen_idx on request_nonces (seen_at);

grant select, insert, update on staff_credentials to zt_internal;
grant select, insert, update, delete on staff_sessions to zt_internal;
grant select, insert, update on accounts to zt_public;
grant select, insert, update, delete on account_sessions to zt_public;
grant usage on sequence accounts_id_seq to zt_public;
grant select, insert, update on api_clients to zt_internal;
grant usage on sequence api_clients_id_seq to zt_internal;
grant select on api_clients to zt_exchange;
grant update (last_used_at) on api_clients to zt_exchange;
grant select, insert, delete on request_nonces to zt_exchange;
