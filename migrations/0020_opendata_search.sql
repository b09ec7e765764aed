-- opendata: the open datasets join the public search index; a change to them reloads it on every instance.
create trigger opendata_datasets_search after insert or update or delete on opendata_datasets
  for each statement execute function search_notify();

-- DataStore filters (datastore_search's `filters`, a containment test) find their rows through an index, not a scan
-- of every version's rows.
create index opendata_rows_data_idx on opendata_rows using gin (data jsonb_path_ops);
