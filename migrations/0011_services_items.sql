-- services: the catalog of service items (事项) citizens and enterprises apply for, grouped into sub-platforms
-- (themes such as 社保, 户籍, 公积金, 企业开办). Items are versioned, published and withdrawn; every change is also a
-- ledger entry. Forms, workflows and applications build on these.
create table subplatforms (
  code        text primary key check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name        text not null check (length(name) between 1 and 50),
  audience    text not null check (audience in ('person', 'enterprise', 'both')),
  description text not null default '',
  sort        integer not null default 0
);

create table service_items (
  id            bigint generated always as identity primary key,
  code          text not null unique check (code ~ '^[0-9A-Z][0-9A-Z-]{5,39}$'),  -- 事项编码
  subplatform   text not null references subplatforms (code),
  department_id bigint not null references departments (id),                      -- 实施机关
  status        text not null default 'draft' check (status in ('draft', 'published', 'withdrawn')),
  version       integer not null default 1,
  guide         jsonb not null,                                                   -- the guide fields (办事指南)
  published_at  timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index service_items_subplatform_idx on service_items (subplatform) where status = 'published';
create index service_items_department_idx on service_items (department_id);

create table service_item_versions (
  item_id    bigint not null references service_items (id),
  version    integer not null,
  status     text not null,
  guide      jsonb not null,
  changed_by text not null,
  changed_at timestamptz not null default now(),
  primary key (item_id, version)
);

grant select on subplatforms, service_items to zt_public;
grant select, insert, update on subplatforms, service_items, service_item_versions to zt_internal;
grant usage on sequence service_items_id_seq to zt_internal;
