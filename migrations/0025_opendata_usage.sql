-- opendata: how much each dataset is used, per day (China Standard Time): its page's views, its files' downloads and
-- CKAN API calls about it. Counts only, never who: they are public, and are themselves published as an open dataset.
-- The public zone counts as it serves.
create table opendata_usage (
  dataset_id  bigint not null references opendata_datasets (id),
  day         date not null,
  views       integer not null default 0 check (views >= 0),
  downloads   integer not null default 0 check (downloads >= 0),
  api_calls   integer not null default 0 check (api_calls >= 0),
  primary key (dataset_id, day)
);

grant select, insert, update on opendata_usage to zt_public;
grant select on opendata_usage to zt_internal;
