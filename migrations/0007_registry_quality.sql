-- registry: each register's data quality, recomputed after its records change (the provider's duty).
alter table registers add column quality_dirty boolean not null default true;

create table register_quality (
  register_id bigint primary key references registers (id),
  score       integer not null check (score between 0 and 100),
  details     jsonb not null,
  computed_at timestamptz not null default now()
);

grant select, insert, update on register_quality to zt_internal;
grant select on register_quality to zt_public;
