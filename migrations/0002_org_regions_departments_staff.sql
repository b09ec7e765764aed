-- org: administrative regions (GB/T 2260 codes; 9-digit township codes), departments, staff and their roles.
create table regions (
  code        text primary key check (code ~ '^[0-9]{6}([0-9]{3})?$'),
  name        text not null check (length(name) between 1 and 100),
  level       text not null check (level in ('national', 'province', 'city', 'county', 'township')),
  parent_code text references regions (code),
  created_at  timestamptz not null default now()
);
create index regions_parent_idx on regions (parent_code);

create table departments (
  id          bigint generated always as identity primary key,
  code        text not null unique check (code ~ '^[A-Za-z0-9_-]{2,40}$'),
  name        text not null check (length(name) between 1 and 100),
  short_name  text check (length(short_name) between 1 and 40),
  region_code text not null references regions (code),
  parent_id   bigint references departments (id),
  active      boolean not null default true,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index departments_region_idx on departments (region_code);

create table staff (
  id            bigint generated always as identity primary key,
  username      text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  display_name  text not null check (length(display_name) between 1 and 60),
  department_id bigint not null references departments (id),
  active        boolean not null default true,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index staff_department_idx on staff (department_id);

-- A role is held in a department: a caseworker of 市公安局 acts for 市公安局 only.
create table staff_roles (
  staff_id      bigint not null references staff (id) on delete cascade,
  department_id bigint not null references departments (id),
  role          text not null check (role in ('platform_admin', 'department_admin', 'caseworker', 'data_officer',
                                              'security_officer', 'leader', 'auditor')),
  granted_by    bigint references staff (id),
  granted_at    timestamptz not null default now(),
  primary key (staff_id, department_id, role)
);

-- Regions and departments are public facts (every portal lists the departments); staff are internal.
grant select on regions, departments to zt_public, zt_exchange;
grant select, insert, update on regions, departments to zt_internal;
grant select, insert, update on staff to zt_internal;
grant select, insert, delete on staff_roles to zt_internal;
grant usage on sequence departments_id_seq, staff_id_seq to zt_internal;
