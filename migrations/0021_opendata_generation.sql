-- opendata: a change to the published datasets (a release moves `version` and `modified_at`, a withdrawal `state`)
-- bumps the cache generation, so the public zone's in-memory catalogue (CKAN's package_search, lists, DCAT) checks
-- one row per call instead of counting the catalogue.
create trigger opendata_datasets_bump after insert or update or delete on opendata_datasets
  for each statement execute function cache_generation_bump();

-- A release adds up to millions of rows at once; the planner must know, or it reads a version's whole primary-key
-- range for a DataStore filter instead of the containment index (PGlite has no autovacuum to notice). The zone that
-- publishes may refresh the statistics of this one table, nothing else.
create function opendata_rows_analyze() returns void language plpgsql security definer
set search_path = public, pg_temp as $$
begin
  analyze opendata_rows;
end
$$;
revoke all on function opendata_rows_analyze() from public;
grant execute on function opendata_rows_analyze() to zt_internal;
