-- ledger: the node's append-only Merkle log (RFC 9162) of every government action, with signed checkpoints.
-- One log per node; its origin and crypto profile are fixed when it is created.
create table ledger_log (
  singleton          boolean primary key default true check (singleton),
  origin             text not null check (origin ~ '^[^\s+]+$'),
  profile            text not null check (profile in ('sha256-ed25519', 'sm3-sm2')),
  public_key         bytea not null,
  private_key_sealed bytea not null,    -- sealed with the node's master key; never leaves the integrator
  created_at         timestamptz not null default now()
);

-- Entries appended inside business transactions wait here; a rolled-back transaction leaves no row, so no gap.
-- The queue is drained within a second, so it carries no index beyond its key: appends stay cheap.
create table ledger_queue (
  id         bigint generated always as identity primary key,
  receipt_id text not null,
  leaf       bytea not null,
  entry_type text not null,
  entry_time text not null,
  zone       text not null,
  actor      text not null,
  subject    text not null,
  payload    text not null,
  salt       bytea not null,
  readers    text[] not null default '{}'
);

-- The log itself: index → the exact leaf bytes, and the full entry for entitled readers (salt and payload).
create table ledger_entries (
  idx           bigint primary key check (idx >= 0),
  receipt_id    text not null unique,
  leaf          bytea not null,
  leaf_hash     bytea not null,
  entry_type    text not null,
  entry_time    text not null,
  zone          text not null,
  actor         text not null,
  subject       text not null,
  payload       text not null,
  salt          bytea not null,
  readers       text[] not null default '{}',
  integrated_at timestamptz not null default now()
);
create index ledger_entries_readers_idx on ledger_entries using gin (readers);

-- Hash of every complete subtree: (level, index) covers leaves [index·2^level, (index+1)·2^level).
create table ledger_nodes (
  level smallint not null check (level between 0 and 62),
  idx   bigint not null check (idx >= 0),
  hash  bytea not null,
  primary key (level, idx)
);

-- Every signed checkpoint; a log never signs two checkpoints that are inconsistent with each other.
create table ledger_checkpoints (
  size       bigint primary key check (size >= 0),
  root_hash  bytea not null,
  note       text not null,
  created_at timestamptz not null default now()
);

-- Every zone appends; reading the log is public. The integrator runs as the owner.
grant insert on ledger_queue to zt_public, zt_internal, zt_exchange;
grant usage on sequence ledger_queue_id_seq to zt_public, zt_internal, zt_exchange;
grant select (receipt_id, readers) on ledger_queue to zt_public, zt_internal;
grant select (singleton, origin, profile, public_key, created_at) on ledger_log to zt_public, zt_internal, zt_exchange;
grant select on ledger_entries, ledger_nodes, ledger_checkpoints to zt_public, zt_internal;
grant select on ledger_checkpoints to zt_exchange;
