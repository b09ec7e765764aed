-- opendata: a file uploaded to become a dataset (or a dataset's next version) is staged first: its rows as text
-- cells and the dictionary inferred from them, for the publisher to check and edit before anything is published.
-- A staged upload is its uploader's, for a day; publishing from it removes it.
create table opendata_uploads (
  id             uuid primary key default gen_random_uuid(),
  department_id  bigint not null references departments (id),
  created_by     text not null,
  filename       text not null check (length(filename) between 1 and 200),
  format         text not null check (format in ('csv', 'xlsx', 'json')),
  header         text[] not null,
  schema         jsonb not null,                 -- the inferred dictionary
  row_count      integer not null check (row_count >= 0),
  created_at     timestamptz not null,
  expires_at     timestamptz not null
);
create index opendata_uploads_expiry_idx on opendata_uploads (expires_at);

create table opendata_upload_rows (
  upload_id  uuid not null references opendata_uploads (id) on delete cascade,
  row_no     integer not null check (row_no >= 1),
  line       integer not null,
  cells      jsonb not null,                       -- the row's cells as text, in header order
  primary key (upload_id, row_no)
);

-- A dataset made from uploads has no register; its fields are its dictionary's.
grant select, insert, delete on opendata_uploads, opendata_upload_rows to zt_internal;
