-- opendata: the open datasets join the public search index; a change to them reloads it on every instance.
create trigger opendata_datasets_search after insert or update or delete on opendata_datasets
  for each statement execute function search_notify();
